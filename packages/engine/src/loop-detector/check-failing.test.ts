import { describe, expect, it } from 'vitest';
import { detectCheckStillFailing } from './check-failing.ts';
import { DEFAULT_LOOP_OPTIONS } from './options.ts';
import {
  call,
  check,
  type Expected,
  expectedFinding,
  read,
  type StepInput,
  steps,
  summarize,
  write,
} from './test-steps.ts';
import type { LoopDetectorOptions } from './types.ts';

const fail = check('phone in footer', false);
const pass = check('phone in footer', true);
const edit = (n: number) => write('index.html', `<footer>Call 0171 555 01${n}</footer>`);

interface Case {
  name: string;
  steps: StepInput[];
  expected: Expected;
  options?: Partial<LoopDetectorOptions>;
}

describe('detectCheckStillFailing', () => {
  it.each<Case>([
    {
      name: 'three different edits, each followed by the check failing',
      steps: [fail, edit(1), fail, edit(2), fail, edit(3), fail],
      expected: { count: 3, indices: [0, 1, 2, 3, 4, 5, 6] },
    },
    { name: 'only two edit rounds', steps: [fail, edit(1), fail, edit(2), fail], expected: null },
    {
      name: 'the last edit has not been checked yet',
      steps: [fail, edit(1), fail, edit(2), fail, edit(3)],
      expected: null,
    },
    {
      name: 'a pass in between starts over',
      steps: [fail, edit(1), fail, edit(2), pass, edit(3), fail, edit(4), fail],
      expected: null,
    },
    {
      name: 'the same edit repeated counts once',
      steps: [fail, edit(1), fail, edit(1), fail, edit(1), fail],
      expected: null,
    },
    {
      name: 'several edits between two runs are one round',
      steps: [fail, edit(1), edit(2), fail, edit(3), fail],
      expected: null,
    },
    {
      name: 'edits to any target, with unrelated steps and other checks between',
      steps: [
        fail,
        edit(1),
        check('menu visible', true),
        fail,
        read('styles.css'),
        write('styles.css', 'footer { display: block }'),
        fail,
        call('list_files'),
        write('footer.html', '<p>0171 555 0199</p>'),
        fail,
      ],
      expected: { count: 3, indices: [0, 1, 3, 5, 6, 8, 9] },
    },
    {
      name: 'another check failing in between does not count as a run',
      steps: [
        fail,
        edit(1),
        check('menu visible', false),
        edit(2),
        check('menu visible', false),
        edit(3),
        fail,
      ],
      expected: null,
    },
    {
      name: 'failed edits do not count',
      steps: [fail, edit(1), fail, { ...edit(2), outcome: 'error', error: 'EACCES' }, fail, edit(3), fail],
      expected: null,
    },
    {
      name: 'the streak after an earlier pass',
      steps: [pass, fail, edit(1), fail, edit(2), fail, edit(3), fail],
      expected: { count: 3, indices: [1, 2, 3, 4, 5, 6, 7] },
    },
    {
      name: 'a lower threshold from options',
      steps: [fail, edit(1), fail, edit(2), fail],
      expected: { count: 2, indices: [0, 1, 2, 3, 4] },
      options: { checkFailingEdits: 2 },
    },
  ])('$name', ({ steps: inputs, expected, options }) => {
    const finding = detectCheckStillFailing(steps(...inputs), { ...DEFAULT_LOOP_OPTIONS, ...options });
    expect(summarize(finding)).toEqual(expectedFinding('check_still_failing', expected));
  });
});
