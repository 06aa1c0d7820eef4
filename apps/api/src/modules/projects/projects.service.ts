/**
 * The project page's reads and the owner's actions on a project. Callers have already checked
 * ownership (`findOwnedProject`); everything here works on a project id.
 */
import { rm } from 'node:fs/promises';
import type {
  ActionResult,
  AgentAction,
  AgentStatus,
  AnswerRequest,
  EventPage,
  Progress,
  ProjectDetail,
  ProjectSummary,
  Spend,
} from '@sitewright/contracts';
import {
  alarms,
  type Db,
  gates,
  pendings,
  projects,
  runnerLeases,
  spendLedger,
  workItems,
} from '@sitewright/db';
import { EngineError, getStats, readEvents, type StoredEvent } from '@sitewright/engine';
import { listRecentCalls } from '@sitewright/llm';
import { projectPaths } from '@sitewright/website';
import { and, asc, desc, eq, gt, gte, inArray, sql } from 'drizzle-orm';
import type { AppDeps } from '../../app.ts';
import type { SessionUser } from '../../http/session.ts';
import type { ProjectRow } from './access.ts';
import { toAlarm, toEvent, toGate, toPending, toProgress, toProjectSummary } from './projects.dto.ts';

type Deps = Pick<AppDeps, 'db' | 'engine' | 'bus' | 'runner' | 'env' | 'logger'>;

const emptyProgress = (): Progress => ({
  total: 0,
  passing: 0,
  percent: 0,
  bugs: { open: 0, analyzing: 0, fixing: 0, resolved: 0, total: 0 },
});

/** Progress of many projects in one query (the list page must not cost a query per project). */
async function progressOf(db: Db, projectIds: string[]): Promise<Map<string, Progress>> {
  const result = new Map(projectIds.map((id) => [id, emptyProgress()]));
  if (projectIds.length === 0) return result;
  const rows = await db
    .select({
      projectId: workItems.projectId,
      itemType: workItems.itemType,
      status: workItems.status,
      bugStatus: workItems.bugStatus,
      count: sql<number>`count(*)::int`,
    })
    .from(workItems)
    .where(inArray(workItems.projectId, projectIds))
    .groupBy(workItems.projectId, workItems.itemType, workItems.status, workItems.bugStatus);
  for (const row of rows) {
    const progress = result.get(row.projectId) as Progress;
    const count = Number(row.count);
    if (row.itemType === 'bug') {
      progress.bugs.total += count;
      if (row.bugStatus) progress.bugs[row.bugStatus] += count;
    } else {
      progress.total += count;
      if (row.status === 'passing') progress.passing += count;
    }
  }
  for (const progress of result.values()) {
    progress.percent = progress.total === 0 ? 0 : Math.round((progress.passing / progress.total) * 100);
  }
  return result;
}

/** The caller's projects, newest activity first; `all` lists every owner's (admins only). */
export async function listProjects(deps: Deps, user: SessionUser, all: boolean): Promise<ProjectSummary[]> {
  const rows = await deps.db.db
    .select()
    .from(projects)
    .where(all && user.role === 'admin' ? undefined : eq(projects.ownerId, user.id))
    .orderBy(desc(projects.updatedAt));
  const progress = await progressOf(
    deps.db.db,
    rows.map((row) => row.id),
  );
  return rows.map((row) => toProjectSummary(row, progress.get(row.id) ?? emptyProgress()));
}

/** Creates the project and its run; a runner picks it up and the agent asks its first question. */
export async function createProject(deps: Deps, user: SessionUser, name: string): Promise<ProjectDetail> {
  const { id } = await deps.engine.createProject({ ownerId: user.id, name });
  deps.runner?.wake();
  return getProjectDetail(deps, await deps.engine.peek(id));
}

export async function getProjectDetail(deps: Deps, row: ProjectRow): Promise<ProjectDetail> {
  const db = deps.db.db;
  const [openPendings, gateRows, openAlarms, stats, spend] = await Promise.all([
    db
      .select()
      .from(pendings)
      .where(and(eq(pendings.projectId, row.id), eq(pendings.status, 'open')))
      .orderBy(asc(pendings.askedSeq)),
    db.select().from(gates).where(eq(gates.projectId, row.id)).orderBy(asc(gates.createdAt)),
    db
      .select()
      .from(alarms)
      .where(and(eq(alarms.projectId, row.id), eq(alarms.status, 'open')))
      .orderBy(desc(alarms.raisedSeq)),
    getStats(db, row.id),
    getSpend(deps, row.id),
  ]);
  const progress = toProgress(stats);
  return {
    project: {
      ...toProjectSummary(row, progress),
      brief: row.brief ?? null,
      turnsSinceHuman: row.turnsSinceHuman,
      turnCap: deps.engine.limits.turnCap,
    },
    pending: openPendings.map(toPending),
    gates: gateRows.map(toGate),
    alarms: openAlarms.map(toAlarm),
    spend,
    progress,
  };
}

