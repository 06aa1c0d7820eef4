/** Database rows and engine values shaped into the contract's DTOs; row types never reach the wire. */
import type { Alarm, Gate, Pending, Progress, ProjectEvent, ProjectSummary } from '@sitewright/contracts';
import type { alarms, gates, pendings } from '@sitewright/db';
import type { StoredEvent, WorkItemStats } from '@sitewright/engine';
import type { ProjectRow } from './access.ts';

const iso = (value: Date | null): string | null => (value ? value.toISOString() : null);

export function toProgress(stats: WorkItemStats): Progress {
  const { total, passing, percent, bugs } = stats;
  return { total, passing, percent, bugs };
}

export function toProjectSummary(row: ProjectRow, progress: Progress): ProjectSummary {
  return {
    id: row.id,
    name: row.name,
    ownerId: row.ownerId,
    status: row.runStatus,
    pausedReason: row.pausedReason,
    resumeAt: iso(row.resumeAt),
    state: row.lifecycleState,
    stage: row.stage,
    progress,
    spentUsd: row.spentUsd,
    lastSeq: row.lastSeq,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function toPending(row: typeof pendings.$inferSelect): Pending {
  return {
    id: row.id,
    kind: row.kind,
    question: row.question,
    options: row.options,
    subject: row.subject,
    details: row.details ?? null,
    reason: row.reason,
    askedSeq: row.askedSeq,
    createdAt: row.createdAt.toISOString(),
  };
}

export function toGate(row: typeof gates.$inferSelect): Gate {
  return {
    name: row.name,
    status: row.status,
    criteria: row.criteria as Gate['criteria'],
    evaluatedSeq: row.evaluatedSeq,
    evaluatedAt: iso(row.evaluatedAt),
  };
}

export function toAlarm(row: typeof alarms.$inferSelect): Alarm {
  return {
    id: row.id,
    type: row.type,
    severity: row.severity,
    status: row.status,
    message: row.message,
    context: row.context,
    recommendedAction: row.recommendedAction,
    raisedSeq: row.raisedSeq,
    resolvedSeq: row.resolvedSeq,
    createdAt: row.createdAt.toISOString(),
    resolvedAt: iso(row.resolvedAt),
  };
}

export function toEvent(event: StoredEvent): ProjectEvent {
  return {
    seq: event.seq,
    type: event.type,
    payload: event.payload,
    actor: event.actor,
    createdAt: event.createdAt.toISOString(),
    superseded: event.supersededBySeq !== null,
  };
}
