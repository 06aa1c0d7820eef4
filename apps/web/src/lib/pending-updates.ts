/**
 * The open questions the WebSocket reported, kept until a fetched project page has caught up with
 * them. A page fetched just before a question opened can arrive after the socket said it did (a
 * refetch in flight while the agent asks); without this, that older page would hide the question
 * until the next change. A fetched page says how far it has read (`project.lastSeq`): updates after
 * that are applied to it again, in order; older ones are dropped, the page has them.
 */
import type { Pending, ProjectDetail } from '@sitewright/contracts';

export interface PendingUpdate {
  seq: number;
  pending: Pending;
  status: 'open' | 'answered' | 'cancelled';
}

const updates = new Map<string, PendingUpdate[]>();
const MAX_UPDATES = 50;

/** Records a typed `pending` message (also while no page is loaded yet: one may be on its way). */
export function recordPendingUpdate(projectId: string, update: PendingUpdate): void {
  const list = updates.get(projectId) ?? [];
  list.push(update);
  if (list.length > MAX_UPDATES) list.shift();
  updates.set(projectId, list);
}

/** A fetched project page, with the pending updates it has not seen yet applied to it. */
export function catchUpPending(projectId: string, detail: ProjectDetail): ProjectDetail {
  const list = (updates.get(projectId) ?? []).filter((update) => update.seq > detail.project.lastSeq);
  if (list.length === 0) {
    updates.delete(projectId);
    return detail;
  }
  updates.set(projectId, list);
  return [...list].sort((a, b) => a.seq - b.seq).reduce(withPendingUpdate, detail);
}

/** A project page with one pending update applied. */
export function withPendingUpdate(detail: ProjectDetail, update: PendingUpdate): ProjectDetail {
  const others = detail.pending.filter((pending) => pending.id !== update.pending.id);
  return {
    ...detail,
    pending:
      update.status === 'open' ? [...others, update.pending].sort((a, b) => a.askedSeq - b.askedSeq) : others,
  };
}

/** Forgets everything (tests). */
export function resetPendingUpdates(): void {
  updates.clear();
}
