/**
 * The engine: `runUntilPause` drives one project's loop — guards → worker → store the envelope → act
 * on it through the one tool choke point → hooks → gates — committing each step's events in one
 * transaction before anything is announced. Owners act through `answer`, `resume`, `pause`, `stop`,
 * `start` and `sendMessage`, each a claimed (compare-and-set) change.
 */
import { randomUUID } from 'node:crypto';
import { type Db, isEmbedded, pendings, projects, spendLedger } from '@sitewright/db';
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { alarmEvent, resolveStateAlarms } from './alarms.ts';
import { builtinTools } from './builtin-tools.ts';
import type { DomainPack } from './domain.ts';
import { EngineError } from './errors.ts';
import {
  type AppendOptions,
  appendEvents,
  appendScripted,
  type DbOrTx,
  defaultActor,
  readEvents,
  rowUnchanged,
  type Tx,
  watchProjectWrites,
} from './events/log.ts';
import type { EventDraft, StoredEvent } from './events/types.ts';
import { continuation, type GuardPause, guardStep, spendCapPause } from './guards.ts';
import { createLiveText, type LiveText } from './live.ts';
import { DEFAULT_ITERATION_CAP, type RunEvent } from './machine/index.ts';
import { rewindInTx, undoRewindInTx } from './rewind.ts';
import {
  claimRunStatus,
  loadProject,
  type ProjectRow,
  pauseIfActive,
  runStatusDraft,
  transitionEvents,
  transitionPathEvents,
  updateSettings,
} from './run-state.ts';
import { createSnapshotInTx, listSnapshots, rollbackInTx } from './snapshots.ts';
import { type CapReached, checkSpend, createSpendMeter, SpendCapReached, type SpendMeter } from './spend.ts';
import type { ToolDefinition, ToolEffect, ToolResult } from './tools.ts';
import { Envelope, type Worker, type WorkerContext, WorkerFault, type WorkerResponse } from './worker.ts';

export interface EngineLimits {
  /** Worker turns between human inputs before a continuation gate (TURN_CAP). */
  turnCap: number;
  /** Lifecycle transitions before the project goes to `error`. */
  iterationCap: number;
  /** Spend per project (USD); null = no cap. */
  spendCapUsd: number | null;
  /** Spend of all projects over the last 24 hours (USD); null = no cap. */
  dailySpendCapUsd: number | null;
  /** Failures within `failureWindowMs` that pause the run. */
  failureThreshold: number;
  failureWindowMs: number;
  /** Events the worker sees at most. */
  historyLimit: number;
}

export const defaultLimits: EngineLimits = {
  turnCap: 10,
  iterationCap: DEFAULT_ITERATION_CAP,
  spendCapUsd: 1,
  dailySpendCapUsd: null,
  failureThreshold: 3,
  failureWindowMs: 60_000,
  historyLimit: 200,
};

export interface EngineOptions {
  db: Db;
  domain: DomainPack;
  /** The worker for a project's current stage role. */
  workerFor(project: { id: string; stage: string; role: string; settings: unknown }): Worker;
  limits?: Partial<EngineLimits>;
  now?: () => Date;
  /** Called after each commit with the events it made durable (the API's hub subscribes). */
  onEvents?: (events: StoredEvent[]) => void;
  /** The model's text while a call runs (not stored; see live.ts). */
  onLive?: (text: LiveText) => void;
  /**
   * How often a running model call checks whether the owner paused or stopped the run from another
   * process (ms, default 1000); in this process the call is cancelled at once.
   */
  cancelPollMs?: number;
}

export interface RunOptions {
  /** The runner's fencing token; every append checks it. */
  fencingToken?: number;
  /** The runner driving the project (handed to tools, e.g. as the claimant of work items). */
  runnerId?: string;
  signal?: AbortSignal;
  /** Stop after this many steps even if the run could continue (tests, fairness between projects). */
  maxSteps?: number;
}

export interface RunOutcome {
  status: ProjectRow['runStatus'];
  pausedReason: ProjectRow['pausedReason'];
  steps: number;
}

/** Answers by pending kind: a question takes text; an approval a decision; a continuation a choice. */
export const AnswerInput = z.object({
  pendingId: z.string().min(1),
  answer: z.string().trim().min(1).max(10_000).optional(),
  approved: z.boolean().optional(),
  notes: z.string().max(10_000).optional(),
});
export type AnswerInput = z.infer<typeof AnswerInput>;

export type Engine = ReturnType<typeof createEngine>;

