/**
 * The whole product's schema (SPEC §2). The `events` table is the source of truth; every other
 * project table is a projection of it (or a cache) that the engine updates in the same transaction as
 * the event that changes it, so the two can be rebuilt and checked against each other.
 *
 * Conventions: snake_case columns (drizzle `casing`), `timestamptz` everywhere, money as
 * `numeric(14,6)` US dollars read as numbers, enums for closed sets the engine owns, `text` for sets a
 * domain pack owns (stages, event types, alarm types).
 */
import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigint,
  boolean,
  check,
  index,
  integer,
  jsonb,
  numeric,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

const createdAt = () => timestamp({ withTimezone: true }).notNull().defaultNow();
const updatedAt = () =>
  timestamp({ withTimezone: true })
    .notNull()
    .defaultNow()
    .$onUpdate(() => new Date());
const money = () => numeric({ precision: 14, scale: 6, mode: 'number' });

// ---------------------------------------------------------------------------------------------- enums

export const userRole = pgEnum('user_role', ['admin', 'user']);

/** B's ten lifecycle states; the transition table lives in the engine's pure reducer. */
export const lifecycleState = pgEnum('lifecycle_state', [
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

export const runStatus = pgEnum('run_status', [
  'running',
  'awaiting_human',
  'paused',
  'idle',
  'completed',
  'failed',
]);

export const pausedReason = pgEnum('paused_reason', [
  'user',
  'turn_cap',
  'spend_cap',
  'loop',
  'rate_limited',
  'failures',
  'error',
]);

export const pendingKind = pgEnum('pending_kind', ['question', 'approval', 'continuation']);
export const pendingStatus = pgEnum('pending_status', ['open', 'answered', 'cancelled', 'superseded']);

export const workItemType = pgEnum('work_item_type', ['feature', 'bug', 'fix']);
export const workItemStatus = pgEnum('work_item_status', [
  'pending',
  'in_progress',
  'needs_review',
  'passing',
  'failing',
  'skipped',
]);
export const bugStatus = pgEnum('bug_status', ['open', 'analyzing', 'fixing', 'resolved']);

export const gateStatus = pgEnum('gate_status', ['pending', 'passed', 'failed']);
export const alarmSeverity = pgEnum('alarm_severity', ['warning', 'error', 'critical']);
export const alarmStatus = pgEnum('alarm_status', ['open', 'resolved']);
export const snapshotKind = pgEnum('snapshot_kind', ['manual', 'auto']);
export const spendStatus = pgEnum('spend_status', ['reserved', 'settled', 'released']);
export const llmCallStatus = pgEnum('llm_call_status', [
  'ok',
  'rate_limited',
  'server_error',
  'timeout',
  'auth_error',
  'quota_exceeded',
  'invalid_response',
  'cancelled',
  'error',
]);

// ---------------------------------------------------------------------------------------------- users

export const users = pgTable('users', {
  id: uuid().primaryKey().defaultRandom(),
  username: text().notNull().unique(),
  passwordHash: text().notNull(),
  role: userRole().notNull().default('user'),
  /** Bumped on password change and forced logout; access tokens carry it, so older ones stop working. */
  tokenVersion: integer().notNull().default(0),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/**
 * Refresh tokens are stored hashed. Rotation marks the old row `rotatedAt` and points it at its
 * successor; presenting a rotated token again is reuse and revokes the whole family.
 */
export const refreshTokens = pgTable(
  'refresh_tokens',
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    familyId: uuid().notNull(),
    tokenHash: text().notNull().unique(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    rotatedAt: timestamp({ withTimezone: true }),
    replacedById: uuid(),
    revokedAt: timestamp({ withTimezone: true }),
    revokedReason: text(),
    userAgent: text(),
    ip: text(),
    createdAt: createdAt(),
  },
  (t) => [index().on(t.userId), index().on(t.familyId)],
);

// ------------------------------------------------------------------------------------------- projects

export const projects = pgTable(
  'projects',
  {
    id: uuid().primaryKey().defaultRandom(),
    ownerId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text().notNull(),
    /** The domain pack's stage (e.g. `bootstrap`, `build`); the engine treats it as opaque. */
    stage: text().notNull().default('bootstrap'),
    lifecycleState: lifecycleState().notNull().default('idle'),
    runStatus: runStatus().notNull().default('idle'),
    pausedReason: pausedReason(),
    /** When a rate-limit pause resumes by itself. */
    resumeAt: timestamp({ withTimezone: true }),
    /** The highest event seq written for this project; the next event takes `lastSeq + 1`. */
    lastSeq: bigint({ mode: 'number' }).notNull().default(0),
    /** Lifecycle transitions so far, counted against the iteration cap. */
    iterations: integer().notNull().default(0),
    /** Worker turns since the owner last answered, counted against the turn cap. */
    turnsSinceHuman: integer().notNull().default(0),
    /** Questions and approvals waiting for the owner (open pendings other than continuation gates). */
    openAsks: integer().notNull().default(0),
    /** The confirmed business brief (domain-shaped JSON). */
    brief: jsonb(),
    /** Per-project overrides: models, caps, prompt templates. */
    settings: jsonb().notNull().default({}),
    spentUsd: money().notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index().on(t.ownerId), index().on(t.runStatus)],
);

export const specs = pgTable(
  'specs',
  {
    id: uuid().primaryKey().defaultRandom(),
    projectId: uuid()
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    name: text().notNull(),
    content: text().notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex().on(t.projectId, t.name)],
);

/**
 * The append-only log. `seq` is contiguous per project (1, 2, 3 …), assigned from `projects.last_seq`
 * in the writing transaction. A rewind never deletes: it stamps later events `supersededBySeq`.
 */
export const events = pgTable(
  'events',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    projectId: uuid()
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    seq: bigint({ mode: 'number' }).notNull(),
    type: text().notNull(),
    payload: jsonb().notNull().default({}),
    /** Who caused it: `worker`, `owner`, `system`, `runner`. */
    actor: text().notNull().default('system'),
    /** The runner's fencing token when a runner wrote it; stale tokens are refused at insert. */
    fencingToken: bigint({ mode: 'number' }),
    supersededBySeq: bigint({ mode: 'number' }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex().on(t.projectId, t.seq), index().on(t.projectId, t.type)],
);

export const pendings = pgTable(
  'pendings',
  {
    id: uuid().primaryKey().defaultRandom(),
    projectId: uuid()
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    kind: pendingKind().notNull(),
    status: pendingStatus().notNull().default('open'),
    /** The event that asked. Rewind re-opens the pending of the event it rewinds to. */
    askedSeq: bigint({ mode: 'number' }).notNull(),
    question: text(),
    options: jsonb().$type<string[]>(),
    subject: text(),
    details: jsonb(),
    /** For continuation gates: why the run stopped and which choices the owner has. */
    reason: text(),
    answer: jsonb(),
    answeredSeq: bigint({ mode: 'number' }),
    createdAt: createdAt(),
    resolvedAt: timestamp({ withTimezone: true }),
  },
  (t) => [index().on(t.projectId, t.status)],
);

// ----------------------------------------------------------------------------------------- work items

export const workItems = pgTable(
  'work_items',
  {
    // "by default" so the engine can allocate an id, record it in the creating event, and rebuilds
    // from the event log reproduce the same ids.
    id: integer().primaryKey().generatedByDefaultAsIdentity(),
    projectId: uuid()
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    itemType: workItemType().notNull().default('feature'),
    name: text().notNull(),
    description: text().notNull().default(''),
    category: text(),
    /** Lower runs first; bugs are created at 0. */
    priority: integer().notNull().default(100),
    /** Architectural layer (foundation before pages before polish); ordered before priority. */
    layer: integer().notNull().default(0),
    /** Skipping moves an item to the end of its queue by bumping this. */
    queueOrder: integer().notNull().default(0),
    status: workItemStatus().notNull().default('pending'),
    /** Acceptance steps the coding role must verify. */
    steps: jsonb().$type<string[]>().notNull().default([]),
    attempts: integer().notNull().default(0),
    claimedBy: text(),
    claimedAt: timestamp({ withTimezone: true }),
    /** Verification evidence (checks run, screenshot path, commit); required to mark passing. */
    evidence: jsonb(),
    lastError: text(),
    parentBugId: integer().references((): AnyPgColumn => workItems.id, { onDelete: 'set null' }),
    bugStatus: bugStatus(),
    stepsToReproduce: jsonb().$type<string[]>(),
    page: text(),
    sourceSpec: text(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    passedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    index().on(t.projectId, t.status),
    index().on(t.parentBugId),
    check('bug_fields', sql`(${t.itemType} = 'bug') = (${t.bugStatus} is not null)`),
  ],
);

export const workItemDependencies = pgTable(
  'work_item_dependencies',
  {
    projectId: uuid()
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    itemId: integer()
      .notNull()
      .references(() => workItems.id, { onDelete: 'cascade' }),
    dependsOnId: integer()
      .notNull()
      .references(() => workItems.id, { onDelete: 'cascade' }),
  },
  (t) => [
    primaryKey({ columns: [t.itemId, t.dependsOnId] }),
    index().on(t.dependsOnId),
    check('no_self_dependency', sql`${t.itemId} <> ${t.dependsOnId}`),
  ],
);

// ---------------------------------------------------------------------------- gates, alarms, snapshots

export const gates = pgTable(
  'gates',
  {
    id: uuid().primaryKey().defaultRandom(),
    projectId: uuid()
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    name: text().notNull(),
    status: gateStatus().notNull().default('pending'),
    /** One entry per criterion: `{ name, passed, detail }`. */
    criteria: jsonb().notNull().default([]),
    evaluatedSeq: bigint({ mode: 'number' }),
    evaluatedAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex().on(t.projectId, t.name)],
);

export const alarms = pgTable(
  'alarms',
  {
    id: uuid().primaryKey().defaultRandom(),
    projectId: uuid()
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    type: text().notNull(),
    severity: alarmSeverity().notNull(),
    status: alarmStatus().notNull().default('open'),
    message: text().notNull(),
    context: jsonb().notNull().default({}),
    recommendedAction: text().notNull(),
    /** State alarms (caps, rate limits) resolve by themselves when the state that raised them ends. */
    autoResolve: boolean().notNull().default(false),
    raisedSeq: bigint({ mode: 'number' }).notNull(),
    resolvedSeq: bigint({ mode: 'number' }),
    createdAt: createdAt(),
    resolvedAt: timestamp({ withTimezone: true }),
  },
  (t) => [index().on(t.projectId, t.status)],
);

export const snapshots = pgTable(
  'snapshots',
  {
    id: uuid().primaryKey().defaultRandom(),
    projectId: uuid()
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    name: text().notNull(),
    kind: snapshotKind().notNull().default('manual'),
    /** The site repository's commit at the time of the snapshot (null before the first commit). */
    commitSha: text(),
    /** Work items, dependencies and project fields needed to restore the board. */
    boardState: jsonb().notNull(),
    atSeq: bigint({ mode: 'number' }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [index().on(t.projectId, t.createdAt)],
);

export const stateTransitions = pgTable(
  'state_transitions',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    projectId: uuid()
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    fromState: lifecycleState().notNull(),
    toState: lifecycleState().notNull(),
    reason: text().notNull(),
    iteration: integer().notNull(),
    atSeq: bigint({ mode: 'number' }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [index().on(t.projectId, t.id)],
);

// -------------------------------------------------------------------------------- spend and LLM calls

export const llmCalls = pgTable(
  'llm_calls',
  {
    id: uuid().primaryKey().defaultRandom(),
    projectId: uuid().references(() => projects.id, { onDelete: 'cascade' }),
    provider: text().notNull(),
    model: text().notNull(),
    role: text().notNull(),
    attempt: integer().notNull().default(1),
    isFallback: boolean().notNull().default(false),
    status: llmCallStatus().notNull(),
    /** Request and response as sent and received, secrets redacted before storage. */
    request: jsonb().notNull(),
    response: jsonb(),
    error: text(),
    inputTokens: integer().notNull().default(0),
    outputTokens: integer().notNull().default(0),
    cacheReadTokens: integer().notNull().default(0),
    cacheWriteTokens: integer().notNull().default(0),
    costUsd: money(),
    latencyMs: integer().notNull(),
    atSeq: bigint({ mode: 'number' }),
    createdAt: createdAt(),
  },
  (t) => [index().on(t.projectId, t.createdAt)],
);

/**
 * One row per billed attempt. A call first reserves its worst-case cost (`status = reserved`), then
 * settles to the real cost or releases; caps sum reserved + settled, so they are never overshot.
 */
export const spendLedger = pgTable(
  'spend_ledger',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    projectId: uuid()
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    llmCallId: uuid().references(() => llmCalls.id, { onDelete: 'set null' }),
    provider: text().notNull(),
    model: text().notNull(),
    role: text().notNull(),
    status: spendStatus().notNull(),
    reservedUsd: money().notNull().default(0),
    costUsd: money().notNull().default(0),
    /** False when the model has no known price: the cost is then reported as unknown, never as free. */
    priced: boolean().notNull().default(true),
    isFallback: boolean().notNull().default(false),
    workItemId: integer(),
    inputTokens: integer().notNull().default(0),
    outputTokens: integer().notNull().default(0),
    cacheReadTokens: integer().notNull().default(0),
    cacheWriteTokens: integer().notNull().default(0),
    createdAt: createdAt(),
    settledAt: timestamp({ withTimezone: true }),
  },
  (t) => [index().on(t.projectId, t.createdAt), index().on(t.createdAt)],
);

// ---------------------------------------------------------------------------------------- runners

/**
 * One row per project whose loop a runner holds. Claimed by a conditional update that bumps
 * `fencingToken`; every event insert by a runner checks its token against this row.
 */
export const runnerLeases = pgTable(
  'runner_leases',
  {
    projectId: uuid()
      .primaryKey()
      .references(() => projects.id, { onDelete: 'cascade' }),
    runnerId: text(),
    fencingToken: bigint({ mode: 'number' }).notNull().default(0),
    acquiredAt: timestamp({ withTimezone: true }),
    heartbeatAt: timestamp({ withTimezone: true }),
    expiresAt: timestamp({ withTimezone: true }),
    /** Takeovers after a runner died; past the limit the project is paused instead of crash-looping. */
    recoveryAttempts: integer().notNull().default(0),
  },
  (t) => [index().on(t.expiresAt)],
);
