/**
 * Who is calling: the session user the auth module found in the request's cookie. Routes read it with
 * `sessionUser(req)`; `requireUser` and `requireAdmin` guard routers.
 */
import type { IncomingMessage } from 'node:http';
import type { RequestHandler } from 'express';
import { AppError } from '../errors.ts';

export interface SessionUser {
  id: string;
  username: string;
  role: 'admin' | 'user';
}

declare global {
  namespace Express {
    interface Request {
      user?: SessionUser;
    }
  }
}

/** Finds the session user of a request (HTTP or WebSocket upgrade) from its access-token cookie. */
export interface Authenticator {
  authenticate(req: IncomingMessage): Promise<SessionUser | null>;
}

/** The caller, or 401 when the request carries no valid session. */
export function sessionUser(req: Express.Request): SessionUser {
  if (!req.user) throw new AppError('unauthenticated', 'Sign in to continue.');
  return req.user;
}

/** Rejects requests without a valid session with 401; sets `req.user` for the handlers after it. */
export function requireUser(auth: Authenticator): RequestHandler {
  return async (req, _res, next) => {
    req.user = (await auth.authenticate(req)) ?? undefined;
    if (!req.user) throw new AppError('unauthenticated', 'Sign in to continue.');
    next();
  };
}

/** 401 without a session, 403 for a signed-in user who is not an admin. */
export function requireAdmin(auth: Authenticator): RequestHandler {
  const user = requireUser(auth);
  return async (req, res, next) => {
    await user(req, res, (error?: unknown) => {
      if (error) return next(error);
      if (req.user?.role !== 'admin') return next(new AppError('forbidden', 'Only an admin can do this.'));
      next();
    });
  };
}