export function createEngine(options: EngineOptions) {
  const { db, domain } = options;
  const limits: EngineLimits = { ...defaultLimits, ...options.limits };
  const now = options.now ?? (() => new Date());
  const cancelPollMs = options.cancelPollMs ?? 1_000;
  /** Cancels the model call running for a project in this process (the owner paused or stopped). */
  const inflight = new Map<string, () => void>();
  const registry = new Map<string, ToolDefinition<unknown>>();
  /** Tool descriptions for the worker, built once: the argument schemas as JSON Schema. */
  const toolSpecs = new Map<string, { name: string; description: string; parameters: unknown }>();
  for (const tool of [...builtinTools, ...domain.tools]) {
    if (registry.has(tool.name)) throw new Error(`Tool ${tool.name} is registered twice`);
    if (tool.readOnly && !tool.repeatable)
      throw new Error(`Tool ${tool.name} is read-only, so it must be repeatable`);
    registry.set(tool.name, tool as ToolDefinition<unknown>);
    toolSpecs.set(tool.name, {
      name: tool.name,
      description: tool.description,
      parameters: z.toJSONSchema(tool.args),
    });
  }

  /**
   * Recent active events per project, so a step does not re-read its history: this engine's own
   * commits are appended as they happen, other writers' events are caught up by seq, and anything
   * that rewrites history (a rewind or its undo) forces a full re-read. The window is the same seq
   * window a fresh read would use, so the worker sees the same history either way.
   */
  const recent = new Map<string, { through: number; events: StoredEvent[] }>();
  const MAX_CACHED_PROJECTS = 256;
  /** The project row as this engine's last one-round-trip commit left it (see `startingRow`). */
  const committedRows = new Map<string, ProjectRow>();
  /** Marks this engine's step commits, so that they do not count as another writer's. */
  const self = {};
  /**
   * The projects whose carried row is known to be outdated: someone else in this process (an owner's
   * action, another engine, the settings) wrote to them since this engine last read their row, or a
   * freshness read found another process's change. Their next step reads the row first. On the
   * embedded database no other process can write, so a project not in this set needs no read at all.
   */
  const embedded = isEmbedded(db);
  const writtenByOthers = {
    projects: new Set<string>(),
    onWrite(projectId: string, writer: object | undefined) {
      if (writer !== self) writtenByOthers.projects.add(projectId);
    },
  };
  watchProjectWrites(writtenByOthers);

  async function recentEvents(projectId: string, lastSeq?: number): Promise<StoredEvent[]> {
    // Without a known head the cache is trusted: this engine's own commits keep it current.
    const head = lastSeq ?? recent.get(projectId)?.through ?? (await loadProject(db, projectId)).lastSeq;
    const from = Math.max(0, head - limits.historyLimit);
    let entry = recent.get(projectId);
    if (entry && entry.through < head) {
      const delta = await readEvents(db, projectId, { afterSeq: entry.through });
      const rewritten = delta.some((event) => event.type === 'rewound' || event.type === 'rewind_undone');
      entry = rewritten ? undefined : { through: head, events: [...entry.events, ...delta] };
    }
    if (!entry || entry.through > head) {
      entry = { through: head, events: await readEvents(db, projectId, { afterSeq: from }) };
    }
    if ((entry.events[0]?.seq ?? from + 1) <= from) {
      entry.events = entry.events.filter((event) => event.seq > from);
    }
    recent.delete(projectId);
    recent.set(projectId, entry);
    if (recent.size > MAX_CACHED_PROJECTS) {
      const evicted = recent.keys().next().value as string;
      recent.delete(evicted);
      committedRows.delete(evicted);
    }
    return entry.events;
  }

  function remember(projectId: string, stored: StoredEvent[]): void {
    const entry = recent.get(projectId);
    const first = stored[0];
    if (!entry || !first) return;
    if (entry.through === first.seq - 1) {
      entry.events.push(...stored);
      entry.through = (stored.at(-1) as StoredEvent).seq;
    } else recent.delete(projectId);
  }

  /** One transaction: build the step's events from fresh reads, append them, publish after commit. */
  async function commit(
    projectId: string,
    build: (tx: Tx, row: ProjectRow) => Promise<EventDraft[]> | EventDraft[],
    append: AppendOptions = {},
  ): Promise<StoredEvent[]> {
    const stored = await db.transaction(async (tx) => {
      const row = await loadProject(tx, projectId, { forUpdate: true, fencingToken: append.fencingToken });
      return appendEvents(tx, projectId, await build(tx, row), { ...append, fenceChecked: true });
    });
    announce(projectId, stored);
    return stored;
  }

  /** A commit of events that need no fresh read of the project (saves a query per commit). */
  async function commitDrafts(projectId: string, drafts: EventDraft[], append: AppendOptions = {}) {
    const stored = await db.transaction((tx) => appendEvents(tx, projectId, drafts, append));
    announce(projectId, stored);
    return stored;
  }

  /**
   * The runner's hot path: drafts decided from the row it carries from its own last commit go in one
   * round trip (events/log.ts `appendScripted`). When the project moved on meanwhile (the owner acted,
   * another process wrote) or the events need a transaction, `build` decides them again from a fresh,
   * locked read, as every other commit does. Returns the events and, after a one-round-trip commit,
   * the project row as committed (null otherwise: the caller reads it again).
   */
  async function commitFrom(
    carried: ProjectRow,
    drafts: EventDraft[],
    build: (tx: Tx, row: ProjectRow) => Promise<EventDraft[]> | EventDraft[],
    append: AppendOptions,
  ): Promise<{ stored: StoredEvent[]; row: ProjectRow | null }> {
    return (
      (await commitScripted(carried, drafts, append)) ?? {
        stored: await commit(carried.id, build, append),
        row: null,
      }
    );
  }

  /** A one-round-trip commit of drafts decided from `carried`, announced; null when it wrote nothing. */
  async function commitScripted(carried: ProjectRow, drafts: EventDraft[], append: AppendOptions) {
    const done = await appendScripted(db, { row: carried, drafts, ...append });
    if (done) announce(carried.id, done.stored);
    return done;
  }

  /** After a commit: keep the history cache in step and hand the events to subscribers. */
  function announce(projectId: string, stored: StoredEvent[]): void {
    if (stored.length === 0) return;
    remember(projectId, stored);
    options.onEvents?.(stored);
  }

  function stageOf(stage: string) {
    const definition = domain.stages[stage];
    if (!definition)
      throw new EngineError('rule_violation', `Stage ${stage} is not defined by ${domain.name}`);
    return definition;
  }

  // ------------------------------------------------------------------------------------ owner actions

  /** Creates a project and starts its run: the worker's first turn asks the owner something. */
  async function createProject(input: { ownerId: string; name: string }): Promise<{ id: string }> {
    const [row] = await db
      .insert(projects)
      .values({ ownerId: input.ownerId, name: input.name, stage: domain.initialStage })
      .returning({ id: projects.id });
    if (!row) throw new Error('project insert returned nothing');
    await commit(row.id, async (tx, project) => [
      { type: 'project_created', payload: { name: input.name, stage: domain.initialStage } },
      ...(await transitionEvents(
        tx,
        project,
        stageOf(domain.initialStage).lifecycle,
        'project created',
        limits.iterationCap,
      )),
      await claimRunStatus(tx, project, { type: 'start' }, 'project created'),
    ]);
    return { id: row.id };
  }

  async function openPendings(tx: DbOrTx, projectId: string) {
    return tx
      .select()
      .from(pendings)
      .where(and(eq(pendings.projectId, projectId), eq(pendings.status, 'open')));
  }

  /**
   * Resolves an open pending with an answer of the right shape. Claimed with a conditional update, so
   * of two concurrent answers exactly one wins; the other gets a conflict.
   */
  async function answer(projectId: string, input: AnswerInput): Promise<StoredEvent[]> {
    const parsed = AnswerInput.parse(input);
    return commit(projectId, async (tx, row) => {
      const [pending] = await tx
        .select()
        .from(pendings)
        .where(and(eq(pendings.id, parsed.pendingId), eq(pendings.projectId, projectId)));
      if (!pending) throw new EngineError('not_found', 'There is no such question in this project.');
      if (pending.status !== 'open') {
        throw new EngineError('pending_not_open', 'This question has already been answered or withdrawn.');
      }
      const value = answerValue(pending, parsed);
      const claimed = await tx
        .update(pendings)
        .set({ status: 'answered' })
        .where(and(eq(pendings.id, pending.id), eq(pendings.status, 'open')))
        .returning({ id: pendings.id });
      if (claimed.length === 0)
        throw new EngineError('pending_not_open', 'This question was just answered elsewhere.');
      const drafts: EventDraft[] = [
        { type: 'pending_answered', payload: { pendingId: pending.id, answer: value } },
      ];
      if (pending.kind === 'approval' && row.lifecycleState === 'waiting_approval') {
        // Back to the stage's own state; the worker moves on (or revises) from there.
        const back = stageOf(row.stage).lifecycle;
        drafts.push(...(await transitionPathEvents(tx, row, back, 'owner decided', limits.iterationCap)));
      }
      // Questions and approvals still open once this one is answered (`openAsks` counts them).
      const stillAsking = row.openAsks - (pending.kind === 'continuation' ? 0 : 1) > 0;
      if (pending.kind === 'continuation') {
        const choice = (value as { choice: string }).choice;
        if (choice === 'stop')
          drafts.push(await claimRunStatus(tx, row, { type: 'stop' }, 'owner chose stop'));
        else if (row.runStatus === 'paused' && !stillAsking) {
          drafts.push(...(await resumeDrafts(tx, row, 'owner chose continue')));
        }
      } else if (row.runStatus === 'awaiting_human' && !stillAsking) {
        drafts.push(await claimRunStatus(tx, row, { type: 'human_answered' }, 'owner answered'));
      }
      return drafts;
    });
  }

  /** Continues a paused run. Only continuation gates are cleared; a question still needs an answer. */
  async function resume(projectId: string): Promise<StoredEvent[]> {
    return commit(projectId, async (tx, row) => {
      if (row.runStatus !== 'paused') {
        throw new EngineError('invalid_transition', `The project is ${row.runStatus}, not paused.`);
      }
      const open = await openPendings(tx, projectId);
      const drafts: EventDraft[] = open
        .filter((p) => p.kind === 'continuation')
        .map((p) => ({
          type: 'pending_answered',
          payload: { pendingId: p.id, answer: { choice: 'continue' } },
        }));
      drafts.push(
        ...(await resumeDrafts(
          tx,
          row,
          'owner resumed',
          open.some((p) => p.kind !== 'continuation'),
        )),
      );
      return drafts;
    });
  }

  async function resumeDrafts(
    tx: Tx,
    row: ProjectRow,
    cause: string,
    awaitingAnswer = false,
  ): Promise<EventDraft[]> {
    const budgetAvailable = row.pausedReason !== 'spend_cap' || (await spendCheck(tx, row.id)) === null;
    const event: RunEvent = { type: 'resume', budgetAvailable, awaitingAnswer };
    return [await claimRunStatus(tx, row, event, cause), ...(await resolveStateAlarms(tx, row.id, cause))];
  }

  async function pause(projectId: string): Promise<StoredEvent[]> {
    const stored = await commit(projectId, async (tx, row) => [
      await claimRunStatus(tx, row, { type: 'pause', reason: 'user' }, 'owner paused'),
    ]);
    inflight.get(projectId)?.();
    return stored;
  }

  async function stop(projectId: string): Promise<StoredEvent[]> {
    const stored = await commit(projectId, async (tx, row) => [
      await claimRunStatus(tx, row, { type: 'stop' }, 'owner stopped'),
    ]);
    inflight.get(projectId)?.();
    return stored;
  }

  async function start(projectId: string): Promise<StoredEvent[]> {
    return commit(projectId, async (tx, row) => [
      await claimRunStatus(tx, row, { type: 'start', awaitingAnswer: row.openAsks > 0 }, 'owner started'),
    ]);
  }

  /** A free-form message to the agent; it reads it on its next turn. */
  async function sendMessage(projectId: string, text: string): Promise<StoredEvent[]> {
    const trimmed = text.trim();
    if (!trimmed) throw new EngineError('invalid_answer', 'The message is empty.');
    return commitDrafts(projectId, [{ type: 'owner_message', payload: { text: trimmed } }]);
  }

  /** Leaves a rate-limit pause once its `resumeAt` has passed (the runner's timer calls this). */
  async function autoResume(projectId: string): Promise<StoredEvent[]> {
    return commit(projectId, async (tx, row) => {
      const awaitingAnswer = row.openAsks > 0;
      return [
        await claimRunStatus(
          tx,
          row,
          { type: 'auto_resume', now: now().toISOString(), awaitingAnswer },
          'rate limit over',
        ),
        ...(await resolveStateAlarms(tx, projectId, 'rate limit over')),
      ];
    });
  }

  // ------------------------------------------------------------------------------------------- guards

  /** A guard's pause: its alarm and gate, and the run paused (unless it already stopped). */
  async function guardPauseDrafts(tx: Tx, row: ProjectRow, pause: GuardPause): Promise<EventDraft[]> {
    return [...pause.drafts, ...(await pauseIfActive(tx, row, pause.reason, pause.cause, pause.resumeAt))];
  }

  /** Null when spending may continue; otherwise what cap is reached. */
  function spendCheck(tx: DbOrTx, projectId: string) {
    return checkSpend(tx, limits, projectId, now());
  }

  /**
   * Projects found under their spend cap by the last guard check, with nothing spent on them since.
   * While this engine drives a project it is the only writer of the project's spend (through its meters
   * and `recordSpend`, which forget the project here), and anyone else's spending comes with events,
   * which make the step start from a fresh row (`startingRow` forgets it then). So a step from the
   * carried row needs no spend query while only the project cap is set; the daily cap counts every
   * project, and is always read.
   */
  const underSpendCap = new Set<string>();

  async function guardSpend(projectId: string): Promise<CapReached | null> {
    if (limits.dailySpendCapUsd === null && underSpendCap.has(projectId)) return null;
    const reached = await spendCheck(db, projectId);
    if (reached === null) underSpendCap.add(projectId);
    return reached;
  }

  /** A spend meter for one call that makes the project's next guard check read the ledger again. */
  function meterFor(projectId: string): SpendMeter & { readonly used: boolean } {
    const meter = createSpendMeter({ db, limits, projectId, now });
    const spent = () => underSpendCap.delete(projectId);
    return {
      get used() {
        return meter.used;
      },
      async reserve(reservation) {
        spent();
        const hold = await meter.reserve(reservation);
        return {
          settle: (settlement) => hold.settle(settlement).finally(spent),
          release: () => hold.release().finally(spent),
        };
      },
    };
  }

  // ------------------------------------------------------------------------------------------ the loop

  /** Drives a project until it pauses, waits for the owner, completes, or `maxSteps` is reached. */
  async function runUntilPause(projectId: string, run: RunOptions = {}): Promise<RunOutcome> {
    const append: AppendOptions = {
      ...(run.fencingToken === undefined ? {} : { fencingToken: run.fencingToken }),
      writer: self,
    };
    const signal = run.signal ?? new AbortController().signal;
    const driver: Driver = { append, signal, ...(run.runnerId ? { runnerId: run.runnerId } : {}) };
    let steps = 0;
    /** The row this call's last step committed, when known. */
    let last: ProjectRow | null = null;
    for (;;) {
      const enough = signal.aborted || (run.maxSteps !== undefined && steps >= run.maxSteps);
      if (enough && last) return { status: last.runStatus, pausedReason: last.pausedReason, steps };
      const { row, confirmed } = await startingRow(projectId);
      if (row.runStatus !== 'running' || enough) {
        if (await confirmed) return { status: row.runStatus, pausedReason: row.pausedReason, steps };
        committedRows.delete(projectId);
        continue;
      }
      // PGlite answers without returning to the event loop: yield between steps so timers (heartbeats)
      // and requests in this process are served while a long run goes on.
      if (steps > 0) await new Promise((resolve) => setImmediate(resolve));
      let committed: ProjectRow | null | typeof STALE;
      try {
        committed = await step(row, driver, confirmed);
      } catch (error) {
        committedRows.delete(projectId);
        throw error;
      }
      if (committed === STALE) {
        committedRows.delete(projectId);
        continue;
      }
      steps++;
      last = committed;
      if (committed) committedRows.set(projectId, committed);
      else committedRows.delete(projectId);
    }
  }

  /**
   * The project row a step starts from. The row this engine's last commit for the project returned is
   * still current when nothing was appended since — in this process (the history cache has seen every
   * commit, and `writtenByOthers` every other writer here) nor in another (one cheap read of
   * `last_seq` and the settings, `confirmed`). That read is not waited for: it runs while the step
   * checks its guards, builds the worker's context and calls the model, and a read that finds the row
   * changed stops the call (`callWorker`) and the step starts again from a fresh row. A call that
   * answered first is kept: its commit goes through only if the log did not move (`appendScripted`), and
   * the next step reads the row again. On the embedded database no other process can write: no read.
   * See docs/adr/0007-freshness-read-alongside-the-call.md.
   */
  async function startingRow(projectId: string): Promise<{ row: ProjectRow; confirmed: Promise<boolean> }> {
    const known = committedRows.get(projectId);
    const others = writtenByOthers.projects;
    if (known && !others.has(projectId) && recent.get(projectId)?.through === known.lastSeq) {
      if (embedded) return { row: { ...known }, confirmed: CONFIRMED };
      const confirmed = rowUnchanged(db, known).then(
        (current) => current || stale(projectId),
        () => stale(projectId),
      );
      return { row: { ...known }, confirmed };
    }
    committedRows.delete(projectId);
    underSpendCap.delete(projectId);
    others.delete(projectId); // the read below sees every write issued before it
    return { row: await loadProject(db, projectId), confirmed: CONFIRMED };
  }

  /** Marks the row this engine carries for `projectId` as outdated: the next step reads it again. */
  function stale(projectId: string): false {
    writtenByOthers.projects.add(projectId);
    return false;
  }

  /**
   * One step. Every branch ends in a commit, so a crash anywhere resumes from the log. Returns the
   * project row as the step's last commit left it, when that commit knows it.
   */
  async function step(
    row: ProjectRow,
    driver: Driver,
    confirmed: Promise<boolean>,
  ): Promise<ProjectRow | null | typeof STALE> {
    const { append } = driver;
    const history = await recentEvents(row.id, row.lastSeq);

    // 1. Finish what a crash interrupted: a started tool without a result, or a stored, unacted output.
    const interrupted = findInterruptedTool(history);
    if (interrupted) {
      const tool = registry.get(interrupted.payload.tool);
      if (tool?.repeatable) return runTool(row, interrupted, tool, driver);
      await commit(
        row.id,
        async (tx, fresh) => [
          {
            type: 'tool_outcome_unknown',
            payload: { callId: interrupted.payload.callId, tool: interrupted.payload.tool },
          },
          alarmEvent({
            type: 'outcome_unknown',
            severity: 'error',
            message: `The step "${interrupted.payload.tool}" was interrupted and may or may not have taken effect.`,
            recommendedAction: 'Check the result (preview, history), then continue or rewind to before it.',
            context: { tool: interrupted.payload.tool, callId: interrupted.payload.callId },
          }),
          continuation('outcome_unknown', `"${interrupted.payload.tool}" was interrupted. Continue anyway?`),
          ...(await pauseIfActive(tx, fresh, 'error', 'tool outcome unknown')),
        ],
        append,
      );
      return null;
    }
    const unsettled = findUnsettledTool(history);
    if (unsettled) return settle(row, unsettled, append);
    const unacted = findUnactedOutput(history);
    if (unacted) return act(row, unacted, driver);

    // 2. Guards: caps, failures, loops. A guard that trips pauses the run in its own commit.
    const tripped = await guardStep({
      row,
      history,
      limits,
      now: now(),
      spendCheck: () => guardSpend(row.id),
    });
    if (tripped?.pause) {
      const pause = tripped.pause;
      await commit(row.id, (tx, fresh) => guardPauseDrafts(tx, fresh, pause), append);
      return null;
    }
    if (tripped?.nudge) await commitDrafts(row.id, [tripped.nudge as EventDraft], append);

    // 3. Ask the worker (no transaction is open during the call).
    const stage = stageOf(row.stage);
    const context = await buildContext(row, history, tripped?.nudge?.payload.message);
    const worker = options.workerFor({
      id: row.id,
      stage: row.stage,
      role: stage.role,
      settings: row.settings,
    });
    let called = await callWorker(row, driver, worker, context, confirmed);
    if (!called.ok) return called.stale ? STALE : failedCall(row, called, append);
    let { response } = called;
    let parsed = Envelope.safeParse(response.output);
    if (!parsed.success) {
      const firstError = describeZodError(parsed.error);
      const first = called;
      await commit(row.id, (tx) => invalidOutputDrafts(tx, row, first, firstError, 1), append);
      called = await callWorker(row, driver, worker, {
        ...context,
        repair: { error: firstError, previous: response.output },
      });
      if (!called.ok) return failedCall(row, called, append);
      response = called.response;
      parsed = Envelope.safeParse(response.output);
      if (!parsed.success) {
        const secondError = describeZodError(parsed.error);
        const second = called;
        await commit(
          row.id,
          async (tx, fresh) => [
            ...(await invalidOutputDrafts(tx, row, second, secondError, 2)),
            alarmEvent({
              type: 'output_schema_violation',
              severity: 'error',
              message: 'The agent twice answered in a form the system cannot use.',
              recommendedAction:
                'Resume to let it try again; if it keeps happening, switch to another model.',
              context: { error: secondError },
              autoResolve: true,
            }),
            ...(await pauseIfActive(tx, fresh, 'error', 'output schema violation')),
          ],
          append,
        );
        return null;
      }
    }
    const envelope = parsed.data;
    const answered = called;
    const swapped: EventDraft[] = response.usage?.isFallback
      ? [
          {
            type: 'model_swapped',
            payload: {
              role: response.usage.role,
              model: response.usage.model,
              reason: 'the main model was rate limited',
            },
          },
        ]
      : [];
    const output: EventDraft = {
      type: 'worker_output',
      payload: {
        turn: row.turnsSinceHuman + 1,
        envelope,
        costUsd: response.usage?.costUsd ?? 0,
        seenSeq: row.lastSeq,
        ...(response.usage ? { model: response.usage.model } : {}),
      },
    };
    // The regular way: the output alone, acted on by the next step (the path a resume after a crash takes).
    const storeOutput = async () => {
      await commit(
        row.id,
        async (tx) => {
          await recordSpend(tx, row, answered);
          return [...swapped, output];
        },
        append,
      );
      return null;
    };
    // A tool call the choke point accepts is stored with its intent in one commit, and the tool runs at
    // once: nothing can happen between the two that the log would need to tell apart. A read-only tool
    // runs first (`runReadOnly`). A risky tool (its restore point is taken first), a spend row to
    // record, or a project that moved on during the call take the regular way.
    const tool = envelope.kind === 'tool_call' ? registry.get(envelope.tool) : undefined;
    if (
      envelope.kind !== 'tool_call' ||
      !tool ||
      tool.risky ||
      (response.usage && !answered.metered) ||
      dispatchRejection(row.stage, envelope.tool, envelope.args) !== null
    )
      return storeOutput();
    const say = sayDrafts(envelope.say);
    const intent = (base: ProjectRow): EventDraft[] => {
      const outputSeq = base.lastSeq + swapped.length + 1;
      return [
        ...swapped,
        output,
        ...say,
        toolStartedDraft(outputSeq, tool.name, envelope.args, tool.repeatable),
      ];
    };
    if (tool.readOnly) return runReadOnly(row, tool, envelope.args, intent, driver, storeOutput);
    const done = await commitScripted(row, intent(row), append);
    if (!done) return storeOutput();
    const started = done.stored.at(-1) as ToolStartedEvent; // the intent is the commit's last event
    return runTool(done.row ?? row, started, tool, driver, done.row);
  }

  /**
   * One worker call with what the engine hands it: a spend meter, live text for the owner, and
   * cancellation — the runner's signal (a lost lease), the row it was decided from turning out
   * outdated (`confirmed`, see `startingRow`), or the owner pausing or stopping the run (at once in this
   * process; from another process within `cancelPollMs`, by watching the run status).
   */
  async function callWorker(
    row: ProjectRow,
    driver: Driver,
    worker: Worker,
    context: WorkerContext,
    confirmed: Promise<boolean> = CONFIRMED,
  ): Promise<WorkerCalled> {
    const controller = new AbortController();
    const forward = () => controller.abort(driver.signal.reason);
    if (driver.signal.aborted) forward();
    else driver.signal.addEventListener('abort', forward, { once: true });
    let ownerStopped = false;
    let outdated = false;
    if (confirmed !== CONFIRMED) {
      void confirmed.then((current) => {
        if (current || controller.signal.aborted) return;
        outdated = true;
        controller.abort(new EngineError('conflict', 'The project changed since this step read it.'));
      });
    }
    const cancel = () => {
      if (controller.signal.aborted) return;
      ownerStopped = true;
      controller.abort(new EngineError('conflict', 'The owner paused or stopped the run.'));
    };
    inflight.set(row.id, cancel);
    const watch = setInterval(() => {
      db.select({ runStatus: projects.runStatus })
        .from(projects)
        .where(eq(projects.id, row.id))
        .then(([fresh]) => {
          if (fresh?.runStatus !== 'running') cancel();
        })
        .catch(() => {});
    }, cancelPollMs);
    watch.unref?.();
    const meter = meterFor(row.id);
    const live = options.onLive
      ? createLiveText(options.onLive, { projectId: row.id, turn: context.turn })
      : null;
    try {
      const response = await worker.respond(context, {
        signal: controller.signal,
        spend: meter,
        onText: (delta) => live?.push(delta),
        atSeq: row.lastSeq,
      });
      return { ok: true, response, metered: meter.used };
    } catch (error) {
      return { ok: false, error, ownerStopped, stale: outdated };
    } finally {
      clearInterval(watch);
      if (inflight.get(row.id) === cancel) inflight.delete(row.id);
      driver.signal.removeEventListener('abort', forward);
      live?.end();
    }
  }

  /** After a call that did not answer: nothing (the owner stopped it), a spend-cap pause, or a failure. */
  async function failedCall(
    row: ProjectRow,
    called: Extract<WorkerCalled, { ok: false }>,
    append: AppendOptions,
  ): Promise<null> {
    const { error } = called;
    // The owner's pause or stop is already committed; a lost lease may not write at all.
    if (called.ownerStopped) return null;
    if (error instanceof EngineError && error.code === 'lease_lost') throw error;
    if (error instanceof SpendCapReached) {
      const pause = spendCapPause(error.reached);
      await commit(row.id, (tx, fresh) => guardPauseDrafts(tx, fresh, pause), append);
      return null;
    }
    await commit(row.id, async (tx, fresh) => workerFailureDrafts(tx, fresh, error), append);
    return null;
  }

  /** The spend of a worker that did not meter its calls itself (e.g. one with a fixed price per turn). */
  async function recordSpend(tx: Tx, row: ProjectRow, called: WorkerAnswered): Promise<void> {
    const usage = called.response.usage;
    if (!usage || called.metered) return;
    underSpendCap.delete(row.id);
    await tx.insert(spendLedger).values({
      projectId: row.id,
      provider: usage.provider,
      model: usage.model,
      role: usage.role,
      status: 'settled',
      costUsd: usage.costUsd,
      inputTokens: usage.inputTokens ?? 0,
      outputTokens: usage.outputTokens ?? 0,
      cacheReadTokens: usage.cacheReadTokens ?? 0,
      cacheWriteTokens: usage.cacheWriteTokens ?? 0,
      priced: usage.priced ?? true,
      isFallback: usage.isFallback ?? false,
      settledAt: now(),
    });
  }

  async function invalidOutputDrafts(
    tx: Tx,
    row: ProjectRow,
    called: WorkerAnswered,
    error: string,
    attempt: number,
  ): Promise<EventDraft[]> {
    await recordSpend(tx, row, called);
    return [
      {
        type: 'worker_output_invalid',
        payload: { turn: row.turnsSinceHuman + 1, error, raw: toJson(called.response.output), attempt },
      },
    ];
  }

  async function workerFailureDrafts(tx: Tx, row: ProjectRow, error: unknown): Promise<EventDraft[]> {
    const fault = error instanceof WorkerFault ? error : new WorkerFault('transient', errorMessage(error));
    const drafts: EventDraft[] = [
      { type: 'worker_failed', payload: { kind: fault.kind, message: fault.message } },
    ];
    if (fault.kind === 'rate_limited') {
      const resumeAt = new Date(now().getTime() + (fault.retryAfterMs ?? 60_000));
      drafts.push(
        alarmEvent({
          type: 'rate_limited',
          severity: 'warning',
          message: 'The model provider asked us to slow down.',
          recommendedAction: `The agent continues by itself at ${resumeAt.toISOString()}.`,
          context: { resumeAt: resumeAt.toISOString() },
          autoResolve: true,
        }),
        ...(await pauseIfActive(tx, row, 'rate_limited', fault.message, resumeAt)),
      );
    } else if (fault.kind === 'auth' || fault.kind === 'quota') {
      drafts.push(
        alarmEvent({
          type: 'worker_unavailable',
          severity: 'critical',
          message:
            fault.kind === 'auth'
              ? 'The model provider rejected the API key.'
              : 'The model provider says the account has no quota left.',
          recommendedAction:
            fault.kind === 'auth'
              ? 'Fix the API key in the configuration, restart, then resume.'
              : 'Add credit or raise the quota with the provider, then resume.',
          context: { detail: fault.message },
          autoResolve: true,
        }),
        ...(await pauseIfActive(tx, row, 'error', fault.message)),
      );
    }
    return drafts;
  }

  async function buildContext(
    row: ProjectRow,
    history: StoredEvent[],
    nudge?: string,
  ): Promise<WorkerContext> {
    const stage = stageOf(row.stage);
    const domainContext = { db, projectId: row.id, stage: row.stage };
    // Computed once per turn: the worker sees it, and the prompt template may render from it.
    const summary = (await domain.summary?.(domainContext)) ?? {};
    return {
      projectId: row.id,
      stage: row.stage,
      lifecycleState: row.lifecycleState,
      turn: row.turnsSinceHuman + 1,
      systemPrompt: await domain.systemPrompt({ ...domainContext, summary }),
      tools: stage.tools.flatMap((name) => {
        const spec = toolSpecs.get(name);
        return spec ? [spec] : [];
      }),
      history,
      summary,
      ...(nudge ? { nudge } : {}),
    };
  }

  // -------------------------------------------------------------------------------- acting on output

  async function act(row: ProjectRow, output: WorkerOutputEvent, driver: Driver): Promise<ProjectRow | null> {
    const { append } = driver;
    const envelope = Envelope.parse(output.payload.envelope);
    if (envelope.kind === 'final') {
      await commit(
        row.id,
        // Paused or stopped meanwhile: leave the output unacted; it completes the run after a resume.
        async (tx, fresh) =>
          fresh.runStatus !== 'running'
            ? []
            : [
                { type: 'worker_output_applied', payload: { outputSeq: output.seq, kind: 'final' } },
                { type: 'agent_message', payload: { text: envelope.summary } },
                ...(await transitionPathEvents(
                  tx,
                  fresh,
                  'completed',
                  'worker finished',
                  limits.iterationCap,
                )),
                await claimRunStatus(tx, fresh, { type: 'complete' }, 'worker finished'),
              ],
        append,
      );
      return null;
    }
    if (envelope.kind === 'escalate') {
      await commit(
        row.id,
        async (tx, fresh) => [
          { type: 'worker_output_applied', payload: { outputSeq: output.seq, kind: 'escalate' } },
          {
            type: 'pending_opened',
            payload: { pendingId: randomUUID(), kind: 'question', question: envelope.reason, options: null },
          },
          await claimRunStatus(tx, fresh, { type: 'await_human' }, 'worker escalated'),
        ],
        append,
      );
      return null;
    }
    const callId = `call-${output.seq}`;
    const rejection = dispatchRejection(row.stage, envelope.tool, envelope.args);
    if (rejection) {
      await commitDrafts(
        row.id,
        [
          ...sayDrafts(envelope.say),
          toolStartedDraft(output.seq, envelope.tool, envelope.args, true),
          { type: 'tool_finished', payload: { callId, tool: envelope.tool, ok: false, error: rejection } },
          toolFailedAlarm(envelope.tool, rejection),
        ],
        append,
      );
      return null;
    }
    const tool = registry.get(envelope.tool) as ToolDefinition<unknown>;
    const ref = tool.risky ? await domainRef(row.id) : null;
    const intent = await db.transaction(async (tx) => {
      // A risky tool's restore point and its intent commit together: a crash cannot separate them.
      const before = tool.risky
        ? (await createSnapshotInTx(tx, row.id, { name: `Before ${tool.name}`, kind: 'auto', ref }, append))
            .events
        : [];
      const events = await appendEvents(
        tx,
        row.id,
        [...sayDrafts(envelope.say), toolStartedDraft(output.seq, tool.name, envelope.args, tool.repeatable)],
        tool.risky ? { ...append, fenceChecked: true } : append,
      );
      return [...before, ...events];
    });
    announce(row.id, intent);
    const [started] = intent.filter((event): event is ToolStartedEvent => event.type === 'tool_started');
    return started ? runTool(row, started, tool, driver) : null;
  }

  /** The choke point's checks that need no effect: allowlist, registry, argument schema. */
  function dispatchRejection(stageName: string, toolName: string, args: unknown): string | null {
    const stage = stageOf(stageName);
    if (!registry.has(toolName)) {
      return `There is no tool named "${toolName}". Available now: ${stage.tools.join(', ')}.`;
    }
    if (!stage.tools.includes(toolName)) {
      return `The tool "${toolName}" is not available in the ${stageName} stage. Available now: ${stage.tools.join(', ')}.`;
    }
    const parsed = (registry.get(toolName) as ToolDefinition<unknown>).args.safeParse(args);
    return parsed.success ? null : `Invalid arguments for ${toolName}: ${describeZodError(parsed.error)}`;
  }

  /**
   * Runs a tool whose intent is committed, and commits its result. With `carried` (the row as the
   * intent's one-round-trip commit left it), a repeatable tool's result is committed together with its
   * hooks and gates in one round trip: a crash before that commit simply runs it again.
   */
  async function runTool(
    row: ProjectRow,
    started: ToolStartedEvent,
    tool: ToolDefinition<unknown>,
    driver: Driver,
    carried: ProjectRow | null = null,
  ): Promise<ProjectRow | null> {
    const ran = await executeTool(row, tool, started.payload.args, driver);
    return recordTool(row, started, tool, ran, driver, carried);
  }

  /**
   * A read-only tool, accepted at the choke point, runs before its intent is stored: it changes nothing
   * a crash could leave half-done. When it finishes at once (before the event loop's next turn) with
   * effects the log can take as they are, the whole step — the answer, the intent, the result, hooks,
   * gates, settle — is one commit. Otherwise the answer and the intent commit (while it runs), and the
   * result after, as for any tool. When the project moved on meanwhile (a pause during the call, say),
   * the result is let go: the answer is stored alone and acted on later (`storeOutput`), as for any
   * tool. `intent` builds the answer's and the intent's drafts on the row they follow.
   */
  async function runReadOnly(
    row: ProjectRow,
    tool: ToolDefinition<unknown>,
    args: unknown,
    intent: (base: ProjectRow) => EventDraft[],
    driver: Driver,
    storeOutput: () => Promise<null>,
  ): Promise<ProjectRow | null> {
    const { append } = driver;
    const running = executeTool(row, tool, args, driver);
    const ran = await settledBeforeNextTurn(running);
    const result = ran?.result;
    const effects = result ? simpleEffectsDrafts(result.effects ?? []) : null;
    let hooks: EventDraft[] | undefined;
    if (result && effects) {
      const drafts = intent(row);
      const { callId } = (drafts.at(-1) as Extract<EventDraft, { type: 'tool_started' }>).payload;
      drafts.push(finishedDraft(callId, tool, result), ...effects);
      hooks = await hookDrafts(row, tool, args, result.data ?? null);
      drafts.push(...hooks);
      const passed = await closeSettle(row, drafts, callId);
      if (passed.length === 0) {
        const done = await commitScripted(row, [...drafts, ...awaitOpenAsks({ ...row }, drafts)], append);
        if (done) return done.row;
        // Refused: the project moved on (the intent's commit is refused too), or an event needs a
        // transaction (the intent commits, and the result follows the regular way).
      }
    }
    const done = await commitScripted(row, intent(row), append);
    if (!done) return storeOutput();
    const started = done.stored.at(-1) as ToolStartedEvent;
    return recordTool(done.row ?? row, started, tool, ran ?? (await running), driver, done.row, hooks);
  }

  /** Runs a tool the choke point accepted; what it returned, or why it failed. */
  async function executeTool(
    row: ProjectRow,
    tool: ToolDefinition<unknown>,
    rawArgs: unknown,
    driver: Driver,
  ): Promise<ToolRun> {
    const { append, signal } = driver;
    try {
      const args = tool.args.parse(rawArgs);
      const result = await tool.run(
        {
          projectId: row.id,
          stage: row.stage,
          signal,
          spend: meterFor(row.id),
          ...(append.fencingToken === undefined ? {} : { fencingToken: append.fencingToken }),
          ...(driver.runnerId ? { runnerId: driver.runnerId } : {}),
        },
        args,
      );
      return { result, failure: null, capReached: null };
    } catch (error) {
      return {
        result: null,
        failure: errorMessage(error),
        capReached: error instanceof SpendCapReached ? error : null,
      };
    }
  }

  /**
   * Commits what a tool run gave, its intent being committed already: the result (and its effects),
   * then the settle (hooks, gates) — together in one commit for a repeatable tool.
   */
  async function recordTool(
    row: ProjectRow,
    started: ToolStartedEvent,
    tool: ToolDefinition<unknown>,
    ran: ToolRun,
    driver: Driver,
    carried: ProjectRow | null,
    hooks?: EventDraft[],
  ): Promise<ProjectRow | null> {
    const { append } = driver;
    const { callId } = started.payload;
    const { result, capReached } = ran;
    let failure = ran.failure;
    let stored: ToolFinishedEvent | undefined;
    let after: ProjectRow | null = null;
    if (result) {
      const ok = result;
      const effects = ok.effects ?? [];
      const finished = finishedDraft(callId, tool, ok);
      const build = async (tx: Tx, fresh: ProjectRow) => [
        finished,
        ...(await effectDrafts(tx, fresh, effects)),
      ];
      try {
        const simple = simpleEffectsDrafts(effects);
        const leading = simple ? [finished, ...simple] : null;
        if (carried && leading && tool.repeatable) {
          return await settleCall(row, carried, {
            tool,
            callId,
            args: started.payload.args,
            data: ok.data ?? null,
            leading,
            append,
            ...(hooks ? { hooks } : {}),
          });
        }
        const committed =
          carried && leading
            ? await commitFrom(carried, leading, build, append)
            : { stored: await commit(row.id, build, append), row: null };
        after = committed.row;
        stored = committed.stored.find((event): event is ToolFinishedEvent => event.type === 'tool_finished');
      } catch (error) {
        if (!(error instanceof EngineError) || error.code === 'lease_lost' || error.code === 'conflict')
          throw error;
        failure = `The step could not be applied: ${error.message}`;
      }
    }
    if (failure !== null) {
      const message = failure;
      const failed: EventDraft = {
        type: 'tool_finished',
        payload: { callId, tool: tool.name, ok: false, error: message },
      };
      if (capReached) {
        // A model call inside the tool would have passed a cap: the tool failed, and the run pauses.
        const pause = spendCapPause(capReached.reached);
        await commit(
          row.id,
          async (tx, fresh) => [failed, ...(await guardPauseDrafts(tx, fresh, pause))],
          append,
        );
        return null;
      }
      const drafts = [failed, toolFailedAlarm(tool.name, message)];
      if (carried) return (await commitFrom(carried, drafts, () => drafts, append)).row;
      await commitDrafts(row.id, drafts, append);
      return null;
    }
    return stored ? settle(row, stored, append, after, hooks) : null;
  }

  async function effectDrafts(tx: Tx, row: ProjectRow, effects: ToolEffect[]): Promise<EventDraft[]> {
    const drafts: EventDraft[] = [];
    for (const effect of effects) {
      switch (effect.type) {
        case 'ask_user':
        case 'save_brief':
        case 'say':
        case 'domain_event':
          drafts.push(...(simpleEffectDrafts(effect) ?? []));
          break;
        case 'request_approval':
          drafts.push({
            type: 'pending_opened',
            payload: {
              pendingId: randomUUID(),
              kind: 'approval',
              subject: effect.subject,
              details: toJson(effect.details ?? null),
            },
          });
          drafts.push(
            ...(await transitionPathEvents(
              tx,
              row,
              'waiting_approval',
              `approval of ${effect.subject}`,
              limits.iterationCap,
            )),
          );
          break;
        case 'set_stage': {
          const next = stageOf(effect.stage);
          if (effect.stage !== row.stage) {
            drafts.push({ type: 'stage_changed', payload: { from: row.stage, to: effect.stage } });
            drafts.push(
              ...(await transitionPathEvents(
                tx,
                row,
                next.lifecycle,
                `stage ${effect.stage}`,
                limits.iterationCap,
              )),
            );
            row.stage = effect.stage;
          }
          break;
        }
        case 'transition':
          drafts.push(...(await transitionEvents(tx, row, effect.to, effect.reason, limits.iterationCap)));
          break;
        default: {
          const unknownEffect: never = effect;
          throw new Error(`Unknown tool effect ${JSON.stringify(unknownEffect)}`);
        }
      }
    }
    // Waiting for the owner starts when the step settles (see `settle`), so hooks and gates of the step
    // always complete first — also after a crash between the two commits.
    return drafts;
  }

  /**
   * Post-processing of a successful tool call whose result is committed: see `settleCall`. A crash
   * before its commit re-runs it on resume, so hooks must be idempotent.
   */
  async function settle(
    row: ProjectRow,
    finished: ToolFinishedEvent,
    append: AppendOptions,
    carried: ProjectRow | null = null,
    hooks?: EventDraft[],
  ): Promise<ProjectRow | null> {
    const tool = registry.get(finished.payload.tool);
    const started =
      tool?.runsHooks && !hooks
        ? (await recentEvents(row.id)).find(
            (event): event is ToolStartedEvent =>
              event.type === 'tool_started' && event.payload.callId === finished.payload.callId,
          )
        : undefined;
    return settleCall(row, carried, {
      tool,
      callId: finished.payload.callId,
      args: started?.payload.args,
      data: finished.payload.data,
      leading: [],
      append,
      ...(hooks ? { hooks } : {}),
    });
  }

  /** The hook chain after a tool call: every hook runs, every failure is reported, none stops the others. */
  async function hookDrafts(
    row: ProjectRow,
    tool: ToolDefinition<unknown> | undefined,
    args: unknown,
    result: unknown,
  ): Promise<EventDraft[]> {
    const drafts: EventDraft[] = [];
    if (!tool?.runsHooks) return drafts;
    for (const hook of domain.hooks ?? []) {
      try {
        const outcome = await hook.run({
          db,
          projectId: row.id,
          stage: row.stage,
          tool: tool.name,
          args,
          result,
        });
        drafts.push({
          type: 'hook_finished',
          payload: { hook: hook.name, ok: outcome.ok, ...(outcome.detail ? { detail: outcome.detail } : {}) },
        });
      } catch (error) {
        drafts.push({
          type: 'hook_finished',
          payload: { hook: hook.name, ok: false, detail: errorMessage(error) },
        });
      }
    }
    return drafts;
  }

  /**
   * Settles a tool call: the hook chain (every hook runs, every failure is reported, none stops the
   * others) and the gates, committed with a `step_settled` marker — and with the call's result
   * (`leading`) when it was not committed yet. A gate that passed is a restore point, taken in the same
   * transaction. The run waits for the owner from here when a question or approval is open, so the
   * step's hooks and gates always complete first.
   */
  async function settleCall(
    row: ProjectRow,
    carried: ProjectRow | null,
    call: {
      tool: ToolDefinition<unknown> | undefined;
      callId: string;
      args: unknown;
      data: unknown;
      leading: EventDraft[];
      append: AppendOptions;
      /** The hooks' outcomes, when they ran already. */
      hooks?: EventDraft[];
    },
  ): Promise<ProjectRow | null> {
    const { tool, append } = call;
    const drafts: EventDraft[] = [
      ...call.leading,
      ...(call.hooks ?? (await hookDrafts(row, tool, call.args, call.data))),
    ];
    // Gates see the project as the tool left it (a stage it set, say).
    const passed = await closeSettle(carried ?? (await loadProject(db, row.id)), drafts, call.callId);
    if (carried && passed.length === 0) {
      const fast = [...drafts, ...awaitOpenAsks({ ...carried }, drafts)];
      const done = await commitScripted(carried, fast, append);
      if (done) return done.row;
    }
    const ref = passed.length > 0 ? await domainRef(row.id) : null;
    const stored = await db.transaction(async (tx) => {
      const fresh = await loadProject(tx, row.id, { forUpdate: true, fencingToken: append.fencingToken });
      const locked = { ...append, fenceChecked: true };
      drafts.push(...awaitOpenAsks(fresh, drafts));
      const settled = await appendEvents(tx, row.id, drafts, locked);
      // A passed gate is a restore point, taken in the same transaction so a crash cannot skip it.
      for (const name of passed) {
        settled.push(
          ...(
            await createSnapshotInTx(tx, row.id, { name: `Gate “${name}” passed`, kind: 'auto', ref }, locked)
          ).events,
        );
      }
      return settled;
    });
    announce(row.id, stored);
    return null;
  }

  /** Appends the gates' results and the `step_settled` marker to a settle's drafts; the gates that passed. */
  async function closeSettle(base: ProjectRow, drafts: EventDraft[], callId: string): Promise<string[]> {
    const gates = await gateDrafts(base, drafts);
    drafts.push(...gates, { type: 'step_settled', payload: { callId } });
    return gates.flatMap((gate) =>
      gate.type === 'gate_evaluated' && gate.payload.passed ? [gate.payload.name] : [],
    );
  }

  /**
   * The run waits for the owner when it runs and a question or approval is open — one already open
   * (`openAsks`, a projection), or one this commit opens. `row` is current: the commit is locked or
   * compare-and-set on it.
   */
  function awaitOpenAsks(row: ProjectRow, drafts: EventDraft[]): EventDraft[] {
    const opened = drafts.filter(
      (draft) => draft.type === 'pending_opened' && draft.payload.kind !== 'continuation',
    ).length;
    return row.openAsks + opened > 0 && row.runStatus === 'running'
      ? [runStatusDraft(row, { type: 'await_human' }, 'asked the owner')]
      : [];
  }

  /**
   * Evaluates the domain's gates over the log as it stands once `pending` (this step's drafts, not
   * yet committed) is appended; a result is recorded only when it changed.
   */
  async function gateDrafts(row: ProjectRow, pending: EventDraft[]): Promise<EventDraft[]> {
    if (!domain.gates?.length) return [];
    const history = await recentEvents(row.id);
    const at = now();
    const events = [
      ...history,
      ...pending.map(
        (draft, index) =>
          ({
            ...draft,
            seq: (history.at(-1)?.seq ?? row.lastSeq) + index + 1,
            projectId: row.id,
            actor: draft.actor ?? defaultActor(draft.type),
            createdAt: at,
            supersededBySeq: null,
          }) as StoredEvent,
      ),
    ];
    const drafts: EventDraft[] = [];
    const previous = new Map<string, string>();
    for (const event of events) {
      if (event.type === 'gate_evaluated') previous.set(event.payload.name, JSON.stringify(event.payload));
    }
    for (const gate of domain.gates) {
      const result = await gate.evaluate({ db, projectId: row.id, stage: row.stage, events });
      if (!result) continue;
      const payload = { name: gate.name, passed: result.passed, criteria: result.criteria };
      if (previous.get(gate.name) !== JSON.stringify(payload))
        drafts.push({ type: 'gate_evaluated', payload });
    }
    return drafts;
  }

  /**
   * Rewinds to a question or approval (its event seq) so the owner can answer differently; see
   * rewind.ts. The domain then resets its own state to match.
   */
  async function rewind(projectId: string, toSeq: number): Promise<StoredEvent[]> {
    const stored = await db.transaction((tx) => rewindInTx(tx, projectId, toSeq));
    recent.delete(projectId);
    options.onEvents?.(stored);
    await syncDomain(projectId, 'rewind');
    return stored;
  }

  /** Takes a rewind back: what it hid is active again. */
  async function undoRewind(projectId: string, rewoundSeq: number): Promise<StoredEvent[]> {
    const stored = await db.transaction((tx) => undoRewindInTx(tx, projectId, rewoundSeq));
    recent.delete(projectId);
    options.onEvents?.(stored);
    await syncDomain(projectId, 'undo_rewind');
    return stored;
  }

  async function syncDomain(
    projectId: string,
    reason: 'rewind' | 'undo_rewind' | 'rollback',
    ref?: string | null,
  ) {
    if (!domain.onHistoryChanged) return;
    const row = await loadProject(db, projectId);
    const active = await readEvents(db, projectId, { limit: Number.MAX_SAFE_INTEGER });
    try {
      await domain.onHistoryChanged({
        db,
        projectId,
        stage: row.stage,
        reason,
        atSeq: active.at(-1)?.seq ?? 0,
        events: active,
        ...(ref === undefined ? {} : { ref }),
      });
    } catch (error) {
      await commitDrafts(projectId, [
        alarmEvent({
          type: 'history_sync_failed',
          severity: 'error',
          message: `The history changed (${reason.replace('_', ' ')}), but the site files could not follow: ${errorMessage(error)}`,
          recommendedAction: 'Roll back to a snapshot, or rewind again.',
          context: { error: errorMessage(error), reason },
        }),
      ]);
    }
  }

  async function domainRef(projectId: string): Promise<string | null> {
    if (!domain.snapshotRef) return null;
    const row = await loadProject(db, projectId);
    return domain.snapshotRef({ db, projectId, stage: row.stage });
  }

  /** A named restore point of the board and the domain's state. */
  async function createSnapshot(
    projectId: string,
    name: string,
    kind: 'manual' | 'auto' = 'manual',
    append: AppendOptions = {},
  ) {
    const ref = await domainRef(projectId);
    const { snapshot, events } = await db.transaction((tx) =>
      createSnapshotInTx(tx, projectId, { name, kind, ref }, append),
    );
    announce(projectId, events);
    return snapshot;
  }

  /** Restores a snapshot: the board in one transaction, then the domain's state (site files). */
  async function rollback(projectId: string, snapshotId: string) {
    const current = await domainRef(projectId);
    const { snapshot, events } = await db.transaction((tx) =>
      rollbackInTx(tx, projectId, snapshotId, current),
    );
    announce(projectId, events);
    await syncDomain(projectId, 'rollback', snapshot.commitSha);
    return snapshot;
  }

  /** The project row as it is now. */
  function peek(projectId: string): Promise<ProjectRow> {
    return loadProject(db, projectId);
  }

  /** A runner keeps dying on this project: stop retrying it and tell the operator. */
  async function pauseForRecoveries(projectId: string, attempts: number, fencingToken: number) {
    return commit(
      projectId,
      async (tx, row) => [
        alarmEvent({
          type: 'runner_lost',
          severity: 'critical',
          message: `The runner driving this project stopped unexpectedly ${attempts} times in a row.`,
          recommendedAction: 'Check the runner logs (memory, crashes), then resume the project.',
          context: { attempts },
        }),
        ...(row.runStatus === 'running'
          ? await pauseIfActive(tx, row, 'error', 'runner recoveries exhausted')
          : []),
      ],
      { fencingToken },
    );
  }

  /** An unexpected exception escaped a step: record it and pause instead of crash-looping. */
  async function pauseForError(projectId: string, error: unknown, fencingToken?: number) {
    return commit(
      projectId,
      async (tx, row) => [
        alarmEvent({
          type: 'engine_error',
          severity: 'critical',
          message: `The agent stopped on an internal error: ${errorMessage(error)}`,
          recommendedAction: 'Resume to retry; if it happens again, check the server logs.',
          context: { error: errorMessage(error) },
          autoResolve: true,
        }),
        ...(await pauseIfActive(tx, row, 'error', 'internal error')),
      ],
      fencingToken === undefined ? {} : { fencingToken },
    );
  }

  return {
    limits,
    peek,
    rewind,
    undoRewind,
    createSnapshot,
    rollback,
    listSnapshots: (projectId: string) => listSnapshots(db, projectId),
    pauseForRecoveries,
    pauseForError,
    createProject,
    answer,
    resume,
    pause,
    stop,
    start,
    sendMessage,
    autoResume,
    runUntilPause,
    /** Changes a project's settings (see run-state.ts `updateSettings`); returns the new ones. */
    updateSettings: (
      projectId: string,
      update: (current: Record<string, unknown>) => Record<string, unknown>,
    ) => updateSettings(db, projectId, update),
    /** Tool names the registry knows (built-in and domain). */
    toolNames: () => [...registry.keys()],
  };
}

