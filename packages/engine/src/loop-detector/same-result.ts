import { canonicalAction, canonicalResult } from './canonicalize.ts';
import { DEFAULT_LOOP_OPTIONS } from './options.ts';
import { buildFinding, describeStep, groupSteps, latestGroupWithAtLeast, recentSteps } from './steps.ts';
import type { LoopDetectorOptions, LoopFinding, Step } from './types.ts';

/*
 * The same canonical action producing the same canonical result `sameResultRepetitions` times anywhere in
 * the window. Passed checks are left out: re-running a passing verification after each edit confirms
 * progress, it is not a loop.
 */

/** The same action with the same result `sameResultRepetitions` times in the window (not necessarily in a row). */
export function detectSameResult(
  steps: readonly Step[],
  options: LoopDetectorOptions = DEFAULT_LOOP_OPTIONS,
): LoopFinding | null {
  const recent = recentSteps(steps, options.window);
  const groups = groupSteps(recent, (step) =>
    step.check?.passed === true ? null : `${canonicalAction(step)}\u0000${canonicalResult(step)}`,
  );
  const repeats = latestGroupWithAtLeast(groups, Math.max(options.sameResultRepetitions, 2));
  const last = repeats?.[repeats.length - 1];
  if (!repeats || !last) return null;
  const subject = describeStep(last);
  const what = last.outcome === 'ok' ? 'returned the same result' : 'failed the same way';
  return buildFinding('same_result', repeats, {
    subject,
    count: repeats.length,
    description: `${subject} ran ${repeats.length} times with the same arguments and ${what} every time.`,
  });
}
