import { describe, expect, it } from 'vitest';
import {
  initialRunState,
  isContinuationReason,
  PausedReason,
  type RunEvent,
  RunEvent as RunEventSchema,
  RunState,
  RunStatus,
  reduceRunStatus,
  resumeRequirements,
} from './index.ts';

const rateLimitedUntil = '2025-03-01T12:00:00.000Z';
const newLimitUntil = '2025-03-01T12:05:00.000Z';

const paused = (reason: PausedReason): RunState => ({
  status: 'paused',
  pausedReason: reason,
  resumeAt: reason === 'rate_limited' ? rateLimitedUntil : null,
});
const resting = (status: Exclude<RunStatus, 'paused'>): RunState => ({
  status,
  pausedReason: null,
  resumeAt: null,
});

/** Every distinct run state: each status, and `paused` once per reason. */
const stateByLabel = {
  run: resting('running'),
  hum: resting('awaiting_human'),
  idle: resting('idle'),
  done: resting('completed'),
  fail: resting('failed'),
  'p:user': paused('user'),
  'p:turn': paused('turn_cap'),
  'p:spend': paused('spend_cap'),
  'p:loop': paused('loop'),
  'p:rate': paused('rate_limited'),
  'p:fails': paused('failures'),
  'p:error': paused('error'),
} satisfies Record<string, RunState>;

/** Every event, with each variant that changes the outcome. */
const eventByLabel = {
  start: { type: 'start' },
  'start+answer': { type: 'start', awaitingAnswer: true },
  await_human: { type: 'await_human' },
  human_answered: { type: 'human_answered' },
  'pause:user': { type: 'pause', reason: 'user' },
  'pause:turn': { type: 'pause', reason: 'turn_cap' },
  'pause:spend': { type: 'pause', reason: 'spend_cap' },
  'pause:loop': { type: 'pause', reason: 'loop' },
  'pause:fails': { type: 'pause', reason: 'failures' },
  'pause:error': { type: 'pause', reason: 'error' },
  'pause:rate': { type: 'pause', reason: 'rate_limited', resumeAt: newLimitUntil },
  'pause:rate-no-time': { type: 'pause', reason: 'rate_limited' },
  'pause:user+time': { type: 'pause', reason: 'user', resumeAt: newLimitUntil },
  resume: { type: 'resume' },
  'resume+budget': { type: 'resume', budgetAvailable: true },
  'resume+answer': { type: 'resume', awaitingAnswer: true },
  'auto_resume:due': { type: 'auto_resume', now: rateLimitedUntil },
  'auto_resume:early': { type: 'auto_resume', now: '2025-03-01T11:59:59.999Z' },
  stop: { type: 'stop' },
  complete: { type: 'complete' },
  fail: { type: 'fail' },
} satisfies Record<string, RunEvent>;

/** Outcome labels: a state label (the resulting state) or `-` (rejected). `p:rate` after
 *  `pause:rate` carries the event's resumeAt. */
const outcomeByLabel: Record<string, RunState> = {
  ...stateByLabel,
  'p:rate': { status: 'paused', pausedReason: 'rate_limited', resumeAt: newLimitUntil },
};

/**
 * The reviewed expectation for every (event × state) pair: rows are events, columns states. Each cell
 * is the resulting state, or `-` for a rejection.
 */