// -------------------------------------------------------------------------------------------- helpers

/** A step that stopped before its model call: the project changed since the row it started from. */
const STALE = Symbol('stale');
const CONFIRMED = Promise.resolve(true);

/** A tool's run: its result, or why it failed (and the cap, when a model call in it would pass one). */
interface ToolRun {
  result: ToolResult | null;
  failure: string | null;
  capReached: SpendCapReached | null;
}

/** How one `runUntilPause` call drives: its fence, its cancellation, its runner. */
interface Driver {
  append: AppendOptions;
  signal: AbortSignal;
  runnerId?: string;
}

type WorkerOutputEvent = Extract<StoredEvent, { type: 'worker_output' }>;

/** A worker's answer, and whether it wrote its spend through the meter (so it is not recorded twice). */
type WorkerAnswered = { ok: true; response: WorkerResponse; metered: boolean };
type WorkerCalled =
  | WorkerAnswered
  /**
   * `ownerStopped`: cancelled because the owner paused or stopped the run; `stale`: because the row the
   * step was decided from turned out outdated (the step starts again).
   */
  | { ok: false; error: unknown; ownerStopped: boolean; stale: boolean };
type ToolStartedEvent = Extract<StoredEvent, { type: 'tool_started' }>;
type ToolFinishedEvent = Extract<StoredEvent, { type: 'tool_finished' }>;

