/**
 * Rewind, non-destructively: events after the chosen question are marked superseded (kept for audit
 * and for undoing the rewind, hidden from history and projections), the projections are rebuilt from
 * the active log — which re-opens the question — and a `rewound` event records it, all in one
 * transaction. The spend ledger is untouched: real cost is real. The domain resets its own state (the
 * site repository) to match, after the commit.
 */
import { events } from '@sitewright/db';
import { and, eq, gt, gte, isNull } from 'drizzle-orm';
import { EngineError } from './errors.ts';
import { appendEvents, readEvents, type Tx } from './events/log.ts';
import type { StoredEvent } from './events/types.ts';
import { fenceOutRunner } from './leases.ts';
import { rebuildProjections } from './projections/rebuild.ts';
import { loadProject } from './run-state.ts';

/** Where a rewind to `toSeq` cuts: after the step that asked has fully posed its question. */
export function rewindCut(active: StoredEvent[], toSeq: number): number {
  const asking = active.find((event) => event.seq === toSeq);
  if (asking?.type !== 'pending_opened' || asking.payload.kind === 'continuation') {
    throw new EngineError(
      'rule_violation',
      'You can rewind only to a question or an approval the agent asked.',
    );
  }
  let cut = toSeq;
  for (const event of active) {
    if (event.seq <= toSeq) continue;
    if (event.type === 'pending_answered' || event.type === 'worker_output' || event.type === 'owner_message')
      break;
    cut = event.seq;
    if (event.type === 'run_status_changed' && event.payload.status === 'awaiting_human') break;
  }
  return cut;
}

export async function rewindInTx(tx: Tx, projectId: string, toSeq: number): Promise<StoredEvent[]> {
  await fenceOutRunner(tx, projectId);
  const row = await loadProject(tx, projectId, { forUpdate: true });
  const active = await readEvents(tx, projectId, { limit: Number.MAX_SAFE_INTEGER });
  const cut = rewindCut(active, toSeq);
  if (!active.some((event) => event.seq > cut)) {
    throw new EngineError(
      'rule_violation',
      'Nothing has happened since that question; there is nothing to rewind.',
    );
  }
  const rewoundSeq = row.lastSeq + 1;
  const hidden = await tx
    .update(events)
    .set({ supersededBySeq: rewoundSeq })
    .where(and(eq(events.projectId, projectId), gt(events.seq, cut), isNull(events.supersededBySeq)))
    .returning({ seq: events.seq });
  const stored = await appendEvents(tx, projectId, [
    { type: 'rewound', payload: { toSeq, cutSeq: cut, superseded: hidden.length }, actor: 'owner' },
  ]);
  await rebuildProjections(tx, projectId);
  return stored;
}

export async function undoRewindInTx(tx: Tx, projectId: string, rewoundSeq: number): Promise<StoredEvent[]> {
  await fenceOutRunner(tx, projectId);
  const row = await loadProject(tx, projectId, { forUpdate: true });
  const [marker] = await tx
    .select()
    .from(events)
    .where(and(eq(events.projectId, projectId), eq(events.seq, rewoundSeq)));
  if (marker?.type !== 'rewound' || marker.supersededBySeq !== null) {
    throw new EngineError('rule_violation', 'That is not an active rewind.');
  }
  const undoSeq = row.lastSeq + 1;
  await tx
    .update(events)
    .set({ supersededBySeq: undoSeq })
    .where(and(eq(events.projectId, projectId), gte(events.seq, rewoundSeq), isNull(events.supersededBySeq)));
  const restored = await tx
    .update(events)
    .set({ supersededBySeq: null })
    .where(and(eq(events.projectId, projectId), eq(events.supersededBySeq, rewoundSeq)))
    .returning({ seq: events.seq });
  const stored = await appendEvents(tx, projectId, [
    { type: 'rewind_undone', payload: { rewoundSeq, restored: restored.length }, actor: 'owner' },
  ]);
  await rebuildProjections(tx, projectId);
  return stored;
}
