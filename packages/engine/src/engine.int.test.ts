import { events as eventsTable, pendings, projects } from '@sitewright/db';
import { type TestDb, testDriver } from '@sitewright/db/testing';
import { and, asc, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createEngine, type Engine, type EngineLimits } from './engine.ts';
import { EngineError } from './errors.ts';
import { verifyProjections } from './projections/rebuild.ts';
import { notesDomain, notesJourney, type Script, scriptedWorker } from './testing/index.ts';
import { useEngineTestEnv } from './testing/test-env.ts';
import { type Worker, WorkerFault } from './worker.ts';

let handle: TestDb;
let dir: string;
let ownerId: string;

useEngineTestEnv('engine', (env) => {
  ({ handle, dir, ownerId } = env);
});

/** An engine on the notes domain; `hung` names a tool that never returns (a process dying in it). */
function setup(
  script: Script = notesJourney,
  limits: Partial<EngineLimits> = {},
  sentEmails: string[] = [],
  hung?: string,
) {
  const worker = scriptedWorker(script);
  const domain = notesDomain({ dir, sentEmails });
  const engine = createEngine({
    db: handle.db,
    domain: {
      ...domain,
      tools: domain.tools.map((tool) =>
        tool.name === hung ? { ...tool, run: () => new Promise<never>(() => {}) } : tool,
      ),
    },
    workerFor: () => worker,
    limits: { spendCapUsd: null, ...limits },
  });
  return { engine, worker };
}

/** A worker whose first call pauses the run (from another engine) while it answers. */
function pausingOnce(worker: Worker, pause: () => Promise<unknown>): Worker {
  let paused = false;
  return {
    label: 'racing',
    respond: async (context, call) => {
      if (!paused) {
        paused = true;
        await pause();
      }
      return worker.respond(context, call);
    },
  };
}

async function openPending(projectId: string) {
  const rows = await handle.db
    .select()
    .from(pendings)
    .where(and(eq(pendings.projectId, projectId), eq(pendings.status, 'open')));
  expect(rows).toHaveLength(1);
  return rows[0]!;
}

async function allEvents(projectId: string) {
  return handle.db
    .select()
    .from(eventsTable)
    .where(eq(eventsTable.projectId, projectId))
    .orderBy(asc(eventsTable.seq));
}

/** Waits until the project's log has an event of this type (and payload). */
async function waitForEvent(
  projectId: string,
  type: string,
  matches: (payload: Record<string, unknown>) => boolean = () => true,
) {
  for (let attempt = 0; attempt < 500; attempt++) {
    const log = await allEvents(projectId);
    if (log.some((event) => event.type === type && matches(event.payload as Record<string, unknown>))) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`no ${type} event in time`);
}

async function project(projectId: string) {
  const [row] = await handle.db.select().from(projects).where(eq(projects.id, projectId));
  return row!;
}

/** Drives the notes journey to completion, answering as the owner would. */
async function completeJourney(engine: Engine, projectId: string) {
  expect((await engine.runUntilPause(projectId)).status).toBe('awaiting_human');
  await engine.answer(projectId, { pendingId: (await openPending(projectId)).id, answer: 'Cats' });
  expect((await engine.runUntilPause(projectId)).status).toBe('awaiting_human');
  await engine.answer(projectId, { pendingId: (await openPending(projectId)).id, approved: true });
  return engine.runUntilPause(projectId);
}

