/**
 * Guards run before every worker call, over the project row and its recent log (so they survive
 * restarts): turn cap, spend caps, the failure tracker, and the loop detector. A guard that trips
 * returns the events of a pause (alarm + continuation gate); the loop detector nudges once first.
 */
import { randomUUID } from 'node:crypto';
import { alarmEvent } from './alarms.ts';
import type { EngineLimits } from './engine.ts';
import type { EventDraft, StoredEvent } from './events/types.ts';
import { describeLoopForOwner, detectLoop, loopNudge, type Step } from './loop-detector/index.ts';
import { remember } from './loop-detector/memo.ts';
import type { PausedReason } from './machine/index.ts';
import type { ProjectRow } from './run-state.ts';
import type { CapReached } from './spend.ts';
import type { StepHints } from './tools.ts';

export interface GuardInput {
  row: ProjectRow;
  history: StoredEvent[];
  limits: EngineLimits;
  now: Date;
  spendCheck: () => Promise<CapReached | null>;
}

/** A guard's verdict to pause: why, and the events (alarm, continuation gate) that say so. */
export interface GuardPause {
  reason: PausedReason;
  cause: string;
  drafts: EventDraft[];
  resumeAt?: Date;
}

export interface GuardOutcome {
  pause?: GuardPause;
  nudge?: Extract<EventDraft, { type: 'loop_nudged' }>;
}

export async function guardStep(input: GuardInput): Promise<GuardOutcome | null> {
  const { row, history, limits } = input;
  if (row.turnsSinceHuman >= limits.turnCap) {
    return pause('turn_cap', `turn cap of ${limits.turnCap}`, [
      alarmEvent({
        type: 'turn_cap_reached',
        severity: 'warning',
        message: `The agent has taken ${row.turnsSinceHuman} steps since your last input.`,
        recommendedAction: 'Look at the progress, then continue or stop.',
        context: { turnCap: limits.turnCap },
        autoResolve: true,
      }),
      continuation(
        'turn_cap',
        `The agent has taken ${row.turnsSinceHuman} steps since you last weighed in. Continue?`,
      ),
    ]);
  }
  const spend = await input.spendCheck();
  if (spend) return { pause: spendCapPause(spend) };
  const boundary = lastFreshStart(history);
  const failures = history.filter(
    (event) =>
      event.seq > boundary &&
      input.now.getTime() - event.createdAt.getTime() <= limits.failureWindowMs &&
      (event.type === 'worker_failed' || (event.type === 'tool_finished' && !event.payload.ok)),
  );
  if (failures.length >= limits.failureThreshold) {
    return pause('failures', `${failures.length} failures`, [
      alarmEvent({
        type: 'repeated_failures',
        severity: 'error',
        message: `${failures.length} steps failed within ${Math.round(limits.failureWindowMs / 1000)} seconds.`,
        recommendedAction: 'Read the failures in the history; continue if they were temporary, or rewind.',
        context: { seqs: failures.map((event) => event.seq) },
        autoResolve: true,
      }),
      continuation('failures', 'Several steps failed in a row. Continue?'),
    ]);
  }
  return checkLoop(history, boundary);
}

function checkLoop(history: StoredEvent[], boundary: number): GuardOutcome | null {
  const nudges = history.filter((event) => event.type === 'loop_nudged' && event.seq > boundary);
  const since = nudges.length > 0 ? (nudges[nudges.length - 1] as StoredEvent).seq : boundary;
  const finding = detectLoop(stepsFromEvents(history).filter((step) => step.seq > since));
  if (!finding) return null;
  if (nudges.length === 0) {
    return { nudge: { type: 'loop_nudged', payload: { kind: finding.kind, message: loopNudge(finding) } } };
  }
  return pause('loop', `loop: ${finding.kind}`, [
    alarmEvent({
      type: 'loop_detected',
      severity: 'error',
      message: describeLoopForOwner(finding),
      recommendedAction: 'Rewind to before the loop, describe what you want differently, or stop.',
      context: {
        kind: finding.kind,
        seqs: finding.seqs,
        costUsd: finding.costUsd,
        description: finding.description,
      },
      autoResolve: true,
    }),
    continuation('loop', `${describeLoopForOwner(finding)} Continue anyway?`),
  ]);
}

