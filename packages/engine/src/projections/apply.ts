/**
 * The projector: how each event changes the projection tables. It is the ONLY writer of projections,
 * used both live (in the same transaction as the event: inside `appendEvents`, or as statements of a
 * one-round-trip step commit, see events/log.ts) and by `rebuildProjections` (replaying the active
 * log), so the two can never disagree by construction — and `verifyProjections` proves it on real data.
 * Timestamps come from the event, never from the clock, so replays are exact.
 */
import { jsonLiteral, sqlLiteral } from '@sitewright/db';
import { sql } from 'drizzle-orm';
import type { Tx } from '../events/log.ts';
import type { StoredEvent } from '../events/types.ts';
import { type BoardState, restoreBoard } from '../snapshots.ts';
import { applyWorkItemEvent } from '../work-items/projector.ts';

/** Domain packs may project their own `domain` events (e.g. into work items). */
export type DomainProjector = (tx: Tx, event: StoredEvent & { type: 'domain' }) => Promise<void>;
const domainProjectors: DomainProjector[] = [];

/** Registers a projector for `domain` events; it runs live and on rebuild, like the built-in ones. */
export function registerDomainProjector(projector: DomainProjector): void {
  if (!domainProjectors.includes(projector)) domainProjectors.push(projector);
}

const json = (value: unknown) => (value === null || value === undefined ? 'NULL' : jsonLiteral(value));

/** The project row's columns that are projections of the log. */
type ProjectedColumn =
  | 'stage'
  | 'lifecycleState'
  | 'runStatus'
  | 'pausedReason'
  | 'resumeAt'
  | 'iterations'
  | 'turnsSinceHuman'
  | 'openAsks'
  | 'brief';

/** A change of one projected column of the project row: set to a value, or add to it. */
export type RowChange =
  | { column: ProjectedColumn; set: unknown }
  | { column: 'turnsSinceHuman' | 'openAsks'; add: number };

/**
 * An event's projection: changes to the project row — data, so a commit can fold them into its own
 * update of the row and know the row it committed without reading it back — and other statements (SQL,
 * values written in). `rowKnown` is false when a statement changes the project row too (then a commit
 * cannot tell the row without reading it).
 */
export interface Projection {
  row: RowChange[];
  statements: string[];
  rowKnown: boolean;
}

const none: Projection = { row: [], statements: [], rowKnown: true };
const project = (...row: RowChange[]): Projection => ({ row, statements: [], rowKnown: true });
const snake = (column: string) => column.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);

/** A row change as an SQL assignment. */
export function rowAssignment(change: RowChange): string {
  const column = snake(change.column);
  if ('add' in change) return `${column} = ${column} + ${sqlLiteral(change.add)}`;
  return `${column} = ${change.column === 'brief' ? json(change.set) : sqlLiteral(change.set)}`;
}

/** Applies row changes to a project row held in memory, as their assignments change it in the table. */
export function applyRowChanges(row: Record<string, unknown>, changes: RowChange[]): void {
  for (const change of changes) {
    row[change.column] = 'add' in change ? (row[change.column] as number) + change.add : change.set;
  }
}

/**
 * The event's projection, or null when it needs the transaction itself (work items, board restores,
 * domain events). Timestamps are the event's own.
 */