const expectedMatrix = `
event              | run     | hum     | idle | done | fail | p:user | p:turn | p:spend | p:loop | p:rate | p:fails | p:error
start              | -       | -       | run  | run  | run  | run    | -      | -       | -      | -      | -       | -
start+answer       | -       | -       | hum  | hum  | hum  | hum    | -      | -       | -      | -      | -       | -
await_human        | hum     | -       | -    | -    | -    | -      | -      | -       | -      | -      | -       | -
human_answered     | -       | run     | -    | -    | -    | -      | -      | -       | -      | -      | -       | -
pause:user         | p:user  | p:user  | -    | -    | -    | -      | -      | -       | -      | p:user | -       | -
pause:turn         | p:turn  | p:turn  | -    | -    | -    | -      | -      | -       | -      | -      | -       | -
pause:spend        | p:spend | p:spend | -    | -    | -    | -      | -      | -       | -      | -      | -       | -
pause:loop         | p:loop  | p:loop  | -    | -    | -    | -      | -      | -       | -      | -      | -       | -
pause:fails        | p:fails | p:fails | -    | -    | -    | -      | -      | -       | -      | -      | -       | -
pause:error        | p:error | p:error | -    | -    | -    | -      | -      | -       | -      | -      | -       | -
pause:rate         | p:rate  | p:rate  | -    | -    | -    | -      | -      | -       | -      | -      | -       | -
pause:rate-no-time | -       | -       | -    | -    | -    | -      | -      | -       | -      | -      | -       | -
pause:user+time    | -       | -       | -    | -    | -    | -      | -      | -       | -      | -      | -       | -
resume             | -       | -       | -    | -    | -    | run    | run    | -       | run    | run    | run     | run
resume+budget      | -       | -       | -    | -    | -    | run    | run    | run     | run    | run    | run     | run
resume+answer      | -       | -       | -    | -    | -    | hum    | hum    | -       | hum    | hum    | hum     | hum
auto_resume:due    | -       | -       | -    | -    | -    | -      | -      | -       | -      | run    | -       | -
auto_resume:early  | -       | -       | -    | -    | -    | -      | -      | -       | -      | -      | -       | -
stop               | idle    | idle    | -    | -    | -    | idle   | idle   | idle    | idle   | idle   | idle    | idle
complete           | done    | -       | -    | -    | -    | -      | -      | -       | -      | -      | -       | -
fail               | fail    | -       | -    | -    | -    | fail   | fail   | fail    | fail   | fail   | fail    | fail
`;

function parseMatrix(text: string): Map<string, string> {
  const [header, ...rows] = text
    .trim()
    .split('\n')
    .map((line) => line.split('|').map((cell) => cell.trim()));
  const columns = header!.slice(1);
  const cells = new Map<string, string>();
  for (const [event, ...outcomes] of rows) {
    expect(outcomes.length, `row ${event}`).toBe(columns.length);
    outcomes.forEach((outcome, i) => {
      cells.set(`${event} @ ${columns[i]}`, outcome);
    });
  }
  return cells;
}

const expected = parseMatrix(expectedMatrix);
const crossProduct = Object.entries(eventByLabel).flatMap(([eventLabel, event]) =>
  Object.entries(stateByLabel).map(([stateLabel, state]) => ({
    key: `${eventLabel} @ ${stateLabel}`,
    event: event as RunEvent,
    state,
  })),
);

describe('reduceRunStatus: every event from every state', () => {
  it('the reviewed matrix covers exactly the generated cross product', () => {
    expect([...expected.keys()].sort()).toEqual(crossProduct.map((c) => c.key).sort());
    for (const outcome of expected.values()) expect(['-', ...Object.keys(outcomeByLabel)]).toContain(outcome);
  });

  it('the cases cover every event type, status and pause reason', () => {
    const eventTypes = new Set(Object.values(eventByLabel).map((e) => e.type));
    expect([...eventTypes].sort()).toEqual(RunEventSchema.options.map((o) => o.shape.type.value).sort());
    const states = Object.values(stateByLabel);
    expect(new Set(states.map((s) => s.status))).toEqual(new Set(RunStatus.options));
    expect(new Set(states.map((s) => s.pausedReason).filter((r) => r !== null))).toEqual(
      new Set(PausedReason.options),
    );
  });

  it.each(crossProduct)('$key', ({ key, state, event }) => {
    const outcome = expected.get(key);
    const result = reduceRunStatus(state, event);
    if (outcome === '-') {
      expect(result.ok).toBe(false);
      if (!result.ok) {
        // A rejection names the event and the status it was refused in.
        expect(result.reason).toContain(event.type);
        expect(result.reason).toContain(state.status);
      }
      return;
    }
    expect(result).toEqual({ ok: true, state: outcomeByLabel[outcome!] });
    // Every accepted state satisfies the persisted invariants.
    if (result.ok) expect(RunState.safeParse(result.state).success).toBe(true);
  });
});

