import { describe, expect, it } from 'vitest';
import { detectSameContentRewrite } from './content-rewrite.ts';
import { DEFAULT_LOOP_OPTIONS } from './options.ts';
import {
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

const same = write('index.html', '<h1>Maria’s</h1>\n<p>Pizza</p>');
const other = write('index.html', '<h1>Maria’s Pizzeria</h1>');

interface Case {
  name: string;
  steps: StepInput[];
  expected: Expected;
  options?: Partial<LoopDetectorOptions>;
}

describe('detectSameContentRewrite', () => {
  it.each<Case>([
    { name: 'three identical writes', steps: [same, same, same], expected: { count: 3, indices: [0, 1, 2] } },
    { name: 'only two identical writes', steps: [other, same, same], expected: null },
    {
      name: 'other files and checks in between',
      steps: [same, write('a.css', 'a'), check('hero', false), same, read('index.html'), same],
      expected: { count: 3, indices: [0, 3, 5] },
    },
    { name: 'a different write in between resets the run', steps: [same, other, same, same], expected: null },
    {
      name: 'counts only the latest run',
      steps: [same, other, same, same, same],
      expected: { count: 3, indices: [2, 3, 4] },
    },
    {
      name: 'a failed write in between changes nothing',
      steps: [same, { ...other, outcome: 'error', error: 'EACCES' }, same, same],
      expected: { count: 3, indices: [0, 2, 3] },
    },
    {
      name: 'an edit of unknown content in between resets the run',
      steps: [same, { tool: 'patch_file', target: 'index.html', isEdit: true }, same, same],
      expected: null,
    },
    {
      name: 'CRLF and LF are the same content',
      steps: [same, write('index.html', '<h1>Maria’s</h1>\r\n<p>Pizza</p>'), same],
      expected: { count: 3, indices: [0, 1, 2] },
    },
    {
      name: 'whitespace inside content does matter',
      steps: [same, write('index.html', '<h1>Maria’s</h1>\n<p>Pizza</p> '), same],
      expected: null,
    },
    {
      name: 'the same content on different files',
      steps: [write('a.html', 'x'), write('b.html', 'x'), write('c.html', 'x')],
      expected: null,
    },
    {
      name: 'steps not marked as edits',
      steps: [same, same, same].map((s) => ({ ...s, isEdit: false })),
      expected: null,
    },
    {
      name: 'a stricter threshold from options',
      steps: [same, same],
      expected: { count: 2, indices: [0, 1] },
      options: { rewriteRepetitions: 2 },
    },
  ])('$name', ({ steps: inputs, expected, options }) => {
    const finding = detectSameContentRewrite(steps(...inputs), { ...DEFAULT_LOOP_OPTIONS, ...options });
    expect(summarize(finding)).toEqual(expectedFinding('same_content_rewrite', expected));
  });
});
