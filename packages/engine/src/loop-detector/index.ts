/*
 * Loop detector: pure functions over the recent steps of a project (read from its event log, so
 * detection survives restarts). `detectLoop` runs the heuristics in this priority order and returns the
 * first finding; each one only looks at the last `window` (default 20) steps.
 *
 * | #  | Heuristic              | Kind                  | Fires when (default thresholds)                                                     |
 * |----|------------------------|-----------------------|-------------------------------------------------------------------------------------|
 * | 1  | detectCheckStillFailing| check_still_failing   | a check failed, then ≥ 3 pairwise different edits were each followed by it failing  |
 * | 2  | detectSameContentRewrite| same_content_rewrite | one target's last 3 successful writes carried identical content                     |
 * | 3  | detectErrorLoop        | error_loop            | same tool + same canonical error ≥ 3× within the last 10 steps                      |
 * | 4  | detectExactRepetition  | exact_repetition      | same canonical action (tool + args) 5× in a row at the end                          |
 * | 5  | detectAlternation      | alternation           | the last 6 steps alternate between exactly two actions A B A B A B                  |
 * | 6  | detectPatternRepetition| pattern_repetition    | a block of 2–10 actions (not all equal) repeated 3× in a row at the end             |
 * | 7  | detectSameResult       | same_result           | same action with same canonical result ≥ 4× in the window (passed checks excluded) |
 * | 8  | detectSimilarTarget    | similar_target        | ≥ 3 steps on one target pairwise ≥ 0.85 similar (Dice on bigrams), not all equal,   |
 * |    |                        |                       | with no passed check between them                                                   |
 *
 * Canonical form (see canonicalize.ts): sorted keys; ids, timestamps and the model's prose dropped;
 * UUIDs, ISO timestamps and long hex replaced by placeholders; whitespace collapsed; numbers in error
 * messages collapsed to `#`.
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