describe('the notes journey on a scripted worker', () => {
  it('asks, waits, builds, evaluates gates, runs hooks and completes with contiguous seqs', async () => {
    const { engine } = setup();
    const { id } = await engine.createProject({ ownerId, name: 'Notes' });
    const outcome = await completeJourney(engine, id);
    expect(outcome.status).toBe('completed');

    const log = await allEvents(id);
    expect(log.map((event) => event.seq)).toEqual(log.map((_, index) => index + 1));
    const types = log.map((event) => event.type);
    expect(types).toContain('hook_finished');
    expect(types).toContain('gate_evaluated');
    const row = await project(id);
    expect(row).toMatchObject({ stage: 'writing', lifecycleState: 'completed', runStatus: 'completed' });
    expect(row.brief).toEqual({ topic: 'Cats' });
    expect(row.lastSeq).toBe(log.length);
    const gate = log.filter((event) => event.type === 'gate_evaluated').at(-1);
    expect(gate?.payload).toMatchObject({ name: 'two_notes', passed: true });
    expect(await verifyProjections(handle.db, id)).toEqual({ ok: true, differences: [] });
  });

  it('stores each output with its intent before acting, so a resume never calls the worker for the same turn twice', async () => {
    const script: Script = (context) =>
      context.stage === 'intake'
        ? { kind: 'tool_call', tool: 'start_writing', args: {} }
        : { kind: 'escalate', reason: 'Written enough for now.' };
    // The first process dies while the tool runs (it never returns).
    const first = setup(script, {}, [], 'start_writing');
    const { id } = await first.engine.createProject({ ownerId, name: 'Resume' });
    void first.engine.runUntilPause(id);
    await waitForEvent(id, 'tool_started');
    expect(first.worker.calls).toHaveLength(1);
    expect((await allEvents(id)).slice(-2).map((event) => event.type)).toEqual([
      'worker_output',
      'tool_started',
    ]);
    // A new engine (a restarted process) re-runs the repeatable tool from the stored intent, and asks
    // the worker only for the next turn.
    const second = setup(script);
    expect((await second.engine.runUntilPause(id)).status).toBe('awaiting_human');
    expect(second.worker.calls.map((call) => call.turn)).toEqual([2]);
    expect((await project(id)).stage).toBe('writing');
    expect(await verifyProjections(handle.db, id)).toEqual({ ok: true, differences: [] });
  });

  it('acts on a stored output that was not acted on (a crash after the answer)', async () => {
    const script: Script = () => ({ kind: 'escalate', reason: 'I need the owner.' });
    const first = setup(script);
    const { id } = await first.engine.createProject({ ownerId, name: 'Escalated' });
    await first.engine.runUntilPause(id, { maxSteps: 1 });
    expect((await allEvents(id)).at(-1)?.type).toBe('worker_output');
    const second = setup(script);
    expect((await second.engine.runUntilPause(id)).status).toBe('awaiting_human');
    expect(second.worker.calls).toHaveLength(0);
  });
});

describe('human gates', () => {
  it('rejects answers of the wrong shape, to closed pendings, and to other projects', async () => {
    const { engine } = setup();
    const { id } = await engine.createProject({ ownerId, name: 'Gates' });
    await engine.runUntilPause(id);
    const question = await openPending(id);
    await expect(engine.answer(id, { pendingId: question.id, approved: true })).rejects.toMatchObject({
      code: 'invalid_answer',
    });
    await expect(
      engine.answer(id, { pendingId: '00000000-0000-0000-0000-000000000000', answer: 'x' }),
    ).rejects.toMatchObject({
      code: 'not_found',
    });
    const other = await engine.createProject({ ownerId, name: 'Other' });
    await expect(engine.answer(other.id, { pendingId: question.id, answer: 'Cats' })).rejects.toMatchObject({
      code: 'not_found',
    });
    await engine.answer(id, { pendingId: question.id, answer: 'Cats' });
    await expect(engine.answer(id, { pendingId: question.id, answer: 'Dogs' })).rejects.toMatchObject({
      code: 'pending_not_open',
    });
    await engine.runUntilPause(id);
    const approval = await openPending(id);
    await expect(engine.answer(id, { pendingId: approval.id, answer: 'yes' })).rejects.toMatchObject({
      code: 'invalid_answer',
    });
    await expect(engine.answer(id, { pendingId: approval.id, approved: false })).rejects.toThrow(
      /what should change/,
    );
  });

  it('lets exactly one of two concurrent answers win', async () => {
    const { engine } = setup();
    const { id } = await engine.createProject({ ownerId, name: 'Race' });
    await engine.runUntilPause(id);
    const question = await openPending(id);
    const results = await Promise.allSettled([
      engine.answer(id, { pendingId: question.id, answer: 'Cats' }),
      engine.answer(id, { pendingId: question.id, answer: 'Dogs' }),
    ]);
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((result) => result.status === 'rejected') as PromiseRejectedResult;
    expect(rejected.reason).toBeInstanceOf(EngineError);
    expect((await allEvents(id)).filter((event) => event.type === 'pending_answered')).toHaveLength(1);
    expect((await project(id)).runStatus).toBe('running');
  });

  it('resume clears a continuation gate but never a question', async () => {
    const looping: Script = () => ({
      kind: 'tool_call',
      tool: 'read_note',
      args: { name: `n-${Math.random()}` },
    });
    const { engine } = setup(looping, { turnCap: 2, failureThreshold: 100 });
    const { id } = await engine.createProject({ ownerId, name: 'Caps' });
    const outcome = await engine.runUntilPause(id);
    expect(outcome).toMatchObject({ status: 'paused', pausedReason: 'turn_cap' });
    const gate = await openPending(id);
    expect(gate.kind).toBe('continuation');
    await engine.resume(id);
    expect(await project(id)).toMatchObject({ runStatus: 'running', turnsSinceHuman: 0 });
    const [closed] = await handle.db.select().from(pendings).where(eq(pendings.id, gate.id));
    expect(closed?.status).toBe('answered');

    const asking = setup();
    const other = await asking.engine.createProject({ ownerId, name: 'Ask' });
    await asking.engine.runUntilPause(other.id);
    await expect(asking.engine.resume(other.id)).rejects.toMatchObject({ code: 'invalid_transition' });
    expect((await openPending(other.id)).kind).toBe('question');
  });
});

