import type { WorkItemCard } from '@sitewright/contracts';

/** A pending feature card in the Ready lane, with `overrides` on top (tests only). */
export function cardFixture(overrides: Partial<WorkItemCard> = {}): WorkItemCard {
  const id = overrides.id ?? 1;
  return {
    id,
    itemType: 'feature',
    name: `Item ${id}`,
    description: '',
    category: null,
    priority: 100,
    layer: 0,
    queueOrder: 0,
    status: 'pending',
    lane: 'ready',
    steps: [],
    dependencies: [],
    waitingFor: [],
    attempts: 0,
    lastError: null,
    evidence: null,
    parentBugId: null,
    bugStatus: null,
    stepsToReproduce: null,
    page: null,
    sourceSpec: null,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    passedAt: null,
    ...overrides,
  };
}
