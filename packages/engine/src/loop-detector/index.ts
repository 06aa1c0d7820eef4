/*
 * Loop detector: pure functions over the recent steps of a project (read from its event log, so
 * detection survives restarts). `detectLoop` runs the heuristics in this priority order and returns the
 * first finding; each one only looks at the last `window` (default 20) steps.
 *
 * | # | Heuristic                | Kind                 | Fires when (default thresholds)                                  |
 * |---|--------------------------|----------------------|------------------------------------------------------------------|
 * | 1 | detectCheckStillFailing  | check_still_failing  | since its last pass a check failed, then 3 rounds of edits with  |
 * |   |                          |                      | new content were each followed by that check failing again       |
 * | 2 | detectSameContentRewrite | same_content_rewrite | a target's last 3 successful writes carried identical content    |
 * | 3 | detectErrorLoop          | error_loop           | same tool + same canonical error 3x within the last 10 steps     |
 * | 4 | detectExactRepetition    | exact_repetition     | same canonical action (tool + args) 5x in a row at the end       |
 * | 5 | detectAlternation        | alternation          | the last 6 steps alternate between two actions: A B A B A B      |
 * | 6 | detectPatternRepetition  | pattern_repetition   | a block of 2-10 actions (not all equal) 3x in a row at the end   |
 * | 7 | detectSameResult         | same_result          | same action with same canonical result 4x anywhere in the window |
 * |   |                          |                      | (passed checks left out)                                         |
 * | 8 | detectSimilarTarget      | similar_target       | 3 steps on one target pairwise >= 0.85 similar (bigram Dice),    |
 * |   |                          |                      | not all identical, no passed check between them                  |
 *
 * Canonical form (see canonicalize.ts): sorted keys; ids, timestamps and the model's prose dropped;
 * UUIDs, ISO timestamps and long hex replaced by placeholders; whitespace collapsed; numbers in error
 * messages collapsed to `#`.
 *
 * A finding's `seqs` cover every involved step still in the window, so a caller that nudged once can
 * tell the same loop still in view (no seq after the nudge) from the loop going on (a newer seq).
 */

export {
  canonicalAction,
  canonicalErrorOf,
  canonicalize,
  canonicalizeError,
  canonicalizeText,
  canonicalResult,
  isVolatileKey,
} from './canonicalize.ts';
export { detectCheckStillFailing } from './check-failing.ts';
export { detectSameContentRewrite } from './content-rewrite.ts';
export { detectLoop, LOOP_HEURISTICS } from './detect-loop.ts';
export { detectErrorLoop } from './error-loop.ts';
export { describeLoopForOwner, formatUsd, loopNudge } from './messages.ts';
export { DEFAULT_LOOP_OPTIONS, resolveLoopOptions } from './options.ts';
export { detectSameResult } from './same-result.ts';
export { detectAlternation, detectExactRepetition, detectPatternRepetition } from './sequence.ts';
export { detectSimilarTarget } from './similar-target.ts';
export { similarity } from './similarity.ts';
export type { LoopDetectorOptions, LoopFinding, LoopHeuristic, LoopKind, Step } from './types.ts';
