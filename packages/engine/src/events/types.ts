/**
 * The engine's event catalog. Every state change of a project is one of these, appended to the log
 * with a per-project contiguous `seq`; projections are folds of them. Domain packs add their own
 * events under the `domain` type with a free-form `name` and payload.
 */
import { z } from 'zod';
import { LifecycleState, PausedReason, RunStatus } from '../machine/index.ts';

export const PendingKind = z.enum(['question', 'approval', 'continuation']);
export type PendingKind = z.infer<typeof PendingKind>;

export const AlarmSeverity = z.enum(['warning', 'error', 'critical']);
export type AlarmSeverity = z.infer<typeof AlarmSeverity>;

// The machines own these sets; events reuse them so the two can never disagree.
const RunStatusValue = RunStatus;
const PausedReasonValue = PausedReason;
const LifecycleValue = LifecycleState;

export const Criterion = z.object({ name: z.string(), passed: z.boolean(), detail: z.string().optional() });
export type Criterion = z.infer<typeof Criterion>;

const json = z.unknown();

export const WorkItemTypeValue = z.enum(['feature', 'bug', 'fix']);
export type WorkItemTypeValue = z.infer<typeof WorkItemTypeValue>;
export const WorkItemStatusValue = z.enum([
  'pending',
  'in_progress',
  'needs_review',
  'passing',
  'failing',
  'skipped',
]);
export type WorkItemStatusValue = z.infer<typeof WorkItemStatusValue>;
export const BugStatusValue = z.enum(['open', 'analyzing', 'fixing', 'resolved']);
export type BugStatusValue = z.infer<typeof BugStatusValue>;

const itemId = z.number().int().positive();

