/**
 * Runner leases: the loop of a project runs in exactly one runner at a time. A lease is claimed by a
 * conditional UPDATE that bumps the fencing token; every event a runner appends checks that token (see
 * `appendEvents`), so a runner that lost its lease — paused by GC, partitioned, presumed dead — can
 * never write again. Times come from the database clock, so runners on different hosts agree.
 * This relies on no row or advisory lock: those do nothing on PGlite.
 */
import { type Db, runnerLeases } from '@sitewright/db';
import { and, eq, isNull, lt, or, sql } from 'drizzle-orm';
import type { Tx } from './events/log.ts';

export interface Lease {
  projectId: string;
  runnerId: string;
  token: number;
  /** Takeovers of this project from runners that died, since the last clean release. */
  recoveryAttempts: number;
}

const expiry = (ttlMs: number) => sql`now() + make_interval(secs => ${ttlMs / 1000})`;

/** Claims the project's lease if it is free or expired; null when another runner holds it. */
export async function acquireLease(
  db: Db,
  projectId: string,
  runnerId: string,
  ttlMs: number,
): Promise<Lease | null> {
  await db.insert(runnerLeases).values({ projectId }).onConflictDoNothing();
  const [row] = await db
    .update(runnerLeases)
    .set({
      runnerId,
      fencingToken: sql`${runnerLeases.fencingToken} + 1`,
      acquiredAt: sql`now()`,
      heartbeatAt: sql`now()`,
      expiresAt: expiry(ttlMs),
      // A lease still naming a runner was not released: that runner died mid-run.
      recoveryAttempts: sql`case when ${runnerLeases.runnerId} is null then ${runnerLeases.recoveryAttempts} else ${runnerLeases.recoveryAttempts} + 1 end`,
    })
    .where(
      and(
        eq(runnerLeases.projectId, projectId),
        or(isNull(runnerLeases.runnerId), lt(runnerLeases.expiresAt, sql`now()`)),
      ),
    )
    .returning({ token: runnerLeases.fencingToken, recoveryAttempts: runnerLeases.recoveryAttempts });
  return row ? { projectId, runnerId, token: row.token, recoveryAttempts: row.recoveryAttempts } : null;
}

/** Extends the lease; false when it was lost (taken over after expiry). */
export async function renewLease(db: Db, lease: Lease, ttlMs: number): Promise<boolean> {
  const renewed = await db
    .update(runnerLeases)
    .set({ heartbeatAt: sql`now()`, expiresAt: expiry(ttlMs) })
    .where(and(eq(runnerLeases.projectId, lease.projectId), eq(runnerLeases.fencingToken, lease.token)))
    .returning({ projectId: runnerLeases.projectId });
  return renewed.length > 0;
}

/** Gives the lease back; a clean release also clears the recovery count. */
export async function releaseLease(db: Db, lease: Lease): Promise<void> {
  await db
    .update(runnerLeases)
    .set({ runnerId: null, expiresAt: null, recoveryAttempts: 0 })
    .where(and(eq(runnerLeases.projectId, lease.projectId), eq(runnerLeases.fencingToken, lease.token)));
}

/**
 * Bumps the lease token so a runner still driving the project can never append again. Called before
 * the project row is locked: the lease row comes first in every writer's lock order (see `checkFence`).
 */
export async function fenceOutRunner(tx: Tx, projectId: string): Promise<void> {
  await tx
    .update(runnerLeases)
    .set({ fencingToken: sql`${runnerLeases.fencingToken} + 1`, runnerId: null, expiresAt: null })
    .where(eq(runnerLeases.projectId, projectId));
}
