import { snapshots, workItems } from '@sitewright/db';
import type { TestDb } from '@sitewright/db/testing';
import { asc, eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import type { DomainPack } from './domain.ts';
import { createEngine, type Engine } from './engine.ts';
import { appendEvents } from './events/log.ts';
import type { EventDraft } from './events/types.ts';
import { verifyProjections } from './projections/rebuild.ts';
import { MAX_SNAPSHOTS } from './snapshots.ts';
import { notesDomain, notesJourney, scriptedWorker } from './testing/index.ts';
import { answerOpen, useEngineTestEnv } from './testing/test-env.ts';

let handle: TestDb;
let dir: string;
let ownerId: string;
let ref: string;
let synced: Array<{ reason: string; ref: string | null | undefined }>;

useEngineTestEnv('snapshots', (env) => {
  ({ handle, dir, ownerId } = env);
});
beforeEach(() => {
  ref = 'commit-1';
  synced = [];
});

function engine(): Engine {
  const domain: DomainPack = {
    ...notesDomain({ dir }),
    snapshotRef: async () => ref,
    onHistoryChanged: async (context) => {
      synced.push({ reason: context.reason, ref: context.ref });
    },
  };
  const worker = scriptedWorker(notesJourney);
  return createEngine({ db: handle.db, domain, workerFor: () => worker, limits: { spendCapUsd: null } });
}

function item(id: number, name: string, dependencies: number[] = []): EventDraft {
  return {
    type: 'work_item_created',
    payload: {
      id,
      itemType: 'feature',
      name,
      description: '',
      category: null,
      priority: 100,
      layer: 0,
      queueOrder: 0,
      steps: ['it renders'],
      dependencies,
      parentBugId: null,
      bugStatus: null,
      stepsToReproduce: null,
      page: null,
      sourceSpec: null,
    },
  };
}

async function append(projectId: string, drafts: EventDraft[]) {
  await handle.db.transaction((tx) => appendEvents(tx, projectId, drafts));
}

async function board(projectId: string) {
  return (
    await handle.db
      .select()
      .from(workItems)
      .where(eq(workItems.projectId, projectId))
      .orderBy(asc(workItems.id))
  ).map((row) => [row.id, row.name, row.status]);
}

describe('snapshots and rollback', () => {
  it('restores the board and the domain state together, and the rollback itself can be rolled back', async () => {
    const e = engine();
    const { id } = await e.createProject({ ownerId, name: 'Snap' });
    await append(id, [item(1001, 'Home'), item(1002, 'Menu', [1001])]);
    const first = await e.createSnapshot(id, 'Two pages');
    expect(first).toMatchObject({ name: 'Two pages', kind: 'manual', commitSha: 'commit-1' });

    ref = 'commit-2';
    await append(id, [
      item(1003, 'Contact'),
      { type: 'work_item_claimed', payload: { itemId: 1001, claimedBy: 'runner-a' } },
      {
        type: 'work_item_status_changed',
        payload: {
          itemId: 1001,
          from: 'in_progress',
          to: 'passing',
          attempts: 1,
          evidence: { checks: ['ok'] },
          reason: 'verified',
        },
      },
    ]);
    const changed = await board(id);
    expect(changed).toEqual([
      [1001, 'Home', 'passing'],
      [1002, 'Menu', 'pending'],
      [1003, 'Contact', 'pending'],
    ]);

    await e.rollback(id, first.id);
    expect(await board(id)).toEqual([
      [1001, 'Home', 'pending'],
      [1002, 'Menu', 'pending'],
    ]);
    expect(synced).toEqual([{ reason: 'rollback', ref: 'commit-1' }]);
    expect(await verifyProjections(handle.db, id)).toEqual({ ok: true, differences: [] });

    const undo = (await e.listSnapshots(id)).find(
      (snapshot) => snapshot.name === 'Before rollback to “Two pages”',
    );
    expect(undo).toMatchObject({ kind: 'auto', commitSha: 'commit-2' });
    await e.rollback(id, undo!.id);
    expect(await board(id)).toEqual(changed);
    expect(synced.at(-1)).toEqual({ reason: 'rollback', ref: 'commit-2' });
    expect(await verifyProjections(handle.db, id)).toEqual({ ok: true, differences: [] });
  });

  it('keeps at most 20 snapshots per project and takes one automatically when a gate passes', async () => {
    const e = engine();
    const { id } = await e.createProject({ ownerId, name: 'Many' });
    for (let i = 1; i <= MAX_SNAPSHOTS + 5; i++) await e.createSnapshot(id, `Snapshot ${i}`);
    const kept = await handle.db.select().from(snapshots).where(eq(snapshots.projectId, id));
    expect(kept).toHaveLength(MAX_SNAPSHOTS);
    expect(kept.map((snapshot) => snapshot.name)).not.toContain('Snapshot 5');
    expect(kept.map((snapshot) => snapshot.name)).toContain(`Snapshot ${MAX_SNAPSHOTS + 5}`);

    const journey = engine();
    const other = await journey.createProject({ ownerId, name: 'Gate' });
    for (let i = 0; i < 6; i++) {
      const state = await journey.runUntilPause(other.id);
      if (state.status === 'completed') break;
      await answerOpen(handle.db, journey, other.id);
    }
    const auto = await journey.listSnapshots(other.id);
    expect(auto.map((snapshot) => snapshot.name)).toContain('Gate “two_notes” passed');
  });

  it('refuses a snapshot of another project and an empty name', async () => {
    const e = engine();
    const a = await e.createProject({ ownerId, name: 'A' });
    const b = await e.createProject({ ownerId, name: 'B' });
    const snapshot = await e.createSnapshot(a.id, 'A1');
    await expect(e.rollback(b.id, snapshot.id)).rejects.toMatchObject({ code: 'not_found' });
    await expect(e.createSnapshot(a.id, '  ')).rejects.toMatchObject({ code: 'invalid_answer' });
  });
});
