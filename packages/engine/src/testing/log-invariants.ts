/**
 * What must hold for a project's log however its runners were interrupted, raced or replaced: one
 * writer at a time, every intent closed by exactly one result, every stored output acted on at most
 * once, projections equal to a fold of the log. Returns the violations (empty when all hold) so a
 * test failure names every broken rule at once.
 */
import { type Db, events, projects } from '@sitewright/db';
import { asc, eq } from 'drizzle-orm';
import { verifyProjections } from '../projections/rebuild.ts';

export async function logViolations(db: Db, projectId: string): Promise<string[]> {
  const violations: string[] = [];
  const rows = await db.select().from(events).where(eq(events.projectId, projectId)).orderBy(asc(events.seq));
  const [project] = await db.select().from(projects).where(eq(projects.id, projectId));
  if (!project) return [`project ${projectId} does not exist`];

  rows.forEach((row, index) => {
    if (row.seq !== index + 1) violations.push(`seq ${row.seq} at position ${index + 1} (gap or duplicate)`);
  });
  if (project.lastSeq !== rows.length)
    violations.push(`lastSeq ${project.lastSeq} but ${rows.length} events`);

  // A runner that lost its lease never writes again, so tokens only grow along the log.
  let token = 0;
  for (const row of rows) {
    if (row.fencingToken === null) continue;
    if (row.fencingToken < token)
      violations.push(`seq ${row.seq} written with token ${row.fencingToken} after ${token}`);
    token = Math.max(token, row.fencingToken);
  }

  const active = rows.filter((row) => row.supersededBySeq === null);
  const payload = (row: (typeof rows)[number]) =>
    row.payload as { callId?: string; ok?: boolean; outputSeq?: number };
  const count = (types: string[], key: 'callId' | 'outputSeq') => {
    const counts = new Map<string | number, number>();
    for (const row of active) {
      const value = payload(row)[key];
      if (types.includes(row.type) && value !== undefined) counts.set(value, (counts.get(value) ?? 0) + 1);
    }
    return counts;
  };
  const starts = count(['tool_started'], 'callId');
  const results = count(['tool_finished', 'tool_outcome_unknown'], 'callId');
  const settles = count(['step_settled'], 'callId');
  const acted = count(['tool_started', 'worker_output_applied'], 'outputSeq');
  for (const [callId, n] of starts) {
    if (n > 1) violations.push(`${callId} started ${n} times`);
    if ((results.get(callId) ?? 0) !== 1)
      violations.push(`${callId} has ${results.get(callId) ?? 0} results`);
  }
  for (const row of active) {
    const { callId, ok } = payload(row);
    if (row.type === 'tool_finished' && ok && callId && (settles.get(callId) ?? 0) !== 1) {
      violations.push(`${callId} settled ${settles.get(callId) ?? 0} times`);
    }
    if (row.type === 'worker_output') {
      const n = acted.get(row.seq) ?? 0;
      // A run may rest with its last output unacted only if it stopped before acting (not when done).
      if (n > 1 || (n === 0 && project.runStatus === 'completed'))
        violations.push(`output ${row.seq} acted on ${n} times`);
    }
  }

  const verified = await verifyProjections(db, projectId);
  if (!verified.ok) violations.push(`projections differ from the log: ${verified.differences.join(', ')}`);
  return violations;
}
