/**
 * The dependency graph of work items, as pure functions. An edge `[a, b]` means "a depends on b": b must
 * pass before a can start. Keys are generic so the same code serves stored ids and batch-local names.
 */

export interface GraphNode<K> {
  id: K;
  /** What this node waits for. Keys that are not nodes of the graph (already stored items) are ignored. */
  dependencies: readonly K[];
}

export type TopologicalResult<T, K> = { ok: true; order: T[] } | { ok: false; cycle: K[] };

/**
 * Kahn's algorithm: dependencies before dependents. Among nodes that are ready at the same time the
 * input order wins, so the result is deterministic and keeps the caller's intended order where the graph
 * allows. On a cycle, returns one cycle as a path that starts and ends on the same node.
 */
export function topologicalOrder<T extends GraphNode<unknown>>(
  items: readonly T[],
): TopologicalResult<T, T['id']> {
  const indexOf = new Map<unknown, number>();
  items.forEach((item, index) => {
    indexOf.set(item.id, index);
  });
  const waitingOn = items.map(() => 0);
  const dependents: number[][] = items.map(() => []);
  items.forEach((item, index) => {
    for (const dependency of new Set(item.dependencies)) {
      const target = indexOf.get(dependency);
      if (target === undefined) continue;
      waitingOn[index] = (waitingOn[index] ?? 0) + 1;
      dependents[target]?.push(index);
    }
  });
  // Kept sorted by input index; the graphs are a project's kanban (hundreds of items at most).
  const ready = items.flatMap((_, index) => (waitingOn[index] === 0 ? [index] : []));
  const order: T[] = [];
  while (ready.length > 0) {
    const next = ready.shift() as number;
    order.push(items[next] as T);
    for (const dependent of dependents[next] ?? []) {
      waitingOn[dependent] = (waitingOn[dependent] ?? 0) - 1;
      if (waitingOn[dependent] === 0) insertSorted(ready, dependent);
    }
  }
  if (order.length === items.length) return { ok: true, order };
  const edges = items.flatMap((item) =>
    item.dependencies
      .filter((dependency) => indexOf.has(dependency))
      .map((dependency) => [item.id, dependency] as const),
  );
  return { ok: false, cycle: (findCycle(edges) ?? []) as Array<T['id']> };
}

/**
 * One cycle of a directed graph as a path `[a, b, …, a]` (a depends on b …, which depends on a), or
 * null when the graph is acyclic. Depth-first with an explicit stack, so deep chains cannot overflow.
 */
export function findCycle<K>(edges: ReadonlyArray<readonly [K, K]>): K[] | null {
  const next = new Map<K, K[]>();
  for (const [from, to] of edges) {
    const targets = next.get(from) ?? [];
    targets.push(to);
    next.set(from, targets);
    if (!next.has(to)) next.set(to, []);
  }
  const done = new Set<K>();
  for (const start of next.keys()) {
    if (done.has(start)) continue;
    // The current path, each node with the index of the next edge to follow.
    const path: Array<{ node: K; edge: number }> = [{ node: start, edge: 0 }];
    const onPath = new Set<K>([start]);
    while (path.length > 0) {
      const top = path[path.length - 1] as { node: K; edge: number };
      const target = next.get(top.node)?.[top.edge];
      if (target === undefined) {
        path.pop();
        onPath.delete(top.node);
        done.add(top.node);
        continue;
      }
      top.edge++;
      if (onPath.has(target)) {
        const from = path.findIndex((step) => step.node === target);
        return [...path.slice(from).map((step) => step.node), target];
      }
      if (!done.has(target)) {
        path.push({ node: target, edge: 0 });
        onPath.add(target);
      }
    }
  }
  return null;
}

function insertSorted(sorted: number[], value: number): void {
  let at = sorted.length;
  while (at > 0 && (sorted[at - 1] as number) > value) at--;
  sorted.splice(at, 0, value);
}
