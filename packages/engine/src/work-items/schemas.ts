/**
 * What callers give the work-item service, and the limits it enforces. Stored rows are
 * `typeof workItems.$inferSelect` with their dependency ids attached (`WorkItem`).
 */
import type { workItems } from '@sitewright/db';
import { z } from 'zod';
import { WorkItemTypeValue } from '../events/types.ts';

/** A stored work item with the ids of the items it depends on. */
export type WorkItem = typeof workItems.$inferSelect & { dependencies: number[] };

/** Items with this many acceptance steps or more are split into parts. */
export const SPLIT_THRESHOLD = 10;
/** The most steps one part of a split item carries. */
export const MAX_STEPS_PER_PART = 9;
export const MAX_DEPENDENCIES = 20;
export const DEFAULT_PRIORITY = 100;
/** Priorities run from 0 (first) to this. */
export const MAX_PRIORITY = 10_000;
/** Bugs jump the queue of their group. */
export const BUG_PRIORITY = 0;
/** A failing item with this many attempts is blocked: `getNext` leaves it for a human. */
export const DEFAULT_MAX_ATTEMPTS = 3;

/** A dependency: a stored item's id, or the name of an item in the same batch (or a stored one). */
export const WorkItemRef = z.union([z.number().int().positive(), z.string().trim().min(1)]);
export type WorkItemRef = z.infer<typeof WorkItemRef>;

const text = (max: number) => z.string().trim().min(1).max(max);

export const NewWorkItem = z.object({
  itemType: WorkItemTypeValue.default('feature'),
  name: text(200),
  description: z.string().trim().max(10_000).default(''),
  category: text(100).nullish(),
  /** Lower runs first; defaults to 100, or 0 for bugs. */
  priority: z.number().int().min(0).max(MAX_PRIORITY).optional(),
  /** Architectural layer: foundation (0) before pages before polish. */
  layer: z.number().int().min(0).max(100).default(0),
  steps: z.array(text(2_000)).max(200).default([]),
  dependencies: z.array(WorkItemRef).default([]),
  /** Required for fixes: the bug they fix. */
  parentBugId: z.number().int().positive().nullish(),
  stepsToReproduce: z.array(text(2_000)).max(100).nullish(),
  page: text(500).nullish(),
  /** The name of the spec this item was planned from. */
  sourceSpec: text(100).nullish(),
});
/** What callers pass (defaults may be omitted). */
export type NewWorkItem = z.input<typeof NewWorkItem>;

export const VerificationCheck = z.object({
  name: text(500),
  passed: z.boolean(),
  detail: z.string().max(10_000).optional(),
});
export type VerificationCheck = z.infer<typeof VerificationCheck>;

/**
 * Proof that an item works, required to mark it passing: the checks that ran, a screenshot, the
 * commit. Other keys are kept as given.
 */
export const Evidence = z.looseObject({
  checks: z.array(VerificationCheck).optional(),
  screenshot: text(2_000).optional(),
  commit: text(200).optional(),
});
export type Evidence = z.infer<typeof Evidence>;

export const SpecInput = z.object({ name: text(100), content: text(200_000) });
export type SpecInput = z.infer<typeof SpecInput>;
