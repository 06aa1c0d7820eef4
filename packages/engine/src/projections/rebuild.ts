import { alarms, type Db, gates, pendings, projects, stateTransitions } from '@sitewright/db';
import { asc, eq } from 'drizzle-orm';
import { EngineError } from '../errors.ts';
import { type DbOrTx, readEvents, type Tx } from '../events/log.ts';
import { readWorkItemProjection, resetWorkItemProjection } from '../work-items/projector.ts';
import { applyEvent } from './apply.ts';

/** Project fields that are projections of the log, with the values a project starts from. */
const projectDefaults = {
  stage: 'bootstrap',
  lifecycleState: 'idle',
  runStatus: 'idle',
  pausedReason: null,
  resumeAt: null,
  iterations: 0,
  turnsSinceHuman: 0,
  openAsks: 0,
  brief: null,
} as const;

/** Domain packs register the tables their `domain` events project into, so rebuild can clear them. */
const domainResets: Array<(tx: Tx, projectId: string) => Promise<void>> = [];
const domainReads: Array<(db: DbOrTx, projectId: string) => Promise<Record<string, unknown>>> = [];

export function registerDomainProjection(options: {
  reset: (tx: Tx, projectId: string) => Promise<void>;
  read: (db: DbOrTx, projectId: string) => Promise<Record<string, unknown>>;
}): void {
  if (!domainResets.includes(options.reset)) domainResets.push(options.reset);
  if (!domainReads.includes(options.read)) domainReads.push(options.read);
}

/** Clears a project's projections and replays its active (non-superseded) events, in one transaction. */
export async function rebuildProjections(tx: Tx, projectId: string): Promise<void> {
  await tx.update(projects).set(projectDefaults).where(eq(projects.id, projectId));
  await tx.delete(pendings).where(eq(pendings.projectId, projectId));
  await tx.delete(gates).where(eq(gates.projectId, projectId));
  await tx.delete(alarms).where(eq(alarms.projectId, projectId));
  await tx.delete(stateTransitions).where(eq(stateTransitions.projectId, projectId));
  await resetWorkItemProjection(tx, projectId);
  for (const reset of domainResets) await reset(tx, projectId);
  for (const event of await readEvents(tx, projectId, { limit: Number.MAX_SAFE_INTEGER })) {
    await applyEvent(tx, event);
  }
}

/** Everything the projections say about a project, in a comparable form. */
export async function readProjection(db: DbOrTx, projectId: string): Promise<Record<string, unknown>> {
  const [project] = await db
    .select({
      stage: projects.stage,
      lifecycleState: projects.lifecycleState,
      runStatus: projects.runStatus,
      pausedReason: projects.pausedReason,
      resumeAt: projects.resumeAt,
      iterations: projects.iterations,
      turnsSinceHuman: projects.turnsSinceHuman,
      openAsks: projects.openAsks,
      brief: projects.brief,
    })
    .from(projects)
    .where(eq(projects.id, projectId));
  if (!project) throw new EngineError('not_found', `Project ${projectId} does not exist`);
  const projection: Record<string, unknown> = {
    project,
    pendings: await db
      .select()
      .from(pendings)
      .where(eq(pendings.projectId, projectId))
      .orderBy(asc(pendings.askedSeq)),
    gates: (await db.select().from(gates).where(eq(gates.projectId, projectId)).orderBy(asc(gates.name))).map(
      ({ id: _surrogate, ...rest }) => rest,
    ),
    alarms: await db
      .select()
      .from(alarms)
      .where(eq(alarms.projectId, projectId))
      .orderBy(asc(alarms.raisedSeq)),
    transitions: (
      await db
        .select()
        .from(stateTransitions)
        .where(eq(stateTransitions.projectId, projectId))
        .orderBy(asc(stateTransitions.atSeq))
    ).map(({ id: _surrogate, ...rest }) => rest),
    ...(await readWorkItemProjection(db, projectId)),
  };
  for (const read of domainReads) Object.assign(projection, await read(db, projectId));
  return projection;
}

class RollbackVerification extends Error {}

export interface VerifyResult {
  ok: boolean;
  /** Top-level projection keys whose stored and rebuilt values differ. */
  differences: string[];
}

/**
 * Proves the stored projections equal a fold of the log: rebuilds them inside a transaction, compares
 * with what is stored, and rolls the rebuild back so nothing changes.
 */
export async function verifyProjections(db: Db, projectId: string): Promise<VerifyResult> {
  const stored = normalise(await readProjection(db, projectId));
  let rebuilt: Record<string, unknown> = {};
  try {
    await db.transaction(async (tx) => {
      await rebuildProjections(tx, projectId);
      rebuilt = normalise(await readProjection(tx, projectId));
      throw new RollbackVerification();
    });
  } catch (error) {
    if (!(error instanceof RollbackVerification)) throw error;
  }
  const differences = Object.keys({ ...stored, ...rebuilt }).filter(
    (key) => JSON.stringify(stored[key]) !== JSON.stringify(rebuilt[key]),
  );
  return { ok: differences.length === 0, differences };
}

function normalise(value: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
}
