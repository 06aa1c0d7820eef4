/**
 * Crash safety, part 2: a real runner process is SIGKILLed at random moments — mid-transaction,
 * mid-tool, mid-heartbeat — and restarted, several times, then left to finish. Whatever the kills hit,
 * every project completes with a gap-free log, no tool started twice, every intent closed by exactly
 * one result, every note on disk, and projections equal to a fold of the log.
 *
 * The kill moments come from a seeded PRNG; the seed is printed so a failing run can be replayed by
 * pinning `seed` below. PGlite allows one process per data directory, so on PGlite the test holds the
 * database only before the first child and after the last one.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createDb, type DbHandle, events as eventsTable, projects, users } from '@sitewright/db';
import { createTestDb, testDatabaseUrl } from '@sitewright/db/testing';
import { asc, eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { createEngine } from './engine.ts';
import {
  autonomousJourney,
  autonomousLimits,
  autonomousNoteName,
  autonomousNoteText,
} from './testing/autonomous-journey.ts';
import { notesDomain, scriptedWorker } from './testing/index.ts';
import { logViolations } from './testing/log-invariants.ts';
import type { RunnerChildConfig } from './testing/runner-child.ts';

const PROJECTS = 5;
const NOTES = 20;
const KILLS = 5;

const childEntry = fileURLToPath(new URL('./testing/runner-child.ts', import.meta.url));
const tsxLoader = pathToFileURL(
  join(dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist/loader.mjs'),
).href;

const seed = Date.now() % 2 ** 31;
const dir = mkdtempSync(join(tmpdir(), 'sitewright-kill-'));
const cleanups: Array<() => Promise<void> | void> = [() => rmSync(dir, { recursive: true, force: true })];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** mulberry32: a tiny seeded PRNG, so a run's kill moments can be replayed. */
function prng(state: number): () => number {
  let a = state >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

interface Child {
  process: ChildProcess;
  /** Resolves at the first line equal to `line`, or with false when the process exits first. */
  said(line: string): Promise<boolean>;
  exited: Promise<number | null>;
  output(): string;
}

function startChild(config: RunnerChildConfig): Child {
  const child = spawn(process.execPath, ['--import', tsxLoader, childEntry, JSON.stringify(config)], {
    env: { PATH: process.env.PATH ?? '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const listeners: Array<() => void> = [];
  const onData = (chunk: Buffer) => {
    output += chunk;
    for (const listener of listeners) listener();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    process: child,
    exited,
    output: () => output,
    said: (line) =>
      new Promise<boolean>((resolve) => {
        const check = () => {
          if (output.split('\n').includes(line)) resolve(true);
        };
        listeners.push(check);
        check();
        void exited.then(() => resolve(output.split('\n').includes(line)));
      }),
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('runner processes killed at random moments', () => {
  it('leave every project complete, gap-free and exactly-once once restarted', async () => {
    console.log(`kill test seed ${seed}`);
    const random = prng(seed);
    const notesDir = join(dir, 'notes');
    const url = testDatabaseUrl();
    const dataDir = join(dir, 'data');

    // The projects, created by the "API" before any runner process exists.
    const setup: DbHandle & { url?: string } = url ? await createTestDb() : await createDb({ dataDir });
    if (url) cleanups.push(() => setup.close());
    const [owner] = await setup.db.insert(users).values({ username: 'owner', passwordHash: 'x' }).returning();
    const engine = createEngine({
      db: setup.db,
      domain: notesDomain({ dir: notesDir }),
      workerFor: () => scriptedWorker(autonomousJourney(NOTES)),
      limits: autonomousLimits,
    });
    const ids: string[] = [];
    for (let i = 0; i < PROJECTS; i++) {
      ids.push((await engine.createProject({ ownerId: owner!.id, name: `Project ${i}` })).id);
    }
    if (!url) await setup.close();

    const config = (runnerId: string): RunnerChildConfig => ({
      ...(url ? { databaseUrl: setup.url } : { dataDir }),
      notesDir,
      notes: NOTES,
      runnerId,
      concurrency: PROJECTS,
      leaseTtlMs: 1_500,
      heartbeatMs: 300,
    });

    let kills = 0;
    let interrupted = 0;
    const countInterrupted = (child: Child) => {
      interrupted += Number(/^interrupted (\d+)$/m.exec(child.output())?.[1] ?? 0);
    };
    for (let round = 0; round < KILLS; round++) {
      const child = startChild(config(`runner-${round}`));
      if (!(await child.said('driving'))) {
        expect(await child.exited, child.output()).toBe(0);
        countInterrupted(child);
        break; // everything was done before this child found work
      }
      const delay = 150 + Math.floor(random() * 600);
      const outcome = await Promise.race([sleep(delay).then(() => 'kill' as const), child.exited]);
      if (outcome !== 'kill') {
        expect(outcome, child.output()).toBe(0);
        // What it found at its start still counts: it resumed what the previous kill cut.
        countInterrupted(child);
        break; // it finished the work within the delay
      }
      child.process.kill('SIGKILL');
      await child.exited;
      countInterrupted(child);
      kills++;
    }
    const last = startChild(config('runner-last'));
    const code = await Promise.race([last.exited, sleep(30_000).then(() => 'timeout' as const)]);
    if (code === 'timeout') last.process.kill('SIGKILL');
    countInterrupted(last);
    expect(code, last.output()).toBe(0);
    expect(last.output()).not.toContain('runner error');
    console.log(`kill test seed ${seed}: ${kills} kills, ${interrupted} projects resumed mid-step`);
    expect(kills).toBeGreaterThan(0);
    expect(interrupted).toBeGreaterThan(0); // the kills really cut steps in half

    const check = url ? setup : await createDb({ dataDir, migrate: false });
    try {
      for (const id of ids) {
        const [row] = await check.db.select().from(projects).where(eq(projects.id, id));
        expect(row, id).toMatchObject({ runStatus: 'completed', lifecycleState: 'completed' });
        expect(await logViolations(check.db, id), id).toEqual([]);
        const log = await check.db
          .select()
          .from(eventsTable)
          .where(eq(eventsTable.projectId, id))
          .orderBy(asc(eventsTable.seq));
        const finishedNotes = log.filter(
          (event) =>
            event.type === 'tool_finished' && (event.payload as { tool: string }).tool === 'write_note',
        );
        expect(finishedNotes).toHaveLength(NOTES);
        expect(log.filter((event) => event.type === 'tool_outcome_unknown')).toEqual([]); // all tools repeatable
        for (let index = 1; index <= NOTES; index++) {
          const file = join(notesDir, id, `${autonomousNoteName(index)}.txt`);
          expect(existsSync(file), file).toBe(true);
          expect(readFileSync(file, 'utf8')).toBe(autonomousNoteText(id, index));
        }
      }
    } finally {
      if (!url) await check.close();
    }
  }, 90_000);
});