/** The last successful tool call whose post-processing (hooks, gates) has not been committed. */
function findUnsettledTool(history: StoredEvent[]): ToolFinishedEvent | null {
  const settled = new Set<string>();
  let last: ToolFinishedEvent | null = null;
  for (const event of history) {
    if (event.type === 'step_settled') settled.add(event.payload.callId);
    if (event.type === 'tool_finished' && event.payload.ok) last = event;
  }
  return last && !settled.has(last.payload.callId) ? last : null;
}

/** The last tool whose intent was recorded without a result (a crash between the two). */
function findInterruptedTool(history: StoredEvent[]): ToolStartedEvent | null {
  // Backwards: a call's result always comes after its intent, so it is seen first.
  const finished = new Set<string>();
  for (let i = history.length - 1; i >= 0; i--) {
    const event = history[i] as StoredEvent;
    if (event.type === 'tool_finished' || event.type === 'tool_outcome_unknown')
      finished.add(event.payload.callId);
    else if (event.type === 'tool_started' && !finished.has(event.payload.callId)) return event;
  }
  return null;
}

/** The last stored worker output that nothing has acted on yet. */
function findUnactedOutput(history: StoredEvent[]): WorkerOutputEvent | null {
  const acted = new Set<number>();
  let last: WorkerOutputEvent | null = null;
  for (const event of history) {
    if (event.type === 'tool_started' || event.type === 'worker_output_applied')
      acted.add(event.payload.outputSeq);
    if (event.type === 'worker_output') last = event;
  }
  return last && !acted.has(last.seq) ? last : null;
}

