/**
 * Events shaped into the WebSocket catalog (`@sitewright/contracts` ws.ts): the `event` message itself,
 * plain-words `log` lines, and the typed messages a live event implies, read once per project and
 * batch however many clients watch it.
 */
import type { ServerMessage, WorkItemCard } from '@sitewright/contracts';
import { alarms, type Db, pendings, projects } from '@sitewright/db';
import {
  DEFAULT_MAX_ATTEMPTS,
  listItems,
  type StoredEvent,
  statsOf,
  type WorkItem,
} from '@sitewright/engine';
import { and, eq, inArray } from 'drizzle-orm';
import { cardOf, indexById } from '../modules/board/board.dto.ts';
import { toAlarm, toEvent, toPending, toProgress } from '../modules/projects/projects.dto.ts';

/** A message ready for the socket: serialised once, sent to every client as is. */
export interface Frame {
  /** The seq of the event it is or derives from (null for connection-level messages). */
  seq: number | null;
  /** `event` frames are the ones deduplicated across the replay/live switch. */
  isEvent: boolean;
  data: Buffer;
}

export function encode(message: ServerMessage): Buffer {
  return Buffer.from(JSON.stringify(message));
}

export function eventFrame(event: StoredEvent): Frame {
  return {
    seq: event.seq,
    isEvent: true,
    data: encode({ type: 'event', seq: event.seq, event: toEvent(event) }),
  };
}

const MAX_LOG_DETAIL = 300;

/** Long tool errors and model messages cut to one readable line. */
function brief(text: string | undefined | null): string {
  const line = (text ?? '').replace(/\s+/g, ' ').trim();
  return line.length > MAX_LOG_DETAIL ? `${line.slice(0, MAX_LOG_DETAIL - 1)}…` : line;
}

const withDetail = (text: string, detail: string | undefined | null) => {
  const short = brief(detail);
  return short ? `${text}: ${short}` : `${text}.`;
};

/** The activity-feed line for an event, or null for events that are not agent activity. */
export function logLine(event: StoredEvent): Extract<ServerMessage, { type: 'log' }> | null {
  const line = (level: 'info' | 'warn' | 'error', message: string) =>
    ({ type: 'log', seq: event.seq, level, message }) as const;
  switch (event.type) {
    case 'tool_started':
      return line('info', `Running ${event.payload.tool}.`);
    case 'tool_finished':
      return event.payload.ok
        ? line('info', `${event.payload.tool} finished.`)
        : line('warn', withDetail(`${event.payload.tool} failed`, event.payload.error));
    case 'tool_outcome_unknown':
      return line('warn', `${event.payload.tool} was interrupted; its outcome is unknown.`);
    case 'hook_finished':
      return event.payload.ok
        ? line('info', withDetail(`Check ${event.payload.hook} passed`, event.payload.detail))
        : line('warn', withDetail(`Check ${event.payload.hook} failed`, event.payload.detail));
    case 'gate_evaluated':
      return line(
        event.payload.passed ? 'info' : 'warn',
        `Gate ${event.payload.name} ${event.payload.passed ? 'passed' : 'did not pass'}.`,
      );
    case 'worker_failed':
      return line(
        'error',
        withDetail(`The model call failed (${event.payload.kind})`, event.payload.message),
      );
    case 'worker_output_invalid':
      return line(
        'warn',
        withDetail(
          `The model's answer was malformed (attempt ${event.payload.attempt})`,
          event.payload.error,
        ),
      );
    case 'loop_nudged':
      return line('warn', withDetail('The agent seems to repeat itself', event.payload.message));
    case 'model_swapped':
      return line('warn', `Switched to ${event.payload.model} for this step: ${event.payload.reason}.`);
    default:
      return null;
  }
}

const STATUS_EVENTS = new Set(['run_status_changed', 'lifecycle_transitioned', 'stage_changed']);
const PENDING_STATUS = {
  pending_opened: 'open',
  pending_answered: 'answered',
  pending_cancelled: 'cancelled',
} as const;

/** The work item an event is about, for the event types that change one card. */
function touchedItem(event: StoredEvent): number | null {
  switch (event.type) {
    case 'work_item_created':
      return event.payload.id;
    case 'work_item_claimed':
    case 'work_item_status_changed':
    case 'work_item_skipped':
    case 'work_item_reprioritised':
    case 'work_item_dependency_added':
    case 'work_item_dependency_removed':
    case 'bug_status_changed':
    case 'work_item_deleted':
      return event.payload.itemId;
    default:
      return null;
  }
}

