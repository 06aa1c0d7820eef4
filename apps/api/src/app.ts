import { randomUUID } from 'node:crypto';
import express, { type Express } from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import type { Deps } from './deps.ts';
import { apiNotFound, errorMiddleware } from './http/error-middleware.ts';
import { webRouter } from './http/web.ts';
import { healthRoutes } from './modules/health/health.routes.ts';

/** What the HTTP layer uses of the composition root. */
export type AppDeps = Pick<Deps, 'env' | 'db' | 'logger' | 'version'>;

/** Builds the HTTP app without listening: `main.ts` listens, tests call it on an ephemeral port. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(
    pinoHttp({
      logger: deps.logger,
      genReqId: (req, res) => {
        const incoming = req.headers['x-request-id'];
        const id = typeof incoming === 'string' && /^[\w-]{1,64}$/.test(incoming) ? incoming : randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      autoLogging: { ignore: (req) => req.url === '/api/health' },
      // One short line per request: never headers (cookies, tokens) or bodies.
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({
          id: req.id,
          method: req.method,
          url: req.url,
        }),
        res: (res: { statusCode: number }) => ({ status: res.statusCode }),
      },
      customSuccessMessage: (req, res, ms) =>
        `${req.method} ${req.url} ${res.statusCode} ${Math.round(ms)}ms`,
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
  app.use('/api', express.json({ limit: deps.env.BODY_LIMIT }));
  app.use('/api', healthRoutes(deps));
  app.use('/api', apiNotFound);
  app.use(webRouter(deps.env.WEB_DIST_DIR));
  app.use(errorMiddleware);
  return app;
}
