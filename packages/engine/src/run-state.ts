/**
 * Applying the pure machines to the database: read the current state, reduce, write the event — with
 * a compare-and-set on the project row so two concurrent callers (two tabs, two API processes, an
 * owner and a runner) can never both win the same change.
 */
import { type Db, projects } from '@sitewright/db';
import { and, eq, isNull } from 'drizzle-orm';
import { alarmEvent } from './alarms.ts';
import { EngineError } from './errors.ts';
import { checkFence, noteProjectWrite, type Tx } from './events/log.ts';
import type { EventDraft } from './events/types.ts';
import {
  type LifecycleState,
  lifecycleTransitions,
  type PausedReason,
  type RunEvent,
  type RunState,
  reduceRunStatus,
  transitionLifecycle,
} from './machine/index.ts';

export type ProjectRow = typeof projects.$inferSelect;

/**
 * The project row. With `forUpdate`, the row is locked until the transaction ends: a writer that
 * decides from the row (an owner's answer, a runner's step) then sees every commit before its own —
 * without it, an answer could read `running` while a runner commits `awaiting_human`, and the run
 * would wait for a question that is already answered. With `fencingToken`, the lease is checked and
 * locked first, in the lock order of every writer (see `checkFence`); the append then skips its check.
 */
export async function loadProject(
  tx: Pick<Tx, 'select' | 'update'>,
  projectId: string,
  options: { forUpdate?: boolean; fencingToken?: number | undefined; writer?: object | undefined } = {},
): Promise<ProjectRow> {
  if (options.fencingToken !== undefined) await checkFence(tx as Tx, projectId, options.fencingToken);
  // Locking the row means writing it: watchers hear of it now, not only at the append.
  if (options.forUpdate) noteProjectWrite(projectId, options.writer);
  const query = tx.select().from(projects).where(eq(projects.id, projectId));
  const [row] = options.forUpdate ? await query.for('update') : await query;
  if (!row) throw new EngineError('not_found', `Project ${projectId} does not exist`);
  return row;
}

/**
 * Changes a project's settings (the one part of its row that is not an event's projection) in one
 * transaction: `update` gets the current settings and returns the new ones, which are returned.
 */
export async function updateSettings(
  db: Db,
  projectId: string,
  update: (current: Record<string, unknown>) => Record<string, unknown>,
): Promise<Record<string, unknown>> {
  return db.transaction(async (tx) => {
    const row = await loadProject(tx, projectId, { forUpdate: true });
    const next = update((row.settings ?? {}) as Record<string, unknown>);
    await tx.update(projects).set({ settings: next }).where(eq(projects.id, projectId));
    return next;
  });
}

export function runStateOf(row: ProjectRow): RunState {
  return {
    status: row.runStatus,
    pausedReason: row.pausedReason,
    resumeAt: row.resumeAt?.toISOString() ?? null,
  };
}

/**
 * Validates a run-status change against the machine and applies it to `row`; returns the event to
 * append. It writes nothing: the caller's commit guarantees the row is current (see `claimRunStatus`,
 * or a one-round-trip commit that goes through only while the project's seq is unchanged).
 */
export function runStatusDraft(row: ProjectRow, event: RunEvent, cause: string): EventDraft {
  const current = runStateOf(row);
  const next = reduceRunStatus(current, event);
  if (!next.ok)
    throw new EngineError('invalid_transition', next.reason, { from: current.status, event: event.type });
  row.runStatus = next.state.status;
  row.pausedReason = next.state.pausedReason;
  row.resumeAt = next.state.resumeAt ? new Date(next.state.resumeAt) : null;
  return {
    type: 'run_status_changed',
    payload: { ...next.state, cause },
  };
}

/**
 * Validates a run-status change and claims it: the UPDATE only matches while the row still has the
 * status we reduced from. Returns the event to append (the projector writes the same values again).
 */
export async function claimRunStatus(
  tx: Tx,
  row: ProjectRow,
  event: RunEvent,
  cause: string,
): Promise<EventDraft> {
  const samePause =
    row.pausedReason === null ? isNull(projects.pausedReason) : eq(projects.pausedReason, row.pausedReason);
  const from = { id: row.id, runStatus: row.runStatus };
  const draft = runStatusDraft(row, event, cause);
  const claimed = await tx
    .update(projects)
    .set({ runStatus: row.runStatus, pausedReason: row.pausedReason, resumeAt: row.resumeAt })
    .where(and(eq(projects.id, from.id), eq(projects.runStatus, from.runStatus), samePause))
    .returning({ id: projects.id });
  if (claimed.length === 0) {
    throw new EngineError('conflict', 'The project changed at the same time; reload and try again.');
  }
  return draft;
}

