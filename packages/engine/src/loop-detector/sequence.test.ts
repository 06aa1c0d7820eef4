import { describe, expect, it } from 'vitest';
import { DEFAULT_LOOP_OPTIONS } from './options.ts';
import {
  detectAlternation,
  detectExactRepetition,
  detectPatternRepetition,
  periodicTailLength,
} from './sequence.ts';
import {
  call,
  type Expected,
  expectedFinding,
  read,
  type StepInput,
  steps,
  summarize,
  write,
} from './test-steps.ts';
import type { LoopDetectorOptions } from './types.ts';

const A = read('a.html');
const B = write('b.html', '<p>b</p>');
const C = call('browser_check', { name: 'b renders' }, { passed: false });
const D = call('list_files');
const times = (n: number, ...block: StepInput[]): StepInput[] =>
  Array.from({ length: n }, () => block).flat();
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** The same fetch with a fresh request id, timestamp and narration each time. */
const fetchAttempt = (n: number): StepInput =>
  call(
    'fetch_page',
    {
      url: ' /menu ',
      requestId: `123e4567-e89b-12d3-a456-42661417400${n}`,
      timestamp: `2024-05-01T10:00:0${n}Z`,
      reasoning: `attempt ${n}: maybe it works now`,
    },
    { status: 500 },
  );

interface Case {
  name: string;
  steps: StepInput[];
  expected: Expected;
  options?: Partial<LoopDetectorOptions>;
}

describe('detectExactRepetition', () => {
  it.each<Case>([
    {
      name: '5 identical actions in a row',
      steps: times(5, A),
      expected: { count: 5, indices: range(0, 4) },
    },
    { name: 'only 4 in a row', steps: [B, ...times(4, A)], expected: null },
    { name: 'the run is not at the end', steps: [...times(5, A), B], expected: null },
    { name: 'the run is broken in the middle', steps: [...times(2, A), B, ...times(3, A)], expected: null },
    {
      name: 'ids, timestamps, prose and whitespace differ but the action is the same',
      steps: [0, 1, 2, 3, 4].map(fetchAttempt),
      expected: { count: 5, indices: range(0, 4) },
    },
    {
      name: 'reports the whole run, capped by the window',
      steps: times(25, A),
      expected: { count: 20, indices: range(5, 24) },
    },
    {
      name: 'a lower threshold from options',
      steps: times(3, A),
      expected: { count: 3, indices: [0, 1, 2] },
      options: { exactRepetitions: 3 },
    },
  ])('$name', ({ steps: inputs, expected, options }) => {
    const finding = detectExactRepetition(steps(...inputs), { ...DEFAULT_LOOP_OPTIONS, ...options });
    expect(summarize(finding)).toEqual(expectedFinding('exact_repetition', expected));
  });
});

describe('detectPatternRepetition', () => {
  it.each<Case>([
    {
      name: 'A B C three times',
      steps: [D, ...times(3, A, B, C)],
      expected: { count: 3, indices: range(1, 9) },
    },
    { name: 'A B C only twice', steps: times(2, A, B, C), expected: null },
    { name: 'the last block differs', steps: [...times(2, A, B, C), A, B, D], expected: null },
    { name: 'a single action repeated (exact repetition’s job)', steps: times(6, A), expected: null },
    {
      name: 'a block with a repeated action inside',
      steps: times(3, A, A, B),
      expected: { count: 3, indices: range(0, 8) },
    },
    {
      name: 'fresh ids and timestamps in every block',
      steps: [0, 1, 2].flatMap((n) => [fetchAttempt(n), B]),
      expected: { count: 3, indices: range(0, 5) },
    },
    {
      name: 'the shortest period wins: A B four times',
      steps: [C, ...times(4, A, B)],
      expected: { count: 4, indices: range(1, 8) },
    },
    {
      name: 'a 10-step block three times does not fit the default window',
      steps: times(3, ...uniqueSteps(10)),
      expected: null,
    },
    {
      name: 'a 10-step block three times with a 30-step window',
      steps: times(3, ...uniqueSteps(10)),
      expected: { count: 3, indices: range(0, 29) },
      options: { window: 30 },
    },
    {
      name: 'an 11-step block is longer than any pattern',
      steps: times(3, ...uniqueSteps(11)),
      expected: null,
      options: { window: 40 },
    },
  ])('$name', ({ steps: inputs, expected, options }) => {
    const finding = detectPatternRepetition(steps(...inputs), { ...DEFAULT_LOOP_OPTIONS, ...options });
    expect(summarize(finding)).toEqual(expectedFinding('pattern_repetition', expected));
  });

  it('names the repeated block in order', () => {
    const finding = detectPatternRepetition(steps(...times(3, A, B, C)));
    expect(finding?.subject).toBe('read file (a.html) → write file (b.html) → browser check');
  });
});

describe('detectAlternation', () => {
  it.each<Case>([
    { name: 'A B A B A B', steps: [C, ...times(3, A, B)], expected: { count: 6, indices: range(1, 6) } },
    { name: 'only 5 alternating steps', steps: [C, A, B, A, B, A], expected: null },
    { name: 'the last step breaks it', steps: [...times(2, A, B), A, C], expected: null },
    { name: 'one action only (exact repetition’s job)', steps: times(6, A), expected: null },
    { name: 'three actions taking turns', steps: times(2, A, B, C), expected: null },
    {
      name: 'fresh ids and prose on every A',
      steps: [0, 1, 2].flatMap((n) => [fetchAttempt(n), B]),
      expected: { count: 6, indices: range(0, 5) },
    },
    {
      name: 'reports the whole alternating tail',
      steps: [D, B, ...times(4, A, B)],
      expected: { count: 9, indices: range(1, 9) },
    },
  ])('$name', ({ steps: inputs, expected, options }) => {
    const finding = detectAlternation(steps(...inputs), { ...DEFAULT_LOOP_OPTIONS, ...options });
    expect(summarize(finding)).toEqual(expectedFinding('alternation', expected));
  });
});

describe('periodicTailLength', () => {
  it.each<[string[], number, number]>([
    [[], 1, 0],
    [['a'], 1, 1],
    [['x', 'a', 'a', 'a'], 1, 3],
    [['x', 'a', 'b', 'a', 'b'], 2, 4],
    [['b', 'a', 'b'], 2, 3],
    [['a', 'b', 'c', 'a', 'b', 'd'], 3, 3],
  ])('%j with period %i → %i', (items, period, length) => {
    expect(periodicTailLength(items, period)).toBe(length);
  });
});

/** `n` pairwise different actions. */
function uniqueSteps(n: number): StepInput[] {
  return Array.from({ length: n }, (_, i) => read(`page-${i}.html`));
}
