/** The kanban, specs, snapshots and the site's history on the wire. */
import { z } from 'zod';
import { Progress } from './projects.ts';

const isoDate = z.string();
const line = (max: number) => z.string().trim().min(1, { error: 'must not be empty' }).max(max);

export const WorkItemType = z.enum(['feature', 'bug', 'fix']);
export const WorkItemStatus = z.enum([
  'pending',
  'in_progress',
  'needs_review',
  'passing',
  'failing',
  'skipped',
]);
export const BugStatus = z.enum(['open', 'analyzing', 'fixing', 'resolved']);
export type BugStatus = z.infer<typeof BugStatus>;

export const Lane = z.enum(['backlog', 'ready', 'in_progress', 'needs_review', 'done', 'blocked']);
export type Lane = z.infer<typeof Lane>;

/** One card: a feature, a fix, or a bug report. */
export const WorkItemCard = z.object({
  id: z.number().int().positive(),
  itemType: WorkItemType,
  name: z.string(),
  description: z.string(),
  category: z.string().nullable(),
  priority: z.number().int(),
  /** Architectural layer (foundation before pages before polish): ordered before priority. */
  layer: z.number().int(),
  /** Skipping moves a card to the end of its queue by raising this; ordered first. */
  queueOrder: z.number().int(),
  status: WorkItemStatus,
  /** The lane it shows in (bugs sit above the lanes with their fixes; their lane is null). */
  lane: Lane.nullable(),
  steps: z.array(z.string()),
  dependencies: z.array(z.number().int()),
  /** Dependencies that have not passed yet, by name: why a card is still in the backlog. */
  waitingFor: z.array(z.object({ id: z.number().int(), name: z.string(), status: WorkItemStatus })),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  /** The checks run, the screenshot and the commit that made it pass. */
  evidence: z.unknown().nullable(),
  parentBugId: z.number().int().nullable(),
  bugStatus: BugStatus.nullable(),
  stepsToReproduce: z.array(z.string()).nullable(),
  page: z.string().nullable(),
  sourceSpec: z.string().nullable(),
  createdAt: isoDate,
  updatedAt: isoDate,
  passedAt: isoDate.nullable(),
});
export type WorkItemCard = z.infer<typeof WorkItemCard>;

export const BugCard = z.object({ bug: WorkItemCard, fixes: z.array(WorkItemCard) });
export type BugCard = z.infer<typeof BugCard>;

/** `GET /api/projects/:id/features`: cards grouped for the board. */
export const Board = z.object({
  lanes: z.record(Lane, z.array(WorkItemCard)),
  bugs: z.array(BugCard),
  progress: Progress,
});
export type Board = z.infer<typeof Board>;

export const CreateFeatureRequest = z.object({
  name: line(200),
  description: z.string().trim().max(10_000).default(''),
  steps: z.array(line(2_000)).max(200).default([]),
  category: z.string().trim().max(100).optional(),
  priority: z.number().int().min(0).max(10_000).optional(),
  /** Ids (or names) of items this one waits for. */
  dependencies: z
    .array(z.union([z.number().int().positive(), line(200)]))
    .max(20)
    .default([]),
});
export type CreateFeatureRequest = z.infer<typeof CreateFeatureRequest>;

export const CreateBugRequest = z.object({
  name: line(200),
  description: z.string().trim().max(10_000).default(''),
  stepsToReproduce: z.array(line(2_000)).max(100).default([]),
  /** The page where it happens, as a site path like `/about/`. */
  page: z.string().trim().max(500).optional(),
});
export type CreateBugRequest = z.infer<typeof CreateBugRequest>;

/** `PATCH /api/projects/:id/features/:fid`: a new priority (0 runs first within its group and layer). */
export const ReprioritiseRequest = z.object({ priority: z.number().int().min(0).max(10_000) });
export type ReprioritiseRequest = z.infer<typeof ReprioritiseRequest>;

/**
 * An evidence screenshot's file name as `GET /api/projects/:id/evidence/:file` accepts it: one plain
 * name (no directories, no leading dot) with an image extension.
 */
export const EvidenceFileName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,199}\.(?:png|jpe?g|webp)$/);
export type EvidenceFileName = z.infer<typeof EvidenceFileName>;

/**
 * How a card's `evidence` reads when it follows the usual shape: the checks that ran, a screenshot
 * (an evidence file name) and the commit. Other keys are kept; anything else is shown as it is.
 */
export const CardEvidence = z.looseObject({
  checks: z
    .array(z.looseObject({ name: z.string(), passed: z.boolean(), detail: z.string().optional() }))
    .optional(),
  screenshot: z.string().nullish(),
  commit: z.string().nullish(),
});
export type CardEvidence = z.infer<typeof CardEvidence>;

/** The cards a create answered with (a feature of ≥10 steps is split into parts). */
export const CreatedCards = z.object({ items: z.array(WorkItemCard) });
export type CreatedCards = z.infer<typeof CreatedCards>;

export const SpecSummary = z.object({
  id: z.uuid(),
  name: z.string(),
  content: z.string(),
  createdAt: isoDate,
  updatedAt: isoDate,
});
export type SpecSummary = z.infer<typeof SpecSummary>;

export const SpecList = z.object({ specs: z.array(SpecSummary) });
export type SpecList = z.infer<typeof SpecList>;

export const CreateSpecRequest = z.object({ name: line(100), content: line(200_000) });
export type CreateSpecRequest = z.infer<typeof CreateSpecRequest>;

export const SnapshotDto = z.object({
  id: z.uuid(),
  name: z.string(),
  kind: z.enum(['manual', 'auto']),
  commitSha: z.string().nullable(),
  atSeq: z.number().int(),
  createdAt: isoDate,
});
export type SnapshotDto = z.infer<typeof SnapshotDto>;

export const SnapshotList = z.object({ snapshots: z.array(SnapshotDto) });
export type SnapshotList = z.infer<typeof SnapshotList>;

export const CreateSnapshotRequest = z.object({ name: line(100) });
export type CreateSnapshotRequest = z.infer<typeof CreateSnapshotRequest>;

/** One commit of the site's history, newest first in a list (every commit is the agent's hook chain). */
export const Commit = z.object({
  sha: z.string(),
  message: z.string(),
  createdAt: isoDate,
});
export type Commit = z.infer<typeof Commit>;

export const CommitList = z.object({ commits: z.array(Commit) });
export type CommitList = z.infer<typeof CommitList>;
