/**
 * How work-item and spec events change `work_items`, `work_item_dependencies` and `specs`. Called by
 * the engine's projector (live, in the appending transaction) and by rebuild; like every projection,
 * timestamps come from the event so a replay reproduces the rows exactly.
 */
import { specs, workItemDependencies, workItems } from '@sitewright/db';
import { and, asc, eq, or } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../events/log.ts';
import type { StoredEvent } from '../events/types.ts';

export const workItemEventTypes = [
  'work_item_created',
  'work_item_claimed',
  'work_item_status_changed',
  'work_item_skipped',
  'work_item_reprioritised',
  'work_item_dependency_added',
  'work_item_dependency_removed',
  'bug_status_changed',
  'work_item_deleted',
  'spec_saved',
] as const;
export type WorkItemEventType = (typeof workItemEventTypes)[number];
export type WorkItemEvent = Extract<StoredEvent, { type: WorkItemEventType }>;

export async function applyWorkItemEvent(tx: Tx, event: WorkItemEvent): Promise<void> {
  const projectId = event.projectId;
  const at = event.createdAt;
  const item = (id: number) => and(eq(workItems.projectId, projectId), eq(workItems.id, id));
  switch (event.type) {
    case 'work_item_created': {
      const { dependencies, ...fields } = event.payload;
      await tx
        .insert(workItems)
        .values({ ...fields, projectId, status: 'pending', createdAt: at, updatedAt: at });
      if (dependencies.length > 0) {
        await tx
          .insert(workItemDependencies)
          .values(dependencies.map((dependsOnId) => ({ projectId, itemId: fields.id, dependsOnId })));
      }
      return;
    }
    case 'work_item_claimed':
      await tx
        .update(workItems)
        .set({ status: 'in_progress', claimedBy: event.payload.claimedBy, claimedAt: at, updatedAt: at })
        .where(item(event.payload.itemId));
      return;
    case 'work_item_status_changed': {
      const { to } = event.payload;
      await tx
        .update(workItems)
        .set({
          status: to,
          attempts: event.payload.attempts,
          evidence: event.payload.evidence ?? null,
          lastError: event.payload.error ?? null,
          claimedBy: null,
          claimedAt: null,
          passedAt: to === 'passing' ? at : null,
          updatedAt: at,
        })
        .where(item(event.payload.itemId));
      return;
    }
    case 'work_item_skipped':
      await tx
        .update(workItems)
        .set({
          status: 'pending',
          queueOrder: event.payload.queueOrder,
          claimedBy: null,
          claimedAt: null,
          updatedAt: at,
        })
        .where(item(event.payload.itemId));
      return;
    case 'work_item_reprioritised':
      await tx
        .update(workItems)
        .set({ priority: event.payload.priority, updatedAt: at })
        .where(item(event.payload.itemId));
      return;
    case 'work_item_dependency_added':
      await tx
        .insert(workItemDependencies)
        .values({ projectId, itemId: event.payload.itemId, dependsOnId: event.payload.dependsOnId });
      return;
    case 'work_item_dependency_removed':
      await tx
        .delete(workItemDependencies)
        .where(
          and(
            eq(workItemDependencies.projectId, projectId),
            eq(workItemDependencies.itemId, event.payload.itemId),
            eq(workItemDependencies.dependsOnId, event.payload.dependsOnId),
          ),
        );
      return;
    case 'bug_status_changed':
      await tx
        .update(workItems)
        .set({ bugStatus: event.payload.to, updatedAt: at })
        .where(item(event.payload.itemId));
      return;
    case 'work_item_deleted': {
      const id = event.payload.itemId;
      // Explicit rather than left to the foreign keys' cascades, so the projection says what it does.
      await tx
        .delete(workItemDependencies)
        .where(
          and(
            eq(workItemDependencies.projectId, projectId),
            or(eq(workItemDependencies.itemId, id), eq(workItemDependencies.dependsOnId, id)),
          ),
        );
      await tx
        .update(workItems)
        .set({ parentBugId: null, updatedAt: at })
        .where(and(eq(workItems.projectId, projectId), eq(workItems.parentBugId, id)));
      await tx.delete(workItems).where(item(id));
      return;
    }
    case 'spec_saved':
      await tx
        .insert(specs)
        .values({
          id: event.payload.specId,
          projectId,
          name: event.payload.name,
          content: event.payload.content,
          createdAt: at,
          updatedAt: at,
        })
        .onConflictDoUpdate({
          target: [specs.projectId, specs.name],
          set: { content: event.payload.content, updatedAt: at },
        });
      return;
    default: {
      const unhandled: never = event;
      throw new Error(`No work-item projection for event ${(unhandled as StoredEvent).type}`);
    }
  }
}

/** Clears a project's work items, dependencies and specs before a replay. */
export async function resetWorkItemProjection(tx: Tx, projectId: string): Promise<void> {
  await tx.delete(workItemDependencies).where(eq(workItemDependencies.projectId, projectId));
  await tx.delete(workItems).where(eq(workItems.projectId, projectId));
  await tx.delete(specs).where(eq(specs.projectId, projectId));
}

/** The work-item projections of a project in a comparable order. */
export async function readWorkItemProjection(
  db: DbOrTx,
  projectId: string,
): Promise<Record<string, unknown>> {
  return {
    workItems: await db
      .select()
      .from(workItems)
      .where(eq(workItems.projectId, projectId))
      .orderBy(asc(workItems.id)),
    workItemDependencies: await db
      .select()
      .from(workItemDependencies)
      .where(eq(workItemDependencies.projectId, projectId))
      .orderBy(asc(workItemDependencies.itemId), asc(workItemDependencies.dependsOnId)),
    specs: await db.select().from(specs).where(eq(specs.projectId, projectId)).orderBy(asc(specs.name)),
  };
}