describe('worker output validation', () => {
  it('repairs once, then pauses with output_schema_violation', async () => {
    let calls = 0;
    const { engine } = setup(() => {
      calls++;
      return calls === 1
        ? { kind: 'tool_cal', tool: 'ask_user' }
        : { kind: 'tool_call', tool: 'ask_user', args: { question: 'Topic?' } };
    });
    const { id } = await engine.createProject({ ownerId, name: 'Repair' });
    expect((await engine.runUntilPause(id)).status).toBe('awaiting_human');
    expect((await allEvents(id)).filter((event) => event.type === 'worker_output_invalid')).toHaveLength(1);

    const broken = setup(() => ({ nonsense: true }));
    const other = await broken.engine.createProject({ ownerId, name: 'Broken' });
    expect(await broken.engine.runUntilPause(other.id)).toMatchObject({
      status: 'paused',
      pausedReason: 'error',
    });
    expect(broken.worker.calls).toHaveLength(2);
    expect(broken.worker.calls[1]?.repair?.error).toBeTruthy();
    const types = (await allEvents(other.id)).map((event) => event.type);
    expect(types.filter((type) => type === 'worker_output_invalid')).toHaveLength(2);
    const alarm = (await allEvents(other.id)).find((event) => event.type === 'alarm_raised');
    expect(alarm?.payload).toMatchObject({ type: 'output_schema_violation', severity: 'error' });
  });
});

describe('the tool choke point', () => {
  it('turns unknown tools, disallowed tools, bad arguments and tool errors into data plus an alarm', async () => {
    const calls = [
      { kind: 'tool_call', tool: 'no_such_tool', args: {} },
      { kind: 'tool_call', tool: 'write_note', args: { name: 'x', text: 'y' } },
      { kind: 'tool_call', tool: 'ask_user', args: { question: '' } },
      { kind: 'tool_call', tool: 'ask_user', args: { question: 'Fine?' } },
    ];
    let index = 0;
    const { engine } = setup(() => calls[index++], { failureThreshold: 100 });
    const { id } = await engine.createProject({ ownerId, name: 'Dispatch' });
    expect((await engine.runUntilPause(id)).status).toBe('awaiting_human');
    const finished = (await allEvents(id)).filter((event) => event.type === 'tool_finished');
    const errors = finished.map((event) => (event.payload as { error?: string }).error);
    expect(errors[0]).toMatch(/no tool named "no_such_tool"/);
    expect(errors[1]).toMatch(/not available in the intake stage/);
    expect(errors[2]).toMatch(/Invalid arguments for ask_user/);
    const alarms = (await allEvents(id)).filter((event) => event.type === 'alarm_raised');
    expect(alarms.map((event) => (event.payload as { type: string }).type)).toEqual([
      'tool_failed',
      'tool_failed',
      'tool_failed',
    ]);
  });

  it('pauses after three failures within a minute', async () => {
    const { engine } = setup((context) =>
      context.stage === 'intake'
        ? { kind: 'tool_call', tool: 'start_writing', args: {} }
        : { kind: 'tool_call', tool: 'always_fails', args: { why: `attempt ${context.history.length}` } },
    );
    const { id } = await engine.createProject({ ownerId, name: 'Failures' });
    expect(await engine.runUntilPause(id)).toMatchObject({ status: 'paused', pausedReason: 'failures' });
    expect((await openPending(id)).kind).toBe('continuation');
  });
});

