/**
 * The run status: whether the loop may drive a project right now (SPEC §2–§3). A pure reducer over
 * explicit events; time is passed in (`auto_resume.now`), never read. The runner applies it under the
 * project's row lock and appends the resulting `run_status_changed` event.
 *
 * Content questions and approvals live in pendings, not here: `resume` never answers them, and a run
 * that is re-activated while one is open lands in `awaiting_human` (the event's `awaitingAnswer`).
 */
import { z } from 'zod';

export const RunStatus = z.enum(['running', 'awaiting_human', 'paused', 'idle', 'completed', 'failed']);
export type RunStatus = z.infer<typeof RunStatus>;

export const PausedReason = z.enum([
  'user',
  'turn_cap',
  'spend_cap',
  'loop',
  'rate_limited',
  'failures',
  'error',
]);
export type PausedReason = z.infer<typeof PausedReason>;

const IsoTime = z.iso.datetime({ offset: true });

/**
 * The run status as persisted. Invariants: `pausedReason` is set iff `status` is `paused`; `resumeAt`
 * (when an automatic resume is due) is set iff the reason is `rate_limited`.
 */
export const RunState = z
  .object({
    status: RunStatus,
    pausedReason: PausedReason.nullable(),
    resumeAt: IsoTime.nullable(),
  })
  .refine((s) => (s.status === 'paused') === (s.pausedReason !== null), {
    message: 'pausedReason is set exactly when the run is paused',
    path: ['pausedReason'],
  })
  .refine((s) => (s.pausedReason === 'rate_limited') === (s.resumeAt !== null), {
    message: 'resumeAt is set exactly when the run is paused for rate_limited',
    path: ['resumeAt'],
  });
export type RunState = z.infer<typeof RunState>;

/** Where every project starts. */
export const initialRunState: RunState = { status: 'idle', pausedReason: null, resumeAt: null };

/**
 * Set by the engine on events that re-activate a run when a content question or approval is still
 * open: the run then lands in `awaiting_human` instead of `running`.
 */
const awaitingAnswer = z.boolean().optional();

/** Everything that can change the run status. */
export const RunEvent = z.discriminatedUnion('type', [
  /** Owner or API starts the run: from rest (idle/completed/failed) or a user pause. Also used after a
   *  rewind re-pends a question (`awaitingAnswer: true`). */
  z.object({ type: z.literal('start'), awaitingAnswer }),
  /** The worker asked a question or an approval: the run waits for the owner. */
  z.object({ type: z.literal('await_human') }),
  /** The last open question/approval was answered: the loop continues. */
  z.object({ type: z.literal('human_answered') }),
  /** A guard or the owner pauses the run. `resumeAt` is required iff the reason is `rate_limited`. */
  z.object({ type: z.literal('pause'), reason: PausedReason, resumeAt: IsoTime.optional() }),
  /** The owner continues past a pause. `budgetAvailable`: the engine checked spend is below the cap
   *  again (raised, or the rolling day moved on) — required to leave a `spend_cap` pause. */
  z.object({ type: z.literal('resume'), budgetAvailable: z.boolean().optional(), awaitingAnswer }),
  /** The scheduler's timer: leaves a `rate_limited` pause once `resumeAt` has passed. */
  z.object({ type: z.literal('auto_resume'), now: IsoTime, awaitingAnswer }),
  /** The owner stops the run; the project rests in `idle`. */
  z.object({ type: z.literal('stop') }),
  /** The worker finished (final envelope, intent audit passed). */
  z.object({ type: z.literal('complete') }),
  /** Unrecoverable failure. */
  z.object({ type: z.literal('fail') }),
]);
export type RunEvent = z.infer<typeof RunEvent>;

export type RunStatusResult = { ok: true; state: RunState } | { ok: false; reason: string };

/** What leaving a pause requires beyond the owner's say-so. */
export type ResumeRequirement = 'none' | 'budget_available';

/**
 * Per pause reason, what a `resume` needs. Only `spend_cap` needs more than the owner's word: resuming
 * under an unchanged cap would pause again before the next call. `rate_limited` may be resumed early
 * (the owner may have changed key or model); `auto_resume` covers the countdown.
 */
export const resumeRequirements: Record<PausedReason, ResumeRequirement> = {
  user: 'none',
  turn_cap: 'none',
  spend_cap: 'budget_available',
  loop: 'none',
  rate_limited: 'none',
  failures: 'none',
  error: 'none',
};

