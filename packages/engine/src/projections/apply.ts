/**
 * The projector: how each event changes the projection tables. It is the ONLY writer of projections,
 * used both live (inside `appendEvents`, same transaction as the event) and by `rebuildProjections`
 * (replaying the active log), so the two can never disagree by construction — and `verifyProjections`
 * proves it on real data. Timestamps come from the event, never from the clock, so replays are exact.
 */
import { alarms, gates, pendings, projects, stateTransitions } from '@sitewright/db';
import { and, eq, sql } from 'drizzle-orm';
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

export async function applyEvent(tx: Tx, event: StoredEvent): Promise<void> {
  const projectId = event.projectId;
  const at = event.createdAt;
  const project = eq(projects.id, projectId);
  switch (event.type) {
    case 'project_created':
      await tx.update(projects).set({ stage: event.payload.stage }).where(project);
      return;
    case 'run_status_changed':
      await tx
        .update(projects)
        .set({
          runStatus: event.payload.status,
          pausedReason: event.payload.pausedReason,
          resumeAt: event.payload.resumeAt ? new Date(event.payload.resumeAt) : null,
        })
        .where(project);
      return;
    case 'lifecycle_transitioned':
      await tx
        .update(projects)
        .set({ lifecycleState: event.payload.to, iterations: event.payload.iteration })
        .where(project);
      await tx.insert(stateTransitions).values({
        projectId,
        fromState: event.payload.from,
        toState: event.payload.to,
        reason: event.payload.reason,
        iteration: event.payload.iteration,
        atSeq: event.seq,
        createdAt: at,
      });
      return;
    case 'stage_changed':
      await tx.update(projects).set({ stage: event.payload.to }).where(project);
      return;
    case 'worker_output':
      await tx
        .update(projects)
        .set({ turnsSinceHuman: sql`${projects.turnsSinceHuman} + 1` })
        .where(project);
      return;
    case 'pending_opened':
      await tx.insert(pendings).values({
        id: event.payload.pendingId,
        projectId,
        kind: event.payload.kind,
        askedSeq: event.seq,
        question: event.payload.question ?? null,
        options: event.payload.options ?? null,
        subject: event.payload.subject ?? null,
        details: event.payload.details ?? null,
        reason: event.payload.reason ?? null,
        createdAt: at,
      });
      return;
    case 'pending_answered':
      await tx
        .update(pendings)
        .set({
          status: 'answered',
          answer: event.payload.answer ?? null,
          answeredSeq: event.seq,
          resolvedAt: at,
        })
        .where(and(eq(pendings.id, event.payload.pendingId), eq(pendings.projectId, projectId)));
      await tx.update(projects).set({ turnsSinceHuman: 0 }).where(project);
      return;
    case 'pending_cancelled':
      await tx
        .update(pendings)
        .set({ status: 'cancelled', resolvedAt: at })
        .where(and(eq(pendings.id, event.payload.pendingId), eq(pendings.projectId, projectId)));
      return;
    case 'owner_message':
      await tx.update(projects).set({ turnsSinceHuman: 0 }).where(project);
      return;
    case 'alarm_raised':
      await tx.insert(alarms).values({
        id: event.payload.alarmId,
        projectId,
        type: event.payload.type,
        severity: event.payload.severity,
        message: event.payload.message,
        context: event.payload.context,
        recommendedAction: event.payload.recommendedAction,
        autoResolve: event.payload.autoResolve,
        raisedSeq: event.seq,
        createdAt: at,
      });
      return;
    case 'alarm_resolved':
      await tx
        .update(alarms)
        .set({ status: 'resolved', resolvedSeq: event.seq, resolvedAt: at })
        .where(and(eq(alarms.id, event.payload.alarmId), eq(alarms.projectId, projectId)));
      return;
    case 'gate_evaluated': {
      const values = {
        status: event.payload.passed ? ('passed' as const) : ('failed' as const),
        criteria: event.payload.criteria,
        evaluatedSeq: event.seq,
        evaluatedAt: at,
      };
      await tx
        .insert(gates)
        .values({ projectId, name: event.payload.name, createdAt: at, ...values })
        .onConflictDoUpdate({ target: [gates.projectId, gates.name], set: values });
      return;
    }
    case 'brief_saved':
      await tx
        .update(projects)
        .set({ brief: event.payload.brief ?? null })
        .where(project);
      return;
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
      await restoreBoard(tx, projectId, event.payload.board as BoardState);
      return;
    case 'domain':
      for (const projector of domainProjectors) await projector(tx, event);
      return;
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
      return;
    default: {
      const unhandled: never = event;
      throw new Error(`No projection for event ${(unhandled as StoredEvent).type}`);
    }
  }
}
