/** Work items as cards: what the board, the card detail and `feature_update` messages carry. */
import type { Board, SpecSummary, WorkItemCard } from '@sitewright/contracts';
import {
  type Board as EngineBoard,
  laneOf,
  type Spec,
  statsOf,
  unmetDependencies,
  type WorkItem,
} from '@sitewright/engine';
import { toProgress } from '../projects/projects.dto.ts';

const iso = (value: Date | null): string | null => (value ? value.toISOString() : null);

export type ItemsById = ReadonlyMap<number, WorkItem>;

export function indexById(all: readonly WorkItem[]): ItemsById {
  return new Map(all.map((item) => [item.id, item]));
}

/** One card of `all` (its lane and what it waits for depend on the other items). */
export function toCard(item: WorkItem, all: readonly WorkItem[], maxAttempts: number): WorkItemCard {
  return cardOf(item, indexById(all), maxAttempts);
}

/** Cards of several items, indexing the project's items once. */
export function toCards(
  items: readonly WorkItem[],
  all: readonly WorkItem[],
  maxAttempts: number,
): WorkItemCard[] {
  const byId = indexById(all);
  return items.map((item) => cardOf(item, byId, maxAttempts));
}

/** A card from an index of every item of the project, for callers that hold one already. */
export function cardOf(item: WorkItem, byId: ItemsById, maxAttempts: number): WorkItemCard {
  return {
    id: item.id,
    itemType: item.itemType,
    name: item.name,
    description: item.description,
    category: item.category,
    priority: item.priority,
    layer: item.layer,
    queueOrder: item.queueOrder,
    status: item.status,
    lane: item.itemType === 'bug' ? null : laneOf(item, byId, maxAttempts),
    steps: item.steps,
    dependencies: item.dependencies,
    waitingFor: unmetDependencies(item, byId).map((d) => ({ id: d.id, name: d.name, status: d.status })),
    attempts: item.attempts,
    lastError: item.lastError,
    evidence: item.evidence ?? null,
    parentBugId: item.parentBugId,
    bugStatus: item.bugStatus,
    stepsToReproduce: item.stepsToReproduce,
    page: item.page,
    sourceSpec: item.sourceSpec,
    createdAt: item.createdAt.toISOString(),
    updatedAt: item.updatedAt.toISOString(),
    passedAt: iso(item.passedAt),
  };
}

export function toBoard(board: EngineBoard, all: readonly WorkItem[], maxAttempts: number): Board {
  const byId = indexById(all);
  const card = (item: WorkItem) => cardOf(item, byId, maxAttempts);
  return {
    lanes: Object.fromEntries(
      Object.entries(board.lanes).map(([lane, items]) => [lane, items.map(card)]),
    ) as Board['lanes'],
    bugs: board.bugs.map(({ bug, fixes }) => ({ bug: card(bug), fixes: fixes.map(card) })),
    progress: toProgress(statsOf(all)),
  };
}

export function toSpecSummary(spec: Spec): SpecSummary {
  return {
    id: spec.id,
    name: spec.name,
    content: spec.content,
    createdAt: spec.createdAt.toISOString(),
    updatedAt: spec.updatedAt.toISOString(),
  };
}
