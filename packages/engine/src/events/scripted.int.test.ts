import { events, projects } from '@sitewright/db';
import type { TestDb } from '@sitewright/db/testing';
import { asc, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { acquireLease } from '../leases.ts';
import { verifyProjections } from '../projections/rebuild.ts';
import { loadProject } from '../run-state.ts';
import { useEngineTestEnv } from '../testing/test-env.ts';
import { appendEvents, appendScripted } from './log.ts';
import type { EventDraft } from './types.ts';

let handle: TestDb;
let ownerId: string;

useEngineTestEnv('scripted', (env) => {
  ({ handle, ownerId } = env);
});

async function newProject() {
  const [row] = await handle.db.insert(projects).values({ ownerId, name: 'Scripted' }).returning();
  await handle.db.transaction((tx) =>
    appendEvents(tx, row?.id ?? '', [
      { type: 'project_created', payload: { name: 'Scripted', stage: 'intake' } },
      {
        type: 'run_status_changed',
        payload: { status: 'running', pausedReason: null, resumeAt: null, cause: 'test' },
      },
    ]),
  );
  return loadProject(handle.db, row?.id ?? '');
}

const log = (id: string) =>
  handle.db.select().from(events).where(eq(events.projectId, id)).orderBy(asc(events.seq));

const question: EventDraft = {
  type: 'pending_opened',
  payload: {
    pendingId: crypto.randomUUID(),
    kind: 'question',
    question: 'What colour?',
    options: ['red', 'blue'],
  },
};

describe('one-round-trip commits (appendScripted)', () => {
  it('writes the events and their projections, and returns the row exactly as the table holds it', async () => {
    const row = await newProject();
    const done = await appendScripted(handle.db, {
      row,
      drafts: [
        {
          type: 'worker_output',
          payload: { turn: 1, envelope: { kind: 'final', summary: "It's done \\o/" }, costUsd: 0 },
        },
        question,
        { type: 'brief_saved', payload: { brief: { name: "Maria's", hours: ['9–5'] } } },
        {
          type: 'run_status_changed',
          payload: { status: 'awaiting_human', pausedReason: null, resumeAt: null, cause: 'asked' },
        },
      ],
    });
    expect(done?.stored.map((event) => event.seq)).toEqual([3, 4, 5, 6]);
    expect((await log(row.id)).map((event) => [event.seq, event.type])).toEqual([
      [1, 'project_created'],
      [2, 'run_status_changed'],
      [3, 'worker_output'],
      [4, 'pending_opened'],
      [5, 'brief_saved'],
      [6, 'run_status_changed'],
    ]);
    expect(done?.row).toEqual(await loadProject(handle.db, row.id));
    expect(done?.row).toMatchObject({
      lastSeq: 6,
      turnsSinceHuman: 1,
      openAsks: 1,
      runStatus: 'awaiting_human',
    });
    expect(await verifyProjections(handle.db, row.id)).toEqual({ ok: true, differences: [] });
  });

  it('writes nothing and returns null when the project moved on since the row was read', async () => {
    const row = await newProject();
    await handle.db.transaction((tx) =>
      appendEvents(tx, row.id, [{ type: 'owner_message', payload: { text: 'Meanwhile, in another tab' } }]),
    );
    expect(await appendScripted(handle.db, { row, drafts: [question] })).toBeNull();
    expect((await log(row.id)).map((event) => event.type)).toEqual([
      'project_created',
      'run_status_changed',
      'owner_message',
    ]);
    expect(await verifyProjections(handle.db, row.id)).toEqual({ ok: true, differences: [] });
  });

  it('refuses a runner whose lease was taken over, and writes nothing', async () => {
    const row = await newProject();
    const first = await acquireLease(handle.db, row.id, 'first', 1);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const second = await acquireLease(handle.db, row.id, 'second', 60_000);
    expect(second?.token).toBeGreaterThan(first?.token ?? 0);
    await expect(
      appendScripted(handle.db, { row, drafts: [question], fencingToken: first?.token ?? 0 }),
    ).rejects.toMatchObject({ code: 'lease_lost' });
    expect(await handle.db.$count(events, eq(events.projectId, row.id))).toBe(2);
    const done = await appendScripted(handle.db, {
      row,
      drafts: [question],
      fencingToken: second?.token ?? 0,
    });
    expect(done?.stored[0]?.seq).toBe(3);
  });

  it('leaves events whose projection needs a transaction to the regular path', async () => {
    const row = await newProject();
    const domain: EventDraft = { type: 'domain', payload: { name: 'anything', data: null } };
    expect(await appendScripted(handle.db, { row, drafts: [domain] })).toBeNull();
    expect(await handle.db.$count(events, eq(events.projectId, row.id))).toBe(2);
  });
});
