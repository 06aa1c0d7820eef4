import { alarms, events as eventsTable, projects, runnerLeases } from '@sitewright/db';
import type { TestDb } from '@sitewright/db/testing';
import { and, asc, eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { createEngine, type Engine, type EngineLimits } from './engine.ts';
import { EngineError } from './errors.ts';
import { appendEvents } from './events/log.ts';
import { acquireLease } from './leases.ts';
import { createRunner, type Runner, type RunnerOptions } from './runner.ts';
import { autonomousJourney, autonomousLimits } from './testing/autonomous-journey.ts';
import { notesDomain, notesJourney, type Script, scriptedWorker } from './testing/index.ts';
import { logViolations } from './testing/log-invariants.ts';
import { answerOpen, useEngineTestEnv } from './testing/test-env.ts';
import { type Worker, WorkerFault } from './worker.ts';

let handle: TestDb;
let dir: string;
let ownerId: string;
const started: Runner[] = [];

useEngineTestEnv('runner', (env) => {
  ({ handle, dir, ownerId } = env);
});
afterEach(async () => {
  await Promise.all(started.splice(0).map((runner) => runner.stop()));
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function engineWith(
  worker: Worker = scriptedWorker(notesJourney),
  limits: Partial<EngineLimits> = {},
): Engine {
  return createEngine({
    db: handle.db,
    domain: notesDomain({ dir }),
    workerFor: () => worker,
    limits: { spendCapUsd: null, ...limits },
  });
}

/** Who is inside `runUntilPause` for which project, across every engine wrapped with the same tracker. */
function driveTracker() {
  const driving = new Map<string, string>();
  const overlaps: string[] = [];
  const drives = new Map<string, number>();
  const failures: unknown[] = [];
  let maxConcurrent = 0;
  return {
    overlaps,
    drives,
    failures,
    maxConcurrent: () => maxConcurrent,
    wrap(engine: Engine, label: string): Engine {
      return {
        ...engine,
        runUntilPause: async (projectId, run) => {
          const other = driving.get(projectId);
          if (other) overlaps.push(`${label} drove ${projectId} while ${other} did`);
          driving.set(projectId, label);
          drives.set(label, (drives.get(label) ?? 0) + 1);
          maxConcurrent = Math.max(maxConcurrent, driving.size);
          try {
            return await engine.runUntilPause(projectId, run);
          } catch (error) {
            failures.push(error);
            throw error;
          } finally {
            if (driving.get(projectId) === label) driving.delete(projectId);
          }
        },
      };
    },
  };
}

function startRunner(options: Pick<RunnerOptions, 'engine' | 'runnerId'> & Partial<RunnerOptions>) {
  const errors: unknown[] = [];
  const runner = createRunner({
    db: handle.db,
    pollMs: 20,
    onError: (error) => errors.push(error),
    ...options,
  });
  started.push(runner);
  runner.start();
  return { runner, errors };
}

async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | null | false>,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(15);
  }
}

async function project(projectId: string) {
  const [row] = await handle.db.select().from(projects).where(eq(projects.id, projectId));
  return row!;
}

async function lease(projectId: string) {
  const [row] = await handle.db.select().from(runnerLeases).where(eq(runnerLeases.projectId, projectId));
  return row;
}

async function logOf(projectId: string) {
  return handle.db
    .select()
    .from(eventsTable)
    .where(eq(eventsTable.projectId, projectId))
    .orderBy(asc(eventsTable.seq));
}

/** Plays the owner until every project completed; runners do all the driving. */
async function ownerUntilCompleted(
  engine: Engine,
  runnersToWake: Runner[],
  projectIds: string[],
  timeoutMs = 20_000,
) {
  await waitFor(
    'every project to complete',
    async () => {
      let completed = 0;
      for (const id of projectIds) {
        const row = await project(id);
        if (row.runStatus === 'completed') completed++;
        else if (row.runStatus === 'awaiting_human') {
          await answerOpen(handle.db, engine, id);
          for (const runner of runnersToWake) runner.wake();
        } else if (row.runStatus !== 'running' && row.pausedReason !== 'rate_limited')
          throw new Error(`project ${id} rests in ${row.runStatus} (${row.pausedReason})`);
      }
      return completed === projectIds.length;
    },
    timeoutMs,
  );
}

async function createProjects(engine: Engine, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++)
    ids.push((await engine.createProject({ ownerId, name: `Project ${i}` })).id);
  return ids;
}

