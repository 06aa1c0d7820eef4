/**
 * Projects on the wire: the list, the project page's header data (run status, open questions, gates,
 * alarms, spend, progress), the event log, and the owner's actions. Enums mirror the database's; a
 * test in the API keeps them in step.
 */
import { z } from 'zod';

const isoDate = z.string();
const uuid = z.uuid();

export const RunStatus = z.enum(['running', 'awaiting_human', 'paused', 'idle', 'completed', 'failed']);
export type RunStatus = z.infer<typeof RunStatus>;

export const PausedReason = z.enum([
  'user',
  'turn_cap',
  'spend_cap',
  'loop',
  'rate_limited',
  'failures',
  'error',
]);
export type PausedReason = z.infer<typeof PausedReason>;

export const LifecycleState = z.enum([
  'idle',
  'initializing',
  'analyzing',
  'planning',
  'coding',
  'testing',
  'verifying',
  'waiting_approval',
  'error',
  'completed',
]);
export type LifecycleState = z.infer<typeof LifecycleState>;

/** Board counts: features and fixes make the percentage; bugs are counted by their status. */
export const Progress = z.object({
  total: z.number().int().nonnegative(),
  passing: z.number().int().nonnegative(),
  percent: z.number().int().min(0).max(100),
  bugs: z.object({
    open: z.number().int().nonnegative(),
    analyzing: z.number().int().nonnegative(),
    fixing: z.number().int().nonnegative(),
    resolved: z.number().int().nonnegative(),
    total: z.number().int().nonnegative(),
  }),
});
export type Progress = z.infer<typeof Progress>;

export const ProjectSummary = z.object({
  id: uuid,
  name: z.string(),
  ownerId: uuid,
  /** The run status (what the agent is doing). */
  status: RunStatus,
  pausedReason: PausedReason.nullable(),
  /** When a rate-limit pause ends by itself. */
  resumeAt: isoDate.nullable(),
  /** The lifecycle state. */
  state: LifecycleState,
  /** The domain's stage (e.g. `bootstrap`, `build`). */
  stage: z.string(),
  progress: Progress,
  spentUsd: z.number().nonnegative(),
  lastSeq: z.number().int().nonnegative(),
  createdAt: isoDate,
  updatedAt: isoDate,
});
export type ProjectSummary = z.infer<typeof ProjectSummary>;

export const ProjectList = z.object({ projects: z.array(ProjectSummary) });
export type ProjectList = z.infer<typeof ProjectList>;

export const CreateProjectRequest = z.object({
  name: z
    .string()
    .trim()
    .min(1, { error: 'must not be empty' })
    .max(120, { error: 'must be at most 120 characters' }),
});
export type CreateProjectRequest = z.infer<typeof CreateProjectRequest>;

export const PendingKind = z.enum(['question', 'approval', 'continuation']);
export type PendingKind = z.infer<typeof PendingKind>;

/** Something the agent waits on the owner for. */
export const Pending = z.object({
  id: uuid,
  kind: PendingKind,
  question: z.string().nullable(),
  options: z.array(z.string()).nullable(),
  /** What an approval is about (e.g. `brief`, `mockup`). */
  subject: z.string().nullable(),
  details: z.unknown().nullable(),
  /** Why a continuation gate stopped the run. */
  reason: z.string().nullable(),
  askedSeq: z.number().int(),
  createdAt: isoDate,
});
export type Pending = z.infer<typeof Pending>;

export const Criterion = z.object({ name: z.string(), passed: z.boolean(), detail: z.string().optional() });
export type Criterion = z.infer<typeof Criterion>;

export const Gate = z.object({
  name: z.string(),
  status: z.enum(['pending', 'passed', 'failed']),
  criteria: z.array(Criterion),
  evaluatedSeq: z.number().int().nullable(),
  evaluatedAt: isoDate.nullable(),
});
export type Gate = z.infer<typeof Gate>;

export const AlarmSeverity = z.enum(['warning', 'error', 'critical']);
export type AlarmSeverity = z.infer<typeof AlarmSeverity>;

