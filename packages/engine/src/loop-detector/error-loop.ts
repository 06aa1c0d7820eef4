import { canonicalErrorOf } from './canonicalize.ts';
import { DEFAULT_LOOP_OPTIONS } from './options.ts';
import {
  buildFinding,
  describeStep,
  groupSteps,
  latestGroupWithAtLeast,
  recentSteps,
  shorten,
} from './steps.ts';
import type { LoopDetectorOptions, LoopFinding, Step } from './types.ts';

/** The same tool failing with the same canonical error `errorRepetitions` times in the last `errorWindow` steps. */
export function detectErrorLoop(
  steps: readonly Step[],
  options: LoopDetectorOptions = DEFAULT_LOOP_OPTIONS,
): LoopFinding | null {
  const recent = recentSteps(steps, Math.min(options.window, options.errorWindow));
  const groups = groupSteps(recent, (step) =>
    step.outcome === 'error' ? `${step.tool}\u0000${canonicalErrorOf(step)}` : null,
  );
  const failures = latestGroupWithAtLeast(groups, Math.max(options.errorRepetitions, 2));
  const last = failures?.[failures.length - 1];
  if (!failures || !last) return null;
  const subject = describeStep(last);
  const error = shorten(last.error ?? 'an unknown error', 120);
  return buildFinding('error_loop', failures, {
    subject,
    count: failures.length,
    description: `${subject} failed ${failures.length} times in the last ${recent.length} steps with the same error: "${error}".`,
  });
}
