import { canonicalAction } from './canonicalize.ts';
import { DEFAULT_LOOP_OPTIONS } from './options.ts';
import { buildFinding, describeStep, recentSteps } from './steps.ts';
import type { LoopDetectorOptions, LoopFinding, Step } from './types.ts';

/*
 * The heuristics that read the tail of the window as a sequence of canonical actions: the same action
 * over and over, a block of actions over and over, and two actions taking turns.
 */

/** The same canonical action `exactRepetitions` times in a row at the end of the window. */
export function detectExactRepetition(
  steps: readonly Step[],
  options: LoopDetectorOptions = DEFAULT_LOOP_OPTIONS,
): LoopFinding | null {
  const recent = recentSteps(steps, options.window);
  const run = periodicTailLength(recent.map(canonicalAction), 1);
  const last = recent[recent.length - 1];
  if (!last || run < Math.max(options.exactRepetitions, 2)) return null;
  const subject = describeStep(last);
  return buildFinding('exact_repetition', recent.slice(-run), {
    subject,
    count: run,
    description: `The same action, ${subject}, ran ${run} times in a row with the same arguments.`,
  });
}

/** A block of 2–10 canonical actions (not all the same) repeated `patternRepetitions` times at the end. */
export function detectPatternRepetition(
  steps: readonly Step[],
  options: LoopDetectorOptions = DEFAULT_LOOP_OPTIONS,
): LoopFinding | null {
  const recent = recentSteps(steps, options.window);
  const actions = recent.map(canonicalAction);
  // Shortest period first: a block that is itself a repetition (A B A B) is reported as its shorter unit.
  for (let period = Math.max(options.patternMinLength, 2); period <= options.patternMaxLength; period++) {
    const count = Math.floor(periodicTailLength(actions, period) / period);
    if (count < options.patternRepetitions || new Set(actions.slice(-period)).size < 2) continue;
    const subject = recent.slice(-period).map(describeStep).join(' → ');
    return buildFinding('pattern_repetition', recent.slice(-count * period), {
      subject,
      count,
      description: `The same sequence of ${period} actions (${subject}) ran ${count} times in a row.`,
    });
  }
  return null;
}

/** The last `alternationLength` steps take turns between exactly two different canonical actions. */
export function detectAlternation(
  steps: readonly Step[],
  options: LoopDetectorOptions = DEFAULT_LOOP_OPTIONS,
): LoopFinding | null {
  const recent = recentSteps(steps, options.window);
  const actions = recent.map(canonicalAction);
  const run = periodicTailLength(actions, 2);
  const [a, b] = recent.slice(-2);
  if (!a || !b || run < Math.max(options.alternationLength, 3) || actions.at(-1) === actions.at(-2)) {
    return null;
  }
  const subject = `${describeStep(a)} and ${describeStep(b)}`;
  return buildFinding('alternation', recent.slice(-run), {
    subject,
    count: run,
    description: `The last ${run} actions alternated between ${subject}.`,
  });
}

/** Length of the longest tail in which every item equals the one `period` places before it. */
export function periodicTailLength(items: readonly string[], period: number): number {
  if (items.length <= period) return items.length;
  let start = items.length - 1;
  while (start - period >= 0 && items[start] === items[start - period]) start--;
  // `start` is the last index that breaks the period; the tail may reach `period - 1` items before it.
  return items.length - start + period - 1;
}
