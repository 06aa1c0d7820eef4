/**
 * `pnpm bench` (engine part): what the harness itself costs, with a worker that answers instantly and
 * a tool that does nothing, on PGlite and — when TEST_DATABASE_URL / DATABASE_URL is set — Postgres:
 *
 * - step: one worker call + its tool call (intent and result events, projections, guards, loop check,
 *   hooks, gates, settle), as wall time between consecutive `step_settled` commits; median and p99,
 *   driven by `runUntilPause` directly and by a runner (fenced appends, one step per call). The tool is
 *   read-only (its whole step is one commit); once more with a tool that has effects outside the log
 *   (its intent commits before it runs: two commits), and with a project spend cap set (its guard reads
 *   the spend ledger before every model call);
 * - throughput: tool steps per second with 50 projects running at once under one runner;
 * - resume: 50 projects interrupted mid-journey (some mid-step) and left with dead runners' leases; a new
 *   engine + runner takes them all over: time until each made progress, and until all completed;
 * - memory: JS heap growth per project driven, while at least half of the 50 are.
 *
 * Each database is warmed up first with one unrecorded single-project run (a server runs warm).
 * Prints a table and writes bench/results/engine.json at the repository root.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { type Db, users } from '@sitewright/db';
import {
  createPgliteTestDb,
  createPostgresTestDb,
  type TestDb,
  testDatabaseUrl,
} from '@sitewright/db/testing';
import { z } from 'zod';
import {
  acquireLease,
  createEngine,
  createRunner,
  type DomainPack,
  defineTool,
  type Engine,
  type StoredEvent,
} from '../src/index.ts';
import { type Script, scriptedWorker } from '../src/testing/index.ts';

const SINGLE_STEPS = 1_200;
const WARMUP_STEPS = 200;
const CONCURRENT_PROJECTS = 50;
const CONCURRENT_STEPS = 40;
const RESUME_JOURNEY = 30; // tool steps per project
const RESUME_BEFORE = 21; // engine steps before the "crash" (10 tool steps + one stored, unacted output)

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/**
 * A domain whose tools do nothing: every cost left is the harness's own. `record` stands for a tool with
 * effects outside the log (its intent commits before it runs, its result after); `look` is read-only
 * (its whole step is one commit).
 */
const benchDomain: DomainPack = {
  name: 'bench',
  initialStage: 'work',
  stages: { work: { tools: ['record', 'look'], role: 'code', lifecycle: 'initializing' } },
  tools: [
    defineTool({
      name: 'record',
      description: 'Record a value under a key.',
      args: z.object({ key: z.string(), value: z.string() }),
      repeatable: true,
      runsHooks: true,
      run: async (_context, args) => ({
        data: { recorded: args.key },
        hints: { target: args.key, content: args.value, isEdit: true },
      }),
    }),
    defineTool({
      name: 'look',
      description: 'Look up the value under a key.',
      args: z.object({ key: z.string(), value: z.string() }),
      repeatable: true,
      readOnly: true,
      runsHooks: true,
      run: async (_context, args) => ({
        data: { key: args.key, value: args.value },
        hints: { target: args.key },
      }),
    }),
  ],
  hooks: [{ name: 'noop', run: async () => ({ ok: true }) }],
  gates: [
    {
      name: 'always',
      evaluate: async () => ({ passed: true, criteria: [{ name: 'recorded', passed: true }] }),
    },
  ],
  systemPrompt: () => 'You record values.',
};

type BenchTool = 'record' | 'look';

/** `steps` different tool calls, then final; a pure function of the turn, so restarts agree. */
function journey(steps: number, tool: BenchTool): Script {
  return (context) =>
    context.turn <= steps
      ? {
          kind: 'tool_call',
          tool,
          args: { key: `key-${context.turn}`, value: `value ${context.turn}` },
        }
      : { kind: 'final', summary: `${steps} values recorded.` };
}

/** Spend caps are off unless asked for: the worker spends nothing, and the project cap's check is a query. */
function benchEngine(
  db: Db,
  steps: number,
  onEvents?: (events: StoredEvent[]) => void,
  spendCapUsd: number | null = null,
  tool: BenchTool = 'record',
): Engine {
  const worker = scriptedWorker(journey(steps, tool));
  return createEngine({
    db,
    domain: benchDomain,
    workerFor: () => worker,
    limits: { turnCap: 100_000, spendCapUsd },
    ...(onEvents ? { onEvents } : {}),
  });
}

async function createProjects(db: Db, engine: Engine, count: number): Promise<string[]> {
  const [owner] = await db
    .insert(users)
    .values({ username: `bench-${Math.random().toString(36).slice(2)}`, passwordHash: 'x' })
    .returning();
  const ids: string[] = [];
  for (let i = 0; i < count; i++)
    ids.push((await engine.createProject({ ownerId: owner?.id ?? '', name: `p${i}` })).id);
  return ids;
}

