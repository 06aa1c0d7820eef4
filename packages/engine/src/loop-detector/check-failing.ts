import { canonicalize } from './canonicalize.ts';
import { normalizeContent } from './content-rewrite.ts';
import { DEFAULT_LOOP_OPTIONS } from './options.ts';
import { buildFinding, isSuccessfulEdit, recentSteps } from './steps.ts';
import type { LoopDetectorOptions, LoopFinding, Step } from './types.ts';

/*
 * A check that keeps failing although the worker keeps changing things. Since the check's last pass it
 * failed, and then at least `checkFailingEdits` times a round of successful edits (to any target) was
 * followed by the same check failing again. A round counts only if it wrote content not written earlier
 * in the streak, so the edits are pairwise different (identical rewrites are same_content_rewrite's job);
 * edits not yet followed by a run of the check do not count, and other checks' runs are ignored.
 */

/** The same check still failing after `checkFailingEdits` rounds of different edits, with no pass in between. */
export function detectCheckStillFailing(
  steps: readonly Step[],
  options: LoopDetectorOptions = DEFAULT_LOOP_OPTIONS,
): LoopFinding | null {
  const recent = recentSteps(steps, options.window);
  for (const name of checkNamesByRecency(recent)) {
    const finding = failingStreak(recent, name, options);
    if (finding) return finding;
  }
  return null;
}

/** The finding for one check name, or null when its current failing streak has too few edit rounds. */
function failingStreak(
  recent: readonly Step[],
  name: string,
  options: LoopDetectorOptions,
): LoopFinding | null {
  const isRun = (step: Step) => step.check?.name === name;
  const streak = recent.slice(recent.findLastIndex((step) => isRun(step) && step.check?.passed === true) + 1);
  const failures = streak.filter(isRun);
  const edits = editRounds(streak, isRun);
  if (edits.length < Math.max(options.checkFailingEdits, 1)) return null;
  const subject = `check "${name}"`;
  return buildFinding('check_still_failing', [...failures, ...edits.flat()], {
    subject,
    count: edits.length,
    description: `The ${subject} failed ${failures.length} times in a row, still failing after ${edits.length} rounds of different edits.`,
  });
}

/** The new edits of each round between two consecutive runs of the check, for rounds that wrote new content. */
function editRounds(streak: readonly Step[], isRun: (step: Step) => boolean): Step[][] {
  const seen = new Set<string>();
  const rounds: Step[][] = [];
  let round: Step[] | null = null; // null until the first failure: edits before it are not attempts
  for (const step of streak) {
    if (isRun(step)) {
      if (round && round.length > 0) rounds.push(round);
      round = [];
    } else if (round && isSuccessfulEdit(step) && !seen.has(editKey(step))) {
      seen.add(editKey(step));
      round.push(step);
    }
  }
  return rounds;
}

/** What makes two edits the same: their content (line endings unified), or their args without content. */
function editKey(step: Step): string {
  return step.content === undefined ? canonicalize(step.args) : normalizeContent(step.content);
}

/** Names of the checks run in the window, most recently run first. */
function checkNamesByRecency(recent: readonly Step[]): string[] {
  const names = recent.flatMap((step) => (step.check ? [step.check.name] : []));
  return [...new Set(names.reverse())];
}
