import { detectCheckStillFailing } from './check-failing.ts';
import { detectSameContentRewrite } from './content-rewrite.ts';
import { detectErrorLoop } from './error-loop.ts';
import { resolveLoopOptions } from './options.ts';
import { detectSameResult } from './same-result.ts';
import { detectAlternation, detectExactRepetition, detectPatternRepetition } from './sequence.ts';
import { detectSimilarTarget } from './similar-target.ts';
import type { LoopDetectorOptions, LoopFinding, LoopHeuristic, Step } from './types.ts';

/**
 * Heuristics in priority order, most specific first: when several fire on the same steps, the first
 * gives the most useful description (e.g. A B A B A B is reported as an alternation, not a pattern).
 */
export const LOOP_HEURISTICS: readonly LoopHeuristic[] = Object.freeze([
  detectCheckStillFailing,
  detectSameContentRewrite,
  detectErrorLoop,
  detectExactRepetition,
  detectAlternation,
  detectPatternRepetition,
  detectSameResult,
  detectSimilarTarget,
]);

/** Runs every heuristic over the recent steps in priority order and returns the first finding, or null. */
export function detectLoop(
  steps: readonly Step[],
  options: Partial<LoopDetectorOptions> = {},
): LoopFinding | null {
  const resolved = resolveLoopOptions(options);
  for (const heuristic of LOOP_HEURISTICS) {
    const finding = heuristic(steps, resolved);
    if (finding) return finding;
  }
  return null;
}
