import { describe, expect, it } from 'vitest';
import { EngineError } from '../errors.ts';
import {
  assertLifecycleTransition,
  canTransitionLifecycle,
  DEFAULT_ITERATION_CAP,
  InvalidTransitionError,
  initialLifecycle,
  Lifecycle,
  LifecycleState,
  lifecycleTransitions,
  transitionLifecycle,
} from './index.ts';

const states = LifecycleState.options;
const allowedPairs = states.flatMap((from) => lifecycleTransitions[from].map((to) => [from, to] as const));
const forbiddenPairs = states.flatMap((from) =>
  states.filter((to) => !lifecycleTransitions[from].includes(to)).map((to) => [from, to] as const),
);

/** States reachable from `start` by following the table. */
function reachableFrom(start: LifecycleState): Set<LifecycleState> {
  const seen = new Set<LifecycleState>([start]);
  const queue = [start];
  for (let s = queue.shift(); s !== undefined; s = queue.shift()) {
    for (const next of lifecycleTransitions[s]) {
      if (!seen.has(next)) {
        seen.add(next);
        queue.push(next);
      }
    }
  }
  return seen;
}

describe('lifecycle transition table', () => {
  it('has a row for every state and only known, distinct targets', () => {
    expect(Object.keys(lifecycleTransitions).sort()).toEqual([...states].sort());
    for (const from of states) {
      const row = lifecycleTransitions[from];
      expect(new Set(row).size, `duplicate target in ${from}`).toBe(row.length);
      for (const to of row) expect(states, `${from} → ${to}`).toContain(to);
    }
  });

  it('declares no self-transition', () => {
    for (const from of states) expect(lifecycleTransitions[from]).not.toContain(from);
  });

  it('reaches every state from idle, and completed from every state (no dead ends)', () => {
    expect(reachableFrom('idle')).toEqual(new Set(states));
    for (const from of states) expect(reachableFrom(from).has('completed'), from).toBe(true);
  });

  it('lets every working state fail into error', () => {
    for (const from of states.filter((s) => !['idle', 'error', 'completed'].includes(s))) {
      expect(lifecycleTransitions[from], from).toContain('error');
    }
  });

  it('returns from waiting_approval to every state that can ask for approval', () => {
    const askers = states.filter((s) => lifecycleTransitions[s].includes('waiting_approval'));
    expect(askers.length).toBeGreaterThan(0);
    for (const from of askers) expect(lifecycleTransitions.waiting_approval, from).toContain(from);
  });

  it('pins the table (a change here is a reviewed change)', () => {
    expect(lifecycleTransitions).toEqual({
      idle: ['initializing'],
      initializing: ['waiting_approval', 'planning', 'analyzing', 'error'],
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
      planning: ['coding', 'waiting_approval', 'error'],
      coding: ['testing', 'verifying', 'waiting_approval', 'planning', 'analyzing', 'error'],
      testing: ['coding', 'verifying', 'waiting_approval', 'error'],
      verifying: ['coding', 'completed', 'waiting_approval', 'analyzing', 'planning', 'error'],
      analyzing: ['planning', 'coding', 'waiting_approval', 'error'],
      error: ['idle', 'initializing', 'planning', 'coding', 'analyzing'],
      completed: ['analyzing', 'planning', 'coding', 'idle'],
    });
  });
});

describe('transitionLifecycle', () => {
  it.each(allowedPairs)('accepts %s → %s and counts it', (from, to) => {
    expect(canTransitionLifecycle(from, to)).toBe(true);
    expect(transitionLifecycle({ state: from, iterations: 7 }, to)).toEqual({
      ok: true,
      state: { state: to, iterations: 8 },
      capReached: false,
    });
  });

  it.each([
    ['idle', 'coding'],
    ['idle', 'completed'],
    ['initializing', 'coding'],
    ['planning', 'testing'],
    ['planning', 'completed'],
    ['coding', 'completed'],
    ['testing', 'completed'],
    ['testing', 'planning'],
    ['analyzing', 'completed'],
    ['error', 'completed'],
    ['error', 'waiting_approval'],
    ['completed', 'error'],
    ['completed', 'verifying'],
  ] as const)('rejects %s → %s with a reason naming both states', (from, to) => {
    expect(canTransitionLifecycle(from, to)).toBe(false);
    const result = transitionLifecycle({ state: from, iterations: 3 }, to);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.reason).toContain(from);
    expect(result.reason).toContain(to);
  });

  it('rejects every pair outside the table', () => {
    expect(forbiddenPairs.length).toBe(states.length ** 2 - allowedPairs.length);
    for (const [from, to] of forbiddenPairs) {
      expect(transitionLifecycle({ state: from, iterations: 0 }, to).ok, `${from} → ${to}`).toBe(false);
    }
  });

  it.each(states)('rejects the self-transition %s → %s without counting it', (state) => {
    const result = transitionLifecycle({ state, iterations: 5 }, state);
    expect(result).toEqual({
      ok: false,
      reason: `already ${state}: ${state} → ${state} is not a transition`,
    });
  });

  it('walks the whole journey: brief, mockup, plan, build, bug fix, completed', () => {
    const journey: LifecycleState[] = [
      'initializing', // the agent collects the brief
      'waiting_approval', // approve the brief
      'initializing', // mockup
      'waiting_approval', // approve the mockup
      'planning', // initializer fills the board
      'coding',
      'testing',
      'coding', // a test failed
      'testing',
      'verifying',
      'coding', // next feature
      'verifying',
      'completed', // intent audit passed
      'analyzing', // a bug report
      'coding', // the fix
      'testing',
      'verifying',
      'completed',
    ];
    let current: Lifecycle = initialLifecycle;
    for (const to of journey) {
      const result = assertLifecycleTransition(current, to);
      expect(result.capReached).toBe(false);
      current = result.state;
    }
    expect(current).toEqual({ state: 'completed', iterations: journey.length });
  });

  it('recovers from error after a human decision', () => {
    const failed = assertLifecycleTransition({ state: 'coding', iterations: 10 }, 'error').state;
    expect(assertLifecycleTransition(failed, 'coding').state).toEqual({ state: 'coding', iterations: 12 });
  });
});