export function projectionOf(event: StoredEvent): Projection | null {
  const at = sqlLiteral(event.createdAt);
  const id = sqlLiteral(event.projectId);
  const seq = sqlLiteral(event.seq);
  const only = (statement: string): Projection => ({ row: [], statements: [statement], rowKnown: true });
  switch (event.type) {
    case 'project_created':
      return project({ column: 'stage', set: event.payload.stage });
    case 'run_status_changed':
      return project(
        { column: 'runStatus', set: event.payload.status },
        { column: 'pausedReason', set: event.payload.pausedReason },
        { column: 'resumeAt', set: event.payload.resumeAt ? new Date(event.payload.resumeAt) : null },
      );
    case 'lifecycle_transitioned':
      return {
        row: [
          { column: 'lifecycleState', set: event.payload.to },
          { column: 'iterations', set: event.payload.iteration },
        ],
        rowKnown: true,
        statements: [
          `insert into state_transitions (project_id, from_state, to_state, reason, iteration, at_seq, created_at) values (${id}, ${sqlLiteral(event.payload.from)}, ${sqlLiteral(event.payload.to)}, ${sqlLiteral(event.payload.reason)}, ${sqlLiteral(event.payload.iteration)}, ${seq}, ${at})`,
        ],
      };
    case 'stage_changed':
      return project({ column: 'stage', set: event.payload.to });
    case 'worker_output':
      return project({ column: 'turnsSinceHuman', add: 1 });
    case 'pending_opened': {
      const p = event.payload;
      return {
        row: p.kind === 'continuation' ? [] : [{ column: 'openAsks', add: 1 }],
        rowKnown: true,
        statements: [
          `insert into pendings (id, project_id, kind, asked_seq, question, options, subject, details, reason, created_at) values (${sqlLiteral(p.pendingId)}, ${id}, ${sqlLiteral(p.kind)}, ${seq}, ${sqlLiteral(p.question ?? null)}, ${json(p.options)}, ${sqlLiteral(p.subject ?? null)}, ${json(p.details)}, ${sqlLiteral(p.reason ?? null)}, ${at})`,
        ],
      };
    }
    case 'pending_answered':
      return {
        row: [{ column: 'turnsSinceHuman', set: 0 }],
        rowKnown: false,
        statements: [
          openAsksAnswered(event.projectId, event.payload.pendingId),
          `update pendings set status = 'answered', answer = ${json(event.payload.answer)}, answered_seq = ${seq}, resolved_at = ${at} where id = ${sqlLiteral(event.payload.pendingId)} and project_id = ${id}`,
        ],
      };
    case 'pending_cancelled':
      return {
        row: [],
        rowKnown: false,
        statements: [
          openAsksAnswered(event.projectId, event.payload.pendingId),
          `update pendings set status = 'cancelled', resolved_at = ${at} where id = ${sqlLiteral(event.payload.pendingId)} and project_id = ${id}`,
        ],
      };
    case 'owner_message':
      return project({ column: 'turnsSinceHuman', set: 0 });
    case 'alarm_raised': {
      const p = event.payload;
      return only(
        `insert into alarms (id, project_id, type, severity, message, context, recommended_action, auto_resolve, raised_seq, created_at) values (${sqlLiteral(p.alarmId)}, ${id}, ${sqlLiteral(p.type)}, ${sqlLiteral(p.severity)}, ${sqlLiteral(p.message)}, ${json(p.context)}, ${sqlLiteral(p.recommendedAction)}, ${sqlLiteral(p.autoResolve)}, ${seq}, ${at})`,
      );
    }
    case 'alarm_resolved':
      return only(
        `update alarms set status = 'resolved', resolved_seq = ${seq}, resolved_at = ${at} where id = ${sqlLiteral(event.payload.alarmId)} and project_id = ${id}`,
      );
    case 'gate_evaluated': {
      const status = sqlLiteral(event.payload.passed ? 'passed' : 'failed');
      const criteria = jsonLiteral(event.payload.criteria);
      return only(
        `insert into gates (project_id, name, status, criteria, evaluated_seq, evaluated_at, created_at) values (${id}, ${sqlLiteral(event.payload.name)}, ${status}, ${criteria}, ${seq}, ${at}, ${at}) on conflict (project_id, name) do update set status = ${status}, criteria = ${criteria}, evaluated_seq = ${seq}, evaluated_at = ${at}`,
      );
    }
    case 'brief_saved':
      return project({ column: 'brief', set: event.payload.brief ?? null });
    case 'worker_output_applied':
    case 'worker_output_invalid':
    case 'worker_failed':
    case 'tool_started':
    case 'tool_finished':
    case 'tool_outcome_unknown':
    case 'hook_finished':
    case 'step_settled':
    case 'snapshot_created':
    case 'rewound':
    case 'rewind_undone':
    case 'loop_nudged':
    case 'model_swapped':
    case 'agent_message':
      return none;
    default:
      return null;
  }
}

/** A question or approval answered or withdrawn is no longer waiting (a continuation gate never was). */
function openAsksAnswered(projectId: string, pendingId: string): string {
  return `update projects set open_asks = open_asks - (select count(*) from pendings where id = ${sqlLiteral(pendingId)} and project_id = ${sqlLiteral(projectId)} and kind <> 'continuation') where id = ${sqlLiteral(projectId)}`;
}

/** The statement that makes a projection's changes to the project row. */
export function projectUpdate(projectId: string, changes: RowChange[]): string {
  return `update projects set ${changes.map(rowAssignment).join(', ')}, updated_at = now() where id = ${sqlLiteral(projectId)}`;
}

export async function applyEvent(tx: Tx, event: StoredEvent): Promise<void> {
  const projection = projectionOf(event);
  if (projection) {
    if (projection.row.length > 0) await tx.execute(sql.raw(projectUpdate(event.projectId, projection.row)));
    for (const statement of projection.statements) await tx.execute(sql.raw(statement));
    return;
  }
  switch (event.type) {
    case 'work_item_created':
    case 'work_item_claimed':
    case 'work_item_status_changed':
    case 'work_item_skipped':
    case 'work_item_reprioritised':
    case 'work_item_dependency_added':
    case 'work_item_dependency_removed':
    case 'bug_status_changed':
    case 'work_item_deleted':
    case 'spec_saved':
      await applyWorkItemEvent(tx, event);
      return;
    case 'board_restored':
      await restoreBoard(tx, event.projectId, event.payload.board as BoardState);
      return;
    case 'domain':
      for (const projector of domainProjectors) await projector(tx, event);
      return;
    default:
      throw new Error(`No projection for event ${event.type}`);
  }
}
