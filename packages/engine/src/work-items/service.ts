/**
 * The work-item service: the kanban's operations, domain-agnostic. Every change is an event appended
 * in the caller's transaction (the projector writes the tables), so callers compose several operations
 * in one `db.transaction` and announce the returned events after commit. Reads take a db or a tx.
 *
 * Concurrency: every writing function first locks the project row (`lockProject`), so checks that read
 * the board — dependencies, cycles, "is it still pending" — and the writes they guard never interleave
 * between two callers. Claims are additionally a conditional UPDATE (`… where status in ('pending',
 * 'failing')`), the same compare-and-set the engine uses for answers, so no two runners ever win one item.
 */
import { randomUUID } from 'node:crypto';
import { queryRows, runnerLeases, specs, workItemDependencies, workItems } from '@sitewright/db';
import { and, asc, eq, gt, inArray, isNotNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import { EngineError } from '../errors.ts';
import { type AppendOptions, appendEvents, type DbOrTx, type Tx } from '../events/log.ts';
import type { BugStatusValue, EventDraft, StoredEvent } from '../events/types.ts';
import { loadProject } from '../run-state.ts';
import {
  type Board,
  boardOf,
  indexItems,
  label,
  nextInQueue,
  statsOf,
  type WorkItemStats,
  whyNotClaimable,
} from './board.ts';
import { findCycle, topologicalOrder } from './graph.ts';
import {
  BUG_PRIORITY,
  DEFAULT_MAX_ATTEMPTS,
  DEFAULT_PRIORITY,
  Evidence,
  MAX_DEPENDENCIES,
  MAX_PRIORITY,
  MAX_STEPS_PER_PART,
  NewWorkItem,
  SPLIT_THRESHOLD,
  SpecInput,
  type WorkItem,
  type WorkItemRef,
} from './schemas.ts';

/** Options of functions that hand out work: how many failed attempts block an item. */
export interface QueueOptions {
  maxAttempts?: number;
}

/** What every writing function returns besides its own result: the events it appended. */
export interface Appended {
  events: StoredEvent[];
}

// ------------------------------------------------------------------------------------------- reads

/** All items of a project (bugs included), by id, with their dependencies. */
export async function listItems(db: DbOrTx, projectId: string): Promise<WorkItem[]> {
  const rows = await db
    .select()
    .from(workItems)
    .where(eq(workItems.projectId, projectId))
    .orderBy(asc(workItems.id));
  const edges = await db
    .select({ itemId: workItemDependencies.itemId, dependsOnId: workItemDependencies.dependsOnId })
    .from(workItemDependencies)
    .where(eq(workItemDependencies.projectId, projectId))
    .orderBy(asc(workItemDependencies.itemId), asc(workItemDependencies.dependsOnId));
  const dependencies = new Map<number, number[]>();
  for (const edge of edges)
    dependencies.set(edge.itemId, [...(dependencies.get(edge.itemId) ?? []), edge.dependsOnId]);
  return rows.map((row) => ({ ...row, dependencies: dependencies.get(row.id) ?? [] }));
}

export async function getItem(db: DbOrTx, projectId: string, itemId: number): Promise<WorkItem> {
  const item = (await listItems(db, projectId)).find((candidate) => candidate.id === itemId);
  if (!item) throw new EngineError('not_found', `There is no work item #${itemId} in this project.`);
  return item;
}

/**
 * The next item to work on, or null: open bugs needing analysis, then fixes of bugs, then features by
 * layer, priority and id — only items whose dependencies all pass, never passing, skipped, in-progress
 * or blocked ones. A skipped item goes after every item never skipped.
 */
export async function getNext(
  db: DbOrTx,
  projectId: string,
  options: QueueOptions = {},
): Promise<WorkItem | null> {
  return nextInQueue(await listItems(db, projectId), options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS);
}

/** Counts per status (features and fixes), passing/total, and bugs per bug status. */
export async function getStats(db: DbOrTx, projectId: string): Promise<WorkItemStats> {
  return statsOf(await listItems(db, projectId));
}

/** The kanban: features and fixes in lanes, and bugs with their linked fixes. */
export async function getBoard(db: DbOrTx, projectId: string, options: QueueOptions = {}): Promise<Board> {
  return boardOf(await listItems(db, projectId), options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS);
}

/**
 * A random sample of up to `count` passing features and fixes for the regression pass. `random`
 * (uniform in [0, 1)) is a parameter so tests are deterministic.
 */
export async function getForRegression(
  db: DbOrTx,
  projectId: string,
  count: number,
  random: () => number = Math.random,
): Promise<WorkItem[]> {
  const passing = (await listItems(db, projectId)).filter(
    (item) => item.status === 'passing' && item.itemType !== 'bug',
  );
  const take = Math.max(0, Math.min(Math.floor(count), passing.length));
  // A partial Fisher–Yates shuffle: the first `take` positions become a uniform sample.
  for (let i = 0; i < take; i++) {
    const j = i + Math.floor(random() * (passing.length - i));
    [passing[i], passing[j]] = [passing[j] as WorkItem, passing[i] as WorkItem];
  }
  return passing.slice(0, take);
}

export interface BugStatus {
  bug: WorkItem;
  fixes: WorkItem[];
  /** Fixes that have not passed yet; the bug resolves when this is empty. */
  waitingOn: WorkItem[];
}

export async function getBugStatus(db: DbOrTx, projectId: string, bugId: number): Promise<BugStatus> {
  const items = await listItems(db, projectId);
  const bug = requireBug(items, bugId);
  const fixes = items.filter((item) => item.parentBugId === bug.id);
  return { bug, fixes, waitingOn: fixes.filter((fix) => fix.status !== 'passing') };
}

// ---------------------------------------------------------------------------------------- creating

/**
 * Creates items in one go (the initializer's plan, an owner's feature or bug, fixes of a bug).
 * Dependencies name stored items by id, or items of this batch (or stored ones) by name. Items with
 * ten steps or more are split into parts of at most nine, chained so part 2 waits for part 1; what
 * depended on the item waits for its last part. Rejects unknown dependencies, more than 20 per item,
 * and cycles (naming them). Fixes move their bug to `fixing`.
 */
export async function createItems(
  tx: Tx,
  projectId: string,
  inputs: NewWorkItem[],
  options: AppendOptions = {},
): Promise<Appended & { items: WorkItem[] }> {
  const parsed = parseInput(z.array(NewWorkItem).min(1).max(200), inputs, 'work items');
  const locked = await lockProject(tx, projectId, options);
  const existing = await listItems(tx, projectId);
  const byId = indexItems(existing);
  const specNames = new Set(
    (await tx.select({ name: specs.name }).from(specs).where(eq(specs.projectId, projectId))).map(
      (row) => row.name,
    ),
  );

  const names = new Set<string>();
  for (const input of parsed) {
    if (names.has(input.name)) {
      rule(
        `Two items in this batch are named "${input.name}"; names must be unique so dependencies can refer to them.`,
      );
    }
    names.add(input.name);
    checkItemKind(input, byId);
    if (input.sourceSpec && !specNames.has(input.sourceSpec)) {
      rule(`"${input.name}" names the spec "${input.sourceSpec}", which this project does not have.`);
    }
  }

  // Split long items into parts. A dependency on an item's name resolves to its last part; the first
  // part takes the item's own dependencies; later parts wait for the part before them.
  const parts: Part[] = [];
  const firstParts: Part[] = [];
  const lastPart = new Map<string, Part>();
  for (const input of parsed) {
    const chunks = splitSteps(input.steps);
    chunks.forEach((steps, index) => {
      const name = chunks.length > 1 ? `${input.name} (part ${index + 1}/${chunks.length})` : input.name;
      const previous = parts.at(-1);
      const part: Part = { id: `${parts.length}`, name, input, steps, dependencies: [], stored: [] };
      if (index === 0) firstParts.push(part);
      else if (previous) part.dependencies.push(previous.id);
      parts.push(part);
    });
    lastPart.set(input.name, parts.at(-1) as Part);
  }
  for (const part of firstParts) {
    const stored = new Set<number>();
    const local = new Set<string>();
    for (const ref of part.input.dependencies) {
      const target = resolveRef(ref, part.input.name, lastPart, existing);
      if (typeof target === 'number') stored.add(target);
      else if (target.input === part.input) rule(`"${part.input.name}" cannot depend on itself.`);
      else local.add(target.id);
    }
    const count = stored.size + local.size;
    if (count > MAX_DEPENDENCIES) {
      rule(`"${part.input.name}" has ${count} dependencies; at most ${MAX_DEPENDENCIES} are allowed.`);
    }
    part.stored = [...stored];
    part.dependencies = [...local];
  }

  // New items depend only on stored items or on each other, so a cycle can only lie inside the batch.
  const ordered = topologicalOrder(parts);
  if (!ordered.ok) {
    const nameOf = new Map(parts.map((part) => [part.id, part.name]));
    rule(`These dependencies form a cycle: ${ordered.cycle.map((id) => nameOf.get(id)).join(' → ')}.`);
  }
  // Ids are allocated in dependency order, so the queue's id tie-break agrees with the graph.
  const ids = await allocateIds(tx, parts.length);
  const idOf = new Map(ordered.order.map((part, index) => [part.id, ids[index] as number]));
  const drafts: EventDraft[] = ordered.order.map((part) => ({
    type: 'work_item_created',
    payload: {
      id: idOf.get(part.id) as number,
      itemType: part.input.itemType,
      name: part.name,
      description: part.input.description,
      category: part.input.category ?? null,
      priority: part.input.priority ?? (part.input.itemType === 'bug' ? BUG_PRIORITY : DEFAULT_PRIORITY),
      layer: part.input.layer,
      queueOrder: 0,
      steps: part.steps,
      dependencies: [...part.stored, ...part.dependencies.map((id) => idOf.get(id) as number)],
      parentBugId: part.input.parentBugId ?? null,
      bugStatus: part.input.itemType === 'bug' ? 'open' : null,
      stepsToReproduce: part.input.stepsToReproduce ?? null,
      page: part.input.page ?? null,
      sourceSpec: part.input.sourceSpec ?? null,
    },
  }));
  const events = await appendEvents(tx, projectId, drafts, locked);
  const bugIds = new Set(parsed.flatMap((input) => (input.parentBugId ? [input.parentBugId] : [])));
  for (const bugId of bugIds)
    events.push(...(await syncBugWithFixes(tx, projectId, bugId, 'fixes created', locked)));
  const created = new Set(ids);
  const items = (await listItems(tx, projectId)).filter((item) => created.has(item.id));
  return { items, events };
}

/** One item to create: a whole input, or one part of a split one. `id` is batch-local. */
interface Part {
  id: string;
  name: string;
  input: z.infer<typeof NewWorkItem>;
  steps: string[];
  /** Batch-local ids of the parts it waits for. */
  dependencies: string[];
  /** Ids of stored items it waits for. */
  stored: number[];
}

/** Steps in at most nine per part, spread evenly (10 steps → 5 + 5, not 9 + 1). */
export function splitSteps(steps: string[]): string[][] {
  if (steps.length < SPLIT_THRESHOLD) return [steps];
  const partCount = Math.ceil(steps.length / MAX_STEPS_PER_PART);
  const size = Math.ceil(steps.length / partCount);
  return Array.from({ length: partCount }, (_, index) => steps.slice(index * size, (index + 1) * size));
}

function checkItemKind(input: z.infer<typeof NewWorkItem>, byId: ReadonlyMap<number, WorkItem>): void {
  if (input.itemType !== 'fix') {
    if (input.parentBugId) rule(`"${input.name}" is a ${input.itemType}; only fixes link to a bug.`);
    return;
  }
  if (!input.parentBugId) rule(`The fix "${input.name}" needs parentBugId: the bug it fixes.`);
  const bug = byId.get(input.parentBugId);
  if (bug?.itemType !== 'bug') {
    rule(
      `The fix "${input.name}" names #${input.parentBugId} as its bug, but there is no such bug in this project.`,
    );
  }
}

function resolveRef(
  ref: WorkItemRef,
  dependent: string,
  batch: ReadonlyMap<string, Part>,
  existing: readonly WorkItem[],
): number | Part {
  if (typeof ref === 'number') {
    if (!existing.some((item) => item.id === ref)) {
      rule(`"${dependent}" depends on #${ref}, which does not exist in this project.`);
    }
    return ref;
  }
  const local = batch.get(ref);
  if (local) return local;
  // A stored item that was split is known by its parts; its name means the last one.
  const lastOfSplit = new RegExp(`^${escapeRegExp(ref)} \\(part (\\d+)/\\1\\)$`);
  let stored = existing.filter((item) => item.name === ref);
  if (stored.length === 0) stored = existing.filter((item) => lastOfSplit.test(item.name));
  if (stored.length === 1) return (stored[0] as WorkItem).id;
  if (stored.length > 1) {
    rule(
      `"${dependent}" depends on "${ref}", but several items have that name; use its id (${stored.map((i) => `#${i.id}`).join(', ')}).`,
    );
  }
  return rule(`"${dependent}" depends on "${ref}", which is neither in this batch nor in the project.`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Ids from the table's own identity sequence, recorded in the events so a rebuild reuses them. */
async function allocateIds(tx: Tx, count: number): Promise<number[]> {
  const rows = await queryRows<{ id: number }>(
    tx,
    sql`select nextval(pg_get_serial_sequence('work_items', 'id'))::int as id from generate_series(1, ${count})`,
  );
  return rows.map((row) => Number(row.id)).sort((a, b) => a - b);
}

// ------------------------------------------------------------------------------------ dependencies

/** Makes `itemId` wait for `dependsOnId`. Already there → nothing appended. */
export async function addDependency(
  tx: Tx,
  projectId: string,
  itemId: number,
  dependsOnId: number,
  options: AppendOptions = {},
): Promise<Appended & { added: boolean }> {
  const locked = await lockProject(tx, projectId, options);
  const items = await listItems(tx, projectId);
  const byId = indexItems(items);
  const item = requireItem(byId, itemId);
  const target = requireItem(byId, dependsOnId);
  if (item.id === target.id) rule(`${label(item)} cannot depend on itself.`);
  if (item.dependencies.includes(target.id)) return { added: false, events: [] };
  if (item.dependencies.length >= MAX_DEPENDENCIES) {
    rule(
      `${label(item)} already has ${item.dependencies.length} dependencies; at most ${MAX_DEPENDENCIES} are allowed.`,
    );
  }
  const edges = items.flatMap((i) => i.dependencies.map((d) => [i.id, d] as const));
  const cycle = findCycle([...edges, [item.id, target.id] as const]);
  if (cycle) {
    rule(
      `${label(item)} cannot depend on ${label(target)}: that would form a cycle ${describeCycle(cycle, byId, item.id)}.`,
    );
  }
  const events = await appendEvents(
    tx,
    projectId,
    [{ type: 'work_item_dependency_added', payload: { itemId: item.id, dependsOnId: target.id } }],
    locked,
  );
  return { added: true, events };
}

/** Stops `itemId` waiting for `dependsOnId`. Not there → nothing appended. */
export async function removeDependency(
  tx: Tx,
  projectId: string,
  itemId: number,
  dependsOnId: number,
  options: AppendOptions = {},
): Promise<Appended & { removed: boolean }> {
  const locked = await lockProject(tx, projectId, options);
  const byId = indexItems(await listItems(tx, projectId));
  const item = requireItem(byId, itemId);
  requireItem(byId, dependsOnId);
  if (!item.dependencies.includes(dependsOnId)) return { removed: false, events: [] };
  const events = await appendEvents(
    tx,
    projectId,
    [{ type: 'work_item_dependency_removed', payload: { itemId, dependsOnId } }],
    locked,
  );
  return { removed: true, events };
}

/** "Home → Menu → Home", starting at `startAt` when it lies on the cycle. */
function describeCycle(cycle: number[], byId: ReadonlyMap<number, WorkItem>, startAt: number): string {
  const ring = cycle.slice(0, -1);
  const from = Math.max(0, ring.indexOf(startAt));
  const rotated = [...ring.slice(from), ...ring.slice(0, from)];
  return [...rotated, rotated[0] as number].map((id) => byId.get(id)?.name ?? `#${id}`).join(' → ');
}

// ---------------------------------------------------------------------------------------- claiming

/**
 * Takes an item for `claimedBy` (a runner or worker id). Atomic: a conditional UPDATE that matches
 * only a pending or failing row, so of two concurrent claims exactly one wins and the other gets a
 * conflict. Claiming an item this claimant already holds returns it again without a new event.
 * Claiming an open bug starts its analysis.
 */
export async function claimItem(
  tx: Tx,
  projectId: string,
  itemId: number,
  claimedBy: string,
  options: AppendOptions = {},
): Promise<Appended & { item: WorkItem; alreadyClaimed: boolean }> {
  const locked = await lockProject(tx, projectId, options);
  const byId = indexItems(await listItems(tx, projectId));
  const item = requireItem(byId, itemId);
  if (item.status === 'in_progress') {
    if (item.claimedBy === claimedBy) return { item, alreadyClaimed: true, events: [] };
    throw new EngineError('conflict', `${label(item)} is already being worked on by ${item.claimedBy}.`);
  }
  const refusal = whyNotClaimable(item, byId);
  if (refusal) rule(refusal);
  const won = await tx
    .update(workItems)
    .set({ status: 'in_progress', claimedBy })
    .where(
      and(
        eq(workItems.id, item.id),
        eq(workItems.projectId, projectId),
        inArray(workItems.status, ['pending', 'failing']),
      ),
    )
    .returning({ id: workItems.id });
  if (won.length === 0) throw new EngineError('conflict', `${label(item)} was just claimed elsewhere.`);
  const drafts: EventDraft[] = [{ type: 'work_item_claimed', payload: { itemId: item.id, claimedBy } }];
  if (item.itemType === 'bug' && item.bugStatus === 'open') {
    drafts.push(bugStatusDraft(item, 'analyzing', `claimed for analysis by ${claimedBy}`));
  }
  const events = await appendEvents(tx, projectId, drafts, locked);
  return { item: await getItem(tx, projectId, item.id), alreadyClaimed: false, events };
}

/**
 * Claims the next item for `claimedBy`. A claimant works one item at a time: if it already holds one
 * in this project, that item is returned again (`alreadyClaimed`), which also makes a repeated call
 * after an interruption harmless. Null when nothing is ready.
 */
export async function claimNext(
  tx: Tx,
  projectId: string,
  claimedBy: string,
  options: AppendOptions & QueueOptions = {},
): Promise<Appended & { item: WorkItem | null; alreadyClaimed: boolean }> {
  const locked = await lockProject(tx, projectId, options);
  const items = await listItems(tx, projectId);
  const held = items.find((item) => item.status === 'in_progress' && item.claimedBy === claimedBy);
  if (held) return { item: held, alreadyClaimed: true, events: [] };
  const next = nextInQueue(items, options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS);
  if (!next) return { item: null, alreadyClaimed: false, events: [] };
  return claimItem(tx, projectId, next.id, claimedBy, locked);
}

/**
 * Puts `in_progress` items back to `pending` (attempts kept) when their claimant no longer holds this
 * project's lease — a runner that died or was fenced out — or, with `claimedBefore`, when they were
 * claimed before that time. Call it when a runner takes a project over.
 */
export async function reclaimStale(
  tx: Tx,
  projectId: string,
  options: AppendOptions & { claimedBefore?: Date; whenRunnerLost?: boolean } = {},
): Promise<Appended & { reclaimed: WorkItem[] }> {
  const locked = await lockProject(tx, projectId, options);
  const holder = await currentLeaseHolder(tx, projectId);
  const byLease = options.whenRunnerLost ?? true;
  const stale = (await listItems(tx, projectId)).filter(
    (item) =>
      item.status === 'in_progress' &&
      ((byLease && item.claimedBy !== holder) ||
        (options.claimedBefore !== undefined &&
          item.claimedAt !== null &&
          item.claimedAt < options.claimedBefore)),
  );
  const drafts: EventDraft[] = [];
  const reclaimed: WorkItem[] = [];
  for (const item of stale) {
    const released = await tx
      .update(workItems)
      .set({ status: 'pending', claimedBy: null })
      .where(
        and(
          eq(workItems.id, item.id),
          eq(workItems.projectId, projectId),
          eq(workItems.status, 'in_progress'),
          sql`${workItems.claimedBy} is not distinct from ${item.claimedBy}`,
        ),
      )
      .returning({ id: workItems.id });
    if (released.length === 0) continue;
    reclaimed.push(item);
    drafts.push(
      statusDraft(item, 'pending', `reclaimed from ${item.claimedBy ?? 'nobody'}`, {
        evidence: item.evidence,
        error: item.lastError,
      }),
    );
  }
  const events = await appendEvents(tx, projectId, drafts, locked);
  const ids = new Set(reclaimed.map((item) => item.id));
  return { reclaimed: (await listItems(tx, projectId)).filter((item) => ids.has(item.id)), events };
}

/** The runner holding the project's unexpired lease, by the database clock; null if none. */
export async function currentLeaseHolder(db: DbOrTx, projectId: string): Promise<string | null> {
  const [row] = await db
    .select({ runnerId: runnerLeases.runnerId })
    .from(runnerLeases)
    .where(
      and(
        eq(runnerLeases.projectId, projectId),
        isNotNull(runnerLeases.runnerId),
        gt(runnerLeases.expiresAt, sql`now()`),
      ),
    );
  return row?.runnerId ?? null;
}

// ---------------------------------------------------------------------------------------- statuses

/**
 * Marks an item passing. Refused without evidence (a non-empty object such as `{checks, screenshot,
 * commit}`) and when the evidence lists a failed check. Marking the last open fix of a bug passing
 * resolves the bug in the same transaction. The same evidence again appends nothing.
 */
export async function markPassing(
  tx: Tx,
  projectId: string,
  itemId: number,
  evidence: unknown,
  options: AppendOptions = {},
): Promise<Appended & { item: WorkItem; resolvedBugId: number | null }> {
  const locked = await lockProject(tx, projectId, options);
  const item = requireItem(indexItems(await listItems(tx, projectId)), itemId);
  if (item.itemType === 'bug') {
    rule(
      `${label(item)} is a bug: it is resolved when its fixes pass (or with resolveBug), not marked passing.`,
    );
  }
  const proof = requireEvidence(item, evidence);
  if (item.status === 'passing' && canonicalJson(item.evidence) === canonicalJson(proof)) {
    return { item, resolvedBugId: null, events: [] };
  }
  const events = await appendEvents(
    tx,
    projectId,
    [statusDraft(item, 'passing', 'verified', { evidence: proof })],
    locked,
  );
  let resolvedBugId: number | null = null;
  if (item.parentBugId !== null) {
    const follow = await syncBugWithFixes(
      tx,
      projectId,
      item.parentBugId,
      `fix ${label(item)} passed`,
      locked,
    );
    if (follow.some((event) => event.type === 'bug_status_changed' && event.payload.to === 'resolved')) {
      resolvedBugId = item.parentBugId;
    }
    events.push(...follow);
  }
  return { item: await getItem(tx, projectId, itemId), resolvedBugId, events };
}

/** Marks an item failing with the error the worker saw; attempts + 1. A regressed fix reopens its bug. */
export async function markFailing(
  tx: Tx,
  projectId: string,
  itemId: number,
  error: string,
  options: AppendOptions & { evidence?: unknown } = {},
): Promise<Appended & { item: WorkItem }> {
  const reason = error.trim();
  if (!reason) rule('Say what failed: marking an item failing needs the error.');
  const locked = await lockProject(tx, projectId, options);
  const item = requireItem(indexItems(await listItems(tx, projectId)), itemId);
  const events = await appendEvents(
    tx,
    projectId,
    [
      statusDraft(item, 'failing', 'verification failed', {
        attempts: item.attempts + 1,
        error: reason.slice(0, 10_000),
        evidence: options.evidence ?? null,
      }),
    ],
    locked,
  );
  if (item.parentBugId !== null) {
    events.push(
      ...(await syncBugWithFixes(tx, projectId, item.parentBugId, `fix ${label(item)} failed`, locked)),
    );
  }
  return { item: await getItem(tx, projectId, itemId), events };
}

/** Hands an item to review (the board's "Check" lane), optionally with what was checked so far. */
export async function markNeedsReview(
  tx: Tx,
  projectId: string,
  itemId: number,
  options: AppendOptions & { evidence?: unknown } = {},
): Promise<Appended & { item: WorkItem }> {
  const locked = await lockProject(tx, projectId, options);
  const item = requireItem(indexItems(await listItems(tx, projectId)), itemId);
  if (item.itemType === 'bug') rule(`${label(item)} is a bug: its fixes are reviewed, not the bug.`);
  if (item.status === 'needs_review') return { item, events: [] };
  const events = await appendEvents(
    tx,
    projectId,
    [statusDraft(item, 'needs_review', 'ready for review', { evidence: options.evidence ?? null })],
    locked,
  );
  return { item: await getItem(tx, projectId, itemId), events };
}

/**
 * Moves an item to the end of the queue (queueOrder = max + 1) and back to pending, releasing any
 * claim. An item already alone at the end and pending is left as it is, so repeating a skip is harmless.
 */
export async function skipItem(
  tx: Tx,
  projectId: string,
  itemId: number,
  options: AppendOptions = {},
): Promise<Appended & { item: WorkItem }> {
  const locked = await lockProject(tx, projectId, options);
  const items = await listItems(tx, projectId);
  const item = requireItem(indexItems(items), itemId);
  if (item.status === 'passing') rule(`${label(item)} is already passing; there is nothing to skip.`);
  if (item.itemType === 'bug' && (item.bugStatus === 'fixing' || item.bugStatus === 'resolved')) {
    rule(`Bug ${label(item)} is ${item.bugStatus}; skip its fixes instead.`);
  }
  const last = Math.max(...items.map((i) => i.queueOrder));
  const aloneAtEnd = item.queueOrder === last && items.filter((i) => i.queueOrder === last).length === 1;
  if (aloneAtEnd && item.queueOrder > 0 && item.status === 'pending') return { item, events: [] };
  const events = await appendEvents(
    tx,
    projectId,
    [{ type: 'work_item_skipped', payload: { itemId: item.id, queueOrder: last + 1 } }],
    locked,
  );
  return { item: await getItem(tx, projectId, itemId), events };
}

/**
 * Gives an item a new priority (0 runs first, up to MAX_PRIORITY). The queue orders by queue order,
 * group and layer before priority, so this moves an item within its group and layer; a bug's place is
 * fixed (bugs go first) and is refused. The same priority again appends nothing.
 */
export async function reprioritiseItem(
  tx: Tx,
  projectId: string,
  itemId: number,
  priority: number,
  options: AppendOptions = {},
): Promise<Appended & { item: WorkItem }> {
  if (!Number.isInteger(priority) || priority < 0 || priority > MAX_PRIORITY) {
    rule(`A priority is a whole number from 0 (first) to ${MAX_PRIORITY}; ${priority} is not.`);
  }
  const locked = await lockProject(tx, projectId, options);
  const item = requireItem(indexItems(await listItems(tx, projectId)), itemId);
  if (item.itemType === 'bug') rule(`Bug ${label(item)} always goes first; reprioritise its fixes instead.`);
  if (item.priority === priority) return { item, events: [] };
  const events = await appendEvents(
    tx,
    projectId,
    [{ type: 'work_item_reprioritised', payload: { itemId: item.id, priority } }],
    locked,
  );
  return { item: await getItem(tx, projectId, itemId), events };
}

/**
 * Deletes an item with its dependency edges (what waited for it no longer does). Deleting a fix
 * re-evaluates its bug: resolved if the remaining fixes all pass, back to analysis if none remain.
 */
export async function deleteItem(
  tx: Tx,
  projectId: string,
  itemId: number,
  options: AppendOptions = {},
): Promise<Appended> {
  const locked = await lockProject(tx, projectId, options);
  const item = requireItem(indexItems(await listItems(tx, projectId)), itemId);
  const events = await appendEvents(
    tx,
    projectId,
    [{ type: 'work_item_deleted', payload: { itemId: item.id, name: item.name } }],
    locked,
  );
  if (item.parentBugId !== null) {
    events.push(
      ...(await syncBugWithFixes(tx, projectId, item.parentBugId, `fix ${label(item)} deleted`, locked)),
    );
  }
  return { events };
}

// -------------------------------------------------------------------------------------------- bugs

/** open → analyzing. Already analyzing: nothing appended. */
export async function startBugAnalysis(
  tx: Tx,
  projectId: string,
  bugId: number,
  options: AppendOptions = {},
): Promise<Appended & { bug: WorkItem }> {
  const locked = await lockProject(tx, projectId, options);
  const bug = requireBug(await listItems(tx, projectId), bugId);
  if (bug.bugStatus === 'analyzing') return { bug, events: [] };
  if (bug.bugStatus !== 'open') rule(`Bug ${label(bug)} is ${bug.bugStatus}; its analysis is over.`);
  const events = await appendEvents(
    tx,
    projectId,
    [bugStatusDraft(bug, 'analyzing', 'analysis started')],
    locked,
  );
  return { bug: await getItem(tx, projectId, bugId), events };
}

/**
 * Resolves a bug. Refused while any linked fix is not passing (normally the last passing fix resolves
 * it by itself). A bug without fixes — not reproducible, nothing to change — needs `evidence` saying
 * so. Already resolved: nothing appended.
 */
export async function resolveBug(
  tx: Tx,
  projectId: string,
  bugId: number,
  options: AppendOptions & { evidence?: unknown } = {},
): Promise<Appended & { bug: WorkItem }> {
  const locked = await lockProject(tx, projectId, options);
  const items = await listItems(tx, projectId);
  const bug = requireBug(items, bugId);
  if (bug.bugStatus === 'resolved') return { bug, events: [] };
  const fixes = items.filter((item) => item.parentBugId === bug.id);
  const waiting = fixes.filter((fix) => fix.status !== 'passing');
  if (waiting.length > 0) {
    rule(
      `Bug ${label(bug)} cannot be resolved yet: ${waiting.map((fix) => `${label(fix)} is ${fix.status}`).join(', ')}. ` +
        'It resolves by itself when its last fix passes.',
    );
  }
  const evidence =
    fixes.length > 0
      ? { ...asRecord(options.evidence), fixes: fixes.map((fix) => fix.id) }
      : requireEvidence(bug, options.evidence);
  const events = await appendEvents(tx, projectId, resolveDrafts(bug, 'resolved', evidence), locked);
  return { bug: await getItem(tx, projectId, bugId), events };
}

/**
 * Brings a bug's status in line with its fixes after they changed: fixes not all passing → fixing
 * (leaving analysis, or reopening a resolved bug); all passing → resolved; none left → analysis again.
 */
async function syncBugWithFixes(
  tx: Tx,
  projectId: string,
  bugId: number,
  cause: string,
  options: AppendOptions,
): Promise<StoredEvent[]> {
  const items = await listItems(tx, projectId);
  const bug = items.find((item) => item.id === bugId && item.itemType === 'bug');
  if (!bug) return [];
  const fixes = items.filter((item) => item.parentBugId === bug.id);
  const drafts: EventDraft[] = [];
  if (fixes.length === 0) {
    if (bug.bugStatus === 'fixing') drafts.push(bugStatusDraft(bug, 'analyzing', `${cause}; no fixes left`));
  } else if (fixes.every((fix) => fix.status === 'passing')) {
    if (bug.bugStatus === 'fixing') {
      drafts.push(...resolveDrafts(bug, `${cause}: every fix passes`, { fixes: fixes.map((fix) => fix.id) }));
    }
  } else if (bug.bugStatus !== 'fixing') {
    drafts.push(bugStatusDraft(bug, 'fixing', cause));
    // The bug card itself waits for its fixes: release the analysis claim or the resolved state.
    if (bug.status === 'in_progress' || bug.status === 'passing') {
      drafts.push(statusDraft(bug, 'pending', cause, { error: bug.lastError }));
    }
  }
  return appendEvents(tx, projectId, drafts, options);
}

function resolveDrafts(bug: WorkItem, reason: string, evidence: unknown): EventDraft[] {
  return [bugStatusDraft(bug, 'resolved', reason), statusDraft(bug, 'passing', reason, { evidence })];
}

// ------------------------------------------------------------------------------------------- specs

export type Spec = typeof specs.$inferSelect;

/** Creates or replaces a spec by name. The same content again appends nothing. */
export async function saveSpec(
  tx: Tx,
  projectId: string,
  input: SpecInput,
  options: AppendOptions = {},
): Promise<Appended & { spec: Spec }> {
  const { name, content } = parseInput(SpecInput, input, 'spec');
  const locked = await lockProject(tx, projectId, options);
  const [existing] = await tx
    .select()
    .from(specs)
    .where(and(eq(specs.projectId, projectId), eq(specs.name, name)));
  if (existing?.content === content) return { spec: existing, events: [] };
  const events = await appendEvents(
    tx,
    projectId,
    [{ type: 'spec_saved', payload: { specId: existing?.id ?? randomUUID(), name, content } }],
    locked,
  );
  const [spec] = await tx
    .select()
    .from(specs)
    .where(and(eq(specs.projectId, projectId), eq(specs.name, name)));
  return { spec: spec as Spec, events };
}

export type SpecSummary = Spec & { items: number; passing: number };

/** A project's specs by name, each with how many features and fixes were planned from it and pass. */
export async function listSpecs(db: DbOrTx, projectId: string): Promise<SpecSummary[]> {
  const rows = await db.select().from(specs).where(eq(specs.projectId, projectId)).orderBy(asc(specs.name));
  const items = (await listItems(db, projectId)).filter((item) => item.itemType !== 'bug');
  return rows.map((spec) => {
    const planned = items.filter((item) => item.sourceSpec === spec.name);
    return {
      ...spec,
      items: planned.length,
      passing: planned.filter((item) => item.status === 'passing').length,
    };
  });
}

// ----------------------------------------------------------------------------------------- helpers

/**
 * Serialises work-item writes of one project, so a check and the write it guards never interleave with
 * another caller's (two `addDependency` calls could otherwise close a cycle neither saw). When fenced,
 * the lease row is checked and locked first — the order `appendEvents` takes them in — so a fenced
 * writer and the engine's own commits cannot deadlock.
 */
async function lockProject<T extends AppendOptions>(
  tx: Tx,
  projectId: string,
  options: T,
): Promise<T & { fenceChecked: true }> {
  await loadProject(tx, projectId, {
    forUpdate: true,
    fencingToken: options.fencingToken,
    writer: options.writer,
  });
  // The fence is checked and the lease row locked until this transaction ends: appends need not again.
  return { ...options, fenceChecked: true };
}

function statusDraft(
  item: WorkItem,
  to: 'pending' | 'needs_review' | 'passing' | 'failing' | 'skipped',
  reason: string,
  extra: { attempts?: number; evidence?: unknown; error?: string | null } = {},
): EventDraft {
  return {
    type: 'work_item_status_changed',
    payload: {
      itemId: item.id,
      from: item.status,
      to,
      attempts: extra.attempts ?? item.attempts,
      evidence: toJson(extra.evidence ?? null),
      error: extra.error ?? null,
      reason,
    },
  };
}

function bugStatusDraft(bug: WorkItem, to: BugStatusValue, reason: string): EventDraft {
  return {
    type: 'bug_status_changed',
    payload: { itemId: bug.id, from: bug.bugStatus ?? 'open', to, reason },
  };
}

/** The evidence as stored, or a rule violation saying what proof is missing. */
function requireEvidence(item: WorkItem, evidence: unknown): Evidence {
  const needed = `${label(item)} needs verification evidence: an object such as {"checks": [{"name", "passed"}], "screenshot", "commit"}.`;
  if (typeof evidence !== 'object' || evidence === null || Array.isArray(evidence)) rule(needed);
  const parsed = Evidence.safeParse(evidence);
  if (!parsed.success) rule(`${needed} ${parsed.error.issues.map((issue) => issue.message).join('; ')}`);
  const proof = parsed.data;
  if (!Object.values(proof).some(isMeaningful)) rule(needed);
  const failed = (proof.checks ?? []).filter((check) => !check.passed);
  if (failed.length > 0) {
    rule(
      `The evidence for ${label(item)} shows failing checks (${failed.map((check) => check.name).join(', ')}); mark it failing instead.`,
    );
  }
  return proof;
}

function isMeaningful(value: unknown): boolean {
  if (value === null || value === undefined || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.values(value).some(isMeaningful);
  return true;
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function requireItem(byId: ReadonlyMap<number, WorkItem>, itemId: number): WorkItem {
  const item = byId.get(itemId);
  if (!item) throw new EngineError('not_found', `There is no work item #${itemId} in this project.`);
  return item;
}

function requireBug(items: readonly WorkItem[], bugId: number): WorkItem {
  const bug = items.find((item) => item.id === bugId);
  if (!bug) throw new EngineError('not_found', `There is no bug #${bugId} in this project.`);
  if (bug.itemType !== 'bug') rule(`${label(bug)} is a ${bug.itemType}, not a bug.`);
  return bug;
}

function parseInput<T>(schema: z.ZodType<T>, input: unknown, what: string): T {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const detail = parsed.error.issues
      .map((issue) => `${issue.path.length ? `${issue.path.join('.')}: ` : ''}${issue.message}`)
      .join('; ');
    rule(`Invalid ${what}: ${detail}`);
  }
  return parsed.data;
}

function rule(message: string): never {
  throw new EngineError('rule_violation', message);
}

/** JSON with sorted keys: jsonb does not keep key order, so plain stringify cannot compare. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    typeof inner === 'object' && inner !== null && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );
}

/** Values stored in events must survive a JSON round trip unchanged. */
function toJson(value: unknown): unknown {
  return value === undefined ? null : JSON.parse(JSON.stringify(value));
}