/** A worker whose first call hangs until `open()` — or, like a real HTTP client, until its signal aborts. */
function gatedWorker(script: Script = notesJourney) {
  const inner = scriptedWorker(script);
  let open: () => void = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  let entered: () => void = () => {};
  const called = new Promise<void>((resolve) => {
    entered = resolve;
  });
  const aborted: string[] = [];
  const worker: Worker = {
    label: 'gated worker',
    async respond(context, call) {
      const { signal } = call;
      entered();
      await new Promise<void>((resolve, reject) => {
        if (signal.aborted) reject(signal.reason);
        signal.addEventListener('abort', () => {
          aborted.push(context.projectId);
          reject(new Error('The request was aborted.'));
        });
        void opened.then(resolve);
      });
      return inner.respond(context, call);
    },
  };
  return { worker, calls: inner.calls, called, open, aborted };
}

describe('one runner', () => {
  it('drives several projects concurrently to completion', async () => {
    const tracker = driveTracker();
    const engine = engineWith();
    const ids = await createProjects(engine, 5);
    const { runner, errors } = startRunner({
      engine: tracker.wrap(engine, 'runner'),
      runnerId: 'runner',
      concurrency: 4,
    });

    await ownerUntilCompleted(engine, [runner], ids);

    expect(tracker.maxConcurrent()).toBeGreaterThan(1);
    expect(tracker.maxConcurrent()).toBeLessThanOrEqual(4);
    expect(tracker.overlaps).toEqual([]);
    expect(errors).toEqual([]);
    for (const id of ids) expect(await logViolations(handle.db, id), id).toEqual([]);
    await waitFor('every lease to be handed back', async () => runner.active().length === 0);
    for (const id of ids) expect(await lease(id)).toMatchObject({ runnerId: null, recoveryAttempts: 0 });
  });

  it('yields between steps, so the timers and requests of its process keep running', async () => {
    const settledAt: number[] = [];
    const worker = scriptedWorker(autonomousJourney(15));
    const engine = createEngine({
      db: handle.db,
      domain: notesDomain({ dir }),
      workerFor: () => worker,
      limits: autonomousLimits,
      onEvents: (stored) => {
        for (const event of stored) if (event.type === 'step_settled') settledAt.push(performance.now());
      },
    });
    const ids = await createProjects(engine, 2);
    const stalls: Array<[number, number]> = [];
    let last = performance.now();
    const ticker = setInterval(() => {
      stalls.push([last, performance.now()]);
      last = performance.now();
    }, 5);
    startRunner({ engine, runnerId: 'runner' });
    await waitFor('both journeys', async () => {
      const rows = await Promise.all(ids.map(project));
      return rows.every((row) => row.runStatus === 'completed');
    });
    clearInterval(ticker);
    // PGlite resolves queries without a macrotask in between: a runner that never yields would stall
    // this ticker (and heartbeats, and an API's requests) for the whole run. Counted in steps, not
    // milliseconds, so a loaded machine does not change the verdict.
    const stepsInOneStall = Math.max(
      ...stalls.map(([from, to]) => settledAt.filter((at) => at > from && at < to).length),
    );
    expect(settledAt.length).toBe(2 * 16);
    expect(stepsInOneStall).toBeLessThanOrEqual(4);
  });

  it('picks up a project created after start when woken', async () => {
    const worker = scriptedWorker(notesJourney);
    const engine = engineWith(worker);
    const { runner } = startRunner({ engine, runnerId: 'runner', pollMs: 60_000 });
    await sleep(100); // the start-up poll has found nothing

    const { id } = await engine.createProject({ ownerId, name: 'Late' });
    await sleep(150);
    expect(worker.calls).toHaveLength(0); // nothing polls again for a minute…

    runner.wake(); // …but the API wakes the runner after an owner action
    await waitFor('the first question', async () => (await project(id)).runStatus === 'awaiting_human');
    expect(worker.calls).toHaveLength(1);
  });

  it('auto-resumes a rate-limited project once retry-after has passed', async () => {
    const retryAfterMs = 300;
    const worker = scriptedWorker((context, helpers) => {
      if (helpers.events('worker_failed').length === 0)
        throw new WorkerFault('rate_limited', 'slow down', retryAfterMs);
      return notesJourney(context, helpers);
    });
    const engine = engineWith(worker);
    const { id } = await engine.createProject({ ownerId, name: 'Limited' });
    const { runner, errors } = startRunner({ engine, runnerId: 'runner' });

    await ownerUntilCompleted(engine, [runner], [id]);

    const log = await logOf(id);
    const statuses = log.filter((event) => event.type === 'run_status_changed');
    const paused = statuses.find(
      (event) => (event.payload as { pausedReason: string | null }).pausedReason === 'rate_limited',
    );
    expect(paused).toBeDefined();
    const resumed = statuses.find((event) => event.seq > paused!.seq);
    expect(resumed?.payload).toMatchObject({ status: 'running', cause: 'rate limit over' });
    const resumeAt = Date.parse((paused!.payload as { resumeAt: string }).resumeAt);
    expect(resumed!.createdAt.getTime()).toBeGreaterThanOrEqual(resumeAt - 5); // DB vs process clock rounding
    const [alarm] = await handle.db
      .select()
      .from(alarms)
      .where(and(eq(alarms.projectId, id), eq(alarms.type, 'rate_limited')));
    expect(alarm?.status).toBe('resolved');
    expect(errors).toEqual([]);
    expect(await logViolations(handle.db, id)).toEqual([]);
  });

  it('leaves a rate-limit pause its own clock says is not over to the next poll instead of spinning', async () => {
    // The database clock is 5 s ahead of this process: the runner's query finds the pause over, the
    // engine's auto-resume (process clock) refuses it for about another second.
    const skewMs = 5_000;
    const worker = scriptedWorker((context, helpers) => {
      if (helpers.events('worker_failed').length === 0)
        throw new WorkerFault('rate_limited', 'slow down', 1_000);
      return notesJourney(context, helpers);
    });
    const tracker = driveTracker();
    const engine = createEngine({
      db: handle.db,
      domain: notesDomain({ dir }),
      workerFor: () => worker,
      limits: { spendCapUsd: null },
      now: () => new Date(Date.now() - skewMs),
    });
    const { id } = await engine.createProject({ ownerId, name: 'Skewed' });
    const { errors } = startRunner({
      engine: tracker.wrap(engine, 'runner'),
      runnerId: 'runner',
      pollMs: 100,
    });
    await waitFor('the rate-limit pause', async () => (await project(id)).pausedReason === 'rate_limited');
    const drivesBefore = tracker.drives.get('runner') ?? 0;
    await sleep(500);
    expect((tracker.drives.get('runner') ?? 0) - drivesBefore).toBeLessThanOrEqual(8); // one per poll, not thousands
    await waitFor('the auto-resume', async () => (await project(id)).runStatus === 'awaiting_human');
    expect(errors).toEqual([]);
  });

  it('stop() lets the current step finish, hands the lease back, and a second runner takes over at once', async () => {
    const gated = gatedWorker();
    const first = startRunner({ engine: engineWith(gated.worker), runnerId: 'first', leaseTtlMs: 60_000 });
    const { id } = await engineWith().createProject({ ownerId, name: 'Stopped' });
    first.runner.wake();
    await gated.called;

    let stopped = false;
    const stopping = first.runner.stop().then(() => {
      stopped = true;
    });
    await sleep(100);
    expect(stopped).toBe(false); // the worker is still thinking: the step is not over
    gated.open();
    await stopping;

    const log = await logOf(id);
    expect(gated.aborted).toEqual([]); // the in-flight call was not cancelled…
    // …its answer was stored and its step (the question it asked) finished, and nothing more was done.
    expect(log.slice(-6).map((event) => event.type)).toEqual([
      'worker_output',
      'tool_started',
      'tool_finished',
      'pending_opened',
      'step_settled',
      'run_status_changed',
    ]);
    expect(log.some((event) => event.type === 'worker_failed')).toBe(false);
    expect(await lease(id)).toMatchObject({ runnerId: null, recoveryAttempts: 0 });
    expect(first.runner.active()).toEqual([]);
    expect((await project(id)).runStatus).toBe('awaiting_human');

    // With the lease handed back, a second runner need not wait out the minute-long TTL.
    const second = scriptedWorker(notesJourney);
    const owner = engineWith(second);
    startRunner({ engine: owner, runnerId: 'second' });
    const [question] = await handle.db.query.pendings.findMany({ where: (p, { eq }) => eq(p.projectId, id) });
    await owner.answer(id, { pendingId: question?.id ?? '', answer: 'Cats' });
    await waitFor(
      'the second runner to carry on after the answer',
      async () => (await project(id)).runStatus === 'awaiting_human',
      3_000,
    );
    expect(second.calls.length).toBeGreaterThan(0);
    expect(await lease(id)).toMatchObject({ recoveryAttempts: 0 });
    expect(await logViolations(handle.db, id)).toEqual([]);
  });

  it('stop({ graceMs }) cancels a step that outlives the grace period', async () => {
    const gated = gatedWorker();
    const { runner } = startRunner({
      engine: engineWith(gated.worker),
      runnerId: 'runner',
      leaseTtlMs: 60_000,
    });
    const { id } = await engineWith().createProject({ ownerId, name: 'Hung' });
    runner.wake();
    await gated.called;

    await runner.stop({ graceMs: 50 }); // the worker never answers
    expect(gated.aborted).toEqual([id]);
    expect(await lease(id)).toMatchObject({ runnerId: null });
    expect(await logViolations(handle.db, id)).toEqual([]);
  });

  it('an owner pause during a worker call that then fails is no internal error', async () => {
    const engine = engineWith();
    const { id } = await engine.createProject({ ownerId, name: 'Raced' });
    const worker: Worker = {
      label: 'pausing worker',
      async respond() {
        await engine.pause(id); // the owner clicks Pause while the model is thinking
        throw new WorkerFault('rate_limited', 'slow down', 60_000);
      },
    };
    const { errors } = startRunner({ engine: engineWith(worker), runnerId: 'runner' });

    await waitFor(
      'the runner to let go',
      async () => (await lease(id))?.runnerId === null && (await lease(id)),
    );
    expect(await project(id)).toMatchObject({ runStatus: 'paused', pausedReason: 'user' });
    const raised = await handle.db.select().from(alarms).where(eq(alarms.projectId, id));
    expect(raised.map((alarm) => alarm.type)).not.toContain('engine_error');
    expect(errors).toEqual([]);
    expect(await logViolations(handle.db, id)).toEqual([]);
  });
  it('a project deleted while its step runs is let go quietly, and the others go on', async () => {
    const engine = engineWith();
    const { id } = await engine.createProject({ ownerId, name: 'Deleted mid-step' });
    const notes = scriptedWorker(notesJourney);
    const worker: Worker = {
      label: 'deleting worker',
      async respond(context, call) {
        if (context.projectId === id) {
          // The owner deletes the project while the model is thinking; the answer still arrives.
          await handle.db.delete(runnerLeases).where(eq(runnerLeases.projectId, id));
          await handle.db.delete(projects).where(eq(projects.id, id));
        }
        return notes.respond(context, call);
      },
    };
    const { runner, errors } = startRunner({ engine: engineWith(worker), runnerId: 'runner' });
    const { id: other } = await engine.createProject({ ownerId, name: 'Still here' });
    runner.wake();
    await ownerUntilCompleted(engine, [runner], [other]);

    expect(await handle.db.select().from(projects).where(eq(projects.id, id))).toEqual([]);
    expect(errors).toEqual([]);
  });
});

