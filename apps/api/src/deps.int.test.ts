import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pendings, projects, users } from '@sitewright/db';
import { createTestDb } from '@sitewright/db/testing';
import type { StoredEvent } from '@sitewright/engine';
import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { closeDeps, type Deps, wireDeps } from './deps.ts';
import { parseEnv } from './env.ts';
import { createLogger } from './logger.ts';
import { until } from './testing/until.ts';

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

describe('the composition root', () => {
  it('runs the agent in-process: a new project is picked up by the runner and its first question is asked', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sitewright-deps-'));
    cleanup.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const db = await createTestDb();
    const deps: Deps = await wireDeps(parseEnv({ DATA_DIR: dataDir }), db, createLogger('silent'));
    cleanup.push(() => closeDeps(deps));
    expect(deps.runner).not.toBeNull();

    const [owner] = await db.db.insert(users).values({ username: 'maria', passwordHash: 'x' }).returning();
    const { id } = await deps.engine.createProject({ ownerId: owner!.id, name: "Maria's Pizzeria" });
    const seen: StoredEvent[] = [];
    await deps.bus.subscribe(id, (event) => seen.push(event));
    deps.runner?.start();

    const question = await until(async () => {
      const [row] = await db.db.select().from(pendings).where(eq(pendings.projectId, id));
      return row?.status === 'open' ? row : undefined;
    });
    expect(question.question).toMatch(/name of your business/);
    expect(question.options).toEqual(["Maria's Pizzeria"]);
    // The question is open as soon as the tool ran; the run waits once the step has settled.
    await until(async () => {
      const [project] = await db.db.select().from(projects).where(eq(projects.id, id));
      return project?.runStatus === 'awaiting_human' ? true : undefined;
    });
    await until(async () => (seen.some((event) => event.type === 'pending_opened') ? true : undefined));
    expect(seen.map((event) => event.seq)).toEqual(seen.map((_, index) => (seen[0]?.seq ?? 0) + index));
  });

  it('leaves the runner out when RUNNER_ENABLED=false', async () => {
    const db = await createTestDb();
    const deps = await wireDeps(parseEnv({ RUNNER_ENABLED: 'false' }), db, createLogger('silent'));
    cleanup.push(() => closeDeps(deps));
    expect(deps.runner).toBeNull();
  });
});
