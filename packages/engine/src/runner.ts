/**
 * A runner finds projects whose run is `running` (or whose rate-limit pause is over), claims their
 * lease, and drives them with `runUntilPause`, renewing the lease by heartbeat. In the single-process
 * mode the API hosts one runner; in production several runner processes share one Postgres.
 */
import { type Db, isConnectionError, projects, runnerLeases } from '@sitewright/db';
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
  /** After each step this runner drove: for metrics. */
  onStep?: (step: { projectId: string; durationMs: number; status: string }) => void;
  /** When this runner took a project over from a runner that died holding its lease. */
  onTakeover?: (lease: Lease) => void;
}

export interface Runner {
  start(): void;
  /** Look for work now (the API calls this after an owner action). */
  wake(): void;
  /**
   * Lets each project's current step finish (an in-flight model call is not cancelled), hands the
   * leases back, and stops. With `graceMs`, steps still running after that long are cancelled.
   */
  stop(options?: { graceMs?: number }): Promise<void>;
  /** Projects this runner is driving right now. */
  active(): string[];
}

/** Losing a compare-and-set to a concurrent owner action is expected; anything else is not. */
function ignoreRace(error: unknown): void {
  if (error instanceof EngineError && (error.code === 'conflict' || error.code === 'invalid_transition'))
    return;
  throw error;
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
    return rows
      .map((row) => row.id)
      .filter((id) => !running.has(id))
      .slice(0, limit);
  }

  async function poll(): Promise<void> {
    if (stopped) return;
    for (const projectId of await candidates(concurrency - running.size)) {
      if (stopped) break;
      const lease = await acquireLease(db, projectId, runnerId, leaseTtlMs);
      if (!lease) continue;
      if (lease.recoveryAttempts > 0) options.onTakeover?.(lease);
      const abort = new AbortController();
      const done = drive(lease, abort)
        .catch(() => false) // only a throwing onError gets here; the slot must be freed regardless
        .then((progressed) => {
          running.delete(projectId);
          // Look again at once only after progress: a project that took no step (say, a rate-limit
          // pause this process' clock says is not over yet) would otherwise be re-claimed in a hot loop.
          if (progressed && !stopped) wake();
        });
      running.set(projectId, { abort, done });
    }
  }

  /** One turn on a claimed project; resolves with whether it changed anything. */
  async function drive(lease: Lease, abort: AbortController): Promise<boolean> {
    let lost = false;
    let progressed = false;
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
        progressed = true;
      } else {
        const row = await engine.peek(lease.projectId);
        if (row.runStatus === 'paused' && row.pausedReason === 'rate_limited') {
          // The owner may resume or pause in the same moment; whoever loses just reads the new state.
          await engine.autoResume(lease.projectId).catch(ignoreRace);
        }
        progressed = (await driveTurn(lease, abort.signal)) > 0;
      }
    } catch (error) {
      if (error instanceof EngineError && error.code === 'lease_lost') lost = true;
      else if (isConnectionError(error)) {
        // The database went away (a restart, a failover): the step's commits are all-or-nothing, so
        // the log is intact and the project is picked up again once the database is back. Pausing it
        // would turn a blip into work the owner has to restart.
        options.onError?.(error, lease.projectId);
      } else if (!(await changedUnderneath(lease.projectId, error))) {
        options.onError?.(error, lease.projectId);
        await engine.pauseForError(lease.projectId, error, lease.token).catch(() => {});
      }
    } finally {
      clearInterval(heartbeat);
      if (!lost) await releaseLease(db, lease).catch(() => {});
    }
    return progressed;
  }

  /**
   * Up to `stepsPerTurn` steps, one `runUntilPause` step at a time so that `stop()` takes effect
   * between steps: the signal handed to the engine also reaches the worker and the tools, and aborting
   * it would cancel a model call that is already paid for — it is kept for a lost lease.
   */
  async function driveTurn(lease: Lease, signal: AbortSignal): Promise<number> {
    let steps = 0;
    while (steps < stepsPerTurn && !stopped && !signal.aborted) {
      const started = performance.now();
      const outcome = await engine.runUntilPause(lease.projectId, {
        fencingToken: lease.token,
        runnerId,
        signal,
        maxSteps: 1,
      });
      if (outcome.steps > 0) {
        options.onStep?.({
          projectId: lease.projectId,
          durationMs: performance.now() - started,
          status: outcome.status,
        });
      }
      steps += outcome.steps;
      if (outcome.steps === 0 || outcome.status !== 'running') break;
      // PGlite answers without ever yielding to the event loop: without this, a run of quick steps
      // would starve every timer (heartbeats, polls) and every request of the process hosting it.
      await new Promise((resolve) => setImmediate(resolve));
    }
    return steps;
  }

  /**
   * Whether a step failed only because the owner changed the run at the same moment (paused it while
   * the model was thinking, say): its commit was rolled back whole and the log is intact, so this is no
   * internal error, and the next poll reads the new state. A refusal while the run is still `running`
   * is not explained by a race and is reported: retrying it could spin forever. A project deleted
   * meanwhile explains any failure (its rows are gone mid-step).
   */
  async function changedUnderneath(projectId: string, error: unknown): Promise<boolean> {
    const row = await engine
      .peek(projectId)
      .catch((peekError: unknown) =>
        peekError instanceof EngineError && peekError.code === 'not_found' ? 'deleted' : null,
      );
    // The owner deleted the project while the step ran: there is nothing left to report or pause.
    if (row === 'deleted') return true;
    if (!(error instanceof EngineError)) return false;
    if (error.code !== 'conflict' && error.code !== 'invalid_transition') return false;
    return row !== null && row.runStatus !== 'running';
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
    async stop(stopOptions = {}) {
      stopped = true;
      if (timer) clearInterval(timer);
      await polling;
      const drives = [...running.values()];
      const grace =
        stopOptions.graceMs === undefined
          ? undefined
          : setTimeout(() => {
              for (const { abort } of drives) abort.abort();
            }, stopOptions.graceMs);
      await Promise.all(drives.map((entry) => entry.done));
      clearTimeout(grace);
    },
    active: () => [...running.keys()],
  };
}
