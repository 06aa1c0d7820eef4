/**
 * The runner-only process for scale-out (`docker compose up --scale runner=3`): no dashboard, no REST
 * API, no WebSocket — it claims projects from Postgres by lease and drives them. It answers
 * `/api/health`, `/api/ready` and `/metrics` on PORT for the orchestrator and Prometheus.
 */
import { DbError, redactUrl } from '@sitewright/db';
import express from 'express';
import { createDeps, type Deps } from './deps.ts';
import { type Env, EnvError, readEnv } from './env.ts';
import { errorMiddleware } from './http/error-middleware.ts';
import { healthRoutes } from './modules/health/health.routes.ts';
import { metricsRoutes, readyRoutes } from './modules/ops/ops.routes.ts';
import { exitOnSignal } from './shutdown.ts';

function fail(message: string): never {
  process.stderr.write(`sitewright runner: ${message}\n`);
  process.exit(1);
}

async function main(): Promise<void> {
  let env: Env;
  try {
    env = readEnv();
  } catch (error) {
    if (error instanceof EnvError) fail(error.message);
    throw error;
  }
  if (!env.DATABASE_URL) {
    fail(
      'A separate runner needs DATABASE_URL (Postgres): the embedded database belongs to one process. ' +
        'Without Postgres, run `pnpm start`, whose server drives projects itself.',
    );
  }

  let deps: Deps;
  try {
    deps = await createDeps({ ...env, RUNNER_ENABLED: true }, undefined, 'runner');
  } catch (error) {
    if (error instanceof DbError || error instanceof EnvError) fail(error.message);
    throw error;
  }
  const runner = deps.runner;
  if (!runner) fail('the runner was not created');

  const app = express();
  app.disable('x-powered-by');
  app.use('/api', healthRoutes(deps));
  app.use('/api', readyRoutes(deps));
  app.use(metricsRoutes(deps));
  app.use(errorMiddleware);
  const server = app.listen(env.PORT, env.HOST);
  server.on('error', (error: NodeJS.ErrnoException) => {
    fail(
      error.code === 'EADDRINUSE'
        ? `Port ${env.PORT} on ${env.HOST} is already in use; set PORT to a free port.`
        : `Could not listen on ${env.HOST}:${env.PORT}: ${error.message}`,
    );
  });
  server.on('listening', () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : env.PORT;
    runner.start();
    deps.logger.info({ port, concurrency: env.RUNNER_CONCURRENCY }, 'runner started');
    process.stdout.write(
      `Sitewright runner ${deps.version} is driving projects (database: Postgres at ${redactUrl(env.DATABASE_URL as string)}; health on port ${port})\n`,
    );
  });
  // Stop claiming work; each current step finishes (up to the timeout, then it is cancelled and its
  // lease handed back through the log).
  exitOnSignal(deps, env.SHUTDOWN_TIMEOUT_MS, async () => {
    server.close();
  });
}

main().catch((error: unknown) => {
  process.stderr.write(
    `sitewright runner: failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