describe('worker faults', () => {
  it('pauses on a rate limit and resumes by itself after retry-after', async () => {
    let now = new Date('2026-01-01T00:00:00Z');
    let limited = true;
    const worker = scriptedWorker(() => {
      if (limited) throw new WorkerFault('rate_limited', '429 Too Many Requests', 30_000);
      return { kind: 'tool_call', tool: 'ask_user', args: { question: 'Topic?' } };
    });
    const engine = createEngine({
      db: handle.db,
      domain: notesDomain({ dir }),
      workerFor: () => worker,
      now: () => now,
    });
    const { id } = await engine.createProject({ ownerId, name: 'Limited' });
    expect(await engine.runUntilPause(id)).toMatchObject({ status: 'paused', pausedReason: 'rate_limited' });
    expect((await project(id)).resumeAt?.toISOString()).toBe('2026-01-01T00:00:30.000Z');
    await expect(engine.autoResume(id)).rejects.toMatchObject({ code: 'invalid_transition' });
    now = new Date('2026-01-01T00:00:31Z');
    limited = false;
    await engine.autoResume(id);
    expect((await engine.runUntilPause(id)).status).toBe('awaiting_human');
    const alarms = await handle.db.query.alarms.findMany({
      where: (a, { eq: equals }) => equals(a.projectId, id),
    });
    expect(alarms.map((alarm) => [alarm.type, alarm.status])).toEqual([['rate_limited', 'resolved']]);
  });

  it('pauses at once on an authentication fault with a critical alarm', async () => {
    const { engine } = setup(() => {
      throw new WorkerFault('auth', '401 invalid x-api-key');
    });
    const { id } = await engine.createProject({ ownerId, name: 'Auth' });
    expect(await engine.runUntilPause(id)).toMatchObject({ status: 'paused', pausedReason: 'error' });
    const alarm = (await allEvents(id)).find((event) => event.type === 'alarm_raised');
    expect(alarm?.payload).toMatchObject({ type: 'worker_unavailable', severity: 'critical' });
  });
});

describe('spend cap', () => {
  it('pauses when the project cap is reached and refuses a resume until budget is available', async () => {
    const worker = scriptedWorker(
      () => ({ kind: 'tool_call', tool: 'read_note', args: { name: `n${Math.random()}` } }),
      () => ({ provider: 'test', model: 'm', role: 'chat', costUsd: 0.4 }),
    );
    const engine = createEngine({
      db: handle.db,
      domain: notesDomain({ dir }),
      workerFor: () => worker,
      limits: { spendCapUsd: 1, failureThreshold: 100, turnCap: 100 },
    });
    const { id } = await engine.createProject({ ownerId, name: 'Spend' });
    expect(await engine.runUntilPause(id)).toMatchObject({ status: 'paused', pausedReason: 'spend_cap' });
    expect(worker.calls).toHaveLength(3);
    await expect(engine.resume(id)).rejects.toMatchObject({ code: 'invalid_transition' });
  });
});

describe('loop detection', () => {
  it('nudges once, then pauses a worker that keeps repeating itself', async () => {
    const { engine, worker } = setup(
      (context) =>
        context.stage === 'intake'
          ? { kind: 'tool_call', tool: 'start_writing', args: {} }
          : { kind: 'tool_call', tool: 'read_note', args: { name: 'missing' } },
      { failureThreshold: 100, turnCap: 100 },
    );
    const { id } = await engine.createProject({ ownerId, name: 'Loop' });
    expect(await engine.runUntilPause(id)).toMatchObject({ status: 'paused', pausedReason: 'loop' });
    const log = await allEvents(id);
    const nudges = log.filter((event) => event.type === 'loop_nudged');
    expect(nudges).toHaveLength(1);
    expect(worker.calls.some((call) => call.nudge)).toBe(true);
    const alarm = log.find(
      (event) =>
        event.type === 'alarm_raised' && (event.payload as { type: string }).type === 'loop_detected',
    );
    expect(alarm).toBeTruthy();
    expect(await verifyProjections(handle.db, id)).toEqual({ ok: true, differences: [] });
  });
});

