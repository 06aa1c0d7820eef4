/**
 * The kanban's rules as pure functions over a project's items: what may be worked on, in which
 * order, which lane a card sits in, and the counts. The service loads the items and calls these.
 */
import type { BugStatusValue, WorkItemStatusValue } from '../events/types.ts';
import type { WorkItem } from './schemas.ts';

export type ItemsById = ReadonlyMap<number, WorkItem>;

export function indexItems(items: readonly WorkItem[]): ItemsById {
  return new Map(items.map((item) => [item.id, item]));
}

/** Dependencies that have not passed yet (a deleted dependency no longer holds anything up). */
export function unmetDependencies(item: WorkItem, byId: ItemsById): WorkItem[] {
  return item.dependencies.flatMap((id) => {
    const dependency = byId.get(id);
    return dependency && dependency.status !== 'passing' ? [dependency] : [];
  });
}

/** Failed too often, or waiting on something that fails: a human should look. */
export function isBlocked(item: WorkItem, byId: ItemsById, maxAttempts: number): boolean {
  if (item.status === 'failing' && item.attempts >= maxAttempts) return true;
  return item.dependencies.some((id) => byId.get(id)?.status === 'failing');
}

/**
 * Why an item cannot be claimed now, or null when it can. Blocked items (too many attempts) may still
 * be claimed explicitly; only `nextInQueue` passes them over.
 */
export function whyNotClaimable(item: WorkItem, byId: ItemsById): string | null {
  if (item.status === 'passing') return `${label(item)} is already passing.`;
  if (item.status === 'needs_review') return `${label(item)} is waiting for review.`;
  if (item.status === 'skipped') return `${label(item)} was set aside (skipped).`;
  if (item.itemType === 'bug' && (item.bugStatus === 'fixing' || item.bugStatus === 'resolved')) {
    return `Bug ${label(item)} is ${item.bugStatus}: work on its fixes instead.`;
  }
  const unmet = unmetDependencies(item, byId);
  if (unmet.length > 0) {
    return `${label(item)} is waiting for ${unmet.map((d) => `${label(d)} (${d.status})`).join(', ')}.`;
  }
  return null;
}

/** Bugs needing analysis first, then fixes of bugs, then features. */
export function queueGroup(item: WorkItem): number {
  if (item.itemType === 'bug') return 0;
  if (item.itemType === 'fix') return 1;
  return 2;
}

/**
 * Queue order. `queueOrder` comes first because a skip must really move an item to the end: were it
 * ranked after layer and priority, skipping the only ready item of a layer would hand it straight back.
 * Items never skipped all share queueOrder 0, so for them the order is group, layer, priority, id.
 */
export function compareQueue(a: WorkItem, b: WorkItem): number {
  return (
    a.queueOrder - b.queueOrder ||
    queueGroup(a) - queueGroup(b) ||
    a.layer - b.layer ||
    a.priority - b.priority ||
    a.id - b.id
  );
}

/** Whether `nextInQueue` may hand the item out (its dependencies aside). */
export function isQueued(item: WorkItem, maxAttempts: number): boolean {
  const retryable = item.status === 'pending' || (item.status === 'failing' && item.attempts < maxAttempts);
  if (!retryable) return false;
  if (item.itemType === 'bug') return item.bugStatus === 'open' || item.bugStatus === 'analyzing';
  return true;
}

/** The next item to work on: queued, every dependency passing, first in queue order. */
export function nextInQueue(items: readonly WorkItem[], maxAttempts: number): WorkItem | null {
  const byId = indexItems(items);
  const ready = items.filter(
    (item) => isQueued(item, maxAttempts) && unmetDependencies(item, byId).length === 0,
  );
  return ready.sort(compareQueue)[0] ?? null;
}

export const LANES = ['backlog', 'ready', 'in_progress', 'needs_review', 'done', 'blocked'] as const;
export type Lane = (typeof LANES)[number];

/** The lane of a feature or fix card (bugs are shown on their own, with their fixes). */
export function laneOf(item: WorkItem, byId: ItemsById, maxAttempts: number): Lane {
  switch (item.status) {
    case 'passing':
      return 'done';
    case 'in_progress':
      return 'in_progress';
    case 'needs_review':
      return 'needs_review';
    default:
      if (isBlocked(item, byId, maxAttempts)) return 'blocked';
      if (item.status === 'skipped' || unmetDependencies(item, byId).length > 0) return 'backlog';
      return 'ready';
  }
}

export interface BugCard {
  bug: WorkItem;
  fixes: WorkItem[];
}

export interface Board {
  lanes: Record<Lane, WorkItem[]>;
  bugs: BugCard[];
}

export function boardOf(items: readonly WorkItem[], maxAttempts: number): Board {
  const byId = indexItems(items);
  const lanes = Object.fromEntries(LANES.map((lane) => [lane, [] as WorkItem[]])) as Record<Lane, WorkItem[]>;
  const sorted = [...items].sort(compareQueue);
  for (const item of sorted) {
    if (item.itemType !== 'bug') lanes[laneOf(item, byId, maxAttempts)].push(item);
  }
  const bugs = sorted
    .filter((item) => item.itemType === 'bug')
    .map((bug) => ({ bug, fixes: sorted.filter((item) => item.parentBugId === bug.id) }));
  return { lanes, bugs };
}

export interface WorkItemStats {
  /** Features and fixes (bugs are counted apart: they pass through their fixes). */
  total: number;
  passing: number;
  /** passing / total as a whole percentage (0 when there is nothing yet). */
  percent: number;
  byStatus: Record<WorkItemStatusValue, number>;
  bugs: Record<BugStatusValue, number> & { total: number };
}

export function statsOf(items: readonly WorkItem[]): WorkItemStats {
  const byStatus: Record<WorkItemStatusValue, number> = {
    pending: 0,
    in_progress: 0,
    needs_review: 0,
    passing: 0,
    failing: 0,
    skipped: 0,
  };
  const bugs = { open: 0, analyzing: 0, fixing: 0, resolved: 0, total: 0 };
  for (const item of items) {
    if (item.itemType === 'bug') {
      bugs.total++;
      if (item.bugStatus) bugs[item.bugStatus]++;
    } else {
      byStatus[item.status]++;
    }
  }
  const total = items.length - bugs.total;
  const passing = byStatus.passing;
  return { total, passing, percent: total === 0 ? 0 : Math.round((passing / total) * 100), byStatus, bugs };
}

/** How items are named in messages people and workers read. */
export function label(item: Pick<WorkItem, 'id' | 'name'>): string {
  return `"${item.name}" (#${item.id})`;
}