/**
 * Deletes a project with everything it owns: the run is stopped first so no runner writes to it
 * again, then the rows (the schema cascades) and the files under DATA_DIR.
 */
export async function deleteProject(deps: Deps, row: ProjectRow): Promise<void> {
  if (row.runStatus === 'running' || row.runStatus === 'awaiting_human' || row.runStatus === 'paused') {
    await deps.engine.stop(row.id).catch(ignoreRace);
  }
  // Every writer locks the project's lease row before the project row; a delete of the project alone
  // would cascade the other way round and deadlock with a runner committing meanwhile. So the lease goes
  // first: a runner committing now finishes before the delete, and one after it finds its lease gone.
  await deps.db.db.transaction(async (tx) => {
    await tx.delete(runnerLeases).where(eq(runnerLeases.projectId, row.id));
    await tx.delete(projects).where(eq(projects.id, row.id));
  });
  // A step still finishing may write a file as the tree is removed (ENOTEMPTY): removal retries then.
  await rm(projectPaths(deps.env.DATA_DIR).projectDir(row.id), {
    recursive: true,
    force: true,
    maxRetries: 3,
  });
  deps.logger.info({ projectId: row.id }, 'project deleted');
}

/** A page of the event log after `after`, rewound events included and marked. */
export async function listEvents(
  deps: Deps,
  row: ProjectRow,
  after: number,
  limit: number,
): Promise<EventPage> {
  const page = await readEvents(deps.db.db, row.id, {
    afterSeq: after,
    limit: limit + 1,
    includeSuperseded: true,
  });
  const hasMore = page.length > limit;
  const events = page.slice(0, limit);
  const head = Math.max(row.lastSeq, events.at(-1)?.seq ?? 0);
  return { events: events.map(toEvent), lastSeq: head, hasMore };
}

export async function agentStatus(deps: Deps, projectId: string): Promise<AgentStatus> {
  const [row, [lease]] = await Promise.all([
    deps.engine.peek(projectId),
    deps.db.db
      .select({ runnerId: runnerLeases.runnerId })
      .from(runnerLeases)
      .where(and(eq(runnerLeases.projectId, projectId), gt(runnerLeases.expiresAt, sql`now()`))),
  ]);
  return {
    status: row.runStatus,
    pausedReason: row.pausedReason,
    resumeAt: row.resumeAt ? row.resumeAt.toISOString() : null,
    state: row.lifecycleState,
    stage: row.stage,
    active: Boolean(lease?.runnerId),
    turnsSinceHuman: row.turnsSinceHuman,
    turnCap: deps.engine.limits.turnCap,
    lastSeq: row.lastSeq,
  };
}

async function actionResult(deps: Deps, projectId: string, events: StoredEvent[]): Promise<ActionResult> {
  deps.runner?.wake();
  return { agent: await agentStatus(deps, projectId), seqs: events.map((event) => event.seq) };
}

export async function answer(deps: Deps, projectId: string, input: AnswerRequest): Promise<ActionResult> {
  return actionResult(deps, projectId, await deps.engine.answer(projectId, input));
}

export async function sendMessage(deps: Deps, projectId: string, text: string): Promise<ActionResult> {
  return actionResult(deps, projectId, await deps.engine.sendMessage(projectId, text));
}

export async function controlAgent(
  deps: Deps,
  projectId: string,
  action: AgentAction,
): Promise<ActionResult> {
  const events = await deps.engine[action](projectId);
  return actionResult(deps, projectId, events);
}

export async function rewind(deps: Deps, projectId: string, seq: number): Promise<ActionResult> {
  return actionResult(deps, projectId, await deps.engine.rewind(projectId, seq));
}