describe('owner actions racing the runners', () => {
  it('pausing and resuming while two runners drive never raises an internal error', async () => {
    const owner = engineWith(scriptedWorker(autonomousJourney(8)), { turnCap: 1000 });
    const ids = await createProjects(owner, 4);
    const runnerEngine = () => engineWith(scriptedWorker(autonomousJourney(8)), { turnCap: 1000 });
    const a = startRunner({ engine: runnerEngine(), runnerId: 'a', stepsPerTurn: 3 });
    const b = startRunner({ engine: runnerEngine(), runnerId: 'b', stepsPerTurn: 3 });

    const until = Date.now() + 1_500;
    let clicks = 0;
    while (Date.now() < until) {
      const id = ids[clicks++ % ids.length]!;
      const row = await project(id);
      // Conflicts and refusals are the owner's to see (the UI reloads); they must not hurt the run.
      if (row.runStatus === 'running') await owner.pause(id).catch(() => {});
      else if (row.runStatus === 'paused') await owner.resume(id).catch(() => {});
      a.runner.wake();
      b.runner.wake();
      await sleep(5);
    }
    for (const id of ids) if ((await project(id)).runStatus === 'paused') await owner.resume(id);
    await ownerUntilCompleted(owner, [a.runner, b.runner], ids);

    const raised = await handle.db.select().from(alarms);
    expect(
      raised.filter((alarm) => alarm.type === 'engine_error').map((alarm) => [alarm.message, alarm.context]),
    ).toEqual([]);
    expect([...a.errors, ...b.errors]).toEqual([]);
    for (const id of ids) expect(await logViolations(handle.db, id), id).toEqual([]);
  });
});