describe('iteration cap', () => {
  it('defaults to 1000', () => {
    expect(DEFAULT_ITERATION_CAP).toBe(1000);
  });

  it('lets the 999th transition through', () => {
    expect(transitionLifecycle({ state: 'coding', iterations: 998 }, 'testing')).toEqual({
      ok: true,
      state: { state: 'testing', iterations: 999 },
      capReached: false,
    });
  });

  it('turns the transition that reaches the cap into error', () => {
    expect(transitionLifecycle({ state: 'coding', iterations: 999 }, 'testing')).toEqual({
      ok: true,
      state: { state: 'error', iterations: 1000 },
      capReached: true,
    });
  });

  it('forces error even from states the table gives no error exit', () => {
    for (const [state, to] of [
      ['idle', 'initializing'],
      ['completed', 'analyzing'],
    ] as const) {
      expect(transitionLifecycle({ state, iterations: 2000 }, to)).toEqual({
        ok: true,
        state: { state: 'error', iterations: 2001 },
        capReached: true,
      });
    }
  });

  it('still rejects an invalid transition at the cap, without counting it', () => {
    const result = transitionLifecycle({ state: 'coding', iterations: 999 }, 'completed');
    expect(result.ok).toBe(false);
  });

  it('keeps a capped machine in error until the counter is reset', () => {
    const capped = { state: 'error', iterations: 1000 } as const;
    const result = transitionLifecycle(capped, 'coding');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(/iteration cap \(1000\)/);
    expect(transitionLifecycle({ ...capped, iterations: 0 }, 'coding').ok).toBe(true);
  });

  it('honours a custom cap', () => {
    const options = { iterationCap: 3 };
    let current: Lifecycle = initialLifecycle;
    const results = (['initializing', 'planning', 'coding'] as const).map((to) => {
      const result = assertLifecycleTransition(current, to, options);
      current = result.state;
      return result;
    });
    expect(results.map((r) => [r.state, r.capReached])).toEqual([
      [{ state: 'initializing', iterations: 1 }, false],
      [{ state: 'planning', iterations: 2 }, false],
      [{ state: 'error', iterations: 3 }, true],
    ]);
  });

  it('refuses a cap that is not a positive integer', () => {
    for (const iterationCap of [0, -1, 1.5, Number.NaN]) {
      expect(() => transitionLifecycle(initialLifecycle, 'initializing', { iterationCap })).toThrow(
        RangeError,
      );
    }
  });
});

describe('assertLifecycleTransition', () => {
  it('throws InvalidTransitionError carrying from, to and reason', () => {
    let caught: unknown;
    try {
      assertLifecycleTransition({ state: 'idle', iterations: 0 }, 'completed');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidTransitionError);
    expect(caught).toBeInstanceOf(EngineError);
    const error = caught as InvalidTransitionError;
    expect(error).toMatchObject({ from: 'idle', to: 'completed', code: 'invalid_transition' });
    expect(error.message).toBe(error.reason);
    expect(error.reason).toMatch(/idle.*completed/);
  });
});

describe('Lifecycle schema', () => {
  it('parses a persisted lifecycle and rejects a negative counter or unknown state', () => {
    expect(Lifecycle.parse({ state: 'coding', iterations: 4 })).toEqual({ state: 'coding', iterations: 4 });
    expect(Lifecycle.safeParse({ state: 'coding', iterations: -1 }).success).toBe(false);
    expect(Lifecycle.safeParse({ state: 'deploying', iterations: 0 }).success).toBe(false);
  });
});
