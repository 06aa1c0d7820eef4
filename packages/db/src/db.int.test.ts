import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createDb,
  DbError,
  events,
  LOCK_FILE,
  projects,
  queryRows,
  users,
  workItemDependencies,
  workItems,
} from './index.ts';
import { createTestDb, resetTestDb, type TestDb, testDriver } from './testing.ts';

let handle: TestDb;
beforeAll(async () => {
  handle = await createTestDb();
});
afterAll(async () => {
  await handle.close();
});
beforeEach(async () => {
  await resetTestDb(handle);
});

async function seedProject() {
  const [owner] = await handle.db.insert(users).values({ username: 'maria', passwordHash: 'x' }).returning();
  const [project] = await handle.db
    .insert(projects)
    .values({ ownerId: owner!.id, name: "Maria's Pizzeria" })
    .returning();
  return { owner: owner!, project: project! };
}

describe(`schema on ${testDriver()}`, () => {
  it('creates every table of the product', async () => {
    const rows = await queryRows<{ tablename: string }>(
      handle.db,
      sql`select tablename from pg_tables where schemaname = 'public' order by tablename`,
    );
    expect(rows.map((r) => r.tablename)).toEqual(
      expect.arrayContaining([
        'alarms',
        'events',
        'gates',
        'llm_calls',
        'pendings',
        'projects',
        'refresh_tokens',
        'runner_leases',
        'snapshots',
        'specs',
        'spend_ledger',
        'state_transitions',
        'users',
        'work_item_dependencies',
        'work_items',
      ]),
    );
  });

  it('gives a new project its defaults', async () => {
    const { project } = await seedProject();
    expect(project).toMatchObject({
      stage: 'bootstrap',
      lifecycleState: 'idle',
      runStatus: 'idle',
      pausedReason: null,
      lastSeq: 0,
      spentUsd: 0,
    });
  });

  it('refuses a second event with the same seq in one project', async () => {
    const { project } = await seedProject();
    await handle.db.insert(events).values({ projectId: project.id, seq: 1, type: 'project_created' });
    await expect(
      handle.db.insert(events).values({ projectId: project.id, seq: 1, type: 'duplicate' }),
    ).rejects.toThrow();
  });

  it('keeps bug fields consistent with the item type', async () => {
    const { project } = await seedProject();
    await expect(
      handle.db.insert(workItems).values({ projectId: project.id, name: 'Menu page', bugStatus: 'open' }),
    ).rejects.toThrow();
    const [bug] = await handle.db
      .insert(workItems)
      .values({ projectId: project.id, name: 'Wrong phone', itemType: 'bug', bugStatus: 'open', priority: 0 })
      .returning();
    const [fix] = await handle.db
      .insert(workItems)
      .values({ projectId: project.id, name: 'Fix footer phone', itemType: 'fix', parentBugId: bug!.id })
      .returning();
    expect(fix!.parentBugId).toBe(bug!.id);
  });

  it('refuses an item that depends on itself', async () => {
    const { project } = await seedProject();
    const [item] = await handle.db
      .insert(workItems)
      .values({ projectId: project.id, name: 'Home' })
      .returning();
    await expect(
      handle.db
        .insert(workItemDependencies)
        .values({ projectId: project.id, itemId: item!.id, dependsOnId: item!.id }),
    ).rejects.toThrow();
  });

  it('deletes everything of a project with it', async () => {
    const { project } = await seedProject();
    await handle.db.insert(events).values({ projectId: project.id, seq: 1, type: 'project_created' });
    await handle.db.insert(workItems).values({ projectId: project.id, name: 'Home' });
    await handle.db.delete(projects).where(eq(projects.id, project.id));
    expect(await handle.db.select().from(events).where(eq(events.projectId, project.id))).toEqual([]);
    expect(
      await handle.db
        .select()
        .from(workItems)
        .where(and(eq(workItems.projectId, project.id))),
    ).toEqual([]);
  });

  it('rolls a failed transaction back completely', async () => {
    const { project } = await seedProject();
    await expect(
      handle.db.transaction(async (tx) => {
        await tx.insert(events).values({ projectId: project.id, seq: 1, type: 'a' });
        await tx.update(projects).set({ lastSeq: 1 }).where(eq(projects.id, project.id));
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    const [after] = await handle.db.select().from(projects).where(eq(projects.id, project.id));
    expect(after!.lastSeq).toBe(0);
    expect(await handle.db.select().from(events)).toEqual([]);
  });

  it('reads money back as numbers', async () => {
    const { project } = await seedProject();
    await handle.db.update(projects).set({ spentUsd: 0.123456 }).where(eq(projects.id, project.id));
    const [after] = await handle.db.select().from(projects).where(eq(projects.id, project.id));
    expect(after!.spentUsd).toBeCloseTo(0.123456, 6);
  });

  it('answers a ping', async () => {
    const result = await handle.ping();
    expect(result.ok).toBe(true);
  });

  it('reapplying migrations is a no-op', async () => {
    await handle.migrate();
    await handle.migrate();
    const { project } = await seedProject();
    expect(project.name).toBe("Maria's Pizzeria");
  });
});

describe.runIf(testDriver() === 'pglite')('embedded PGlite under DATA_DIR', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'sitewright-db-'));
  });
  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('persists committed rows across a close and reopen', async () => {
    const first = await createDb({ dataDir });
    await first.db.insert(users).values({ username: 'persisted', passwordHash: 'x' });
    await first.close();
    expect(existsSync(join(dataDir, 'pglite', LOCK_FILE))).toBe(false);
    const second = await createDb({ dataDir });
    const rows = await second.db.select().from(users).where(eq(users.username, 'persisted'));
    expect(rows).toHaveLength(1);
    await second.close();
  });

  it('refuses a second opener of the same directory with a message naming the owner', async () => {
    const first = await createDb({ dataDir });
    try {
      const error = await createDb({ dataDir }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DbError);
      expect((error as DbError).code).toBe('data_dir_locked');
      expect((error as DbError).message).toContain(`process ${process.pid}`);
    } finally {
      await first.close();
    }
  });

  it('refuses a second process on the same directory', async () => {
    const first = await createDb({ dataDir });
    try {
      const script = `
        import { createDb } from './src/index.ts';
        try { await createDb({ dataDir: ${JSON.stringify(dataDir)} }); console.log('OPENED'); }
        catch (e) { console.log(e.code + ': ' + e.message); }
      `;
      const output = await runTsx(script);
      expect(output).toContain('data_dir_locked');
      expect(output).toContain(`process ${process.pid}`);
      expect(output).not.toContain('OPENED');
    } finally {
      await first.close();
    }
  });

  it('takes over a lock left by a process that is gone', async () => {
    const lockDir = join(dataDir, 'pglite');
    const first = await createDb({ dataDir });
    await first.close();
    writeFileSync(
      join(lockDir, LOCK_FILE),
      JSON.stringify({
        pid: 2 ** 22 + 12345,
        hostname: (await import('node:os')).hostname(),
        startedAt: 'x',
      }),
    );
    const reopened = await createDb({ dataDir });
    expect(JSON.parse(readFileSync(join(lockDir, LOCK_FILE), 'utf8')).pid).toBe(process.pid);
    await reopened.close();
  });

  it('explains an unwritable data directory', async () => {
    const readOnly = mkdtempSync(join(tmpdir(), 'sitewright-ro-'));
    chmodSync(readOnly, 0o500);
    try {
      // Root ignores permissions, so there the directory sits under a regular file instead.
      const blocker = join(readOnly, 'file');
      if (process.getuid?.() === 0) writeFileSync(blocker, '');
      const target = process.getuid?.() === 0 ? join(blocker, 'data') : join(readOnly, 'data');
      const error = await createDb({ dataDir: target }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DbError);
      expect((error as DbError).code).toBe('data_dir_unwritable');
      expect((error as DbError).message).toMatch(/DATA_DIR .* is not writable/);
    } finally {
      rmSync(readOnly, { recursive: true, force: true });
    }
  });
});

describe.runIf(testDriver() === 'postgres')('Postgres through DATABASE_URL', () => {
  it('connects, migrates and reports a clear error for an unreachable server', async () => {
    const error = await createDb({ databaseUrl: 'postgres://nobody:secret@127.0.0.1:1/none' }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DbError);
    expect((error as DbError).code).toBe('connection_failed');
    expect((error as DbError).message).not.toContain('secret');
  });

  it('lets several processes migrate one database at once', async () => {
    const url = handle.url!;
    const opened = await Promise.all([1, 2, 3].map(() => createDb({ databaseUrl: url, maxConnections: 2 })));
    for (const db of opened) expect((await db.ping()).ok).toBe(true);
    await Promise.all(opened.map((db) => db.close()));
  });
});

function runTsx(script: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: join(import.meta.dirname, '..'),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
    });
    child.stderr.on('data', (chunk) => {
      out += chunk;
    });
    child.on('error', reject);
    child.on('close', () => resolve(out));
  });
}
