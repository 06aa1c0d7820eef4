import { HealthResponse } from '@sitewright/contracts';
import { Router } from 'express';
import type { Deps } from '../../deps.ts';
import { checkHealth } from './health.service.ts';

export function healthRoutes(deps: Pick<Deps, 'db' | 'version'>): Router {
  const router = Router();
  router.get('/health', async (_req, res) => {
    const health = HealthResponse.parse(await checkHealth(deps.db, deps.version));
    res.setHeader('Cache-Control', 'no-store');
    res.status(health.status === 'ok' ? 200 : 503).json(health);
  });
  return router;
}