export const Alarm = z.object({
  id: uuid,
  type: z.string(),
  severity: AlarmSeverity,
  status: z.enum(['open', 'resolved']),
  message: z.string(),
  context: z.unknown(),
  recommendedAction: z.string(),
  raisedSeq: z.number().int(),
  resolvedSeq: z.number().int().nullable(),
  createdAt: isoDate,
  resolvedAt: isoDate.nullable(),
});
export type Alarm = z.infer<typeof Alarm>;

export const ModelSpend = z.object({
  provider: z.string(),
  model: z.string(),
  costUsd: z.number().nonnegative(),
  calls: z.number().int().nonnegative(),
  fallbackCalls: z.number().int().nonnegative(),
  /** Calls to a model without a known price: their cost is unknown, not zero. */
  unpricedCalls: z.number().int().nonnegative(),
  inputTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
  cacheReadTokens: z.number().int().nonnegative(),
  cacheWriteTokens: z.number().int().nonnegative(),
});
export type ModelSpend = z.infer<typeof ModelSpend>;

export const ModelRole = z.enum(['chat', 'code']);
export type ModelRole = z.infer<typeof ModelRole>;

/** Which model a role uses for this project, and why. */
export const RoleModel = z.object({
  role: ModelRole,
  /** The provider and model the next call of this role uses; null with the offline demo worker. */
  provider: z.enum(['anthropic', 'openai']).nullable(),
  model: z.string().nullable(),
  /** The server's configured model for the role (MODEL_CHAT / MODEL_CODE). */
  configured: z.string().nullable(),
  /** This project's override, as the owner set it (null: the configured model). */
  override: z.string().nullable(),
  /** Used when the main model is rate limited. */
  fallback: z.string().nullable(),
});
export type RoleModel = z.infer<typeof RoleModel>;

/** The models of a project. `demo`: no provider key is configured; the demo worker answers. */
export const ProjectModels = z.object({ demo: z.boolean(), roles: z.array(RoleModel) });
export type ProjectModels = z.infer<typeof ProjectModels>;

const modelRef = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .regex(/^[\w.:/@-]+$/, { error: 'a model id has no spaces or quotes, e.g. claude-sonnet-4-5' });

/**
 * Overrides per role: a model ref as in MODEL_* (`claude-…`, `vendor/model`, `anthropic:…`,
 * `openai:…`); null goes back to the configured model; an absent role is left as it is.
 */
export const UpdateProjectModels = z
  .object({ chat: modelRef.nullable().optional(), code: modelRef.nullable().optional() })
  .strict();
export type UpdateProjectModels = z.infer<typeof UpdateProjectModels>;

/** Spend against the caps. `reservedUsd` is held by calls in flight and counts against the cap. */
export const Spend = z.object({
  spentUsd: z.number().nonnegative(),
  reservedUsd: z.number().nonnegative(),
  capUsd: z.number().nonnegative(),
  remainingUsd: z.number().nonnegative(),
  /** (spent + reserved) / cap as a whole percentage, capped at 100. */
  capPercent: z.number().int().min(0).max(100),
  calls: z.number().int().nonnegative(),
  fallbackCalls: z.number().int().nonnegative(),
  unpricedCalls: z.number().int().nonnegative(),
  byModel: z.array(ModelSpend),
  /** What steps the loop detector flagged cost (their model calls). */
  loops: z.object({ detected: z.number().int().nonnegative(), costUsd: z.number().nonnegative() }),
  daily: z.object({ spentUsd: z.number().nonnegative(), capUsd: z.number().nonnegative().nullable() }),
});
export type Spend = z.infer<typeof Spend>;

export const ProjectDetail = z.object({
  project: ProjectSummary.extend({
    /** The confirmed business brief, once there is one. */
    brief: z.unknown().nullable(),
    turnsSinceHuman: z.number().int().nonnegative(),
    turnCap: z.number().int().positive(),
  }),
  pending: z.array(Pending),
  gates: z.array(Gate),
  alarms: z.array(Alarm),
  spend: Spend,
  progress: Progress,
});
export type ProjectDetail = z.infer<typeof ProjectDetail>;