/** A promise resolved from an `onEvents` callback; `reached` rejects after `timeoutMs`. */
function until(what: string, timeoutMs = 300_000) {
  let resolve: () => void = () => {};
  const done = new Promise<void>((ok) => {
    resolve = ok;
  });
  return {
    resolve,
    reached: async () => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, fail) => {
        timer = setTimeout(() => fail(new Error(`timed out: ${what}`)), timeoutMs);
      });
      try {
        await Promise.race([done, timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

/** Wall time between consecutive settled tool steps of one project. */
async function measureStep(
  db: Db,
  mode: 'engine' | 'runner',
  tool: BenchTool,
  spendCapUsd: number | null = null,
) {
  const settledAt: number[] = [];
  const finished = until(`single project (${mode})`);
  const engine = benchEngine(
    db,
    SINGLE_STEPS,
    (events) => {
      for (const event of events) {
        if (event.type === 'step_settled') settledAt.push(performance.now());
        if (event.type === 'run_status_changed' && event.payload.status === 'completed') finished.resolve();
      }
    },
    spendCapUsd,
    tool,
  );
  const [id] = await createProjects(db, engine, 1);
  if (mode === 'engine') {
    await engine.runUntilPause(id ?? '');
  } else {
    const runner = createRunner({ db, engine, runnerId: 'bench', stepsPerTurn: 1_000 });
    runner.start();
    await finished.reached();
    await runner.stop();
  }
  const intervals = settledAt
    .slice(WARMUP_STEPS)
    .map((at, index) => at - (settledAt[WARMUP_STEPS + index - 1] ?? at))
    .slice(1)
    .sort((a, b) => a - b);
  const total = intervals.reduce((sum, value) => sum + value, 0);
  return {
    steps: intervals.length,
    medianMs: round(percentile(intervals, 50), 3),
    p99Ms: round(percentile(intervals, 99), 3),
    stepsPerSecond: Math.round((1000 * intervals.length) / total),
  };
}

/** 50 projects under one runner: steps per second, and heap growth while they run. */
async function measureConcurrent(db: Db) {
  let completed = 0;
  const all = until('concurrent projects');
  const engine = benchEngine(db, CONCURRENT_STEPS, (events) => {
    for (const event of events) {
      if (event.type === 'run_status_changed' && event.payload.status === 'completed') {
        completed++;
        if (completed === CONCURRENT_PROJECTS) all.resolve();
      }
    }
  });
  await createProjects(db, engine, CONCURRENT_PROJECTS);
  const runner = createRunner({
    db,
    engine,
    runnerId: 'bench',
    concurrency: CONCURRENT_PROJECTS,
    stepsPerTurn: 1_000,
  });
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const heapSamples: number[] = [];
  // A few samples only: each full GC stalls the loop and would skew the throughput measured here.
  // Taken while at least half the projects are being driven (the runner claims them one by one, and
  // the first finish before the last are claimed), as growth per project driven at that moment.
  const sampler = setInterval(() => {
    const driven = runner.active().length;
    if (driven < CONCURRENT_PROJECTS / 2 || heapSamples.length >= 5) return;
    gc();
    heapSamples.push((process.memoryUsage().heapUsed - heapBefore) / driven);
  }, 100);
  const started = performance.now();
  runner.start();
  await all.reached();
  const elapsed = performance.now() - started;
  clearInterval(sampler);
  await runner.stop();
  heapSamples.sort((a, b) => a - b);
  return {
    projects: CONCURRENT_PROJECTS,
    toolSteps: CONCURRENT_PROJECTS * CONCURRENT_STEPS,
    seconds: round(elapsed / 1000),
    stepsPerSecond: Math.round((CONCURRENT_PROJECTS * CONCURRENT_STEPS * 1000) / elapsed),
    heapPerProjectKb: heapSamples.length ? round(percentile(heapSamples, 50) / 1024, 1) : null,
    heapSamples: heapSamples.length,
  };
}

/** 50 projects stopped mid-journey, their runner dead: how fast a restarted process picks them all up. */
async function measureResume(db: Db) {
  const total = RESUME_JOURNEY;
  const before = benchEngine(db, total);
  const ids = await createProjects(db, before, CONCURRENT_PROJECTS);
  for (const id of ids) await before.runUntilPause(id, { maxSteps: RESUME_BEFORE });
  // The dead process's leases, already expired, as after a crash.
  for (const id of ids) await acquireLease(db, id, 'dead-runner', 1);
  await new Promise((resolve) => setTimeout(resolve, 5));

  const progressed = new Set<string>();
  let completed = 0;
  const allProgressed = until('every project progressed');
  const allCompleted = until('every project completed');
  const started = performance.now();
  let progressMs = 0;
  const engine = benchEngine(db, total, (events) => {
    for (const event of events) {
      if (!progressed.has(event.projectId)) {
        progressed.add(event.projectId);
        if (progressed.size === ids.length) {
          progressMs = performance.now() - started;
          allProgressed.resolve();
        }
      }
      if (event.type === 'run_status_changed' && event.payload.status === 'completed') {
        completed++;
        if (completed === ids.length) allCompleted.resolve();
      }
    }
  });
  const runner = createRunner({
    db,
    engine,
    runnerId: 'restarted',
    concurrency: CONCURRENT_PROJECTS,
    stepsPerTurn: 1_000,
  });
  runner.start();
  await allProgressed.reached();
  await allCompleted.reached();
  const completedMs = performance.now() - started;
  await runner.stop();
  return {
    projects: ids.length,
    allProgressedMs: Math.round(progressMs),
    allCompletedMs: Math.round(completedMs),
    remainingToolSteps: ids.length * (total - (RESUME_BEFORE - 1) / 2),
  };
}

async function measure(label: string, open: () => Promise<TestDb>) {
  const results: Record<string, unknown> = { database: label };
  // A long-running server is warm: let the JIT and the database's code settle before measuring.
  const warm = await open();
  try {
    await measureStep(warm.db, 'engine', 'look');
    await measureStep(warm.db, 'engine', 'record');
  } finally {
    await warm.close();
  }
  for (const [name, run] of [
    ['stepEngine', (db: Db) => measureStep(db, 'engine', 'look')],
    ['stepRunner', (db: Db) => measureStep(db, 'runner', 'look')],
    ['stepEffects', (db: Db) => measureStep(db, 'engine', 'record')],
    ['stepEffectsRunner', (db: Db) => measureStep(db, 'runner', 'record')],
    // The default configuration caps each project's spend: its guard reads the ledger every step.
    ['stepCapped', (db: Db) => measureStep(db, 'engine', 'look', 1)],
    ['concurrent', measureConcurrent],
    ['resume', measureResume],
  ] as const) {
    const handle = await open(); // a fresh database per measurement: no leftover rows to scan
    try {
      results[name] = await run(handle.db);
    } finally {
      await handle.close();
    }
    console.error(`${label} ${name}: ${JSON.stringify(results[name])}`);
  }
  return results as {
    database: string;
    stepEngine: Awaited<ReturnType<typeof measureStep>>;
    stepRunner: Awaited<ReturnType<typeof measureStep>>;
    stepEffects: Awaited<ReturnType<typeof measureStep>>;
    stepEffectsRunner: Awaited<ReturnType<typeof measureStep>>;
    stepCapped: Awaited<ReturnType<typeof measureStep>>;
    concurrent: Awaited<ReturnType<typeof measureConcurrent>>;
    resume: Awaited<ReturnType<typeof measureResume>>;
  };
}

const results = [await measure('pglite', createPgliteTestDb)];
const postgresUrl = testDatabaseUrl();
if (postgresUrl) results.push(await measure('postgres', () => createPostgresTestDb(postgresUrl)));

const table: Record<string, Record<string, number | string | null>> = {};
const row = (name: string, pick: (result: (typeof results)[number]) => number | string | null) => {
  table[name] = Object.fromEntries(results.map((result) => [result.database, pick(result)]));
};
row('step median ms (runUntilPause)', (r) => r.stepEngine.medianMs);
row('step p99 ms (runUntilPause)', (r) => r.stepEngine.p99Ms);
row('step median ms (runner, fenced)', (r) => r.stepRunner.medianMs);
row('step p99 ms (runner, fenced)', (r) => r.stepRunner.p99Ms);
row('step median ms, tool with effects', (r) => r.stepEffects.medianMs);
row('step median ms, tool with effects (runner)', (r) => r.stepEffectsRunner.medianMs);
row('step median ms (spend cap set)', (r) => r.stepCapped.medianMs);
row(`steps/s, ${CONCURRENT_PROJECTS} projects at once`, (r) => r.concurrent.stepsPerSecond);
row(`resume ${CONCURRENT_PROJECTS}: all progressed ms`, (r) => r.resume.allProgressedMs);
row(`resume ${CONCURRENT_PROJECTS}: all completed ms`, (r) => r.resume.allCompletedMs);
row('heap per running project KiB', (r) => r.concurrent.heapPerProjectKb);
console.table(table);

const out = new URL('../../../bench/results/', import.meta.url);
mkdirSync(out, { recursive: true });
writeFileSync(
  new URL('engine.json', out),
  `${JSON.stringify(
    {
      benchmark: 'engine harness overhead',
      config: {
        singleProjectSteps: SINGLE_STEPS,
        warmupSteps: WARMUP_STEPS,
        concurrentProjects: CONCURRENT_PROJECTS,
        concurrentStepsPerProject: CONCURRENT_STEPS,
        resumeAfterEngineSteps: RESUME_BEFORE,
      },
      results,
    },
    null,
    2,
  )}\n`,
);
