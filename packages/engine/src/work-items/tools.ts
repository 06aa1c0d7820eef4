/**
 * Work-item tools a domain pack registers (the initializer, coding and regression roles use them).
 * Tools get no transaction from the engine, so `workItemTools(db)` gives each call its own short
 * transaction. A tool is `repeatable` when running it again after an interruption cannot do harm:
 * reads; claims (the same claimant gets its held item back instead of a second one); passing with the
 * same evidence, skips, dependency edits and resolving (they append nothing when already done).
 * Marking failing (counts an attempt) and bulk creation (would duplicate items) are not repeatable.
 */
import type { Db } from '@sitewright/db';
import { z } from 'zod';
import type { AppendOptions, Tx } from '../events/log.ts';
import type { StoredEvent } from '../events/types.ts';
import { defineTool, type ToolContext } from '../tools.ts';
import { DEFAULT_MAX_ATTEMPTS, Evidence, NewWorkItem, type WorkItem } from './schemas.ts';
import {
  addDependency,
  claimItem,
  claimNext,
  createItems,
  currentLeaseHolder,
  getBugStatus,
  getForRegression,
  getNext,
  getStats,
  markFailing,
  markPassing,
  removeDependency,
  resolveBug,
  skipItem,
} from './service.ts';

export interface WorkItemToolsOptions {
  /** Who claims items: by default the driving runner (or the lease holder), else "engine". */
  claimant?: (context: ToolContext) => string | Promise<string>;
  /** Append options for a call; by default the fencing token the engine hands the tool. */
  appendOptions?: (context: ToolContext) => AppendOptions;
  /** Called after each commit with the events it appended, to announce them. */
  onEvents?: (events: StoredEvent[]) => void;
  /** Failed attempts after which `get_next` and `claim` pass an item over. */
  maxAttempts?: number;
  /** Uniform in [0, 1); the regression sample's randomness. */
  random?: () => number;
}

/** Tool names, for stage allowlists. */
export const workItemToolNames = [
  'work_item_stats',
  'work_item_get_next',
  'work_item_claim',
  'work_item_mark_passing',
  'work_item_mark_failing',
  'work_item_skip',
  'work_item_create_bulk',
  'work_item_get_for_regression',
  'work_item_add_dependency',
  'work_item_remove_dependency',
  'bug_get_status',
  'bug_mark_resolved',
] as const;

const itemId = z.number().int().positive();

