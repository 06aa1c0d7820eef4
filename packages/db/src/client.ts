import { accessSync, constants, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { type SQL, sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { DbError } from './errors.ts';
import { acquireDataDirLock } from './lock.ts';
import { migratePgliteClient, migratePostgresUrl } from './migrate.ts';
import * as schema from './schema.ts';

export type Schema = typeof schema;
/** The database handle every package receives; the same type whether PGlite or Postgres is behind it. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type DbDriver = 'pglite' | 'postgres';

export interface DbHandle {
  db: Db;
  driver: DbDriver;
  /** Runs `select 1` and reports how long it took; never throws. */
  ping(): Promise<{ ok: true; latencyMs: number } | { ok: false; error: string }>;
  /**
   * Subscribes to a notification channel (LISTEN). Payloads are short strings (Postgres caps them at
   * 8000 bytes): send ids, never data. Returns the unsubscribe function. `onListen` runs each time
   * the subscription is in place — again after a lost connection is re-established, when whatever
   * was notified in between is gone and the caller should read what it may have missed.
   */
  listen(
    channel: string,
    onPayload: (payload: string) => void,
    onListen?: () => void,
  ): Promise<() => Promise<void>>;
  /** Sends a notification (NOTIFY); delivered to listeners after the sending transaction commits. */
  notify(channel: string, payload: string): Promise<void>;
  /** Applies pending migrations (createDb does this unless told not to). */
  migrate(): Promise<void>;
  /** Closes connections (and for PGlite flushes and releases the data-directory lock). Idempotent. */
  close(): Promise<void>;
}

export interface CreateDbOptions {
  /** When set, Postgres through the `postgres` driver; otherwise PGlite under `dataDir`. */
  databaseUrl?: string | undefined;
  /** PGlite lives in `<dataDir>/pglite`. Required when `databaseUrl` is not set. */
  dataDir?: string | undefined;
  /** Apply pending migrations before returning (default true). */
  migrate?: boolean;
  /** Postgres pool size (default 10). */
  maxConnections?: number;
  /** Called for Postgres server notices and connection-level warnings. */
  onNotice?: (message: string) => void;
}

/** Opens the product database: PGlite under `DATA_DIR` by default, Postgres when a URL is given. */
export async function createDb(options: CreateDbOptions): Promise<DbHandle> {
  const handle = options.databaseUrl
    ? await openPostgres(options.databaseUrl, options)
    : await openPglite(requireDataDir(options.dataDir));
  if (options.migrate !== false) {
    try {
      await handle.migrate();
    } catch (error) {
      await handle.close();
      throw error instanceof DbError
        ? error
        : new DbError('migration_failed', `Database migration failed: ${describe(error)}`, { cause: error });
    }
  }
  return handle;
}

function requireDataDir(dataDir: string | undefined): string {
  if (!dataDir)
    throw new DbError('data_dir_unwritable', 'createDb needs dataDir when no databaseUrl is given');
  return resolve(dataDir);
}

export async function openPglite(dataDir: string): Promise<DbHandle> {
  const dir = join(dataDir, 'pglite');
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
  } catch (error) {
    throw new DbError(
      'data_dir_unwritable',
      `DATA_DIR ${dataDir} is not writable (${(error as NodeJS.ErrnoException).code ?? describe(error)}); ` +
        'point DATA_DIR at a directory this user can write.',
      { cause: error },
    );
  }
  const lock = acquireDataDirLock(dir);
  let client: PGlite;
  try {
    client = await PGlite.create(dir);
  } catch (error) {
    lock.release();
    throw new DbError(
      'connection_failed',
      `Could not open the embedded database in ${dir}: ${describe(error)}`,
      {
        cause: error,
      },
    );
  }
  return wrapPglite(client, lock.release);
}

/** Wraps an open PGlite instance; `onClose` runs after the instance is closed. */
export function wrapPglite(client: PGlite, onClose: () => void = () => {}): DbHandle {
  const db = drizzlePglite({ client, schema, casing: 'snake_case' }) as unknown as Db;
  let closing: Promise<void> | undefined;
  return {
    db,
    driver: 'pglite',
    ping: () => ping(db),
    listen: async (channel, onPayload, onListen) => {
      const unlisten = await client.listen(channel, onPayload);
      onListen?.();
      return () => unlisten();
    },
    notify: async (channel, payload) => {
      await client.query('select pg_notify($1, $2)', [channel, payload]);
    },
    migrate: () => migratePgliteClient(client),
    close: () => {
      closing ??= (async () => {
        try {
          if (!client.closed) await client.close();
        } finally {
          onClose();
        }
      })();
      return closing;
    },
  };
}

async function openPostgres(url: string, options: CreateDbOptions): Promise<DbHandle> {
  let client: postgres.Sql;
  try {
    client = postgres(url, {
      max: options.maxConnections ?? 10,
      onnotice: (notice) => options.onNotice?.(String(notice.message)),
      connection: { application_name: 'sitewright' },
    });
  } catch (error) {
    throw new DbError('invalid_url', `DATABASE_URL is not a valid Postgres URL: ${describe(error)}`, {
      cause: error,
    });
  }
  try {
    await client`select 1`;
  } catch (error) {
    await client.end({ timeout: 1 }).catch(() => {});
    throw new DbError(
      'connection_failed',
      `Could not connect to Postgres at ${redactUrl(url)}: ${describe(error)}`,
      { cause: error },
    );
  }
  return wrapPostgres(client, url);
}

/** Wraps an open `postgres` client; `onClose` runs after its connections have ended. */
export function wrapPostgres(
  client: postgres.Sql,
  url: string,
  onClose: () => Promise<void> | void = () => {},
): DbHandle {
  const db = drizzlePostgres({ client, schema, casing: 'snake_case' }) as unknown as Db;
  let closing: Promise<void> | undefined;
  return {
    db,
    driver: 'postgres',
    ping: () => ping(db),
    listen: async (channel, onPayload, onListen) => {
      // postgres.js re-issues LISTEN on a new connection after a lost one and calls onListen again.
      const request = await client.listen(channel, onPayload, onListen);
      return () => request.unlisten();
    },
    notify: async (channel, payload) => {
      await client.notify(channel, payload);
    },
    migrate: () => migratePostgresUrl(url),
    close: () => {
      closing ??= (async () => {
        await client.end({ timeout: 5 });
        await onClose();
      })();
      return closing;
    },
  };
}

/**
 * Runs raw SQL and returns its rows: drizzle's `execute` answers `{ rows }` on PGlite and an array on
 * postgres-js, and this hides the difference.
 */
export async function queryRows<T extends Record<string, unknown>>(db: Db, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown;
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

async function ping(db: Db): Promise<{ ok: true; latencyMs: number } | { ok: false; error: string }> {
  const started = performance.now();
  try {
    await db.execute(sql`select 1`);
    return { ok: true, latencyMs: Math.round((performance.now() - started) * 100) / 100 };
  } catch (error) {
    return { ok: false, error: describe(error) };
  }
}

/** Hides the password of a connection URL so it can be logged. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '<unparseable url>';
  }
}

function describe(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return describe(error.errors[0]);
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code && !error.message.includes(code) ? `${error.message} (${code})` : error.message;
  }
  return String(error);
}
