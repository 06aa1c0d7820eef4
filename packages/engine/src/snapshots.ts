/**
 * Snapshots: named restore points of the board (work items and their dependencies) plus a domain
 * reference (the site repository's commit). Taken by hand, automatically when a gate passes, and
 * before risky tools and rollbacks; at most 20 per project. A rollback is an event (`board_restored`)
 * carrying the board, so the projector restores it and a rebuild reproduces it; the domain then moves
 * its own state to the snapshot's reference.
 */
import { snapshots, workItemDependencies, workItems } from '@sitewright/db';
import { and, asc, desc, eq, notInArray } from 'drizzle-orm';
import { EngineError } from './errors.ts';
import { type AppendOptions, appendEvents, type DbOrTx, type Tx } from './events/log.ts';
import type { StoredEvent } from './events/types.ts';
import { fenceOutRunner } from './leases.ts';
import { loadProject } from './run-state.ts';

export const MAX_SNAPSHOTS = 20;

type ItemRow = typeof workItems.$inferSelect;
export interface BoardState {
  items: Array<Omit<ItemRow, 'createdAt' | 'updatedAt' | 'claimedAt' | 'passedAt'> & Record<string, unknown>>;
  dependencies: Array<{ itemId: number; dependsOnId: number }>;
}

export type Snapshot = typeof snapshots.$inferSelect;

/** The board as JSON (timestamps as ISO strings), ready to store in a snapshot or an event. */
export async function captureBoard(db: DbOrTx, projectId: string): Promise<BoardState> {
  const items = await db
    .select()
    .from(workItems)
    .where(eq(workItems.projectId, projectId))
    .orderBy(asc(workItems.id));
  const dependencies = await db
    .select({ itemId: workItemDependencies.itemId, dependsOnId: workItemDependencies.dependsOnId })
    .from(workItemDependencies)
    .where(eq(workItemDependencies.projectId, projectId))
    .orderBy(asc(workItemDependencies.itemId), asc(workItemDependencies.dependsOnId));
  return JSON.parse(JSON.stringify({ items, dependencies })) as BoardState;
}

/** Projector of `board_restored`: the board becomes exactly the snapshot's. */
export async function restoreBoard(tx: Tx, projectId: string, board: BoardState): Promise<void> {
  await tx.delete(workItemDependencies).where(eq(workItemDependencies.projectId, projectId));
  await tx.delete(workItems).where(eq(workItems.projectId, projectId));
  const date = (value: unknown) => (typeof value === 'string' ? new Date(value) : null);
  if (board.items.length > 0) {
    await tx.insert(workItems).values(
      board.items.map((item) => ({
        ...(item as unknown as ItemRow),
        projectId,
        createdAt: date(item.createdAt) ?? new Date(0),
        updatedAt: date(item.updatedAt) ?? new Date(0),
        claimedAt: date(item.claimedAt),
        passedAt: date(item.passedAt),
      })),
    );
  }
  if (board.dependencies.length > 0) {
    await tx
      .insert(workItemDependencies)
      .values(board.dependencies.map((dependency) => ({ projectId, ...dependency })));
  }
}

export interface CreateSnapshotInput {
  name: string;
  kind: 'manual' | 'auto';
  /** The domain's reference for its own state (e.g. a git commit), captured by the caller. */
  ref: string | null;
}

/** Takes a snapshot inside the caller's transaction and prunes the oldest beyond MAX_SNAPSHOTS. */
export async function createSnapshotInTx(
  tx: Tx,
  projectId: string,
  input: CreateSnapshotInput,
  append: AppendOptions = {},
): Promise<{ snapshot: Snapshot; events: StoredEvent[] }> {
  const name = input.name.trim();
  if (!name || name.length > 200)
    throw new EngineError('invalid_answer', 'A snapshot needs a name of 1–200 characters.');
  // The fence first (the lock order, see `checkFence`): the snapshot's insert locks the project row.
  const fencingToken = append.fenceChecked ? undefined : append.fencingToken;
  const row = await loadProject(tx, projectId, { fencingToken });
  const [snapshot] = await tx
    .insert(snapshots)
    .values({
      projectId,
      name,
      kind: input.kind,
      commitSha: input.ref,
      boardState: await captureBoard(tx, projectId),
      atSeq: row.lastSeq + 1,
    })
    .returning();
  if (!snapshot) throw new Error('snapshot insert returned nothing');
  const stored = await appendEvents(
    tx,
    projectId,
    [
      {
        type: 'snapshot_created',
        payload: { snapshotId: snapshot.id, name, kind: input.kind, ref: input.ref },
      },
    ],
    { ...append, fenceChecked: true },
  );
  const keep = tx
    .select({ id: snapshots.id })
    .from(snapshots)
    .where(eq(snapshots.projectId, projectId))
    .orderBy(desc(snapshots.createdAt), desc(snapshots.atSeq))
    .limit(MAX_SNAPSHOTS);
  await tx.delete(snapshots).where(and(eq(snapshots.projectId, projectId), notInArray(snapshots.id, keep)));
  return { snapshot, events: stored };
}

export async function listSnapshots(db: DbOrTx, projectId: string): Promise<Snapshot[]> {
  return db
    .select()
    .from(snapshots)
    .where(eq(snapshots.projectId, projectId))
    .orderBy(desc(snapshots.createdAt), desc(snapshots.atSeq));
}

/**
 * Restores a snapshot's board in one transaction (after taking an automatic snapshot of the current
 * state, so the rollback itself can be rolled back) and fences out a runner mid-step.
 */
export async function rollbackInTx(
  tx: Tx,
  projectId: string,
  snapshotId: string,
  currentRef: string | null,
): Promise<{ snapshot: Snapshot; events: StoredEvent[] }> {
  const [snapshot] = await tx
    .select()
    .from(snapshots)
    .where(and(eq(snapshots.id, snapshotId), eq(snapshots.projectId, projectId)));
  if (!snapshot) throw new EngineError('not_found', 'There is no such snapshot in this project.');
  // The runner is fenced out first: the lease row is locked before the project row (see `checkFence`).
  await fenceOutRunner(tx, projectId);
  const before = await createSnapshotInTx(tx, projectId, {
    name: `Before rollback to “${snapshot.name}”`,
    kind: 'auto',
    ref: currentRef,
  });
  const restored = await appendEvents(tx, projectId, [
    {
      type: 'board_restored',
      payload: {
        snapshotId: snapshot.id,
        name: snapshot.name,
        ref: snapshot.commitSha,
        board: snapshot.boardState,
      },
      actor: 'owner',
    },
  ]);
  return { snapshot, events: [...before.events, ...restored] };
}