/** Whether a plain `resume` (no facts from the engine) clears a pause with this reason. */
export function isContinuationReason(reason: PausedReason): boolean {
  return resumeRequirements[reason] === 'none';
}

function describeStatus(state: RunState): string {
  return state.status === 'paused' ? `paused (${state.pausedReason})` : state.status;
}

function reject(state: RunState, event: RunEvent, why: string): RunStatusResult {
  return { ok: false, reason: `cannot ${event.type} a run that is ${describeStatus(state)}: ${why}` };
}

function accept(status: Exclude<RunStatus, 'paused'>): RunStatusResult {
  return { ok: true, state: { status, pausedReason: null, resumeAt: null } };
}

function activate(awaiting: boolean | undefined): RunStatusResult {
  return accept(awaiting ? 'awaiting_human' : 'running');
}

const atRest = new Set<RunStatus>(['idle', 'completed', 'failed']);

/**
 * Applies one event to the run status. Every accepted event changes the state; anything else is
 * rejected with a reason naming the event and the current status.
 */
export function reduceRunStatus(current: RunState, event: RunEvent): RunStatusResult {
  const { status } = current;
  switch (event.type) {
    case 'start':
      if (atRest.has(status) || (status === 'paused' && current.pausedReason === 'user')) {
        return activate(event.awaitingAnswer);
      }
      if (status === 'paused') return reject(current, event, 'a safety pause is left with resume');
      return reject(current, event, 'it is already active');

    case 'await_human':
      if (status === 'running') return accept('awaiting_human');
      return reject(current, event, 'only a running worker can ask the owner');

    case 'human_answered':
      if (status === 'awaiting_human') return accept('running');
      if (status === 'paused') {
        return reject(current, event, 'the answer is recorded but the run stays paused until resumed');
      }
      return reject(current, event, 'no question is waiting for an answer');

    case 'pause': {
      const { reason, resumeAt } = event;
      if (reason === 'rate_limited' && resumeAt === undefined) {
        return reject(current, event, 'a rate_limited pause needs resumeAt');
      }
      if (reason !== 'rate_limited' && resumeAt !== undefined) {
        return reject(current, event, `only a rate_limited pause has resumeAt, not ${reason}`);
      }
      if (resumeAt !== undefined && Number.isNaN(Date.parse(resumeAt))) {
        return reject(current, event, `resumeAt is not a valid time: ${resumeAt}`);
      }
      const canPause =
        status === 'running' ||
        status === 'awaiting_human' ||
        // The owner pausing during a rate-limit countdown cancels the automatic resume. Other pauses are
        // kept as they are: overwriting e.g. spend_cap with user would let a plain start skip the cap.
        (status === 'paused' && current.pausedReason === 'rate_limited' && reason === 'user');
      if (!canPause) {
        return reject(current, event, status === 'paused' ? 'it is already paused' : 'it is not active');
      }
      return { ok: true, state: { status: 'paused', pausedReason: reason, resumeAt: resumeAt ?? null } };
    }

    case 'resume':
      if (status === 'awaiting_human') {
        return reject(current, event, 'a question or approval needs an answer, not a resume');
      }
      if (status !== 'paused' || current.pausedReason === null) {
        return reject(current, event, 'only a paused run can be resumed');
      }
      if (resumeRequirements[current.pausedReason] === 'budget_available' && event.budgetAvailable !== true) {
        return reject(current, event, 'spend is still at the cap; raise the cap or wait for budget first');
      }
      return activate(event.awaitingAnswer);

    case 'auto_resume': {
      if (status !== 'paused' || current.pausedReason !== 'rate_limited' || current.resumeAt === null) {
        return reject(current, event, 'only a rate_limited pause resumes by itself');
      }
      const now = Date.parse(event.now);
      if (Number.isNaN(now)) return reject(current, event, `now is not a valid time: ${event.now}`);
      if (now < Date.parse(current.resumeAt)) {
        return reject(current, event, `the rate limit lasts until ${current.resumeAt}`);
      }
      return activate(event.awaitingAnswer);
    }

    case 'stop':
      if (atRest.has(status)) return reject(current, event, 'it is not active');
      return accept('idle');

    case 'complete':
      if (status === 'running') return accept('completed');
      return reject(current, event, 'only a running worker can finish');

    case 'fail':
      if (status === 'running' || status === 'paused') return accept('failed');
      return reject(current, event, 'only a running or paused run can fail');

    default: {
      const unknownEvent: never = event;
      return { ok: false, reason: `unknown run event ${JSON.stringify(unknownEvent)}` };
    }
  }
}
