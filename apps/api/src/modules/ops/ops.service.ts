/** Readiness and the database-wide figures behind `/metrics`. */
import { llmCalls, migrationStatus, projects, spendLedger } from '@sitewright/db';
import { eq, sql } from 'drizzle-orm';
import type { AppDeps } from '../../app.ts';
import type { MetricsSnapshot } from '../../metrics.ts';

export interface Readiness {
  ready: boolean;
  db: 'up' | 'down';
  migrations: { applied: number; expected: number };
  runner: 'on' | 'off';
  error?: string;
}

/** Ready when the database answers and every migration of this build is applied. */
export async function checkReadiness(deps: Pick<AppDeps, 'db' | 'runner'>): Promise<Readiness> {
  const runner = deps.runner ? 'on' : 'off';
  const ping = await deps.db.ping();
  if (!ping.ok)
    return { ready: false, db: 'down', migrations: { applied: 0, expected: 0 }, runner, error: ping.error };
  const status = await migrationStatus(deps.db.db);
  return {
    ready: status.current,
    db: 'up',
    migrations: { applied: status.applied, expected: status.expected },
    runner,
    ...(status.current ? {} : { error: 'Database migrations are not applied yet.' }),
  };
}

export async function metricsSnapshot(
  deps: Pick<AppDeps, 'db' | 'runner' | 'metrics'>,
): Promise<MetricsSnapshot> {
  const db = deps.db.db;
  const [byStatus, calls, spend] = await Promise.all([
    db
      .select({ status: projects.runStatus, count: sql<number>`count(*)::int` })
      .from(projects)
      .groupBy(projects.runStatus),
    db
      .select({
        provider: llmCalls.provider,
        model: llmCalls.model,
        status: llmCalls.status,
        count: sql<number>`count(*)::int`,
      })
      .from(llmCalls)
      .groupBy(llmCalls.provider, llmCalls.model, llmCalls.status),
    db
      .select({
        provider: spendLedger.provider,
        model: spendLedger.model,
        usd: sql<number>`coalesce(sum(${spendLedger.costUsd}), 0)::float8`,
      })
      .from(spendLedger)
      .where(eq(spendLedger.status, 'settled'))
      .groupBy(spendLedger.provider, spendLedger.model),
  ]);
  return {
    projectsByStatus: byStatus.map((row) => ({ status: row.status, count: Number(row.count) })),
    llmCalls: calls.map((row) => ({ ...row, count: Number(row.count) })),
    spendUsd: spend.map((row) => ({ ...row, usd: Number(row.usd) })),
    wsClients: deps.metrics.wsClients(),
    activeRuns: deps.runner?.active().length ?? 0,
  };
}