/** Spend against the caps, per model, with fallbacks, unpriced calls and what loops cost. */
export async function getSpend(deps: Pick<Deps, 'db' | 'engine'>, projectId: string): Promise<Spend> {
  const db = deps.db.db;
  const since = new Date(Date.now() - 24 * 3600_000);
  const [byModel, [daily], loopAlarms] = await Promise.all([
    db
      .select({
        provider: spendLedger.provider,
        model: spendLedger.model,
        costUsd: sql<number>`coalesce(sum(${spendLedger.costUsd}), 0)::float8`,
        reservedUsd: sql<number>`coalesce(sum(case when ${spendLedger.status} = 'reserved' then ${spendLedger.reservedUsd} else 0 end), 0)::float8`,
        calls: sql<number>`count(*)::int`,
        fallbackCalls: sql<number>`count(*) filter (where ${spendLedger.isFallback})::int`,
        unpricedCalls: sql<number>`count(*) filter (where not ${spendLedger.priced})::int`,
        inputTokens: sql<number>`coalesce(sum(${spendLedger.inputTokens}), 0)::int`,
        outputTokens: sql<number>`coalesce(sum(${spendLedger.outputTokens}), 0)::int`,
        cacheReadTokens: sql<number>`coalesce(sum(${spendLedger.cacheReadTokens}), 0)::int`,
        cacheWriteTokens: sql<number>`coalesce(sum(${spendLedger.cacheWriteTokens}), 0)::int`,
      })
      .from(spendLedger)
      .where(eq(spendLedger.projectId, projectId))
      .groupBy(spendLedger.provider, spendLedger.model)
      .orderBy(spendLedger.provider, spendLedger.model),
    db
      .select({
        spent: sql<number>`coalesce(sum(${spendLedger.costUsd} + ${spendLedger.reservedUsd}), 0)::float8`,
      })
      .from(spendLedger)
      .where(gte(spendLedger.createdAt, since)),
    db
      .select({ context: alarms.context })
      .from(alarms)
      .where(and(eq(alarms.projectId, projectId), eq(alarms.type, 'loop_detected'))),
  ]);
  const sum = (pick: (row: (typeof byModel)[number]) => number) =>
    byModel.reduce((total, row) => total + Number(pick(row)), 0);
  const spentUsd = round(sum((row) => row.costUsd));
  const reservedUsd = round(sum((row) => row.reservedUsd));
  const capUsd = deps.engine.limits.spendCapUsd ?? 0;
  const used = spentUsd + reservedUsd;
  return {
    spentUsd,
    reservedUsd,
    capUsd,
    remainingUsd: round(Math.max(0, capUsd - used)),
    capPercent: capUsd > 0 ? Math.min(100, Math.round((used / capUsd) * 100)) : used > 0 ? 100 : 0,
    calls: sum((row) => row.calls),
    fallbackCalls: sum((row) => row.fallbackCalls),
    unpricedCalls: sum((row) => row.unpricedCalls),
    byModel: byModel.map(({ reservedUsd: _reserved, ...row }) => ({
      ...row,
      costUsd: round(Number(row.costUsd)),
      calls: Number(row.calls),
      fallbackCalls: Number(row.fallbackCalls),
      unpricedCalls: Number(row.unpricedCalls),
      inputTokens: Number(row.inputTokens),
      outputTokens: Number(row.outputTokens),
      cacheReadTokens: Number(row.cacheReadTokens),
      cacheWriteTokens: Number(row.cacheWriteTokens),
    })),
    loops: {
      detected: loopAlarms.length,
      costUsd: round(
        loopAlarms.reduce(
          (total, alarm) => total + Number((alarm.context as { costUsd?: number }).costUsd ?? 0),
          0,
        ),
      ),
    },
    daily: { spentUsd: round(Number(daily?.spent ?? 0)), capUsd: deps.engine.limits.dailySpendCapUsd },
  };
}

export async function listAlarms(deps: Deps, projectId: string, status: 'open' | 'resolved' | 'all') {
  const rows = await deps.db.db
    .select()
    .from(alarms)
    .where(and(eq(alarms.projectId, projectId), status === 'all' ? undefined : eq(alarms.status, status)))
    .orderBy(desc(alarms.raisedSeq));
  return rows.map(toAlarm);
}

export async function listGates(deps: Deps, projectId: string) {
  const rows = await deps.db.db
    .select()
    .from(gates)
    .where(eq(gates.projectId, projectId))
    .orderBy(asc(gates.createdAt));
  return rows.map(toGate);
}

/** The newest LLM calls, as stored (secrets were redacted before storage). */
export async function listLlmCalls(deps: Deps, projectId: string, limit: number) {
  const rows = await listRecentCalls(deps.db.db, projectId, limit);
  return rows.map((row) => ({
    id: row.id,
    provider: row.provider,
    model: row.model,
    role: row.role,
    attempt: row.attempt,
    isFallback: row.isFallback,
    status: row.status,
    request: row.request,
    response: row.response ?? null,
    error: row.error,
    inputTokens: row.inputTokens,
    outputTokens: row.outputTokens,
    cacheReadTokens: row.cacheReadTokens,
    cacheWriteTokens: row.cacheWriteTokens,
    costUsd: row.costUsd,
    latencyMs: row.latencyMs,
    atSeq: row.atSeq,
    createdAt: row.createdAt.toISOString(),
  }));
}

const round = (value: number) => Math.round(value * 1e6) / 1e6;

/** A run that already ended or was never running cannot be stopped; deleting goes on regardless. */
function ignoreRace(error: unknown): void {
  if (error instanceof EngineError) return;
  throw error;
}
