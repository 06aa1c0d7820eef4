/**
 * A runner process for the kill test (crash safety, part 2): opens the database, drives every running
 * project with the autonomous notes journey, and exits once none is running. The parent SIGKILLs it at
 * random moments and starts it again; everything it needs to continue is in the database and the notes
 * directory. Started as `node --import <tsx loader> runner-child.ts '<RunnerChildConfig as JSON>'`.
 *
 * Prints `interrupted <n>` (projects it finds stopped in the middle of a step), `ready` once the runner
 * has started and `driving` at its first commit, so the parent can aim its kills at work in progress.
 */
import { createDb, events, projects } from '@sitewright/db';
import { and, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import { createEngine } from '../engine.ts';
import { createRunner } from '../runner.ts';
import { autonomousJourney, autonomousLimits } from './autonomous-journey.ts';
import { notesDomain } from './notes-domain.ts';
import { scriptedWorker } from './scripted-worker.ts';

export const RunnerChildConfig = z.object({
  /** Postgres: the test database. Otherwise PGlite under `dataDir` (one process at a time). */
  databaseUrl: z.string().optional(),
  dataDir: z.string().optional(),
  notesDir: z.string(),
  notes: z.number().int().positive(),
  runnerId: z.string(),
  concurrency: z.number().int().positive(),
  leaseTtlMs: z.number().int().positive(),
  heartbeatMs: z.number().int().positive(),
});
export type RunnerChildConfig = z.infer<typeof RunnerChildConfig>;

const config = RunnerChildConfig.parse(JSON.parse(process.argv[2] ?? '{}'));
const handle = await createDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, migrate: false });
let driving = false;
const worker = scriptedWorker(autonomousJourney(config.notes));
const engine = createEngine({
  db: handle.db,
  domain: notesDomain({ dir: config.notesDir }),
  workerFor: () => worker,
  limits: autonomousLimits,
  onEvents: () => {
    if (driving) return;
    driving = true;
    process.stdout.write('driving\n');
  },
});
const runner = createRunner({
  db: handle.db,
  engine,
  runnerId: config.runnerId,
  concurrency: config.concurrency,
  leaseTtlMs: config.leaseTtlMs,
  heartbeatMs: config.heartbeatMs,
  pollMs: 50,
  // This test kills runners on purpose, over and over: crash-loop protection would (rightly) pause
  // the projects it is meant to see completed. runner.int.test.ts covers that protection.
  maxRecoveries: Number.MAX_SAFE_INTEGER,
  onError: (error, projectId) => {
    process.stderr.write(
      `runner error on ${projectId}: ${error instanceof Error ? error.stack : String(error)}\n`,
    );
  },
});
// Projects whose last commit is in the middle of a step: what the previous process was killed in.
const midStep = await handle.db
  .select({ id: projects.id })
  .from(projects)
  .innerJoin(events, and(eq(events.projectId, projects.id), eq(events.seq, projects.lastSeq)))
  .where(
    and(
      eq(projects.runStatus, 'running'),
      inArray(events.type, ['worker_output', 'tool_started', 'tool_finished']),
    ),
  );
process.stdout.write(`interrupted ${midStep.length}\n`);
runner.start();
process.stdout.write('ready\n');

for (;;) {
  const active = await handle.db
    .select({ id: projects.id })
    .from(projects)
    .where(eq(projects.runStatus, 'running'));
  if (active.length === 0 && runner.active().length === 0) break;
  await new Promise((resolve) => setTimeout(resolve, 100));
}
await runner.stop();
await handle.close();
process.stdout.write('done\n');
