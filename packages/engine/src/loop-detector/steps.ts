import type { LoopFinding, LoopKind, Step } from './types.ts';

/** What a finding says about the steps it covers. */
export interface FindingDetails {
  subject: string;
  count: number;
  description: string;
}

/** The last `window` steps: every heuristic looks only at these. */
export function recentSteps(steps: readonly Step[], window: number): readonly Step[] {
  return window > 0 ? steps.slice(-window) : [];
}

/** Plain name of what a step did, e.g. `write file (index.html)`. */
export function describeStep(step: Step): string {
  const action = humanizeTool(step.tool);
  return step.target ? `${action} (${shorten(step.target, 80)})` : action;
}

/** A tool name in words: `write_file` and `writeFile` become `write file`. */
export function humanizeTool(tool: string): string {
  const words = tool
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[\s_.-]+/g, ' ')
    .trim()
    .toLowerCase();
  return words || 'an unnamed action';
}

/** One line of at most `max` characters. */
export function shorten(text: string, max: number): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length <= max ? line : `${line.slice(0, max - 1)}…`;
}

/** Whether a step successfully changed something. */
export function isSuccessfulEdit(step: Step): boolean {
  return step.isEdit === true && step.outcome === 'ok';
}

/** Steps grouped by key (null keys skipped), groups and members in their original order. */
export function groupSteps(
  steps: readonly Step[],
  keyOf: (step: Step) => string | null,
): Map<string, Step[]> {
  const groups = new Map<string, Step[]>();
  for (const step of steps) {
    const key = keyOf(step);
    if (key === null) continue;
    const group = groups.get(key);
    if (group) group.push(step);
    else groups.set(key, [step]);
  }
  return groups;
}

/** Groups ordered by their latest step, most recent first. */
export function byLatestActivity(groups: Map<string, Step[]>): Step[][] {
  return [...groups.values()].sort((a, b) => lastSeq(b) - lastSeq(a));
}

/** Of the groups with at least `min` steps, the one active most recently; null when none. */
export function latestGroupWithAtLeast(groups: Map<string, Step[]>, min: number): Step[] | null {
  return byLatestActivity(groups).find((group) => group.length >= min) ?? null;
}

/** A finding over the given steps: their seqs (sorted, unique) and their summed cost. */
export function buildFinding(
  kind: LoopKind,
  involved: readonly Step[],
  details: FindingDetails,
): LoopFinding {
  const bySeq = new Map(involved.map((step) => [step.seq, step]));
  const seqs = [...bySeq.keys()].sort((a, b) => a - b);
  const total = [...bySeq.values()].reduce((sum, step) => sum + (step.costUsd ?? 0), 0);
  // Rounded to a millionth of a dollar so float noise never shows on the owner's card.
  return { kind, ...details, seqs, costUsd: Math.round(total * 1e6) / 1e6 };
}

/** The seq of a group's last step. */
function lastSeq(group: readonly Step[]): number {
  return group[group.length - 1]?.seq ?? Number.NEGATIVE_INFINITY;
}
