import { openApiDocument } from '@sitewright/contracts';
import { Router } from 'express';
import type { AppDeps } from '../../app.ts';

/** `GET /api/openapi.json`: the contract as OpenAPI 3.1, generated from the same zod schemas. */
export function docsRoutes(deps: Pick<AppDeps, 'version'>): Router {
  const router = Router();
  const document = openApiDocument(deps.version);
  router.get('/openapi.json', (_req, res) => {
    res.setHeader('Cache-Control', 'no-cache');
    res.json(document);
  });
  return router;
}