function toolFailedAlarm(tool: string, error: string): EventDraft {
  return alarmEvent({
    type: 'tool_failed',
    severity: 'warning',
    message: `The step "${tool}" failed: ${error}`,
    recommendedAction: 'Nothing to do unless it repeats; the agent sees the error and tries another way.',
    context: { tool, error },
  });
}

/** The drafts of effects that all need neither the project row nor a transaction; null otherwise. */
function simpleEffectsDrafts(effects: ToolEffect[]): EventDraft[] | null {
  const drafts: EventDraft[] = [];
  for (const effect of effects) {
    const simple = simpleEffectDrafts(effect);
    if (!simple) return null;
    drafts.push(...simple);
  }
  return drafts;
}

/** A tool call's intent, named after the seq of the answer that asked for it. */
function toolStartedDraft(outputSeq: number, tool: string, args: unknown, repeatable: boolean): EventDraft {
  return {
    type: 'tool_started',
    payload: { callId: `call-${outputSeq}`, tool, args, repeatable, outputSeq },
  };
}

/** An effect's drafts when it needs neither the project row nor a transaction; null for the others. */
function simpleEffectDrafts(effect: ToolEffect): EventDraft[] | null {
  switch (effect.type) {
    case 'ask_user':
      return [
        {
          type: 'pending_opened',
          payload: {
            pendingId: randomUUID(),
            kind: 'question',
            question: effect.question,
            options: effect.options ?? null,
          },
        },
      ];
    case 'save_brief':
      return [{ type: 'brief_saved', payload: { brief: toJson(effect.brief) } }];
    case 'say':
      return sayDrafts(effect.text);
    case 'domain_event':
      return [{ type: 'domain', payload: { name: effect.name, data: toJson(effect.data) } }];
    default:
      return null;
  }
}

