import { describe, expect, it } from 'vitest';
import { compareQueue, indexItems, laneOf, nextInQueue, statsOf } from './board.ts';
import type { WorkItem } from './schemas.ts';
import { splitSteps } from './service.ts';

function item(id: number, fields: Partial<WorkItem> = {}): WorkItem {
  return {
    id,
    projectId: 'p',
    itemType: 'feature',
    name: `Item ${id}`,
    description: '',
    category: null,
    priority: 100,
    layer: 0,
    queueOrder: 0,
    status: 'pending',
    steps: [],
    attempts: 0,
    claimedBy: null,
    claimedAt: null,
    evidence: null,
    lastError: null,
    parentBugId: null,
    bugStatus: null,
    stepsToReproduce: null,
    page: null,
    sourceSpec: null,
    createdAt: new Date(0),
    updatedAt: new Date(0),
    passedAt: null,
    dependencies: [],
    ...fields,
  };
}

describe('compareQueue', () => {
  it.each([
    {
      name: 'bugs before fixes before features',
      a: { itemType: 'bug' as const },
      b: { itemType: 'fix' as const },
    },
    { name: 'fixes before features', a: { itemType: 'fix' as const }, b: {} },
    { name: 'lower layer first', a: { layer: 0, priority: 900 }, b: { layer: 1, priority: 0 } },
    { name: 'lower priority first within a layer', a: { priority: 1 }, b: { priority: 2 } },
    { name: 'never skipped before skipped, whatever the layer', a: { layer: 5 }, b: { queueOrder: 1 } },
    { name: 'a skipped bug goes after features', a: {}, b: { itemType: 'bug' as const, queueOrder: 1 } },
  ])('$name', ({ a, b }) => {
    expect(compareQueue(item(2, a), item(1, b))).toBeLessThan(0);
  });

  it('falls back to the id', () => {
    expect(compareQueue(item(1), item(2))).toBeLessThan(0);
  });
});

describe('laneOf', () => {
  const dependency = (status: WorkItem['status'], attempts = 0) => item(1, { status, attempts });
  it.each([
    { name: 'passing is done', self: { status: 'passing' as const }, dep: null, lane: 'done' },
    {
      name: 'claimed is in progress',
      self: { status: 'in_progress' as const },
      dep: null,
      lane: 'in_progress',
    },
    { name: 'review is review', self: { status: 'needs_review' as const }, dep: null, lane: 'needs_review' },
    { name: 'pending with no deps is ready', self: {}, dep: null, lane: 'ready' },
    { name: 'waiting on pending is backlog', self: {}, dep: dependency('pending'), lane: 'backlog' },
    { name: 'waiting on passing is ready', self: {}, dep: dependency('passing'), lane: 'ready' },
    { name: 'waiting on failing is blocked', self: {}, dep: dependency('failing'), lane: 'blocked' },
    {
      name: 'failing once is ready to retry',
      self: { status: 'failing' as const, attempts: 1 },
      dep: null,
      lane: 'ready',
    },
    {
      name: 'failing three times is blocked',
      self: { status: 'failing' as const, attempts: 3 },
      dep: null,
      lane: 'blocked',
    },
    { name: 'skipped status is backlog', self: { status: 'skipped' as const }, dep: null, lane: 'backlog' },
  ])('$name', ({ self, dep, lane }) => {
    const subject = item(2, { ...self, dependencies: dep ? [dep.id] : [] });
    const byId = indexItems(dep ? [dep, subject] : [subject]);
    expect(laneOf(subject, byId, 3)).toBe(lane);
  });
});

describe('nextInQueue', () => {
  it('skips bugs that are being fixed and items waiting on others', () => {
    const items = [
      item(1, { itemType: 'bug', bugStatus: 'fixing' }),
      item(2, { dependencies: [3] }),
      item(3, { priority: 500 }),
    ];
    expect(nextInQueue(items, 3)?.id).toBe(3);
    expect(nextInQueue([], 3)).toBeNull();
  });
});

describe('statsOf', () => {
  it('reports 0 percent for an empty board', () => {
    expect(statsOf([])).toMatchObject({ total: 0, passing: 0, percent: 0 });
  });
});

describe('splitSteps', () => {
  const steps = (n: number) => Array.from({ length: n }, (_, i) => `s${i}`);
  it.each([
    { count: 0, sizes: [0] },
    { count: 9, sizes: [9] },
    { count: 10, sizes: [5, 5] },
    { count: 18, sizes: [9, 9] },
    { count: 19, sizes: [7, 7, 5] },
    { count: 28, sizes: [7, 7, 7, 7] },
  ])('$count steps → parts of $sizes', ({ count, sizes }) => {
    const parts = splitSteps(steps(count));
    expect(parts.map((part) => part.length)).toEqual(sizes);
    expect(parts.flat()).toEqual(steps(count));
  });
});
