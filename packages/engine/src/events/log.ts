import {
  type Db,
  events,
  expectation,
  failedExpectation,
  jsonLiteral,
  jsonTextLiteral,
  prepareEmbedded,
  projects,
  runnerLeases,
  runScript,
  sqlLiteral,
} from '@sitewright/db';
import { and, asc, eq, gt, isNull, sql } from 'drizzle-orm';
import { EngineError } from '../errors.ts';
import {
  applyEvent,
  applyRowChanges,
  type Projection,
  projectionOf,
  projectUpdate,
  rowAssignment,
} from '../projections/apply.ts';
import type { ProjectRow } from '../run-state.ts';
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
  /** The caller already checked the fence in this transaction (`loadProject` with the token). */
  fenceChecked?: boolean;
  /** Who writes: an engine names itself, so it can tell its own writes from others' (`watchProjectWrites`). */
  writer?: object;
}

/** Told of every write to a project made in this process (see `watchProjectWrites`). */
export interface ProjectWriteWatcher {
  onWrite(projectId: string, writer: object | undefined): void;
}
const watchers = new Set<WeakRef<ProjectWriteWatcher>>();

/**
 * Tells `watcher` of every write to a project made in this process, as the write is issued — before
 * it runs. Every write to a project row goes through the engine package (`appendEvents`,
 * `appendScripted`, `loadProject` with `forUpdate`, `updateSettings`), so a watcher knows of every
 * change made in this process without reading the row again — on the embedded database, which no
 * other process can open, of every change at all (ADR 0006, 0007). Held weakly: a watcher nobody else
 * holds goes away.
 */
export function watchProjectWrites(watcher: ProjectWriteWatcher): void {
  watchers.add(new WeakRef(watcher));
}

/**
 * Tells the watchers that `projectId` is being written. Called as a write is issued: by the appends,
 * and by a transaction as it locks the project row to write it (it may write before it appends).
 */