describe('one-round-trip commits', () => {
  /** Turns of the notes journey that keep a project running without the owner: writing notes. */
  const writing: Script = (context) =>
    context.stage === 'intake'
      ? { kind: 'tool_call', tool: 'start_writing', args: {} }
      : {
          kind: 'tool_call',
          tool: 'write_note',
          args: { name: `n${context.turn}`, text: `note ${context.turn}` },
        };

  it("sees another writer's pause between steps before it calls the model", async () => {
    let calls = 0;
    const worker = scriptedWorker(writing);
    const counting: Worker = {
      label: 'counting',
      respond: (context, call) => {
        calls++;
        return worker.respond(context, call);
      },
    };
    const engine = createEngine({
      db: handle.db,
      domain: notesDomain({ dir }),
      workerFor: () => counting,
      limits: { spendCapUsd: null },
    });
    const { id } = await engine.createProject({ ownerId, name: 'Paused between steps' });
    await engine.runUntilPause(id, { maxSteps: 2 });
    const before = calls;
    // The owner pauses through another engine of this process (the API's, say).
    const other = createEngine({
      db: handle.db,
      domain: notesDomain({ dir }),
      workerFor: () => counting,
      limits: { spendCapUsd: null },
    });
    await other.pause(id);
    expect(await engine.runUntilPause(id, { maxSteps: 1 })).toMatchObject({ status: 'paused', steps: 0 });
    expect(calls).toBe(before);
  });

  /** An engine that notes the settings each model call is made with; `wrap` stands in for the model. */
  function settingsEngine(script: Script, wrap?: (worker: Worker, settings: { model?: string }) => Worker) {
    const seen: unknown[] = [];
    const worker = scriptedWorker(script);
    const engine = createEngine({
      db: handle.db,
      domain: notesDomain({ dir }),
      workerFor: (project) => {
        seen.push(project.settings);
        return wrap ? wrap(worker, project.settings as { model?: string }) : worker;
      },
      limits: { spendCapUsd: null },
    });
    return { engine, seen };
  }

  /**
   * Changes the settings as another process would: this process is not told. Writing the row directly
   * stands in for it, which only Postgres allows (on the embedded database no other process can write).
   */
  async function changeSettingsElsewhere(projectId: string) {
    await handle.db
      .update(projects)
      .set({ settings: { model: 'elsewhere' } })
      .where(eq(projects.id, projectId));
  }

  it('sees a change made without an event (the settings) at the next step', async () => {
    const { engine, seen } = settingsEngine(writing);
    const { id } = await engine.createProject({ ownerId, name: 'Settings' });
    await engine.runUntilPause(id, { maxSteps: 2 });
    // Changed the way the dashboard changes them: through an engine, here another one.
    const other = settingsEngine(writing).engine;
    await other.updateSettings(id, (current) => ({ ...current, model: 'changed' }));
    await engine.runUntilPause(id, { maxSteps: 1 });
    expect(seen.at(-1)).toEqual({ model: 'changed' });
  });

  it.skipIf(testDriver() === 'pglite')(
    'stops a model call when another process changed the project, and calls again from the fresh row',
    async () => {
      const aborted: unknown[] = [];
      let hold = false; // from the third step on
      const { engine, seen } = settingsEngine(writing, (worker, settings) => ({
        label: 'holding',
        respond: (context, call) => {
          // With the old settings, a model still writing when the change is found: it stops only
          // when it is told to.
          if (!hold || settings.model) return worker.respond(context, call);
          return new Promise((_, reject) =>
            call.signal.addEventListener('abort', () => {
              aborted.push(call.signal.reason);
              reject(call.signal.reason);
            }),
          );
        },
      }));
      const { id } = await engine.createProject({ ownerId, name: 'Changed elsewhere' });
      await engine.runUntilPause(id, { maxSteps: 2 });
      const before = await allEvents(id);
      await changeSettingsElsewhere(id);
      hold = true;
      expect(await engine.runUntilPause(id, { maxSteps: 1 })).toMatchObject({ status: 'running', steps: 1 });
      expect(aborted).toHaveLength(1);
      expect(seen.slice(-2)).toEqual([{}, { model: 'elsewhere' }]);
      // The stopped call left nothing in the log; the step made from the fresh row did.
      const after = await allEvents(id);
      expect(after.slice(0, before.length)).toEqual(before);
      expect(after.filter((event) => event.type === 'worker_output')).toHaveLength(
        before.filter((event) => event.type === 'worker_output').length + 1,
      );
      expect(await verifyProjections(handle.db, id)).toEqual({ ok: true, differences: [] });
    },
  );

  it.skipIf(testDriver() === 'pglite')(
    "keeps an answer that came before the read found another process's change, and reads the row again after it",
    async () => {
      let release: (() => void) | undefined;
      // Read-only steps: each commits the row it carries on (a step with effects reads it again).
      const reads: Script = (context, helpers) =>
        context.turn <= 2
          ? writing(context, helpers)
          : { kind: 'tool_call', tool: 'read_note', args: { name: 'n2' } };
      const { engine, seen } = settingsEngine(reads, (worker) => ({
        label: 'answering first',
        respond: (context, call) => {
          // The read is held up (the table is locked): the answer comes first, then the lock goes.
          if (release) setTimeout(release, 50);
          release = undefined;
          return worker.respond(context, call);
        },
      }));
      const { id } = await engine.createProject({ ownerId, name: 'Changed elsewhere, answered first' });
      await engine.runUntilPause(id, { maxSteps: 3 });
      await changeSettingsElsewhere(id);
      const from = seen.length;
      let locked: () => void = () => {};
      const lock = handle.db.transaction(async (tx) => {
        await tx.execute(sql`lock table projects in access exclusive mode`);
        await new Promise<void>((resolve) => {
          release = resolve;
          locked();
        });
      });
      await new Promise<void>((resolve) => {
        locked = resolve;
      });
      expect(await engine.runUntilPause(id, { maxSteps: 1 })).toMatchObject({ steps: 1 });
      await lock;
      // The held-up read and the commit were let go together: its answer may still be on its way.
      await new Promise((resolve) => setTimeout(resolve, 250));
      expect(await engine.runUntilPause(id, { maxSteps: 1 })).toMatchObject({ steps: 1 });
      // The held-up step used its answer (given with the old settings); the next one read the row first.
      expect(seen.slice(from)).toEqual([{}, { model: 'elsewhere' }]);
      const log = await allEvents(id);
      expect(log.map((event) => event.seq)).toEqual(log.map((_, index) => index + 1));
      expect(await verifyProjections(handle.db, id)).toEqual({ ok: true, differences: [] });
    },
  );

  it('sees a pause from another process before the next model call, and a commit that lost the race rolls back whole', async () => {
    const { engine, worker } = setup(writing);
    const other = setup(writing).engine; // another process on the same database
    const { id } = await engine.createProject({ ownerId, name: 'Paused elsewhere' });
    await engine.runUntilPause(id, { maxSteps: 3 });
    const calls = worker.calls.length;
    await other.pause(id);
    expect(await engine.runUntilPause(id, { maxSteps: 1 })).toMatchObject({ status: 'paused', steps: 0 });
    expect(worker.calls).toHaveLength(calls);

    // A pause that lands while a step is under way: the step's commit is refused and redone from the
    // fresh row, so the log stays contiguous and the projections equal a fold of it.
    await other.resume(id);
    const racing = createEngine({
      db: handle.db,
      domain: notesDomain({ dir }),
      workerFor: () => pausingOnce(worker, () => other.pause(id)),
      limits: { spendCapUsd: null },
    });
    expect(await racing.runUntilPause(id)).toMatchObject({ status: 'paused' });
    const log = await allEvents(id);
    expect(log.map((event) => event.seq)).toEqual(log.map((_, index) => index + 1));
    expect(log.at(-1)?.type).toBe('worker_output'); // stored, not acted on while paused
    expect(await verifyProjections(handle.db, id)).toEqual({ ok: true, differences: [] });
  });
});