/** One entry of the event log. Events hidden by a rewind stay in the log, marked `superseded`. */
export const ProjectEvent = z.object({
  seq: z.number().int().positive(),
  type: z.string(),
  payload: z.unknown(),
  actor: z.string(),
  createdAt: isoDate,
  superseded: z.boolean(),
});
export type ProjectEvent = z.infer<typeof ProjectEvent>;

export const EventsQuery = z.object({
  after: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});
export type EventsQuery = z.infer<typeof EventsQuery>;

export const EventPage = z.object({
  events: z.array(ProjectEvent),
  /** The newest seq of the project: ask again with `after` = the last seq you got while below it. */
  lastSeq: z.number().int().nonnegative(),
  hasMore: z.boolean(),
});
export type EventPage = z.infer<typeof EventPage>;

/** A question takes `answer`; an approval `approved` (+ `notes`); a continuation `answer`: continue|stop. */
export const AnswerRequest = z.object({
  pendingId: uuid,
  answer: z.string().trim().min(1).max(10_000).optional(),
  approved: z.boolean().optional(),
  notes: z.string().max(10_000).optional(),
});
export type AnswerRequest = z.infer<typeof AnswerRequest>;

export const MessageRequest = z.object({
  text: z.string().trim().min(1, { error: 'must not be empty' }).max(10_000),
});
export type MessageRequest = z.infer<typeof MessageRequest>;

export const RewindRequest = z.object({ seq: z.number().int().positive() });
export type RewindRequest = z.infer<typeof RewindRequest>;

export const AgentAction = z.enum(['start', 'pause', 'resume', 'stop']);
export type AgentAction = z.infer<typeof AgentAction>;

export const AgentStatus = z.object({
  status: RunStatus,
  pausedReason: PausedReason.nullable(),
  resumeAt: isoDate.nullable(),
  state: LifecycleState,
  stage: z.string(),
  /** A runner holds the project's lease right now. */
  active: z.boolean(),
  turnsSinceHuman: z.number().int().nonnegative(),
  turnCap: z.number().int().positive(),
  lastSeq: z.number().int().nonnegative(),
});
export type AgentStatus = z.infer<typeof AgentStatus>;

/** The result of an owner action: what it wrote to the log and where the run stands now. */
export const ActionResult = z.object({
  agent: AgentStatus,
  /** Seqs of the events the action appended. */
  seqs: z.array(z.number().int()),
});
export type ActionResult = z.infer<typeof ActionResult>;

export const AlarmList = z.object({ alarms: z.array(Alarm) });
export type AlarmList = z.infer<typeof AlarmList>;

export const AlarmsQuery = z.object({ status: z.enum(['open', 'resolved', 'all']).default('all') });
export type AlarmsQuery = z.infer<typeof AlarmsQuery>;

export const GateList = z.object({ gates: z.array(Gate) });
export type GateList = z.infer<typeof GateList>;

export const LlmCall = z.object({
  id: uuid,
  provider: z.string(),
  model: z.string(),
  role: z.string(),
  attempt: z.number().int(),
  isFallback: z.boolean(),
  status: z.string(),
  /** As sent, with secrets redacted before storage. */
  request: z.unknown(),
  response: z.unknown().nullable(),
  error: z.string().nullable(),
  inputTokens: z.number().int(),
  outputTokens: z.number().int(),
  cacheReadTokens: z.number().int(),
  cacheWriteTokens: z.number().int(),
  /** null when the model has no known price. */
  costUsd: z.number().nullable(),
  latencyMs: z.number().int(),
  atSeq: z.number().int().nullable(),
  createdAt: isoDate,
});
export type LlmCall = z.infer<typeof LlmCall>;

export const LlmCallsQuery = z.object({ limit: z.coerce.number().int().min(1).max(50).default(50) });
export type LlmCallsQuery = z.infer<typeof LlmCallsQuery>;

export const LlmCallList = z.object({ calls: z.array(LlmCall) });
export type LlmCallList = z.infer<typeof LlmCallList>;
