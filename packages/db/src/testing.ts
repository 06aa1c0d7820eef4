/**
 * Fresh, migrated databases for tests, fast. Tests run on PGlite by default and on real Postgres when
 * `TEST_DATABASE_URL` (or `DATABASE_URL`) is set — this test helper is the one place in the packages
 * that reads the environment, so the whole suite switches database with one variable.
 *
 * - PGlite: a migrated data directory is built once (initdb + migrate ≈ 2.5 s) and kept as a tarball;
 *   each `createTestDb()` loads a private in-memory copy of it (≈ 0.5 s).
 * - Postgres: a template database is created and migrated once per migration set, under an advisory
 *   lock so parallel test processes agree; each test gets `CREATE DATABASE … TEMPLATE`, dropped on close.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { type Db, type DbDriver, type DbHandle, queryRows, wrapPglite, wrapPostgres } from './client.ts';
import { migratePgliteClient, migratePostgresUrl, migrationsFolder } from './migrate.ts';

export interface TestDb extends DbHandle {
  /** For Postgres, the URL of this test's own database (e.g. to start a server process on it). */
  url?: string;
}

/** The Postgres server tests run against, or undefined for PGlite. */
export function testDatabaseUrl(): string | undefined {
  return process.env.TEST_DATABASE_URL || process.env.DATABASE_URL || undefined;
}

export function testDriver(): DbDriver {
  return testDatabaseUrl() ? 'postgres' : 'pglite';
}

/** A fresh, migrated, empty database. Close it when the test is done. */
export async function createTestDb(): Promise<TestDb> {
  const url = testDatabaseUrl();
  return url ? createPostgresTestDb(url) : createPgliteTestDb();
}

let pgliteTemplate: Promise<Blob> | undefined;

/**
 * A migrated PGlite data directory as a tarball, cached in memory for this process and on disk (keyed
 * by the migration set) for the next ones: loading it takes ~0.5 s where initdb + migrate takes ~2.5 s.
 */
function pgliteTemplateDump(): Promise<Blob> {
  pgliteTemplate ??= (async () => {
    const file = join(tmpdir(), `sitewright-pglite-template-${migrationsHash()}.tar`);
    if (existsSync(file)) return new Blob([readFileSync(file)]);
    const template = await PGlite.create();
    await migratePgliteClient(template);
    const dump = await template.dumpDataDir('none');
    await template.close();
    // Write then rename, so a parallel test process never reads a half-written file.
    const partial = `${file}.${process.pid}.partial`;
    writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
    renameSync(partial, file);
    return dump;
  })();
  return pgliteTemplate;
}

export async function createPgliteTestDb(): Promise<TestDb> {
  const client = await PGlite.create({ loadDataDir: await pgliteTemplateDump() });
  return wrapPglite(client);
}

/**
 * Empties every table and restarts identities (~10 ms on PGlite): the cheap way to give each test in
 * a file a clean database while the file shares one `createTestDb()`.
 */
export async function resetTestDb(handle: DbHandle): Promise<void> {
  const rows = await queryRows<{ tablename: string }>(
    handle.db,
    sql`select tablename from pg_tables where schemaname = 'public'`,
  );
  const names = rows.map((row) => `"${row.tablename}"`);
  if (names.length > 0)
    await handle.db.execute(sql.raw(`truncate ${names.join(', ')} restart identity cascade`));
}

/** Identifies the migration set, so a template built from older migrations is never reused. */
function migrationsHash(): string {
  const hash = createHash('sha256');
  for (const file of readdirSync(migrationsFolder).sort()) {
    if (file.endsWith('.sql')) hash.update(file).update(readFileSync(join(migrationsFolder, file)));
  }
  return hash.digest('hex').slice(0, 12);
}

const templates = new Map<string, Promise<string>>();

async function ensureTemplate(admin: postgres.Sql, serverUrl: string): Promise<string> {
  const name = `sitewright_template_${migrationsHash()}`;
  const existing = await admin`select 1 from pg_database where datname = ${name}`;
  if (existing.length > 0) return name;
  const lockKey = 7_365_021_908;
  await admin`select pg_advisory_lock(${lockKey})`;
  try {
    const again = await admin`select 1 from pg_database where datname = ${name}`;
    if (again.length === 0) {
      // Built under a scratch name and renamed when complete, so a crash never leaves a half-migrated
      // template behind for the next run.
      const scratch = `${name}_building`;
      await admin.unsafe(`drop database if exists "${scratch}" with (force)`);
      await admin.unsafe(`create database "${scratch}"`);
      await migratePostgresUrl(withDatabase(serverUrl, scratch));
      await admin.unsafe(`alter database "${scratch}" rename to "${name}"`);
    }
  } finally {
    await admin`select pg_advisory_unlock(${lockKey})`;
  }
  return name;
}

export async function createPostgresTestDb(serverUrl: string): Promise<TestDb> {
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  try {
    let template = templates.get(serverUrl);
    if (!template) {
      template = ensureTemplate(admin, serverUrl);
      templates.set(serverUrl, template);
    }
    const templateName = await template;
    const name = `sitewright_test_${randomBytes(6).toString('hex')}`;
    await admin.unsafe(`create database "${name}" template "${templateName}"`);
    const url = withDatabase(serverUrl, name);
    const client = postgres(url, { max: 5, onnotice: () => {} });
    const dropDatabase = async () => {
      const dropper = postgres(serverUrl, { max: 1, onnotice: () => {} });
      try {
        await dropper.unsafe(`drop database if exists "${name}" with (force)`);
      } finally {
        await dropper.end({ timeout: 5 });
      }
    };
    return { ...wrapPostgres(client, url, dropDatabase), url };
  } finally {
    await admin.end({ timeout: 5 });
  }
}

/** The same server URL pointing at another database. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/**
 * Resolves once a session of this database waits for a row lock: for tests that interleave two
 * writers deterministically. Postgres only — PGlite runs one transaction at a time, so nothing waits.
 */
export async function waitForLockWait(db: Db, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [row] = await queryRows<{ n: number }>(
      db,
      sql`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`,
    );
    if (Number(row?.n) > 0) return;
    if (Date.now() > deadline) throw new Error('no session started waiting for a lock');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
