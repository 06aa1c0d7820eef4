/**
 * The shared setup of the engine's integration tests: one migrated database and one scratch
 * directory per file, a clean database and a fresh owner per test. (Imports vitest: tests only.)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Db, pendings, users } from '@sitewright/db';
import { createTestDb, resetTestDb, type TestDb } from '@sitewright/db/testing';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { Engine } from '../engine.ts';

export interface EngineTestEnv {
  handle: TestDb;
  dir: string;
  ownerId: string;
}

/** Registers the hooks; `assign` receives the environment whenever it changes (before each test). */
export function useEngineTestEnv(name: string, assign: (env: EngineTestEnv) => void): void {
  const env = { ownerId: '' } as EngineTestEnv;
  beforeAll(async () => {
    env.handle = await createTestDb();
    env.dir = mkdtempSync(join(tmpdir(), `sitewright-${name}-`));
  });
  afterAll(async () => {
    await env.handle.close();
    rmSync(env.dir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    await resetTestDb(env.handle);
    const [owner] = await env.handle.db
      .insert(users)
      .values({ username: 'owner', passwordHash: 'x' })
      .returning();
    env.ownerId = owner?.id ?? '';
    assign(env);
  });
}

/** The owner's side of the notes journey: answer whatever is open, the same way every time. */
export async function answerOpen(db: Db, engine: Engine, projectId: string): Promise<void> {
  const open = await db
    .select()
    .from(pendings)
    .where(and(eq(pendings.projectId, projectId), eq(pendings.status, 'open')));
  for (const pending of open) {
    if (pending.kind === 'question')
      await engine.answer(projectId, { pendingId: pending.id, answer: 'Cats' });
    else if (pending.kind === 'approval')
      await engine.answer(projectId, { pendingId: pending.id, approved: true });
    else await engine.answer(projectId, { pendingId: pending.id, answer: 'continue' });
  }
}
