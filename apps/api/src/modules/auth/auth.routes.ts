import { ChangePasswordRequest, LoginRequest, LoginResponse, MeResponse } from '@sitewright/contracts';
import { type ErrorRequestHandler, type Request, Router } from 'express';
import type { AppDeps } from '../../app.ts';
import { AppError } from '../../errors.ts';
import { readCookie } from '../../http/cookies.ts';
import { requireUser, sessionUser } from '../../http/session.ts';
import { parseInput } from '../../http/validate.ts';
import type { ClientInfo } from './auth.service.ts';
import { clearSessionCookies, REFRESH_COOKIE, setSessionCookies } from './session-cookies.ts';

export function authRoutes(deps: AppDeps): Router {
  const router = Router();
  const { auth, env } = deps;

  router.post('/auth/login', async (req, res) => {
    const input = parseInput(LoginRequest, req.body);
    const session = await auth.login(input, clientInfo(req));
    setSessionCookies(req, res, env, session);
    res.json(LoginResponse.parse({ user: session.user }));
  });

  router.post('/auth/refresh', async (req, res) => {
    const result = await auth.refresh(readCookie(req, REFRESH_COOKIE), clientInfo(req));
    if (!result.ok) {
      clearSessionCookies(req, res, env);
      throw new AppError('unauthenticated', 'Your session has ended; sign in again.');
    }
    setSessionCookies(req, res, env, result.session);
    res.json(LoginResponse.parse({ user: result.session.user }));
  });

  router.post('/auth/logout', async (req, res) => {
    await auth.logout(readCookie(req, REFRESH_COOKIE));
    clearSessionCookies(req, res, env);
    res.status(204).end();
  });

  router.get('/auth/me', requireUser(auth), async (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json(MeResponse.parse({ user: await auth.me(sessionUser(req)) }));
  });

  router.post('/auth/change-password', requireUser(auth), async (req, res) => {
    const input = parseInput(ChangePasswordRequest, req.body);
    const session = await auth.changePassword(sessionUser(req), input, clientInfo(req));
    setSessionCookies(req, res, env, session);
    res.json(MeResponse.parse({ user: session.user }));
  });

  router.use(retryAfterHeader);
  return router;
}

function clientInfo(req: Request): ClientInfo {
  return { ip: req.ip, userAgent: req.get('user-agent')?.slice(0, 512) };
}

/** A rate-limited answer tells the client when to come back (`Retry-After`, in seconds). */
const retryAfterHeader: ErrorRequestHandler = (error, _req, res, next) => {
  if (error instanceof AppError && error.code === 'rate_limited') {
    const { retryAfterSeconds } = (error.details ?? {}) as { retryAfterSeconds?: number };
    if (retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(retryAfterSeconds));
  }
  next(error);
};