describe('reduceRunStatus: details', () => {
  it('refuses resume from awaiting_human: a question needs an answer', () => {
    const result = reduceRunStatus(stateByLabel.hum, { type: 'resume', budgetAvailable: true });
    expect(result).toEqual({
      ok: false,
      reason:
        'cannot resume a run that is awaiting_human: a question or approval needs an answer, not a resume',
    });
  });

  it('keeps a paused run paused when the owner answers meanwhile', () => {
    const result = reduceRunStatus(paused('user'), { type: 'human_answered' });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(/stays paused/);
  });

  it('auto-resumes exactly at resumeAt and later, never before', () => {
    const state = paused('rate_limited');
    const at = (now: string) => reduceRunStatus(state, { type: 'auto_resume', now }).ok;
    expect(at('2025-03-01T11:59:59.999Z')).toBe(false);
    expect(at(rateLimitedUntil)).toBe(true);
    expect(at('2025-03-01T13:00:00.000+01:00')).toBe(true); // same instant, other offset
    expect(at('2025-03-02T00:00:00.000Z')).toBe(true);
  });

  it('explains an early auto_resume with the time it is due', () => {
    const result = reduceRunStatus(paused('rate_limited'), {
      type: 'auto_resume',
      now: '2025-03-01T11:00:00Z',
    });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toContain(rateLimitedUntil);
  });

  it('rejects malformed times instead of comparing NaN', () => {
    expect(
      reduceRunStatus(resting('running'), { type: 'pause', reason: 'rate_limited', resumeAt: 'soon' }).ok,
    ).toBe(false);
    expect(reduceRunStatus(paused('rate_limited'), { type: 'auto_resume', now: 'later' }).ok).toBe(false);
  });

  it('clears the pause reason and resumeAt whenever the run leaves paused', () => {
    for (const event of [{ type: 'resume' }, { type: 'stop' }, { type: 'fail' }] as RunEvent[]) {
      const result = reduceRunStatus(paused('rate_limited'), event);
      expect(result.ok && result.state.pausedReason === null && result.state.resumeAt === null).toBe(true);
    }
  });

  it('lets the owner cancel a rate-limit countdown, but never relabel a safety pause as theirs', () => {
    expect(reduceRunStatus(paused('rate_limited'), { type: 'pause', reason: 'user' })).toEqual({
      ok: true,
      state: paused('user'),
    });
    const relabel = reduceRunStatus(paused('spend_cap'), { type: 'pause', reason: 'user' });
    expect(relabel.ok).toBe(false);
  });

  it('starts from rest', () => {
    expect(reduceRunStatus(initialRunState, { type: 'start' })).toEqual({
      ok: true,
      state: resting('running'),
    });
  });
});

describe('resume requirements', () => {
  it('lets a plain resume clear every pause reason except spend_cap', () => {
    expect(Object.keys(resumeRequirements).sort()).toEqual([...PausedReason.options].sort());
    expect(PausedReason.options.filter((r) => !isContinuationReason(r))).toEqual(['spend_cap']);
  });

  it('agrees with the reducer for every reason', () => {
    for (const reason of PausedReason.options) {
      expect(reduceRunStatus(paused(reason), { type: 'resume' }).ok, reason).toBe(
        isContinuationReason(reason),
      );
      expect(reduceRunStatus(paused(reason), { type: 'resume', budgetAvailable: true }).ok, reason).toBe(
        true,
      );
    }
  });
});

describe('RunState and RunEvent schemas', () => {
  it('accept every state the reducer produces and reject broken invariants', () => {
    for (const state of Object.values(outcomeByLabel)) expect(RunState.safeParse(state).success).toBe(true);
    const broken = [
      { status: 'paused', pausedReason: null, resumeAt: null },
      { status: 'running', pausedReason: 'user', resumeAt: null },
      { status: 'paused', pausedReason: 'rate_limited', resumeAt: null },
      { status: 'paused', pausedReason: 'user', resumeAt: rateLimitedUntil },
      { status: 'paused', pausedReason: 'rate_limited', resumeAt: 'tomorrow' },
    ];
    for (const state of broken) expect(RunState.safeParse(state).success, JSON.stringify(state)).toBe(false);
  });

  it('parse every event used above and reject unknown types', () => {
    for (const event of Object.values(eventByLabel))
      expect(RunEventSchema.safeParse(event).success).toBe(true);
    expect(RunEventSchema.safeParse({ type: 'explode' }).success).toBe(false);
  });
});
