import { randomUUID } from 'node:crypto';
import express, { type Express } from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import type { Deps } from './deps.ts';
import { apiNotFound, errorMiddleware } from './http/error-middleware.ts';
import { securityMiddleware } from './http/security.ts';
import { webRouter } from './http/web.ts';
import { authRoutes } from './modules/auth/auth.routes.ts';
import { boardRoutes } from './modules/board/board.routes.ts';
import { docsRoutes } from './modules/docs/docs.routes.ts';
import { healthRoutes } from './modules/health/health.routes.ts';
import { metricsRoutes, readyRoutes } from './modules/ops/ops.routes.ts';
import { projectRoutes } from './modules/projects/projects.routes.ts';
import { previewRoutes } from './modules/site/preview.routes.ts';
import { siteRoutes } from './modules/site/site.routes.ts';
import { userRoutes } from './modules/users/users.routes.ts';

/** What the HTTP layer and the WebSocket hub use of the composition root. */
export type AppDeps = Pick<
  Deps,
  'env' | 'db' | 'logger' | 'version' | 'engine' | 'bus' | 'auth' | 'runner' | 'metrics' | 'models'
>;

/** Builds the HTTP app without listening: `main.ts` listens, tests call it on an ephemeral port. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', trustProxy(deps.env.TRUST_PROXY));
  app.use(
    pinoHttp({
      logger: deps.logger,
      genReqId: (req, res) => {
        const incoming = req.headers['x-request-id'];
        const id = typeof incoming === 'string' && /^[\w-]{1,64}$/.test(incoming) ? incoming : randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      autoLogging: { ignore: (req) => ['/api/health', '/api/ready', '/metrics'].includes(req.url ?? '') },
      // One short line per request: never headers (cookies, tokens) or bodies.
      serializers: {
        req: (req: { id: string; method: string; url: string; originalUrl?: string }) => ({
          id: req.id,
          method: req.method,
          url: req.originalUrl ?? req.url,
        }),
        res: (res: { statusCode: number }) => ({ status: res.statusCode }),
      },
      customSuccessMessage: (req, res, ms) =>
        `${req.method} ${(req as { originalUrl?: string }).originalUrl ?? req.url} ${res.statusCode} ${Math.round(ms)}ms`,
    }),
  );
  app.use(
    helmet({
      // Self-hosters often start on plain HTTP (a laptop, a LAN address): forcing HTTPS upgrades there
      // would break every asset. TLS belongs to the reverse proxy, which sets HSTS itself.
      strictTransportSecurity: false,
      contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } },
    }),
  );
  app.use((_req, res, next) => {
    res.on('finish', () => deps.metrics.countHttp(res.statusCode));
    next();
  });
  app.use(securityMiddleware(deps.env));
  app.use(metricsRoutes(deps));
  // The preview serves owners' sites under their own sandbox policy (see preview.routes.ts).
  app.use('/preview', previewRoutes(deps));
  app.use('/api', express.json({ limit: deps.env.BODY_LIMIT }));
  app.use('/api', healthRoutes(deps));
  app.use('/api', readyRoutes(deps));
  app.use('/api', docsRoutes(deps));
  app.use('/api', authRoutes(deps));
  app.use('/api', userRoutes(deps));
  app.use('/api', projectRoutes(deps));
  app.use('/api', boardRoutes(deps));
  app.use('/api', siteRoutes(deps));
  app.use('/api', apiNotFound);
  app.use(webRouter(deps.env.WEB_DIST_DIR));
  app.use(errorMiddleware);
  return app;
}

/** `TRUST_PROXY`: `true`/`false`, a hop count, or Express's address names (loopback, 10.0.0.0/8, …). */
function trustProxy(value: string): boolean | number | string {
  if (value === 'true' || value === 'false') return value === 'true';
  if (/^\d+$/.test(value)) return Number(value);
  return value;
}