describe('two runners on one database', () => {
  it('never drive one project at once', async () => {
    const tracker = driveTracker();
    const owner = engineWith();
    const ids = await createProjects(owner, 8);
    // Short turns make projects change hands between the runners all the time.
    const options = { concurrency: 3, stepsPerTurn: 2, leaseTtlMs: 5_000, heartbeatMs: 500 };
    const a = startRunner({ engine: tracker.wrap(engineWith(), 'a'), runnerId: 'a', ...options });
    const b = startRunner({ engine: tracker.wrap(engineWith(), 'b'), runnerId: 'b', ...options });

    await ownerUntilCompleted(owner, [a.runner, b.runner], ids, 25_000);

    expect(tracker.overlaps).toEqual([]);
    expect(tracker.drives.get('a')).toBeGreaterThan(0);
    expect(tracker.drives.get('b')).toBeGreaterThan(0);
    expect([...a.errors, ...b.errors]).toEqual([]);
    for (const id of ids) {
      expect(await logViolations(handle.db, id), id).toEqual([]);
      const writers = new Set(
        (await logOf(id)).map((event) => event.fencingToken).filter((token) => token !== null),
      );
      expect(writers.size).toBeGreaterThan(1); // the project really changed hands
    }
  });
});

describe('lease fencing', () => {
  it('a runner whose expired lease was taken over can never append again, and stops', async () => {
    const tracker = driveTracker();
    const gated = gatedWorker();
    // No heartbeat within the test: the first runner behaves like a process frozen by a long GC pause.
    const first = startRunner({
      engine: tracker.wrap(engineWith(gated.worker), 'first'),
      runnerId: 'first',
      leaseTtlMs: 100,
      heartbeatMs: 60_000,
    });
    const { id } = await engineWith().createProject({ ownerId, name: 'Fenced' });
    first.runner.wake();
    await gated.called;
    const firstToken = (await lease(id))!.fencingToken;

    await sleep(150); // the lease expires while the worker hangs
    const winner = gatedWorker();
    const second = startRunner({ engine: engineWith(winner.worker), runnerId: 'second' });
    await winner.called;
    const secondLease = await lease(id);
    expect(secondLease).toMatchObject({ runnerId: 'second', recoveryAttempts: 1 });
    expect(secondLease!.fencingToken).toBeGreaterThan(firstToken);

    gated.open(); // the frozen runner wakes up and tries to store its answer
    await waitFor('the first runner to stop', async () => first.runner.active().length === 0);
    expect(await lease(id)).toEqual(secondLease); // the loser did not touch the winner's lease
    winner.open();
    await waitFor(
      'the second runner to reach the question',
      async () => (await project(id)).runStatus === 'awaiting_human',
    );
    expect(tracker.failures).toHaveLength(1);
    expect(tracker.failures[0]).toBeInstanceOf(EngineError);
    expect(tracker.failures[0]).toMatchObject({ code: 'lease_lost' });
    expect(first.errors).toEqual([]);
    expect(second.errors).toEqual([]);

    const log = await logOf(id);
    expect(log.filter((event) => event.fencingToken === firstToken)).toEqual([]);
    expect(log.filter((event) => event.type === 'worker_output')).toHaveLength(1); // the second runner's
    // Any append under the old token is refused, whatever writes it.
    await expect(
      handle.db.transaction((tx) =>
        appendEvents(tx, id, [{ type: 'owner_message', payload: { text: 'late' } }], {
          fencingToken: firstToken,
        }),
      ),
    ).rejects.toMatchObject({ code: 'lease_lost' });
    expect(await logViolations(handle.db, id)).toEqual([]);
  });

  it('the heartbeat notices the takeover and cancels the in-flight call', async () => {
    const gated = gatedWorker();
    const first = startRunner({
      engine: engineWith(gated.worker),
      runnerId: 'first',
      leaseTtlMs: 100,
      heartbeatMs: 1_000,
    });
    const { id } = await engineWith().createProject({ ownerId, name: 'Noticed' });
    first.runner.wake();
    await gated.called;

    await sleep(150);
    const second = startRunner({ engine: engineWith(), runnerId: 'second' });
    await waitFor('the takeover', async () => (await project(id)).runStatus === 'awaiting_human');
    // The worker is never released: only the failed renewal can end the first runner's turn.
    await waitFor('the first runner to give up', async () => first.runner.active().length === 0, 5_000);
    expect(gated.aborted).toEqual([id]);
    expect([...first.errors, ...second.errors]).toEqual([]);
    const log = await logOf(id);
    expect(log.some((event) => event.type === 'worker_failed')).toBe(false); // its failure was fenced off too
    expect(await logViolations(handle.db, id)).toEqual([]);
  });
});