/** The `tool_finished` draft of a tool call that returned. */
function finishedDraft(callId: string, tool: ToolDefinition<unknown>, result: ToolResult): EventDraft {
  return {
    type: 'tool_finished',
    payload: {
      callId,
      tool: tool.name,
      ok: true,
      data: toJson(result.data ?? null),
      ...(result.hints ? { hints: result.hints } : {}),
    },
  };
}

/** The promise's value when it settles before the event loop's next turn, else null. */
async function settledBeforeNextTurn<T>(promise: Promise<T>): Promise<T | null> {
  let settled: { value: T } | null = null;
  promise.then(
    (value) => {
      settled = { value };
    },
    () => {},
  );
  await new Promise((resolve) => setImmediate(resolve));
  return (settled as { value: T } | null)?.value ?? null;
}

function sayDrafts(text: string | undefined): EventDraft[] {
  return text?.trim() ? [{ type: 'agent_message', payload: { text: text.trim() } }] : [];
}

function answerValue(pending: typeof pendings.$inferSelect, input: AnswerInput): unknown {
  switch (pending.kind) {
    case 'question':
      if (input.answer === undefined)
        throw new EngineError('invalid_answer', 'This question needs a text answer.');
      return { text: input.answer };
    case 'approval':
      if (input.approved === undefined) {
        throw new EngineError('invalid_answer', 'This approval needs a decision: approved true or false.');
      }
      if (!input.approved && !input.notes?.trim()) {
        throw new EngineError('invalid_answer', 'Say what should change when you request changes.');
      }
      return { approved: input.approved, notes: input.notes?.trim() ?? '' };
    case 'continuation': {
      const choices = pending.options ?? ['continue', 'stop'];
      if (!input.answer || !choices.includes(input.answer)) {
        throw new EngineError('invalid_answer', `Choose one of: ${choices.join(', ')}.`);
      }
      return { choice: input.answer };
    }
  }
}

export function describeZodError(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length ? `${issue.path.join('.')}: ` : ''}${issue.message}`)
    .join('; ');
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Values stored in events must survive a JSON round trip unchanged. */
function toJson(value: unknown): unknown {
  return value === undefined ? null : JSON.parse(JSON.stringify(value));
}
