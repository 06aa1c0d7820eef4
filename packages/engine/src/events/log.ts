import { type Db, events, projects, runnerLeases } from '@sitewright/db';
import { and, asc, eq, gt, isNull, sql } from 'drizzle-orm';
import { EngineError } from '../errors.ts';
import { applyEvent } from '../projections/apply.ts';
import { type Actor, type EventDraft, EventPayloads, type EventType, type StoredEvent } from './types.ts';

/** A database handle or an open transaction: both run queries the same way. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type DbOrTx = Db | Tx;

export interface AppendOptions {
  /**
   * The runner's fencing token. When given, the append succeeds only if the project's lease still
   * carries this token: a runner that lost its lease can never write again.
   */
  fencingToken?: number;
}

/**
 * Appends events to a project's log inside the caller's transaction and applies each to the
 * projections in the same transaction. Seqs are contiguous: they come from `projects.last_seq`,
 * incremented by an UPDATE that also serialises concurrent appenders on Postgres.
 */
export async function appendEvents(
  tx: Tx,
  projectId: string,
  drafts: EventDraft[],
  options: AppendOptions = {},
): Promise<StoredEvent[]> {
  if (drafts.length === 0) return [];
  for (const draft of drafts) validateDraft(draft);
  if (options.fencingToken !== undefined) await checkFence(tx, projectId, options.fencingToken);
  const [row] = await tx
    .update(projects)
    .set({ lastSeq: sql`${projects.lastSeq} + ${drafts.length}` })
    .where(eq(projects.id, projectId))
    .returning({ lastSeq: projects.lastSeq });
  if (!row) throw new EngineError('not_found', `Project ${projectId} does not exist`);
  const firstSeq = row.lastSeq - drafts.length + 1;
  const inserted = await tx
    .insert(events)
    .values(
      drafts.map((draft, index) => ({
        projectId,
        seq: firstSeq + index,
        type: draft.type,
        payload: draft.payload as Record<string, unknown>,
        actor: draft.actor ?? defaultActor(draft.type),
        fencingToken: options.fencingToken ?? null,
      })),
    )
    .returning();
  const stored = inserted.map(toStoredEvent);
  for (const event of stored) await applyEvent(tx, event);
  return stored;
}

/**
 * The fence is an UPDATE, not a read: on Postgres it takes the lease row's lock, so a concurrent
 * takeover either commits first (and this append fails) or waits for this transaction to finish.
 */
async function checkFence(tx: Tx, projectId: string, token: number): Promise<void> {
  const held = await tx
    .update(runnerLeases)
    .set({ fencingToken: token })
    .where(and(eq(runnerLeases.projectId, projectId), eq(runnerLeases.fencingToken, token)))
    .returning({ projectId: runnerLeases.projectId });
  if (held.length === 0) {
    throw new EngineError('lease_lost', `This runner no longer holds the lease of project ${projectId}`);
  }
}

function validateDraft(draft: EventDraft): void {
  const schema = EventPayloads[draft.type as EventType];
  if (!schema) throw new EngineError('invalid_event', `Unknown event type ${draft.type}`);
  const parsed = schema.safeParse(draft.payload);
  if (!parsed.success) {
    throw new EngineError('invalid_event', `Invalid ${draft.type} event: ${parsed.error.message}`);
  }
}

function defaultActor(type: EventType): Actor {
  if (type === 'worker_output' || type === 'agent_message') return 'worker';
  if (type === 'owner_message' || type === 'pending_answered') return 'owner';
  return 'system';
}

type EventRow = typeof events.$inferSelect;

export function toStoredEvent(row: EventRow): StoredEvent {
  return {
    seq: row.seq,
    projectId: row.projectId,
    type: row.type,
    payload: row.payload,
    actor: row.actor as Actor,
    createdAt: row.createdAt,
    supersededBySeq: row.supersededBySeq,
  } as StoredEvent;
}

export interface ReadEventsOptions {
  afterSeq?: number;
  limit?: number;
  /** Include events hidden by a rewind (for audit and for undoing a rewind). */
  includeSuperseded?: boolean;
}

/** Events of a project in seq order. */
export async function readEvents(
  db: DbOrTx,
  projectId: string,
  options: ReadEventsOptions = {},
): Promise<StoredEvent[]> {
  const conditions = [eq(events.projectId, projectId), gt(events.seq, options.afterSeq ?? 0)];
  if (!options.includeSuperseded) conditions.push(isNull(events.supersededBySeq));
  const rows = await db
    .select()
    .from(events)
    .where(and(...conditions))
    .orderBy(asc(events.seq))
    .limit(options.limit ?? 10_000);
  return rows.map(toStoredEvent);
}
