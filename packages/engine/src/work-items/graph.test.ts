import { describe, expect, it } from 'vitest';
import { findCycle, type TopologicalResult, topologicalOrder } from './graph.ts';

const node = (id: string, ...dependencies: string[]) => ({ id, dependencies });
const ids = (result: TopologicalResult<ReturnType<typeof node>, string>) =>
  result.ok ? result.order.map((item) => item.id) : result.cycle;

describe('topologicalOrder', () => {
  it.each([
    { name: 'empty', items: [], order: [] },
    {
      name: 'independent items keep input order',
      items: [node('a'), node('b'), node('c')],
      order: ['a', 'b', 'c'],
    },
    {
      name: 'a dependency moves first',
      items: [node('menu', 'home'), node('home')],
      order: ['home', 'menu'],
    },
    {
      name: 'a chain is reversed',
      items: [node('c', 'b'), node('b', 'a'), node('a')],
      order: ['a', 'b', 'c'],
    },
    {
      name: 'a diamond keeps input order among ready nodes',
      items: [node('top'), node('right', 'top'), node('left', 'top'), node('bottom', 'left', 'right')],
      order: ['top', 'right', 'left', 'bottom'],
    },
    {
      name: 'nodes freed later slot in by input order',
      items: [node('x', 'z'), node('y'), node('z')],
      order: ['y', 'z', 'x'],
    },
    {
      name: 'dependencies outside the set are ignored',
      items: [node('a', 'stored-1'), node('b', 'a')],
      order: ['a', 'b'],
    },
    { name: 'duplicate dependencies count once', items: [node('b', 'a', 'a'), node('a')], order: ['a', 'b'] },
  ])('$name', ({ items, order }) => {
    const result = topologicalOrder(items);
    expect(result.ok).toBe(true);
    expect(ids(result)).toEqual(order);
  });

  it('reports a two-node cycle as a closed path', () => {
    const result = topologicalOrder([node('Home', 'Menu'), node('Menu', 'Home'), node('Contact')]);
    expect(result).toEqual({ ok: false, cycle: ['Home', 'Menu', 'Home'] });
  });

  it('reports only the nodes on the cycle, not the nodes that merely wait on it', () => {
    const result = topologicalOrder([
      node('a'),
      node('b', 'c'),
      node('c', 'd'),
      node('d', 'b'),
      node('e', 'b'),
    ]);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.cycle).toEqual(['b', 'c', 'd', 'b']);
  });

  it('reports a self-dependency', () => {
    expect(topologicalOrder([node('a', 'a')])).toEqual({ ok: false, cycle: ['a', 'a'] });
  });
});

describe('findCycle', () => {
  it.each([
    { name: 'no edges', edges: [] as Array<[number, number]>, cycle: null },
    {
      name: 'a chain',
      edges: [
        [1, 2],
        [2, 3],
      ] as Array<[number, number]>,
      cycle: null,
    },
    {
      name: 'a diamond',
      edges: [
        [1, 2],
        [1, 3],
        [2, 4],
        [3, 4],
      ] as Array<[number, number]>,
      cycle: null,
    },
    { name: 'a self loop', edges: [[7, 7]] as Array<[number, number]>, cycle: [7, 7] },
    {
      name: 'two nodes',
      edges: [
        [1, 2],
        [2, 1],
      ] as Array<[number, number]>,
      cycle: [1, 2, 1],
    },
    {
      name: 'a cycle behind a tail',
      edges: [
        [1, 2],
        [2, 3],
        [3, 4],
        [4, 2],
      ] as Array<[number, number]>,
      cycle: [2, 3, 4, 2],
    },
    {
      name: 'a cycle found after an acyclic branch is done',
      edges: [
        [1, 2],
        [1, 3],
        [3, 4],
        [4, 1],
      ] as Array<[number, number]>,
      cycle: [1, 3, 4, 1],
    },
  ])('$name', ({ edges, cycle }) => {
    expect(findCycle(edges)).toEqual(cycle);
  });

  it('handles chains far deeper than the call stack would allow', () => {
    const edges: Array<[number, number]> = Array.from({ length: 50_000 }, (_, i) => [i, i + 1]);
    expect(findCycle(edges)).toBeNull();
    edges.push([50_000, 0]);
    expect(findCycle(edges)).toHaveLength(50_002);
  });
});
