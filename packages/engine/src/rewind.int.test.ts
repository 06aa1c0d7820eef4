import { events as eventsTable, pendings, projects, spendLedger } from '@sitewright/db';
import { type TestDb, testDriver, waitForLockWait } from '@sitewright/db/testing';
import { and, asc, eq, isNotNull } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import type { DomainPack } from './domain.ts';
import { createEngine, type Engine } from './engine.ts';
import { checkFence, readEvents } from './events/log.ts';
import { acquireLease } from './leases.ts';
import { verifyProjections } from './projections/rebuild.ts';
import { loadProject } from './run-state.ts';
import { notesDomain, notesJourney, scriptedWorker } from './testing/index.ts';
import { useEngineTestEnv } from './testing/test-env.ts';

let handle: TestDb;
let dir: string;
let ownerId: string;
let syncedAt: number[];

useEngineTestEnv('rewind', (env) => {
  ({ handle, dir, ownerId } = env);
});
beforeEach(() => {
  syncedAt = [];
});

function engine(): Engine {
  const worker = scriptedWorker(notesJourney, () => ({
    provider: 'test',
    model: 'm',
    role: 'chat',
    costUsd: 0.01,
  }));
  const domain: DomainPack = {
    ...notesDomain({ dir }),
    onHistoryChanged: async (context) => {
      syncedAt.push(context.atSeq);
    },
  };
  return createEngine({ db: handle.db, domain, workerFor: () => worker, limits: { spendCapUsd: null } });
}

async function openPendings(projectId: string) {
  return handle.db
    .select()
    .from(pendings)
    .where(and(eq(pendings.projectId, projectId), eq(pendings.status, 'open')));
}

async function answerAll(e: Engine, projectId: string, topic: string) {
  for (let i = 0; i < 10; i++) {
    const [row] = await handle.db.select().from(projects).where(eq(projects.id, projectId));
    if (row?.runStatus === 'completed') return;
    if (row?.runStatus === 'awaiting_human') {
      for (const pending of await openPendings(projectId)) {
        if (pending.kind === 'question') await e.answer(projectId, { pendingId: pending.id, answer: topic });
        else await e.answer(projectId, { pendingId: pending.id, approved: true });
      }
    } else await e.runUntilPause(projectId);
  }
  throw new Error('did not complete');
}

async function project(id: string) {
  const [row] = await handle.db.select().from(projects).where(eq(projects.id, id));
  return row!;
}

describe('rewind', () => {
  it('re-opens an earlier question, hides later events without deleting them, keeps spend, and can be undone', async () => {
    const e = engine();
    const { id } = await e.createProject({ ownerId, name: 'Rewind' });
    await answerAll(e, id, 'Cats');
    const before = await project(id);
    expect(before).toMatchObject({ runStatus: 'completed', brief: { topic: 'Cats' } });
    const totalEvents = (await handle.db.select().from(eventsTable).where(eq(eventsTable.projectId, id)))
      .length;
    const spendBefore = (await handle.db.select().from(spendLedger).where(eq(spendLedger.projectId, id)))
      .length;

    const question = (await readEvents(handle.db, id)).find(
      (event) => event.type === 'pending_opened' && event.payload.kind === 'question',
    )!;
    const [rewound] = await e.rewind(id, question.seq);
    expect(rewound?.type).toBe('rewound');

    const after = await project(id);
    expect(after).toMatchObject({
      runStatus: 'awaiting_human',
      brief: null,
      stage: 'intake',
      lifecycleState: 'initializing',
    });
    const open = await openPendings(id);
    expect(open).toHaveLength(1);
    expect(open[0]!.askedSeq).toBe(question.seq);
    const all = await handle.db
      .select()
      .from(eventsTable)
      .where(eq(eventsTable.projectId, id))
      .orderBy(asc(eventsTable.seq));
    expect(all).toHaveLength(totalEvents + 1);
    const hidden = all.filter((event) => event.supersededBySeq !== null);
    expect(hidden.length).toBeGreaterThan(10);
    expect(hidden.every((event) => event.supersededBySeq === rewound!.seq)).toBe(true);
    expect((await handle.db.select().from(spendLedger).where(eq(spendLedger.projectId, id))).length).toBe(
      spendBefore,
    );
    expect(await verifyProjections(handle.db, id)).toEqual({ ok: true, differences: [] });
    expect(syncedAt).toHaveLength(1);

    // Undo brings the completed state back.
    await e.undoRewind(id, rewound!.seq);
    expect(await project(id)).toMatchObject({ runStatus: 'completed', brief: { topic: 'Cats' } });
    expect(await verifyProjections(handle.db, id)).toEqual({ ok: true, differences: [] });

    // Rewind again and answer differently: the journey continues on the new answer.
    const [again] = await e.rewind(id, question.seq);
    await answerAll(e, id, 'Dogs');
    expect(await project(id)).toMatchObject({ runStatus: 'completed', brief: { topic: 'Dogs' } });
    const superseded = await handle.db
      .select()
      .from(eventsTable)
      .where(and(eq(eventsTable.projectId, id), isNotNull(eventsTable.supersededBySeq)));
    expect(superseded.some((event) => event.supersededBySeq === again!.seq)).toBe(true);
    expect(await verifyProjections(handle.db, id)).toEqual({ ok: true, differences: [] });
  });

  it('refuses a rewind to something that was not a question, or when nothing happened since', async () => {
    const e = engine();
    const { id } = await e.createProject({ ownerId, name: 'Refuse' });
    await e.runUntilPause(id);
    await expect(e.rewind(id, 1)).rejects.toMatchObject({ code: 'rule_violation' });
    const question = (await readEvents(handle.db, id)).find((event) => event.type === 'pending_opened')!;
    await expect(e.rewind(id, question.seq)).rejects.toThrow(/nothing to rewind/);
  });

  // Row locks exist only on Postgres: PGlite runs one transaction at a time, so nothing can interleave.
  it.skipIf(testDriver() === 'pglite')(
    'waits for a runner committing at that moment instead of deadlocking with it',
    async () => {
      const e = engine();
      const { id } = await e.createProject({ ownerId, name: 'Rewind during a commit' });
      await answerAll(e, id, 'Cats');
      const question = (await readEvents(handle.db, id)).find(
        (event) => event.type === 'pending_opened' && event.payload.kind === 'question',
      )!;
      const lease = await acquireLease(handle.db, id, 'runner-committing', 30_000);
      let rewinding: Promise<unknown> | undefined;
      await handle.db.transaction(async (tx) => {
        // A fenced commit checks the lease first …
        await checkFence(tx, id, lease!.token);
        rewinding = e.rewind(id, question.seq);
        await waitForLockWait(handle.db);
        // … and locks the project row second, while the rewind waits on one of the two.
        await loadProject(tx, id, { forUpdate: true });
      });
      await expect(rewinding).resolves.toMatchObject([{ type: 'rewound' }]);
      expect(await project(id)).toMatchObject({ runStatus: 'awaiting_human' });
      expect(await verifyProjections(handle.db, id)).toEqual({ ok: true, differences: [] });
    },
  );
});
