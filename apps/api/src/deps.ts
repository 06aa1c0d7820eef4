/** The composition root: the only place long-lived objects are created and wired together. */
import { createDb, type DbHandle } from '@sitewright/db';
import type { Env } from './env.ts';
import { createLogger, type Logger } from './logger.ts';
import { version } from './version.ts';

export interface Deps {
  env: Env;
  db: DbHandle;
  logger: Logger;
  version: string;
}

export async function createDeps(env: Env, logger: Logger = createLogger(env.LOG_LEVEL)): Promise<Deps> {
  const db = await createDb({
    databaseUrl: env.DATABASE_URL,
    dataDir: env.DATA_DIR,
    maxConnections: env.DATABASE_POOL_SIZE,
    onNotice: (message) => logger.debug({ notice: message }, 'postgres notice'),
  });
  return { env, db, logger, version };
}

/** Releases what createDeps opened, in reverse order. */
export async function closeDeps(deps: Deps): Promise<void> {
  await deps.db.close();
}