describe('read-only tools', () => {
  /** Starts writing, writes one note, then reads it `reads` times, then finishes. */
  const reading =
    (reads: number): Script =>
    (context) => {
      if (context.stage === 'intake') return { kind: 'tool_call', tool: 'start_writing', args: {} };
      const writes = context.turn <= 2;
      if (writes) return { kind: 'tool_call', tool: 'write_note', args: { name: 'a', text: 'alpha' } };
      return context.turn <= 2 + reads
        ? { kind: 'tool_call', tool: 'read_note', args: { name: 'a' } }
        : { kind: 'final', summary: 'Read.' };
    };

  /** An engine whose commits are recorded one batch of events per commit; `read` replaces read_note's run. */
  function recording(script: Script, read?: () => Promise<{ data: unknown }>) {
    const commits: string[][] = [];
    const domain = notesDomain({ dir });
    const engine = createEngine({
      db: handle.db,
      domain: {
        ...domain,
        tools: domain.tools.map((tool) =>
          tool.name === 'read_note' && read ? { ...tool, run: read } : tool,
        ),
      },
      workerFor: () => scriptedWorker(script),
      limits: { spendCapUsd: null },
      onEvents: (stored) => commits.push(stored.map((event) => event.type)),
    });
    return { engine, commits };
  }

  it('commits a read-only step whole in one commit, and a step with effects in two', async () => {
    const { engine, commits } = recording(reading(3));
    const { id } = await engine.createProject({ ownerId, name: 'Reads' });
    expect(await engine.runUntilPause(id)).toMatchObject({ status: 'completed' });
    const reads = commits.filter((types) => types.includes('tool_started') && types.includes('step_settled'));
    expect(reads).toHaveLength(3);
    for (const types of reads) {
      expect(types.slice(0, 4)).toEqual(['worker_output', 'tool_started', 'tool_finished', 'step_settled']);
    }
    // write_note changes files: its intent commits before it runs, its result after.
    const writeIntent = commits.findIndex((types) => types.join() === 'worker_output,tool_started');
    expect(writeIntent).toBeGreaterThan(-1);
    expect(commits[writeIntent + 1]?.[0]).toBe('tool_finished');
    const log = await allEvents(id);
    expect(log.map((event) => event.seq)).toEqual(log.map((_, index) => index + 1));
    expect(await verifyProjections(handle.db, id)).toEqual({ ok: true, differences: [] });
  });

  it('lets the result go when the project moved on during the call, and acts on the stored answer later', async () => {
    let runs = 0;
    const other = setup(reading(1)).engine; // another process on the same database
    const { engine } = recording(reading(1), async () => {
      runs++;
      return { data: { text: 'alpha' } };
    });
    const { id } = await engine.createProject({ ownerId, name: 'Paused while reading' });
    await engine.runUntilPause(id, { maxSteps: 2 }); // start writing, write the note
    const worker = scriptedWorker(reading(1));
    const racing = createEngine({
      db: handle.db,
      domain: {
        ...notesDomain({ dir }),
        tools: notesDomain({ dir }).tools.map((tool) =>
          tool.name === 'read_note'
            ? {
                ...tool,
                run: async () => {
                  runs++;
                  return { data: { text: 'alpha' } };
                },
              }
            : tool,
        ),
      },
      workerFor: () => pausingOnce(worker, () => other.pause(id)),
      limits: { spendCapUsd: null },
    });
    expect(await racing.runUntilPause(id)).toMatchObject({ status: 'paused' });
    expect(runs).toBe(1); // it ran: reading is harmless
    let log = await allEvents(id);
    expect(log.at(-1)?.type).toBe('worker_output'); // but nothing of it was recorded
    expect(log.filter((event) => event.type === 'tool_started')).toHaveLength(2);

    await other.resume(id);
    expect(await engine.runUntilPause(id)).toMatchObject({ status: 'completed' });
    log = await allEvents(id);
    const reads = log.filter(
      (event) => event.type === 'tool_started' && (event.payload as { tool: string }).tool === 'read_note',
    );
    expect(reads).toHaveLength(1); // the stored answer was acted on once
    expect(log.map((event) => event.seq)).toEqual(log.map((_, index) => index + 1));
    expect(await verifyProjections(handle.db, id)).toEqual({ ok: true, differences: [] });
  });

  it('stores the answer and the intent while a slow read runs', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const { engine, commits } = recording(reading(1), async () => {
      await gate;
      return { data: { text: 'alpha' } };
    });
    const { id } = await engine.createProject({ ownerId, name: 'Slow read' });
    const run = engine.runUntilPause(id);
    await waitForEvent(id, 'tool_started', (payload) => payload.tool === 'read_note');
    expect(commits.at(-1)).toEqual(['worker_output', 'tool_started']); // stored before the read returned
    release();
    expect(await run).toMatchObject({ status: 'completed' });
    const log = await allEvents(id);
    expect(log.map((event) => event.seq)).toEqual(log.map((_, index) => index + 1));
    expect(await verifyProjections(handle.db, id)).toEqual({ ok: true, differences: [] });
  });

  it('runs a read-only tool once when its events need a transaction: the intent commits, then the rest', async () => {
    let runs = 0;
    const { engine, commits } = recording(reading(1), async () => {
      runs++;
      return {
        data: { text: 'alpha' },
        effects: [{ type: 'domain_event', name: 'note_read', data: { name: 'a' } }],
      };
    });
    const { id } = await engine.createProject({ ownerId, name: 'Read with a domain event' });
    expect(await engine.runUntilPause(id)).toMatchObject({ status: 'completed' });
    expect(runs).toBe(1);
    const intent = commits.findIndex((types) => types.join() === 'worker_output,tool_started');
    expect(commits.slice(intent).flat()).toEqual(
      expect.arrayContaining(['tool_finished', 'domain', 'step_settled']),
    );
    const log = await allEvents(id);
    expect(log.filter((event) => event.type === 'tool_started')).toHaveLength(3);
    expect(log.map((event) => event.seq)).toEqual(log.map((_, index) => index + 1));
    expect(await verifyProjections(handle.db, id)).toEqual({ ok: true, differences: [] });
  });

  it('refuses a read-only tool that is not repeatable', () => {
    const domain = notesDomain({ dir });
    expect(() =>
      createEngine({
        db: handle.db,
        domain: {
          ...domain,
          tools: domain.tools.map((tool) =>
            tool.name === 'read_note' ? { ...tool, repeatable: false } : tool,
          ),
        },
        workerFor: () => scriptedWorker(notesJourney),
      }),
    ).toThrow('Tool read_note is read-only, so it must be repeatable');
  });
});

