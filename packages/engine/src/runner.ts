/**
 * A runner finds projects whose run is `running` (or whose rate-limit pause is over), claims their
 * lease, and drives them with `runUntilPause`, renewing the lease by heartbeat. In the single-process
 * mode the API hosts one runner; in production several runner processes share one Postgres.
 */
import { type Db, projects, runnerLeases } from '@sitewright/db';
import { and, eq, isNull, lt, lte, or, sql } from 'drizzle-orm';
import type { Engine } from './engine.ts';
import { EngineError } from './errors.ts';
import { acquireLease, type Lease, releaseLease, renewLease } from './leases.ts';

export interface RunnerOptions {
  db: Db;
  engine: Engine;
  runnerId: string;
  /** Projects driven at once by this runner. */
  concurrency?: number;
  leaseTtlMs?: number;
  heartbeatMs?: number;
  /** How often to look for work when nobody calls `wake()`. */
  pollMs?: number;
  /** Steps per turn before the project goes back in the queue (fairness). */
  stepsPerTurn?: number;
  /** Takeovers after runner deaths before the project is paused instead of retried. */
  maxRecoveries?: number;
  onError?: (error: unknown, projectId: string) => void;
}

export interface Runner {
  start(): void;
  /** Look for work now (the API calls this after an owner action). */
  wake(): void;
  /** Finishes the current steps, hands the leases back, and stops. */
  stop(): Promise<void>;
  /** Projects this runner is driving right now. */
  active(): string[];
}

export function createRunner(options: RunnerOptions): Runner {
  const { db, engine, runnerId } = options;
  const concurrency = options.concurrency ?? 8;
  const leaseTtlMs = options.leaseTtlMs ?? 30_000;
  const heartbeatMs = options.heartbeatMs ?? 10_000;
  const pollMs = options.pollMs ?? 1_000;
  const stepsPerTurn = options.stepsPerTurn ?? 25;
  const maxRecoveries = options.maxRecoveries ?? 3;
  const running = new Map<string, { abort: AbortController; done: Promise<void> }>();
  let timer: NodeJS.Timeout | undefined;
  let stopped = true;
  let polling: Promise<void> | null = null;
  let pollAgain = false;

  async function candidates(limit: number): Promise<string[]> {
    if (limit <= 0) return [];
    const rows = await db
      .select({ id: projects.id, runStatus: projects.runStatus })
      .from(projects)
      .leftJoin(runnerLeases, eq(runnerLeases.projectId, projects.id))
      .where(
        and(
          or(
            eq(projects.runStatus, 'running'),
            and(eq(projects.pausedReason, 'rate_limited'), lte(projects.resumeAt, sql`now()`)),
          ),
          or(isNull(runnerLeases.runnerId), lt(runnerLeases.expiresAt, sql`now()`)),
        ),
      )
      .orderBy(projects.updatedAt)
      .limit(limit + running.size);
    return rows.map((row) => row.id).filter((id) => !running.has(id)).slice(0, limit);
  }

  async function poll(): Promise<void> {
    if (stopped) return;
    for (const projectId of await candidates(concurrency - running.size)) {
      const lease = await acquireLease(db, projectId, runnerId, leaseTtlMs);
      if (!lease) continue;
      const abort = new AbortController();
      const done = drive(lease, abort).finally(() => {
        running.delete(projectId);
        if (!stopped) wake();
      });
      running.set(projectId, { abort, done });
    }
  }

  async function drive(lease: Lease, abort: AbortController): Promise<void> {
    let lost = false;
    const heartbeat = setInterval(() => {
      renewLease(db, lease, leaseTtlMs)
        .then((held) => {
          if (!held) {
            lost = true;
            abort.abort();
          }
        })
        .catch(() => {});
    }, heartbeatMs);
    try {
      if (lease.recoveryAttempts > maxRecoveries) {
        await engine.pauseForRecoveries(lease.projectId, lease.recoveryAttempts, lease.token);
      } else {
        const row = await engine.peek(lease.projectId);
        if (row.runStatus === 'paused' && row.pausedReason === 'rate_limited') {
          await engine.autoResume(lease.projectId);
        }
        await engine.runUntilPause(lease.projectId, {
          fencingToken: lease.token,
          signal: abort.signal,
          maxSteps: stepsPerTurn,
        });
      }
    } catch (error) {
      if (error instanceof EngineError && error.code === 'lease_lost') lost = true;
      else {
        options.onError?.(error, lease.projectId);
        await engine.pauseForError(lease.projectId, error, lease.token).catch(() => {});
      }
    } finally {
      clearInterval(heartbeat);
      if (!lost) await releaseLease(db, lease).catch(() => {});
    }
  }

  function wake(): void {
    if (stopped) return;
    if (polling) {
      pollAgain = true;
      return;
    }
    polling = poll()
      .catch((error) => options.onError?.(error, '*'))
      .finally(() => {
        polling = null;
        if (pollAgain) {
          pollAgain = false;
          wake();
        }
      });
  }

  return {
    start() {
      if (!stopped) return;
      stopped = false;
      timer = setInterval(wake, pollMs);
      timer.unref?.();
      wake();
    },
    wake,
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      await polling;
      for (const { abort } of running.values()) abort.abort();
      await Promise.all([...running.values()].map((entry) => entry.done));
    },
    active: () => [...running.keys()],
  };
}