describe('crash-loop protection', () => {
  const maxRecoveries = 3;

  /** Runners that claim the project and die without releasing (a lease of 1 ms, never renewed). */
  async function deadRunners(projectId: string, count: number) {
    for (let i = 0; i < count; i++) {
      expect(await acquireLease(handle.db, projectId, `dead-${i}`, 1)).not.toBeNull();
      await sleep(5);
    }
  }

  it(`pauses a project with runner_lost after ${maxRecoveries} failed recoveries instead of retrying it`, async () => {
    const worker = scriptedWorker(notesJourney);
    const engine = engineWith(worker);
    const [lost, survivor] = await createProjects(engine, 2);
    // The first dead runner was a fresh start; each one after it was a recovery that died as well.
    await deadRunners(lost!, maxRecoveries + 1);
    await deadRunners(survivor!, maxRecoveries);
    expect(await lease(lost!)).toMatchObject({ recoveryAttempts: maxRecoveries });

    const { runner, errors } = startRunner({ engine, runnerId: 'runner', maxRecoveries });
    await waitFor(
      'the survivor to be driven',
      async () => (await project(survivor!)).runStatus === 'awaiting_human',
    );
    await waitFor('the lost project to be paused', async () => (await project(lost!)).runStatus === 'paused');

    expect(await project(lost!)).toMatchObject({ pausedReason: 'error' });
    const [alarm] = await handle.db.select().from(alarms).where(eq(alarms.projectId, lost!));
    expect(alarm).toMatchObject({ type: 'runner_lost', severity: 'critical', status: 'open' });
    expect(alarm?.context).toEqual({ attempts: maxRecoveries + 1 });
    expect(worker.calls.map((call) => call.projectId)).toEqual([survivor]); // the lost one was not retried
    await waitFor('the lease to be handed back', async () => (await lease(lost!))?.runnerId === null);
    expect(await lease(lost!)).toMatchObject({ recoveryAttempts: 0 });
    expect(errors).toEqual([]);

    // The operator looked at it and resumes: a fresh start, driven normally.
    await engine.resume(lost!);
    runner.wake();
    await waitFor(
      'the resumed project to be driven',
      async () => (await project(lost!)).runStatus === 'awaiting_human',
    );
    for (const id of [lost!, survivor!]) expect(await logViolations(handle.db, id)).toEqual([]);
  });
});
