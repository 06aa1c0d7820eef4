import { describe, expect, it } from 'vitest';
import { detectLoop, LOOP_HEURISTICS } from './detect-loop.ts';
import { DEFAULT_LOOP_OPTIONS } from './options.ts';
import { call, check, failure, healthySession, read, type StepInput, steps, write } from './test-steps.ts';
import type { LoopKind } from './types.ts';

const A = read('a.html');
const B = write('b.html', '<p>b</p>');
const hero = (colour: string) =>
  `<section class="hero" style="background:${colour}"><h1>Maria’s Pizzeria</h1><p>Wood-fired pizza since 1987, open Tuesday to Sunday.</p></section>`;

describe('detectLoop on a healthy session', () => {
  const session = healthySession();

  it('is a realistic, varied session of about 30 steps', () => {
    expect(session.length).toBe(30);
    expect(new Set(session.map((step) => step.tool)).size).toBeGreaterThanOrEqual(8);
  });

  it('finds nothing at any point of it (detection runs before every step)', () => {
    for (let end = 1; end <= session.length; end++) expect(detectLoop(session.slice(0, end))).toBeNull();
  });

  it.each(LOOP_HEURISTICS.map((heuristic) => [heuristic.name, heuristic] as const))(
    '%s finds nothing in it',
    (_name, heuristic) => {
      expect(heuristic(session, DEFAULT_LOOP_OPTIONS)).toBeNull();
    },
  );

  it('finds a loop that starts after it', () => {
    const looping = [...session, ...steps(...Array.from({ length: 5 }, () => A))].map((step, i) => ({
      ...step,
      seq: 1000 + i,
    }));
    expect(detectLoop(looping)?.kind).toBe('exact_repetition');
  });

  it('finds nothing in no steps', () => {
    expect(detectLoop([])).toBeNull();
  });
});

describe('detectLoop priority', () => {
  it.each<{ name: string; steps: StepInput[]; alsoFiring: LoopKind[]; expected: LoopKind }>([
    {
      name: 'the same failing call five times',
      steps: Array.from({ length: 5 }, () => failure('deploy', 'quota exceeded')),
      alsoFiring: ['exact_repetition', 'same_result'],
      expected: 'error_loop',
    },
    {
      name: 'two actions taking turns',
      steps: [A, read('b.html'), A, read('b.html'), A, read('b.html')],
      alsoFiring: ['pattern_repetition'],
      expected: 'alternation',
    },
    {
      name: 'the same file written five times in a row',
      steps: Array.from({ length: 5 }, () => B),
      alsoFiring: ['exact_repetition', 'same_result'],
      expected: 'same_content_rewrite',
    },
    {
      name: 'slightly different fixes of one file while its check keeps failing',
      steps: [
        check('hero is red', false),
        write('index.html', hero('red')),
        check('hero is red', false),
        write('index.html', hero('tomato')),
        check('hero is red', false),
        write('index.html', hero('crimson')),
        check('hero is red', false),
      ],
      alsoFiring: ['similar_target', 'same_result'],
      expected: 'check_still_failing',
    },
    {
      name: 'the same question answered the same way, not in a row',
      steps: [1, 2, 3, 4].flatMap((n) => [call('get_next_item', {}, { title: 'Menu' }), read(`p${n}.html`)]),
      alsoFiring: [],
      expected: 'same_result',
    },
  ])('$name → $expected', ({ steps: inputs, alsoFiring, expected }) => {
    const session = steps(...inputs);
    const firing = LOOP_HEURISTICS.map((heuristic) => heuristic(session)?.kind).filter(Boolean);
    expect(firing).toEqual(expect.arrayContaining([expected, ...alsoFiring]));
    expect(detectLoop(session)?.kind).toBe(expected);
  });
});

describe('detectLoop options', () => {
  it('applies overrides and keeps the other defaults', () => {
    const three = steps(A, A, A);
    expect(detectLoop(three)).toBeNull();
    expect(detectLoop(three, { exactRepetitions: 3 })?.kind).toBe('exact_repetition');
    expect(detectLoop(three, { exactRepetitions: undefined })).toBeNull();
  });

  it('looks only at the window', () => {
    const errors = steps(
      failure('deploy', 'quota'),
      read('x'),
      failure('deploy', 'quota'),
      failure('deploy', 'quota'),
    );
    expect(detectLoop(errors)?.kind).toBe('error_loop');
    expect(detectLoop(errors, { window: 3 })).toBeNull();
  });

  it('reports cost, subject and seqs of the loop steps only', () => {
    const session = steps(read('x'), ...Array.from({ length: 5 }, () => ({ ...A, costUsd: 0.0125 })));
    expect(detectLoop(session)).toEqual({
      kind: 'exact_repetition',
      subject: 'read file (a.html)',
      count: 5,
      seqs: session.slice(1).map((step) => step.seq),
      costUsd: 0.0625,
      description: 'The same action, read file (a.html), ran 5 times in a row with the same arguments.',
    });
  });
});