export function workItemTools(db: Db, options: WorkItemToolsOptions = {}) {
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;

  /** One short transaction per call; its events are announced after commit. */
  async function write<T extends { events: StoredEvent[] }>(
    context: ToolContext,
    action: (tx: Tx, append: AppendOptions) => Promise<T>,
  ): Promise<T> {
    const append =
      options.appendOptions?.(context) ??
      (context.fencingToken === undefined ? {} : { fencingToken: context.fencingToken });
    const result = await db.transaction((tx) => action(tx, append));
    if (result.events.length > 0) options.onEvents?.(result.events);
    return result;
  }

  async function claimantOf(context: ToolContext): Promise<string> {
    if (options.claimant) return options.claimant(context);
    return context.runnerId ?? (await currentLeaseHolder(db, context.projectId)) ?? 'engine';
  }

  const stats = defineTool({
    name: 'work_item_stats',
    description: 'Progress of the work items: counts per status, passing of total, and bugs per status.',
    args: z.object({}),
    repeatable: true,
    readOnly: true,
    run: async (context) => ({ data: await getStats(db, context.projectId) }),
  });

  const next = defineTool({
    name: 'work_item_get_next',
    description:
      'Show the next work item to do without claiming it: bugs needing analysis first, then bug fixes, then features whose dependencies pass.',
    args: z.object({}),
    repeatable: true,
    readOnly: true,
    run: async (context) => {
      const item = await getNext(db, context.projectId, { maxAttempts });
      return { data: { item: item ? forWorker(item) : null } };
    },
  });

  const claim = defineTool({
    name: 'work_item_claim',
    description:
      'Claim a work item to work on: the given one, or the next ready one when itemId is omitted. You hold one item at a time; claiming again returns the item you hold.',
    args: z.object({ itemId: itemId.optional() }),
    repeatable: true,
    run: async (context, args) => {
      const claimedBy = await claimantOf(context);
      const result = await write(context, (tx, append) =>
        args.itemId === undefined
          ? claimNext(tx, context.projectId, claimedBy, { ...append, maxAttempts })
          : claimItem(tx, context.projectId, args.itemId, claimedBy, append),
      );
      return {
        data: {
          item: result.item ? forWorker(result.item) : null,
          alreadyClaimed: result.alreadyClaimed,
          ...(result.item ? {} : { message: 'Nothing is ready to work on.' }),
        },
      };
    },
  });

  const markPassingTool = defineTool({
    name: 'work_item_mark_passing',
    description:
      'Mark a work item passing after verifying every acceptance step. Evidence is required: the checks you ran (all passed), and a screenshot path or commit when you have them.',
    args: z.object({ itemId, evidence: Evidence }),
    repeatable: true,
    run: async (context, args) => {
      const result = await write(context, (tx, append) =>
        markPassing(tx, context.projectId, args.itemId, args.evidence, append),
      );
      return {
        data: { item: forWorker(result.item), resolvedBugId: result.resolvedBugId },
        hints: {
          target: `work_item:${args.itemId}`,
          check: { name: `work item #${args.itemId}`, passed: true },
        },
      };
    },
  });

  const markFailingTool = defineTool({
    name: 'work_item_mark_failing',
    description:
      'Mark a work item failing with what went wrong; it counts as an attempt and is retried later.',
    args: z.object({ itemId, error: z.string().trim().min(1).max(10_000), evidence: z.unknown().optional() }),
    repeatable: false,
    run: async (context, args) => {
      const result = await write(context, (tx, append) =>
        markFailing(tx, context.projectId, args.itemId, args.error, { ...append, evidence: args.evidence }),
      );
      return {
        data: { item: forWorker(result.item) },
        hints: {
          target: `work_item:${args.itemId}`,
          check: { name: `work item #${args.itemId}`, passed: false },
        },
      };
    },
  });

  const skip = defineTool({
    name: 'work_item_skip',
    description: 'Put a work item aside: it moves to the end of the queue and is released if you held it.',
    args: z.object({ itemId }),
    repeatable: true,
    run: async (context, args) => {
      const result = await write(context, (tx, append) =>
        skipItem(tx, context.projectId, args.itemId, append),
      );
      return { data: { item: forWorker(result.item) } };
    },
  });

  const createBulk = defineTool({
    name: 'work_item_create_bulk',
    description:
      'Create work items (features, or fixes of a bug with parentBugId). Dependencies are ids of existing items or names of items in this batch. Items with 10+ steps are split into parts.',
    args: z.object({ items: z.array(NewWorkItem).min(1).max(200) }),
    repeatable: false,
    run: async (context, args) => {
      const result = await write(context, (tx, append) =>
        createItems(tx, context.projectId, args.items, append),
      );
      return {
        data: {
          created: result.items.map((item) => ({
            id: item.id,
            name: item.name,
            dependencies: item.dependencies,
          })),
        },
      };
    },
  });

  const regression = defineTool({
    name: 'work_item_get_for_regression',
    description: 'A random sample of passing work items to verify again.',
    args: z.object({ count: z.number().int().min(1).max(50).default(3) }),
    repeatable: true,
    readOnly: true,
    run: async (context, args) => {
      const items = await getForRegression(db, context.projectId, args.count, options.random);
      return { data: { items: items.map(forWorker) } };
    },
  });

  const addDependencyTool = defineTool({
    name: 'work_item_add_dependency',
    description: 'Make a work item wait until another one passes. Cycles are refused.',
    args: z.object({ itemId, dependsOnId: itemId }),
    repeatable: true,
    run: async (context, args) => {
      const result = await write(context, (tx, append) =>
        addDependency(tx, context.projectId, args.itemId, args.dependsOnId, append),
      );
      return { data: { added: result.added } };
    },
  });

  const removeDependencyTool = defineTool({
    name: 'work_item_remove_dependency',
    description: 'Stop a work item waiting for another one.',
    args: z.object({ itemId, dependsOnId: itemId }),
    repeatable: true,
    run: async (context, args) => {
      const result = await write(context, (tx, append) =>
        removeDependency(tx, context.projectId, args.itemId, args.dependsOnId, append),
      );
      return { data: { removed: result.removed } };
    },
  });

  const bugStatus = defineTool({
    name: 'bug_get_status',
    description: 'A bug with its status and its fixes, and which fixes are not passing yet.',
    args: z.object({ bugId: itemId }),
    repeatable: true,
    readOnly: true,
    run: async (context, args) => {
      const status = await getBugStatus(db, context.projectId, args.bugId);
      return {
        data: {
          bug: forWorker(status.bug),
          fixes: status.fixes.map(forWorker),
          waitingOn: status.waitingOn.map((fix) => fix.id),
        },
      };
    },
  });

  const bugResolve = defineTool({
    name: 'bug_mark_resolved',
    description:
      'Resolve a bug. Refused while any of its fixes is not passing (it resolves by itself when the last fix passes). A bug with no fixes needs evidence of why nothing had to change.',
    args: z.object({ bugId: itemId, evidence: Evidence.optional() }),
    repeatable: true,
    run: async (context, args) => {
      const result = await write(context, (tx, append) =>
        resolveBug(tx, context.projectId, args.bugId, { ...append, evidence: args.evidence }),
      );
      return { data: { bug: forWorker(result.bug) } };
    },
  });

  return [
    stats,
    next,
    claim,
    markPassingTool,
    markFailingTool,
    skip,
    createBulk,
    regression,
    addDependencyTool,
    removeDependencyTool,
    bugStatus,
    bugResolve,
  ];
}

/** What a worker needs to know about an item (no timestamps, no claim bookkeeping). */
export function forWorker(item: WorkItem) {
  return {
    id: item.id,
    type: item.itemType,
    name: item.name,
    description: item.description,
    status: item.status,
    steps: item.steps,
    dependencies: item.dependencies,
    attempts: item.attempts,
    ...(item.lastError ? { lastError: item.lastError } : {}),
    ...(item.category ? { category: item.category } : {}),
    ...(item.sourceSpec ? { sourceSpec: item.sourceSpec } : {}),
    ...(item.itemType === 'bug'
      ? { bugStatus: item.bugStatus, stepsToReproduce: item.stepsToReproduce ?? [], page: item.page }
      : {}),
    ...(item.parentBugId !== null ? { parentBugId: item.parentBugId } : {}),
  };
}