describe('interrupted tools', () => {
  it('never runs a non-repeatable tool twice: an interrupted one surfaces as outcome unknown', async () => {
    const sent: string[] = [];
    const script: Script = (context) =>
      context.stage === 'intake'
        ? { kind: 'tool_call', tool: 'start_writing', args: {} }
        : { kind: 'tool_call', tool: 'send_email', args: { to: 'owner@example.com' } };
    // The first process dies while send_email runs: its intent is recorded, its result never is.
    const first = setup(script, {}, sent, 'send_email');
    const { id } = await first.engine.createProject({ ownerId, name: 'Email' });
    void first.engine.runUntilPause(id);
    await waitForEvent(id, 'tool_started', (payload) => payload.tool === 'send_email');
    const { engine } = setup(script, {}, sent);
    expect(await engine.runUntilPause(id)).toMatchObject({ status: 'paused', pausedReason: 'error' });
    expect(sent).toEqual([]);
    const types = (await allEvents(id)).map((event) => event.type);
    expect(types).toContain('tool_outcome_unknown');
    expect((await openPending(id)).kind).toBe('continuation');
  });
});

describe('more guards', () => {
  it('moves the project to error when the iteration cap is reached, with an alarm and a pause', async () => {
    const { engine } = setup(notesJourney, { iterationCap: 3 });
    const { id } = await engine.createProject({ ownerId, name: 'Cap' });
    await engine.runUntilPause(id);
    await engine.answer(id, { pendingId: (await openPending(id)).id, answer: 'Cats' });
    expect((await engine.runUntilPause(id)).status).toBe('awaiting_human');
    // Approving moves the lifecycle back from waiting_approval: the third transition reaches the cap.
    await engine.answer(id, { pendingId: (await openPending(id)).id, approved: true });
    const outcome = await engine.runUntilPause(id);
    expect(outcome).toMatchObject({ status: 'paused', pausedReason: 'error' });
    const row = await project(id);
    expect(row).toMatchObject({ lifecycleState: 'error', iterations: 3 });
    const alarm = (await allEvents(id)).find(
      (event) =>
        event.type === 'alarm_raised' &&
        (event.payload as { type: string }).type === 'iteration_limit_reached',
    );
    expect(alarm).toBeTruthy();
    expect(await verifyProjections(handle.db, id)).toEqual({ ok: true, differences: [] });
  });

  it('pauses every project when the rolling daily cap is reached', async () => {
    const worker = scriptedWorker(
      () => ({ kind: 'tool_call', tool: 'read_note', args: { name: `n${Math.random()}` } }),
      () => ({ provider: 'test', model: 'm', role: 'chat', costUsd: 0.3 }),
    );
    const engine = createEngine({
      db: handle.db,
      domain: notesDomain({ dir }),
      workerFor: () => worker,
      limits: { spendCapUsd: null, dailySpendCapUsd: 1, failureThreshold: 100, turnCap: 100 },
    });
    const first = await engine.createProject({ ownerId, name: 'One' });
    const second = await engine.createProject({ ownerId, name: 'Two' });
    expect(await engine.runUntilPause(first.id)).toMatchObject({
      status: 'paused',
      pausedReason: 'spend_cap',
    });
    expect(await engine.runUntilPause(second.id)).toMatchObject({
      status: 'paused',
      pausedReason: 'spend_cap',
      steps: 1,
    });
    const alarm = (await allEvents(second.id)).find((event) => event.type === 'alarm_raised');
    expect((alarm?.payload as { message: string } | undefined)?.message).toMatch(
      /all projects in the last 24 hours/,
    );
  });

  it('lets exactly one of two concurrent resumes win', async () => {
    const looping: Script = () => ({
      kind: 'tool_call',
      tool: 'read_note',
      args: { name: `n-${Math.random()}` },
    });
    const { engine } = setup(looping, { turnCap: 1, failureThreshold: 100 });
    const { id } = await engine.createProject({ ownerId, name: 'Resume race' });
    expect(await engine.runUntilPause(id)).toMatchObject({ status: 'paused', pausedReason: 'turn_cap' });
    const results = await Promise.allSettled([engine.resume(id), engine.resume(id)]);
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    const resumed = (await allEvents(id)).filter(
      (event) =>
        event.type === 'run_status_changed' && (event.payload as { cause: string }).cause === 'owner resumed',
    );
    expect(resumed).toHaveLength(1);
  });
});