export const EventPayloads = {
  project_created: z.object({ name: z.string(), stage: z.string() }),
  /** The run status changed (start, pause, resume, await, stop, complete, fail). */
  run_status_changed: z.object({
    status: RunStatusValue,
    pausedReason: PausedReasonValue.nullable(),
    resumeAt: z.string().nullable(),
    cause: z.string(),
  }),
  lifecycle_transitioned: z.object({
    from: LifecycleValue,
    to: LifecycleValue,
    reason: z.string(),
    iteration: z.number().int(),
  }),
  stage_changed: z.object({ from: z.string(), to: z.string() }),
  /** The worker's validated response, stored before anything acts on it. */
  worker_output: z.object({
    turn: z.number().int(),
    envelope: json,
    /** What the call cost, so loop reports can say what a loop cost. */
    costUsd: z.number().nonnegative().default(0),
    model: z.string().optional(),
    /**
     * The newest event the worker had seen when it answered: events after it (an owner's message
     * sent while the model was writing) were not part of this answer.
     */
    seenSeq: z.number().int().nonnegative().optional(),
  }),
  /** The worker could not answer (provider fault); counted by the failure tracker. */
  worker_failed: z.object({ kind: z.string(), message: z.string() }),
  /** A worker response that failed validation (the repair retry sees the error). */
  worker_output_invalid: z.object({
    turn: z.number().int(),
    error: z.string(),
    raw: json,
    attempt: z.number().int(),
  }),
  /** Intent: about to run a tool. A result event with the same callId follows unless interrupted. */
  tool_started: z.object({
    callId: z.string(),
    tool: z.string(),
    args: json,
    repeatable: z.boolean(),
    /** The worker_output this call acts on. */
    outputSeq: z.number().int(),
  }),
  /** A final or escalate envelope was acted on (tool calls are marked by `tool_started`). */
  worker_output_applied: z.object({ outputSeq: z.number().int(), kind: z.enum(['final', 'escalate']) }),
  tool_finished: z.object({
    callId: z.string(),
    tool: z.string(),
    ok: z.boolean(),
    data: json.optional(),
    error: z.string().optional(),
    /** Domain hints for the loop detector (target, content, isEdit, check). */
    hints: json.optional(),
  }),
  /** A non-repeatable tool was interrupted between intent and result: its outcome is unknown. */
  tool_outcome_unknown: z.object({ callId: z.string(), tool: z.string() }),
  /** A successful tool call's post-processing (hook chain, gates) is complete. */
  step_settled: z.object({ callId: z.string() }),
  hook_finished: z.object({ hook: z.string(), ok: z.boolean(), detail: z.string().optional() }),
  gate_evaluated: z.object({ name: z.string(), passed: z.boolean(), criteria: z.array(Criterion) }),
  pending_opened: z.object({
    pendingId: z.string(),
    kind: PendingKind,
    question: z.string().nullable().optional(),
    options: z.array(z.string()).nullable().optional(),
    subject: z.string().nullable().optional(),
    details: json.optional(),
    reason: z.string().nullable().optional(),
  }),
  pending_answered: z.object({ pendingId: z.string(), answer: json }),
  pending_cancelled: z.object({ pendingId: z.string(), why: z.string() }),
  owner_message: z.object({ text: z.string() }),
  alarm_raised: z.object({
    alarmId: z.string(),
    type: z.string(),
    severity: AlarmSeverity,
    message: z.string(),
    context: z.record(z.string(), json),
    recommendedAction: z.string(),
    autoResolve: z.boolean(),
  }),
  alarm_resolved: z.object({ alarmId: z.string(), why: z.string() }),
  loop_nudged: z.object({ kind: z.string(), message: z.string() }),
  /** The worker answered with its fallback model (the primary was rate limited); spend is flagged. */
  model_swapped: z.object({ role: z.string(), model: z.string(), reason: z.string() }),
  brief_saved: z.object({ brief: json }),
  snapshot_created: z.object({
    snapshotId: z.string(),
    name: z.string(),
    kind: z.enum(['manual', 'auto']),
    ref: z.string().nullable(),
  }),
  /** A rollback: the board becomes the snapshot's; the domain moves its state to `ref`. */
  board_restored: z.object({
    snapshotId: z.string(),
    name: z.string(),
    ref: z.string().nullable(),
    board: json,
  }),
  /** Events after `cutSeq` are hidden (superseded) and the question at `toSeq` is open again. */
  rewound: z.object({ toSeq: z.number().int(), cutSeq: z.number().int(), superseded: z.number().int() }),
  /** A rewind was taken back: the events it hid are active again and what followed it is hidden. */
  rewind_undone: z.object({ rewoundSeq: z.number().int(), restored: z.number().int() }),
  /** Free-form text the worker streams or says to the owner. */
  agent_message: z.object({ text: z.string() }),
  domain: z.object({ name: z.string(), data: json }),

  // Work items (the kanban). Ids are allocated by the engine and recorded here, so a rebuild
  // reproduces them; the status of a new item is always `pending`.
  work_item_created: z.object({
    id: itemId,
    itemType: WorkItemTypeValue,
    name: z.string(),
    description: z.string(),
    category: z.string().nullable(),
    priority: z.number().int(),
    layer: z.number().int(),
    queueOrder: z.number().int(),
    steps: z.array(z.string()),
    dependencies: z.array(itemId),
    parentBugId: itemId.nullable(),
    bugStatus: BugStatusValue.nullable(),
    stepsToReproduce: z.array(z.string()).nullable(),
    page: z.string().nullable(),
    sourceSpec: z.string().nullable(),
  }),
  /** The only way into `in_progress`: a runner (or worker) took the item. */
  work_item_claimed: z.object({ itemId, claimedBy: z.string() }),
  /**
   * Leaving `in_progress` or any other status change but a claim or a skip. The item takes the
   * event's attempts, evidence and error as they are (null when absent) and loses its claim.
   */
  work_item_status_changed: z.object({
    itemId,
    from: WorkItemStatusValue,
    to: WorkItemStatusValue.exclude(['in_progress']),
    attempts: z.number().int().nonnegative(),
    evidence: json.optional(),
    error: z.string().nullable().optional(),
    reason: z.string(),
  }),
  /** Moved to the end of the queue and back to `pending`. */
  work_item_skipped: z.object({ itemId, queueOrder: z.number().int() }),
  /** The owner changed an item's priority (lower runs first within its group and layer). */
  work_item_reprioritised: z.object({ itemId, priority: z.number().int().min(0).max(10_000) }),
  work_item_dependency_added: z.object({ itemId, dependsOnId: itemId }),
  work_item_dependency_removed: z.object({ itemId, dependsOnId: itemId }),
  /** A bug's own flow: open → analyzing → fixing → resolved (and back to fixing if a fix regresses). */
  bug_status_changed: z.object({ itemId, from: BugStatusValue, to: BugStatusValue, reason: z.string() }),
  /** Removes the item, its dependency edges both ways, and the link of fixes that named it as their bug. */
  work_item_deleted: z.object({ itemId, name: z.string() }),
  /** Creates or replaces a project's spec by name; `specId` is kept from the first save. */
  spec_saved: z.object({ specId: z.uuid(), name: z.string(), content: z.string() }),
} as const;

export type EventType = keyof typeof EventPayloads;
export type EventPayload<T extends EventType> = z.infer<(typeof EventPayloads)[T]>;

/** An event before it has a seq. */
export type EventDraft = {
  [T in EventType]: { type: T; payload: EventPayload<T>; actor?: Actor };
}[EventType];

export type Actor = 'worker' | 'owner' | 'system' | 'runner';

/** An event as stored in the log. */
export type StoredEvent = EventDraft & {
  seq: number;
  projectId: string;
  actor: Actor;
  createdAt: Date;
  supersededBySeq: number | null;
};

export function isEventType(type: string): type is EventType {
  return Object.hasOwn(EventPayloads, type);
}
