/** The two session cookies: how they are set and cleared. */
import type { Request, Response } from 'express';
import type { Env } from '../../env.ts';

export const ACCESS_COOKIE = 'access_token';
export const REFRESH_COOKIE = 'refresh_token';
/** The refresh token travels only to the routes that use it, never with every API call. */
const REFRESH_PATH = '/api/auth';

export interface SessionTokens {
  accessToken: string;
  refreshToken: string;
}

function baseOptions(req: Request, env: Env) {
  return {
    httpOnly: true,
    // Lax, not Strict: with Strict the browser withholds the cookie on the first navigation that arrives
    // from another site (a link in an email or chat), so the dashboard would open signed out. Lax still
    // withholds it from cross-site POSTs, iframes and fetches, which is what CSRF needs.
    sameSite: 'lax' as const,
    // `auto`: req.secure, which believes X-Forwarded-Proto only from a proxy TRUST_PROXY trusts.
    secure: env.COOKIE_SECURE === 'auto' ? req.secure : env.COOKIE_SECURE === 'true',
  };
}

export function setSessionCookies(req: Request, res: Response, env: Env, tokens: SessionTokens): void {
  const options = baseOptions(req, env);
  res.cookie(ACCESS_COOKIE, tokens.accessToken, {
    ...options,
    path: '/',
    maxAge: env.ACCESS_TOKEN_TTL_SECONDS * 1000,
  });
  res.cookie(REFRESH_COOKIE, tokens.refreshToken, {
    ...options,
    path: REFRESH_PATH,
    maxAge: env.REFRESH_TOKEN_TTL_SECONDS * 1000,
  });
  // Responses that set session cookies must never be stored by a shared cache.
  res.setHeader('Cache-Control', 'no-store');
}

export function clearSessionCookies(req: Request, res: Response, env: Env): void {
  const options = baseOptions(req, env);
  res.clearCookie(ACCESS_COOKIE, { ...options, path: '/' });
  res.clearCookie(REFRESH_COOKIE, { ...options, path: REFRESH_PATH });
  res.setHeader('Cache-Control', 'no-store');
}