export function noteProjectWrite(projectId: string, writer: object | undefined): void {
  for (const ref of watchers) {
    const watcher = ref.deref();
    if (watcher) watcher.onWrite(projectId, writer);
    else watchers.delete(ref);
  }
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
  noteProjectWrite(projectId, options.writer);
  for (const draft of drafts) validateDraft(draft);
  if (options.fencingToken !== undefined && !options.fenceChecked) {
    await checkFence(tx, projectId, options.fencingToken);
  }
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

export interface ScriptedAppend {
  /**
   * The project row the drafts were built from. The commit goes through only while the project's
   * `last_seq` is still the row's: nothing was appended since, so every projection the drafts were
   * decided on still holds (the optimistic twin of reading the row FOR UPDATE).
   */
  row: ProjectRow;
  drafts: EventDraft[];
  fencingToken?: number;
  writer?: object;
}

/**
 * `appendEvents` in one round trip. The fence, the events, their projections and a compare-and-set of
 * `last_seq` go as one script (one implicit transaction), and nothing is read back: the project row's
 * projections are data (`RowChange`s), folded into the compare-and-set update and applied to a copy of
 * `row`, which is returned as the row committed (null when a projection changes the row in a way only
 * the database knows). Returns null, having written nothing, when the project moved on since `row` was
 * read, or when an event's projection needs a transaction (work items, domain events): the caller then
 * commits the regular way. A lost lease throws `lease_lost`, as `appendEvents` does.
 */
export async function appendScripted(
  db: Db,
  append: ScriptedAppend,
): Promise<{ stored: StoredEvent[]; row: ProjectRow | null } | null> {
  const { row, drafts, fencingToken } = append;
  if (drafts.length === 0) return null;
  noteProjectWrite(row.id, append.writer);
  const id = sqlLiteral(row.id);
  // The events' time, from this process's clock (the regular path takes the database's `now()`).
  const createdAt = new Date();
  const at = sqlLiteral(createdAt);
  const embedded = await prepareEmbedded(db, PREPARED);
  const stored: StoredEvent[] = [];
  const seqs: string[] = [];
  const types: string[] = [];
  const payloads: string[] = [];
  const actors: string[] = [];
  for (let index = 0; index < drafts.length; index++) {
    const draft = drafts[index] as EventDraft;
    validateDraft(draft);
    // The payload as the log keeps it (JSON), so what is announced equals what a read returns.
    const text = JSON.stringify(draft.payload);
    const seq = row.lastSeq + 1 + index;
    const actor = draft.actor ?? defaultActor(draft.type);
    stored.push({
      seq,
      projectId: row.id,
      type: draft.type,
      payload: JSON.parse(text),
      actor,
      createdAt,
      supersededBySeq: null,
    } as StoredEvent);
    seqs.push(String(seq));
    types.push(sqlLiteral(draft.type));
    payloads.push(jsonTextLiteral(text));
    actors.push(sqlLiteral(actor));
  }
  const script: string[] = [];
  const fenceToken = sqlLiteral(fencingToken ?? null);
  // Another writer that took these seqs makes this insert fail (unique project_id, seq).
  script.push(
    embedded
      ? `execute sitewright_append_events(${id}, ${fenceToken}, ${at}, ARRAY[${seqs.join(', ')}]::bigint[], ARRAY[${types.join(', ')}]::text[], ARRAY[${payloads.join(', ')}]::jsonb[], ARRAY[${actors.join(', ')}]::text[])`
      : `insert into events (project_id, seq, type, payload, actor, fencing_token, created_at) values ${seqs
          .map(
            (seq, index) =>
              `(${id}, ${seq}, ${types[index]}, ${payloads[index]}, ${actors[index]}, ${fenceToken}, ${at})`,
          )
          .join(', ')}`,
  );
  const projections: Projection[] = [];
  for (const event of stored) {
    const projection = projectionOf(event);
    if (!projection) return null;
    projections.push(projection);
    script.push(...projection.statements);
  }
  // The row's changes join the compare-and-set, unless a column changes twice (then in order).
  const changes = projections.flatMap((projection) => projection.row);
  const folded = new Set(changes.map((change) => change.column)).size === changes.length;
  if (!folded) {
    for (const projection of projections) {
      if (projection.row.length > 0) script.push(projectUpdate(row.id, projection.row));
    }
  }
  // The compare-and-set, and the fence: the UPDATE evaluates the lease check (FOR UPDATE, as
  // `checkFence`'s UPDATE locks it) before it locks the project row — the lock order of every writer.
  const additions = folded && changes.every((change) => 'add' in change);
  if (embedded && additions) {
    const add = (column: string) =>
      sqlLiteral(
        changes.reduce(
          (sum, change) => sum + (change.column === column && 'add' in change ? change.add : 0),
          0,
        ),
      );
    script.unshift(
      `execute sitewright_advance_project(${id}, ${sqlLiteral(row.lastSeq)}, ${sqlLiteral(row.lastSeq + drafts.length)}, ${fenceToken}, ${add('turnsSinceHuman')}, ${add('openAsks')}, ${at})`,
    );
  } else {
    const held = fencingToken === undefined ? 'true' : leaseHeld(id, sqlLiteral(fencingToken));
    const assignments = [
      `last_seq = case when ${expectation(`last_seq = ${sqlLiteral(row.lastSeq)}`, 'moved_on')} and ${held} then ${sqlLiteral(row.lastSeq + drafts.length)} end`,
      ...(folded ? changes.map(rowAssignment) : []),
      `updated_at = ${at}`,
    ];
    script.unshift(`update projects set ${assignments.join(', ')} where id = ${id}`);
  }
  try {
    await runScript(db, script);
  } catch (error) {
    const failed = failedExpectation(error);
    if (failed === 'moved_on' || (error as { code?: unknown }).code === UNIQUE_VIOLATION) return null;
    if (failed === 'lease_lost') {
      throw new EngineError('lease_lost', `This runner no longer holds the lease of project ${row.id}`);
    }
    throw error;
  }
  if (!projections.every((projection) => projection.rowKnown)) return { stored, row: null };
  const committed = { ...row, lastSeq: row.lastSeq + drafts.length, updatedAt: createdAt };
  applyRowChanges(committed, changes);
  return { stored, row: committed };
}

const UNIQUE_VIOLATION = '23505';

/** True while the lease carries `token`, locking the lease row; else it stops the script. */
function leaseHeld(projectId: string, token: string): string {
  return expectation(
    `exists (select 1 from runner_leases where project_id = ${projectId} and fencing_token = ${token} for update)`,
    'lease_lost',
  );
}

/**
 * Whether the project row is still as `row` has it, for everything a step decides from: no event
 * appended since (`last_seq`; every projection is an event's), and the settings — the one thing
 * changed without an event (the project's model choices) — as they were. One cheap read.
 */
export async function rowUnchanged(db: Db, row: ProjectRow): Promise<boolean> {
  const args = [sqlLiteral(row.id), sqlLiteral(row.lastSeq), jsonLiteral(row.settings)];
  const [probe] = await runScript(db, [
    (await prepareEmbedded(db, PREPARED))
      ? `execute sitewright_row_unchanged(${args.join(', ')})`
      : `select last_seq = ${args[1]} and settings = ${args[2]} as current from projects where id = ${args[0]}`,
  ]);
  return probe?.current === true;
}

/**
 * The statements of a step commit, prepared once on the embedded database (see `prepareEmbedded`):
 * the same SQL as the written-out forms above, with the values as parameters.
 */
const PREPARED = {
  sitewright_append_events:
    '(uuid, bigint, timestamptz, bigint[], text[], jsonb[], text[]) as insert into events (project_id, seq, type, payload, actor, fencing_token, created_at) select $1, e.seq, e.type, e.payload, e.actor, $2, $3 from unnest($4, $5, $6, $7) as e(seq, type, payload, actor)',
  sitewright_row_unchanged:
    '(uuid, bigint, jsonb) as select last_seq = $2 and settings = $3 as current from projects where id = $1',
  sitewright_advance_project: `(uuid, bigint, bigint, bigint, int, int, timestamptz) as update projects set last_seq = case when ${expectation('last_seq = $2', 'moved_on')} and ($4 is null or ${leaseHeld('$1', '$4')}) then $3 end, turns_since_human = turns_since_human + $5, open_asks = open_asks + $6, updated_at = $7 where id = $1`,
};

/**
 * The fence is an UPDATE, not a read: on Postgres it takes the lease row's lock, so a concurrent
 * takeover either commits first (and this append fails) or waits for this transaction to finish.
 *
 * Lock order: every writer locks a project's lease row before its project row (and the project row
 * before the rows that hang off it), so two writers of one project wait for each other instead of
 * deadlocking. A fenced transaction checks the fence first; one that fences a runner out bumps the
 * token first; deleting a project deletes its lease first.
 */
export async function checkFence(tx: Tx, projectId: string, token: number): Promise<void> {
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

/** Who caused an event when its draft does not say. */
export function defaultActor(type: EventType): Actor {
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
