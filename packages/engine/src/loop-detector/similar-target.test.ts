import { describe, expect, it } from 'vitest';
import { DEFAULT_LOOP_OPTIONS } from './options.ts';
import { detectSimilarTarget } from './similar-target.ts';
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

const page = (colour: string) =>
  `<section class="hero" style="background:${colour}"><h1>Maria’s Pizzeria</h1>` +
  '<p>Wood-fired pizza in the heart of town since 1987. Open Tuesday to Sunday.</p>' +
  '<a class="button" href="/menu.html">See the menu</a></section>';
const v1 = page('red');
const v2 = page('tomato');
const v3 = page('crimson');

/** An edit tool without a target hint: grouped by its non-content arguments. */
const editSection = (section: string, html: string): StepInput =>
  call('edit_section', { page: 'home', section, html }, { ok: true });

interface Case {
  name: string;
  steps: StepInput[];
  expected: Expected;
  options?: Partial<LoopDetectorOptions>;
}

describe('detectSimilarTarget', () => {
  it.each<Case>([
    {
      name: 'three slightly different writes of one file',
      steps: [write('index.html', v1), write('index.html', v2), write('index.html', v3)],
      expected: { count: 3, indices: [0, 1, 2] },
    },
    {
      name: 'only two similar writes',
      steps: [read('index.html'), write('index.html', v1), write('index.html', v2)],
      expected: null,
    },
    {
      name: 'three identical writes (exact repetition’s job)',
      steps: [write('index.html', v1), write('index.html', v1), write('index.html', v1)],
      expected: null,
    },
    {
      name: 'unrelated steps and failing checks in between',
      steps: [
        write('index.html', v1),
        read('styles.css'),
        write('index.html', v2, { args: { path: 'index.html', content: v2, requestId: 'req-2' } }),
        check('hero is red', false),
        call('list_files'),
        write('index.html', v3, {
          args: { path: 'index.html', content: v3, timestamp: '2024-05-01T10:00Z' },
        }),
      ],
      expected: { count: 3, indices: [0, 2, 5] },
    },
    {
      name: 'a passed check in between is progress',
      steps: [write('index.html', v1), write('index.html', v2), check('hero', true), write('index.html', v3)],
      expected: null,
    },
    {
      name: 'a dissimilar attempt in between ends the cluster',
      steps: [
        write('index.html', v1),
        write('index.html', '<main>completely rewritten</main>'),
        write('index.html', v2),
        write('index.html', v3),
      ],
      expected: null,
    },
    {
      name: 'similar content on different files',
      steps: [write('a.html', v1), write('b.html', v2), write('c.html', v3)],
      expected: null,
    },
    {
      name: 'no target hint: same tool and non-content args, similar content',
      steps: [editSection('hero', v1), editSection('hero', v2), read('x'), editSection('hero', v3)],
      expected: { count: 3, indices: [0, 1, 3] },
    },
    {
      name: 'no target hint: different sections are different targets',
      steps: [editSection('hero', v1), editSection('menu', v2), editSection('footer', v3)],
      expected: null,
    },
    {
      name: 'a stricter threshold from options',
      steps: [write('index.html', v1), write('index.html', v2), write('index.html', v3)],
      expected: null,
      options: { similarityThreshold: 0.99 },
    },
  ])('$name', ({ steps: inputs, expected, options }) => {
    const finding = detectSimilarTarget(steps(...inputs), { ...DEFAULT_LOOP_OPTIONS, ...options });
    expect(summarize(finding)).toEqual(expectedFinding('similar_target', expected));
  });
});