/** The seq after which the owner last gave input or let the run continue. */
function lastFreshStart(history: StoredEvent[]): number {
  let seq = 0;
  for (const event of history) {
    if (
      event.type === 'pending_answered' ||
      event.type === 'owner_message' ||
      (event.type === 'run_status_changed' && event.payload.status === 'running')
    ) {
      seq = event.seq;
    }
  }
  return seq;
}

/** Steps already built, per finished-call event (the history's events are reused from step to step). */
const builtSteps = new WeakMap<StoredEvent, Step>();

/** The loop detector's view of the log: one step per finished tool call. */
export function stepsFromEvents(history: StoredEvent[]): Step[] {
  const started = new Map<string, Extract<StoredEvent, { type: 'tool_started' }>>();
  const costs = new Map<number, number>();
  const steps: Step[] = [];
  for (const event of history) {
    if (event.type === 'worker_output') costs.set(event.seq, event.payload.costUsd);
    if (event.type === 'tool_started') started.set(event.payload.callId, event);
    if (event.type !== 'tool_finished') continue;
    const intent = started.get(event.payload.callId);
    const build = (): Step => ({
      seq: event.seq,
      tool: event.payload.tool,
      args: intent?.payload.args ?? null,
      outcome: event.payload.ok ? 'ok' : 'error',
      ...(event.payload.ok ? { result: event.payload.data } : { error: event.payload.error ?? 'failed' }),
      ...((event.payload.hints ?? {}) as StepHints),
      costUsd: intent ? (costs.get(intent.payload.outputSeq) ?? 0) : 0,
    });
    // Remembered only when built with its intent: a step whose intent left the window is built as is.
    steps.push(intent ? remember(builtSteps, event, build) : build());
  }
  return steps;
}

function pause(reason: PausedReason, cause: string, drafts: EventDraft[]): GuardOutcome {
  return { pause: { reason, cause, drafts } };
}

/** A continuation gate: the owner chooses to continue or stop (a plain resume also clears it). */
export function continuation(reason: string, question: string): EventDraft {
  return {
    type: 'pending_opened',
    payload: {
      pendingId: randomUUID(),
      kind: 'continuation',
      reason,
      question,
      options: ['continue', 'stop'],
    },
  };
}

/**
 * The pause for a reached spend cap: before a step (spend is at the cap) or before a call (the call's
 * worst case would pass it), with an alarm that says which cap, how much, and what to change.
 */
export function spendCapPause(reached: CapReached): GuardPause {
  const which = reached.cap === 'project' ? 'this project' : 'all projects in the last 24 hours';
  const spent = `$${reached.spent.toFixed(2)}`;
  const limit = `$${reached.limit.toFixed(2)}`;
  const message =
    reached.nextCallUsd > 0
      ? `Spending for ${which} is at ${spent} of the ${limit} cap, and the next model call could cost up to $${reached.nextCallUsd.toFixed(2)}, so it was not made.`
      : `Spending for ${which} reached ${spent} of the ${limit} cap.`;
  return {
    reason: 'spend_cap',
    cause: `${reached.cap} spend cap`,
    drafts: [
      alarmEvent({
        type: 'spend_cap_reached',
        severity: 'error',
        message,
        recommendedAction:
          reached.cap === 'project'
            ? 'Raise SPEND_CAP_USD (or this project’s cap), then resume.'
            : 'Raise DAILY_SPEND_CAP_USD or wait for the rolling day to move on, then resume.',
        context: { ...reached },
        autoResolve: true,
      }),
      continuation(
        'spend_cap',
        `The spending cap is reached (${spent} of ${limit}). Continue after raising it?`,
      ),
    ],
  };
}
