import { describe, expect, it } from 'vitest';
import { detectErrorLoop } from './error-loop.ts';
import { DEFAULT_LOOP_OPTIONS } from './options.ts';
import {
  call,
  type Expected,
  expectedFinding,
  failure,
  read,
  type StepInput,
  steps,
  summarize,
} from './test-steps.ts';
import type { LoopDetectorOptions } from './types.ts';

const denied = failure('write_file', 'EACCES: permission denied, open "/site/x.html"', { path: 'x.html' });
const filler = (n: number): StepInput[] => Array.from({ length: n }, (_, i) => read(`page-${i}.html`));

interface Case {
  name: string;
  steps: StepInput[];
  expected: Expected;
  options?: Partial<LoopDetectorOptions>;
}

describe('detectErrorLoop', () => {
  it.each<Case>([
    {
      name: 'the same error three times',
      steps: [denied, denied, denied],
      expected: { count: 3, indices: [0, 1, 2] },
    },
    { name: 'the same error twice', steps: [read('a'), denied, denied], expected: null },
    {
      name: 'line numbers, durations, request ids and timestamps differ',
      steps: [
        failure('build', 'SyntaxError at 12:5 after 340ms (req 123e4567-e89b-12d3-a456-426614174000)'),
        failure('build', 'SyntaxError at 40:1 after 12ms (req 123e4567-e89b-12d3-a456-426614174111)'),
        failure('build', 'SyntaxError  at 7:19 after 2ms\n(req 123e4567-e89b-12d3-a456-426614174222)'),
      ],
      expected: { count: 3, indices: [0, 1, 2] },
    },
    {
      name: 'unrelated successful steps in between',
      steps: [denied, ...filler(3), denied, call('list_files'), denied, read('b')],
      expected: { count: 3, indices: [0, 4, 6] },
    },
    {
      name: 'three errors exactly within the last 10 steps',
      steps: [denied, ...filler(7), denied, denied],
      expected: { count: 3, indices: [0, 8, 9] },
    },
    {
      name: 'the first error is 11 steps back',
      steps: [denied, ...filler(8), denied, denied],
      expected: null,
    },
    {
      name: 'different errors',
      steps: [denied, failure('write_file', 'ENOSPC: no space left'), failure('write_file', 'EISDIR')],
      expected: null,
    },
    {
      name: 'the same message from different tools',
      steps: [denied, failure('read_file', denied.error ?? ''), failure('delete_file', denied.error ?? '')],
      expected: null,
    },
    {
      name: 'a failure without message, same result data',
      steps: [1, 2, 3].map(
        (n): StepInput => ({
          tool: 'deploy',
          outcome: 'error',
          result: { code: 'E_QUOTA', n: 1 },
          args: { n },
        }),
      ),
      expected: { count: 3, indices: [0, 1, 2] },
    },
    {
      name: 'a wider error window from options',
      steps: [denied, ...filler(8), denied, denied],
      expected: { count: 3, indices: [0, 9, 10] },
      options: { errorWindow: 11 },
    },
  ])('$name', ({ steps: inputs, expected, options }) => {
    const finding = detectErrorLoop(steps(...inputs), { ...DEFAULT_LOOP_OPTIONS, ...options });
    expect(summarize(finding)).toEqual(expectedFinding('error_loop', expected));
  });

  it('quotes the latest error in the description', () => {
    expect(detectErrorLoop(steps(denied, denied, denied))?.description).toBe(
      'write file failed 3 times in the last 3 steps with the same error: "EACCES: permission denied, open "/site/x.html"".',
    );
  });
});
