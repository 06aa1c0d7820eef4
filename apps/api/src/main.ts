/**
 * Boots the single-process server: configuration → database → HTTP (API + dashboard) on one port.
 * Every start-up failure an operator can fix ends in one line on stderr and a non-zero exit.
 */
import { DbError, redactUrl } from '@sitewright/db';
import { createApp } from './app.ts';
import { closeDeps, createDeps, type Deps } from './deps.ts';
import { type Env, EnvError, readEnv } from './env.ts';
import { exitOnSignal } from './shutdown.ts';
import { attachWsHub } from './ws/hub.ts';

function fail(message: string): never {
  process.stderr.write(`sitewright: ${message}\n`);
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

  let deps: Deps;
  try {
    deps = await createDeps(env);
  } catch (error) {
    if (error instanceof DbError || error instanceof EnvError) fail(error.message);
    throw error;
  }

  const server = createApp(deps).listen(env.PORT, env.HOST);
  const hub = attachWsHub(server, deps);
  deps.metrics.trackWsClients(() => hub.clients());
  server.on('error', async (error: NodeJS.ErrnoException) => {
    await closeDeps(deps).catch(() => {});
    if (error.code === 'EADDRINUSE') {
      fail(
        `Port ${env.PORT} on ${env.HOST} is already in use; stop the other process or set PORT to a free port.`,
      );
    }
    if (error.code === 'EACCES') fail(`Not allowed to listen on port ${env.PORT}; choose a port above 1024.`);
    fail(`Could not listen on ${env.HOST}:${env.PORT}: ${error.message}`);
  });
  server.on('listening', () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : env.PORT;
    const shownHost = env.HOST === '0.0.0.0' || env.HOST === '127.0.0.1' ? 'localhost' : env.HOST;
    const database = env.DATABASE_URL
      ? `Postgres at ${redactUrl(env.DATABASE_URL)}`
      : `embedded PGlite in ${env.DATA_DIR}`;
    deps.logger.info({ port, host: env.HOST, driver: deps.db.driver }, 'listening');
    deps.runner?.start();
    process.stdout.write(
      `Sitewright ${deps.version} is running at http://${shownHost}:${port} (database: ${database})\n`,
    );
    // Printed to the terminal once, never logged: this start created the admin with a generated password.
    if (deps.auth.generatedAdminPassword) {
      process.stdout.write(
        `Sign in as admin with password ${deps.auth.generatedAdminPassword}; change it under Account.\n`,
      );
    }
  });

  // Stop accepting connections and let open requests finish (up to the timeout); WebSocket clients are
  // told the server is going away (1001) and reconnect to another process.
  exitOnSignal(deps, env.SHUTDOWN_TIMEOUT_MS, async () => {
    const forceTimer = setTimeout(() => server.closeAllConnections(), env.SHUTDOWN_TIMEOUT_MS);
    forceTimer.unref();
    await hub.close();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    });
    clearTimeout(forceTimer);
  });
}

main().catch((error: unknown) => {
  process.stderr.write(
    `sitewright: failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