/**
 * The pause for a guard or a fault, unless the owner already paused or stopped the run while the step
 * was under way (then there is nothing to pause, and the step's own facts are still recorded).
 */
export async function pauseIfActive(
  tx: Tx,
  row: ProjectRow,
  reason: PausedReason,
  cause: string,
  resumeAt?: Date,
): Promise<EventDraft[]> {
  if (row.runStatus !== 'running' && row.runStatus !== 'awaiting_human') return [];
  return [await pauseEvent(tx, row, reason, cause, resumeAt)];
}

/** A pause event for the runner's own guards (the row is the runner's fresh read). */
export function pauseEvent(tx: Tx, row: ProjectRow, reason: PausedReason, cause: string, resumeAt?: Date) {
  return claimRunStatus(
    tx,
    row,
    reason === 'rate_limited'
      ? { type: 'pause', reason, resumeAt: (resumeAt ?? new Date()).toISOString() }
      : { type: 'pause', reason },
    cause,
  );
}

/**
 * Validates a lifecycle transition against the declared table and the iteration cap. Reaching the
 * cap moves the project to `error`, raises `iteration_limit_reached` and pauses the run.
 */
export async function transitionEvents(
  tx: Tx,
  row: ProjectRow,
  to: LifecycleState,
  reason: string,
  iterationCap: number,
): Promise<EventDraft[]> {
  if (row.lifecycleState === to) return [];
  const result = transitionLifecycle({ state: row.lifecycleState, iterations: row.iterations }, to, {
    iterationCap,
  });
  if (!result.ok)
    throw new EngineError('invalid_transition', result.reason, { from: row.lifecycleState, to });
  const drafts: EventDraft[] = [
    {
      type: 'lifecycle_transitioned',
      payload: {
        from: row.lifecycleState,
        to: result.state.state,
        reason: result.capReached
          ? `iteration cap of ${iterationCap} reached (wanted ${to}: ${reason})`
          : reason,
        iteration: result.state.iterations,
      },
    },
  ];
  row.lifecycleState = result.state.state;
  row.iterations = result.state.iterations;
  if (result.capReached) {
    drafts.push(
      alarmEvent({
        type: 'iteration_limit_reached',
        severity: 'error',
        message: `The agent went through ${iterationCap} steps of its workflow without finishing.`,
        recommendedAction:
          'Look at the recent history, then rewind to an earlier answer or stop the project.',
        context: { iterationCap },
      }),
    );
    if (row.runStatus === 'running' || row.runStatus === 'awaiting_human') {
      drafts.push(await pauseEvent(tx, row, 'error', 'iteration cap reached'));
    }
  }
  return drafts;
}

/** The shortest path of allowed transitions from one lifecycle state to another (excluding `from`). */
export function lifecyclePath(from: LifecycleState, to: LifecycleState): LifecycleState[] | null {
  if (from === to) return [];
  const previous = new Map<LifecycleState, LifecycleState>();
  const queue: LifecycleState[] = [from];
  while (queue.length > 0) {
    const state = queue.shift() as LifecycleState;
    for (const next of lifecycleTransitions[state]) {
      if (next === from || previous.has(next)) continue;
      previous.set(next, state);
      if (next === to) {
        const path: LifecycleState[] = [to];
        for (let at = state; at !== from; at = previous.get(at) as LifecycleState) path.unshift(at);
        return path;
      }
      queue.push(next);
    }
  }
  return null;
}

/**
 * Moves the lifecycle to `to` through the shortest chain of allowed transitions (each one validated,
 * persisted and counted), so a domain can name where it is going without spelling out every hop.
 */
export async function transitionPathEvents(
  tx: Tx,
  row: ProjectRow,
  to: LifecycleState,
  reason: string,
  iterationCap: number,
): Promise<EventDraft[]> {
  const path = lifecyclePath(row.lifecycleState, to);
  if (!path) {
    throw new EngineError(
      'invalid_transition',
      `The workflow cannot get from ${row.lifecycleState} to ${to}.`,
      {
        from: row.lifecycleState,
        to,
      },
    );
  }
  const drafts: EventDraft[] = [];
  for (const hop of path) {
    drafts.push(
      ...(await transitionEvents(tx, row, hop, hop === to ? reason : `${reason} (via ${hop})`, iterationCap)),
    );
    if (row.lifecycleState === 'error' && to !== 'error') break;
  }
  return drafts;
}
