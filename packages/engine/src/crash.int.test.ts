import { events as eventsTable, projects } from '@sitewright/db';
import type { TestDb } from '@sitewright/db/testing';
import { asc, desc, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createEngine, type Engine } from './engine.ts';
import { verifyProjections } from './projections/rebuild.ts';
import { notesDomain, notesJourney, scriptedWorker } from './testing/index.ts';
import { answerOpen, useEngineTestEnv } from './testing/test-env.ts';

let handle: TestDb;
let dir: string;
let ownerId: string;

useEngineTestEnv('crash', (env) => {
  ({ handle, dir, ownerId } = env);
});

class SimulatedCrash extends Error {}

/** An engine whose process "dies" right after its `crashAfter`-th commit. */
function engineCrashingAfter(
  crashAfter: number | null,
  sent: string[],
): { engine: Engine; calls: () => number } {
  let commits = 0;
  const worker = scriptedWorker(notesJourney);
  const engine = createEngine({
    db: handle.db,
    domain: notesDomain({ dir, sentEmails: sent }),
    workerFor: () => worker,
    limits: { spendCapUsd: null },
    onEvents: () => {
      commits++;
      if (crashAfter !== null && commits === crashAfter)
        throw new SimulatedCrash(`crash after commit ${commits}`);
    },
  });
  return { engine, calls: () => worker.calls.length };
}

/** Drives the project to completion; returns how many crashes happened on the way. */
async function driveToEnd(projectId: string, first: Engine): Promise<number> {
  let engine = first;
  let crashes = 0;
  for (let guard = 0; guard < 100; guard++) {
    try {
      const [row] = await handle.db.select().from(projects).where(eq(projects.id, projectId));
      if (row?.runStatus === 'completed') return crashes;
      if (row?.runStatus === 'awaiting_human') await answerOpen(handle.db, engine, projectId);
      else await engine.runUntilPause(projectId);
    } catch (error) {
      if (!(error instanceof SimulatedCrash)) throw error;
      crashes++;
      engine = engineCrashingAfter(null, []).engine; // the restarted process
    }
  }
  throw new Error('the project did not complete');
}

/** The log without what legitimately differs between runs (random ids, timestamps). */
async function normalisedLog(projectId: string) {
  const rows = await handle.db
    .select()
    .from(eventsTable)
    .where(eq(eventsTable.projectId, projectId))
    .orderBy(asc(eventsTable.seq));
  return rows.map((row) =>
    JSON.stringify({ seq: row.seq, type: row.type, payload: row.payload }).replace(
      /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g,
      '<uuid>',
    ),
  );
}

async function projectState(projectId: string) {
  const [row] = await handle.db.select().from(projects).where(eq(projects.id, projectId));
  const { id: _id, createdAt: _c, updatedAt: _u, ownerId: _o, ...rest } = row!;
  return rest;
}

describe('a run interrupted at every commit boundary', { timeout: 120_000 }, () => {
  it('ends with the same events and state as an uninterrupted run, for every crash point', async () => {
    const reference = engineCrashingAfter(null, []);
    const baseline = await reference.engine.createProject({ ownerId, name: 'Notes' });
    expect(await driveToEnd(baseline.id, reference.engine)).toBe(0);
    const expectedLog = await normalisedLog(baseline.id);
    const expectedState = await projectState(baseline.id);
    const totalCommits = expectedLog.length; // an upper bound on commits (each commit writes ≥ 1 event)

    let crashPoints = 0;
    for (let crashAfter = 1; crashAfter <= totalCommits; crashAfter++) {
      const crashing = engineCrashingAfter(crashAfter, []);
      const { id } = await crashing.engine.createProject({ ownerId, name: 'Notes' }).catch(async (error) => {
        if (!(error instanceof SimulatedCrash)) throw error;
        // The crash hit the creating commit itself: the project exists, its first events are durable.
        const [row] = await handle.db.select().from(projects).orderBy(desc(projects.createdAt)).limit(1);
        return { id: row!.id };
      });
      const crashes = await driveToEnd(id, crashing.engine);
      if (crashes > 0 || crashAfter === 1) crashPoints++;
      expect(await normalisedLog(id), `crash after commit ${crashAfter}`).toEqual(expectedLog);
      expect(await projectState(id)).toEqual(expectedState);
      expect(await verifyProjections(handle.db, id)).toEqual({ ok: true, differences: [] });
    }
    expect(crashPoints).toBeGreaterThan(10);
  });
});
