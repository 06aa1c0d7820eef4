/**
 * The agent lifecycle: where the agent is in its work (collecting the brief, planning, coding, …),
 * as a declared transition table and a pure transition function. No I/O: the runner applies a
 * transition inside the step's transaction and appends it to the log with its reason.
 */
import { z } from 'zod';
import { EngineError } from '../errors.ts';

/** The ten lifecycle states (SPEC §3, Harness B's state machine). */
export const LifecycleState = z.enum([
  'idle',
  'initializing',
  'analyzing',
  'planning',
  'coding',
  'testing',
  'verifying',
  'waiting_approval',
  'error',
  'completed',
]);
export type LifecycleState = z.infer<typeof LifecycleState>;

/** The persisted lifecycle of one project: its state and how many transitions it has made. */
export const Lifecycle = z.object({
  state: LifecycleState,
  iterations: z.number().int().nonnegative(),
});
export type Lifecycle = z.infer<typeof Lifecycle>;

/** Where every project starts. */
export const initialLifecycle: Lifecycle = { state: 'idle', iterations: 0 };

/** How many transitions a project may make before the machine forces it into `error` (SPEC §3). */
export const DEFAULT_ITERATION_CAP = 1000;

/**
 * Every allowed move, by source state. Self-transitions are deliberately absent (see
 * `transitionLifecycle`). Rows marked "gap" extend the brief's flow; the tests pin the invariants
 * that motivated them.
 */
export const lifecycleTransitions: Record<LifecycleState, readonly LifecycleState[]> = {
  // A project starts (or restarts after a stop): the agent collects or re-reads the brief.
  idle: ['initializing'],
  // Brief/mockup ready for the owner, brief already complete (plan or triage a bug), or it failed.
  initializing: ['waiting_approval', 'planning', 'analyzing', 'error'],
  // The owner decided: changes requested or the next bootstrap step (→ initializing), otherwise back to
  // the work the approval was asked from; testing is a gap (testing may ask, so it must be resumable).
  waiting_approval: [
    'initializing',
    'planning',
    'coding',
    'testing',
    'analyzing',
    'verifying',
    'completed',
    'error',
  ],
  // Work items are on the board (→ coding), the plan needs the owner's approval, or planning failed.
  planning: ['coding', 'waiting_approval', 'error'],
  // Item written: test it, verify it directly, ask the owner, re-plan for a new spec, triage a bug.
  coding: ['testing', 'verifying', 'waiting_approval', 'planning', 'analyzing', 'error'],
  // Tests failed (→ coding), passed (→ verifying), need the owner, or the test harness failed.
  testing: ['coding', 'verifying', 'waiting_approval', 'error'],
  // Next item, all done (intent audit passed), the owner must decide, or verification errored; gap: a bug
  // or a new spec queued during the build is the next work (→ analyzing / planning), as from completed.
  verifying: ['coding', 'completed', 'waiting_approval', 'analyzing', 'planning', 'error'],
  // Bug analysed: fix items need planning, a fix can start at once, the owner must confirm, or it failed.
  analyzing: ['planning', 'coding', 'waiting_approval', 'error'],
  // Recovery after a human decision: stop, restart from the brief, or resume the interrupted work.
  error: ['idle', 'initializing', 'planning', 'coding', 'analyzing'],
  // A bug report (→ analyzing), a new feature or spec (→ planning), a direct fix (→ coding), or a stop.
  completed: ['analyzing', 'planning', 'coding', 'idle'],
};

/** Whether the table allows `from → to` (a self-transition never is). */
export function canTransitionLifecycle(from: LifecycleState, to: LifecycleState): boolean {
  return lifecycleTransitions[from].includes(to);
}

export interface LifecycleTransitionOptions {
  /** Transitions allowed in total; the one that brings the counter to the cap lands in `error`. */
  iterationCap: number;
}

export type LifecycleTransitionResult =
  | { ok: true; state: Lifecycle; capReached: false }
  | { ok: true; state: { state: 'error'; iterations: number }; capReached: true }
  | { ok: false; reason: string };

/**
 * Moves the lifecycle to `to` if the table allows it, counting the transition.
 *
 * - A self-transition is rejected, not a no-op: every accepted transition is persisted and counted,
 *   so "stay where you are" must not masquerade as one. Callers that mean "no change" skip the call.
 * - An invalid request is rejected before the cap is looked at, so a caller bug never burns iterations.
 * - The transition that brings `iterations` to `iterationCap` goes to `error` instead (from any state:
 *   the cap overrides the table) and reports `capReached`; with the default cap, 999 transitions are
 *   ordinary and the 1000th is the forced error. Once at the cap the machine cannot leave `error`
 *   until the engine resets `iterations` (e.g. when the owner chooses Continue); it never resets it itself.
 *
 * Throws a RangeError only for a malformed cap (a configuration bug, not a transition outcome).
 */
export function transitionLifecycle(
  current: Lifecycle,
  to: LifecycleState,
  options: LifecycleTransitionOptions = { iterationCap: DEFAULT_ITERATION_CAP },
): LifecycleTransitionResult {
  const { iterationCap } = options;
  if (!Number.isInteger(iterationCap) || iterationCap < 1) {
    throw new RangeError(`iterationCap must be a positive integer, got ${iterationCap}`);
  }
  const from = current.state;
  if (from === to) {
    return { ok: false, reason: `already ${from}: ${from} → ${to} is not a transition` };
  }
  if (!canTransitionLifecycle(from, to)) {
    const allowed = lifecycleTransitions[from].join(', ');
    return {
      ok: false,
      reason: `cannot go from ${from} to ${to}; from ${from} the agent may go to: ${allowed}`,
    };
  }
  const iterations = current.iterations + 1;
  if (iterations < iterationCap) return { ok: true, state: { state: to, iterations }, capReached: false };
  if (from === 'error') {
    return {
      ok: false,
      reason: `cannot go from error to ${to}: the iteration cap (${iterationCap}) is reached; reset the counter first`,
    };
  }
  return { ok: true, state: { state: 'error', iterations }, capReached: true };
}

/** A lifecycle transition the machine refused; `reason` says why in words the owner can read. */
export class InvalidTransitionError extends EngineError {
  constructor(
    readonly from: LifecycleState,
    readonly to: LifecycleState,
    readonly reason: string,
  ) {
    super('invalid_transition', reason, { from, to });
  }
}

/** `transitionLifecycle` for callers that treat a refusal as a bug: throws `InvalidTransitionError`. */
export function assertLifecycleTransition(
  current: Lifecycle,
  to: LifecycleState,
  options?: LifecycleTransitionOptions,
): Extract<LifecycleTransitionResult, { ok: true }> {
  const result = transitionLifecycle(current, to, options);
  if (!result.ok) throw new InvalidTransitionError(current.state, to, result.reason);
  return result;
}
