import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { type Db, queryRows } from './client.ts';

/** The generated, named SQL migrations shipped with this package. */
export const migrationsFolder = fileURLToPath(new URL('../migrations', import.meta.url));

/** Any constant works; it only has to be the same in every process that migrates this database. */
export const MIGRATION_LOCK_KEY = 7_365_021_907;

/** PGlite is single-process by construction (guarded by the lock file), so no lock is needed. */
export async function migratePgliteClient(client: PGlite): Promise<void> {
  await migratePglite(drizzlePglite({ client }), { migrationsFolder });
}

/**
 * On Postgres several processes may start at once (API + runners): the migration runs on its own
 * single connection under a session advisory lock, so the first process applies it and the others
 * wait, then find nothing left to do.
 */
export async function migratePostgresUrl(url: string): Promise<void> {
  const client = postgres(url, {
    max: 1,
    onnotice: () => {},
    connection: { application_name: 'sitewright-migrate' },
  });
  try {
    await client`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
    try {
      await migratePostgres(drizzlePostgres({ client }), { migrationsFolder });
    } finally {
      await client`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`;
    }
  } finally {
    await client.end({ timeout: 5 });
  }
}

/** How many migrations ship with this build (from drizzle's journal). */
export function expectedMigrations(): number {
  const journal = JSON.parse(readFileSync(join(migrationsFolder, 'meta', '_journal.json'), 'utf8')) as {
    entries: unknown[];
  };
  return journal.entries.length;
}

export interface MigrationStatus {
  applied: number;
  expected: number;
  /** Every migration of this build is applied (a newer database, migrated by a newer build, also counts). */
  current: boolean;
}

/** Reads drizzle's bookkeeping table: what `/api/ready` reports. */
export async function migrationStatus(db: Db): Promise<MigrationStatus> {
  const expected = expectedMigrations();
  let applied = 0;
  try {
    const rows = await queryRows<{ n: number }>(
      db,
      sql`select count(*)::int as n from drizzle.__drizzle_migrations`,
    );
    applied = Number(rows[0]?.n ?? 0);
  } catch {
    applied = 0;
  }
  return { applied, expected, current: applied >= expected };
}