/**
 * The typed messages a batch of live events implies, in seq order of their causes: one database read
 * per kind and batch (not per event, not per client). Each message carries the seq of the last event
 * of the batch that caused it and the state as it is now, which is at or after that seq.
 */
export async function deriveLiveMessages(
  db: Db,
  projectId: string,
  events: readonly StoredEvent[],
): Promise<ServerMessage[]> {
  let statusSeq: number | null = null;
  const pendingSeq = new Map<string, { seq: number; status: 'open' | 'answered' | 'cancelled' }>();
  const alarmSeq = new Map<string, number>();
  const itemSeq = new Map<number, number>();
  let boardSeq: number | null = null;
  const logs: ServerMessage[] = [];

  for (const event of events) {
    if (STATUS_EVENTS.has(event.type)) statusSeq = event.seq;
    if (
      event.type === 'pending_opened' ||
      event.type === 'pending_answered' ||
      event.type === 'pending_cancelled'
    )
      pendingSeq.set(event.payload.pendingId, { seq: event.seq, status: PENDING_STATUS[event.type] });
    if (event.type === 'alarm_raised' || event.type === 'alarm_resolved')
      alarmSeq.set(event.payload.alarmId, event.seq);
    const itemId = touchedItem(event);
    if (itemId !== null) {
      itemSeq.set(itemId, event.seq);
      boardSeq = event.seq;
    }
    const log = logLine(event);
    if (log) logs.push(log);
  }

  const out: { seq: number; message: ServerMessage }[] = logs.map((message) => ({
    seq: (message as { seq: number }).seq,
    message,
  }));

  if (statusSeq !== null) {
    const [row] = await db
      .select({
        status: projects.runStatus,
        pausedReason: projects.pausedReason,
        resumeAt: projects.resumeAt,
        state: projects.lifecycleState,
        stage: projects.stage,
      })
      .from(projects)
      .where(eq(projects.id, projectId));
    if (row) {
      out.push({
        seq: statusSeq,
        message: {
          type: 'agent_status',
          seq: statusSeq,
          status: row.status,
          pausedReason: row.pausedReason,
          resumeAt: row.resumeAt ? row.resumeAt.toISOString() : null,
          state: row.state,
          stage: row.stage,
        },
      });
    }
  }

  if (pendingSeq.size > 0) {
    const rows = await db
      .select()
      .from(pendings)
      .where(and(eq(pendings.projectId, projectId), inArray(pendings.id, [...pendingSeq.keys()])));
    for (const row of rows) {
      const cause = pendingSeq.get(row.id);
      if (!cause) continue;
      out.push({
        seq: cause.seq,
        message: { type: 'pending', seq: cause.seq, pending: toPending(row), status: cause.status },
      });
    }
  }

  if (alarmSeq.size > 0) {
    const rows = await db
      .select()
      .from(alarms)
      .where(and(eq(alarms.projectId, projectId), inArray(alarms.id, [...alarmSeq.keys()])));
    for (const row of rows) {
      const seq = alarmSeq.get(row.id) ?? 0;
      out.push({ seq, message: { type: 'alarm', seq, alarm: toAlarm(row) } });
    }
  }

  if (boardSeq !== null) {
    const items = await listItems(db, projectId);
    out.push(...cardUpdates(items, itemSeq));
    out.push({
      seq: boardSeq,
      message: { type: 'progress', seq: boardSeq, progress: toProgress(statsOf(items)) },
    });
  }

  // Stable: messages of one cause keep the order they were added in (logs, status, pending, …).
  return out.sort((a, b) => a.seq - b.seq).map((entry) => entry.message);
}

/**
 * Cards of the touched items, plus the cards that depend on them: a dependency passing (or being
 * deleted) moves its dependents between lanes and changes their `waitingFor`.
 */
function cardUpdates(items: readonly WorkItem[], touched: ReadonlyMap<number, number>) {
  const byId = indexById(items);
  const updates = new Map(touched);
  for (const item of items) {
    for (const dependency of item.dependencies) {
      const seq = touched.get(dependency);
      if (seq !== undefined && !updates.has(item.id)) updates.set(item.id, seq);
    }
  }
  return [...updates].map(([itemId, seq]) => {
    const item = byId.get(itemId);
    const card: WorkItemCard | null = item ? cardOf(item, byId, DEFAULT_MAX_ATTEMPTS) : null;
    const message: ServerMessage = card
      ? { type: 'feature_update', seq, itemId, item: card }
      : { type: 'feature_update', seq, itemId, item: null, deleted: true };
    return { seq, message };
  });
}
