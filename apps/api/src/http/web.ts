import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { type Router } from 'express';

/**
 * Serves the built dashboard: hashed assets with long caching, and `index.html` for every other
 * GET that accepts HTML (client-side routes such as /projects/:id survive a reload).
 */
export function webRouter(distDir: string): Router {
  const router = express.Router();
  const indexHtml = join(distDir, 'index.html');
  router.use(
    '/assets',
    express.static(join(distDir, 'assets'), { immutable: true, maxAge: '1y', fallthrough: false }),
  );
  router.use(express.static(distDir, { index: false, maxAge: '1h' }));
  router.get(/.*/, (req, res, next) => {
    if (!req.accepts('html')) return next();
    if (!existsSync(indexHtml)) {
      res
        .status(503)
        .type('text/plain')
        .send('The dashboard has not been built yet. Run `pnpm build` (or `pnpm start`, which builds it).');
      return;
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(indexHtml);
  });
  return router;
}
