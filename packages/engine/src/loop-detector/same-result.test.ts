import { describe, expect, it } from 'vitest';
import { DEFAULT_LOOP_OPTIONS } from './options.ts';
import { detectSameResult } from './same-result.ts';
import {
  call,
  check,
  type Expected,
  expectedFinding,
  failure,
  read,
  type StepInput,
  steps,
  summarize,
  write,
} from './test-steps.ts';
import type { LoopDetectorOptions } from './types.ts';

const nextItem = call('get_next_item', {}, { id: 7, title: 'Menu section' });
const filler = (n: number): StepInput[] => Array.from({ length: n }, (_, i) => read(`page-${i}.html`));

interface Case {
  name: string;
  steps: StepInput[];
  expected: Expected;
  options?: Partial<LoopDetectorOptions>;
}

describe('detectSameResult', () => {
  it.each<Case>([
    {
      name: 'the same call with the same answer four times, with other steps between',
      steps: [nextItem, read('a'), nextItem, write('a', 'x'), nextItem, nextItem],
      expected: { count: 4, indices: [0, 2, 4, 5] },
    },
    { name: 'only three times', steps: [nextItem, read('a'), nextItem, nextItem], expected: null },
    {
      name: 'results differ only in ids and timestamps',
      steps: [1, 2, 3, 4].map((n) =>
        call('get_status', {}, { eventId: n, at: `2024-05-01T10:0${n}:00Z`, state: 'building' }),
      ),
      expected: { count: 4, indices: [0, 1, 2, 3] },
    },
    {
      name: 'the same call with a changing answer',
      steps: [1, 2, 3, 4].map((n) =>
        call('list_files', {}, { files: Array.from({ length: n }, (_, i) => `p${i}`) }),
      ),
      expected: null,
    },
    {
      name: 'a passing check re-run after each edit is progress',
      steps: [1, 2, 3, 4].flatMap((n) => [write(`p${n}.html`, `<p>${n}</p>`), check('site builds', true)]),
      expected: null,
    },
    {
      name: 'the same failure spread wider than the error window',
      steps: [
        failure('deploy', 'quota exceeded'),
        ...filler(5),
        failure('deploy', 'quota exceeded'),
        ...filler(5),
        failure('deploy', 'quota exceeded'),
        ...filler(5),
        failure('deploy', 'quota exceeded'),
      ],
      expected: { count: 4, indices: [0, 6, 12, 18] },
    },
    {
      name: 'the first occurrence fell out of the window',
      steps: [nextItem, ...filler(17), nextItem, nextItem, nextItem],
      expected: null,
    },
    {
      name: 'a larger threshold from options',
      steps: [nextItem, nextItem, nextItem, nextItem],
      expected: null,
      options: { sameResultRepetitions: 5 },
    },
  ])('$name', ({ steps: inputs, expected, options }) => {
    const finding = detectSameResult(steps(...inputs), { ...DEFAULT_LOOP_OPTIONS, ...options });
    expect(summarize(finding)).toEqual(expectedFinding('same_result', expected));
  });
});
