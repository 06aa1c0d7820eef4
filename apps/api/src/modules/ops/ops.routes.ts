/**
 * Operations endpoints: `GET /api/ready` (the database answers and is migrated — for load balancers
 * and orchestrators; `/api/health` stays the liveness check) and `GET /metrics` (Prometheus).
 */
import { timingSafeEqual } from 'node:crypto';
import { ReadyResponse } from '@sitewright/contracts';
import { type RequestHandler, Router } from 'express';
import type { AppDeps } from '../../app.ts';
import { AppError } from '../../errors.ts';
import { isLoopbackAddress } from '../../http/security.ts';
import { checkReadiness, metricsSnapshot } from './ops.service.ts';

export function readyRoutes(deps: AppDeps): Router {
  const router = Router();
  router.get('/ready', async (_req, res) => {
    const readiness = await checkReadiness(deps);
    res.setHeader('Cache-Control', 'no-store');
    res.status(readiness.ready ? 200 : 503).json(ReadyResponse.parse(readiness));
  });
  return router;
}

export function metricsRoutes(deps: AppDeps): Router {
  const router = Router();
  router.get('/metrics', metricsAccess(deps.env.METRICS_TOKEN), async (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.type('text/plain; version=0.0.4').send(deps.metrics.render(await metricsSnapshot(deps)));
  });
  return router;
}

/** With METRICS_TOKEN: `Authorization: Bearer <token>`. Without: only scrapers on this machine. */
function metricsAccess(token: string | undefined): RequestHandler {
  return (req, _res, next) => {
    if (token) {
      const given = Buffer.from((req.headers.authorization ?? '').replace(/^Bearer\s+/i, ''));
      const expected = Buffer.from(token);
      if (given.length === expected.length && timingSafeEqual(given, expected)) return next();
      return next(new AppError('unauthenticated', 'Metrics need the bearer token set in METRICS_TOKEN.'));
    }
    if (isLoopbackAddress(req.socket.remoteAddress)) return next();
    next(
      new AppError(
        'forbidden',
        'Metrics are served to this machine only; set METRICS_TOKEN to scrape remotely.',
      ),
    );
  };
}
