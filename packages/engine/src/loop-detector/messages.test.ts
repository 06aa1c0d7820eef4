import { describe, expect, it } from 'vitest';
import { describeLoopForOwner, formatUsd, loopNudge } from './messages.ts';
import type { LoopFinding, LoopKind } from './types.ts';

const KINDS: LoopKind[] = [
  'exact_repetition',
  'pattern_repetition',
  'similar_target',
  'error_loop',
  'same_result',
  'alternation',
  'same_content_rewrite',
  'check_still_failing',
];

const finding = (kind: LoopKind): LoopFinding => ({
  kind,
  subject: kind === 'check_still_failing' ? 'check "phone in footer"' : 'write file (index.html)',
  count: 3,
  seqs: [10, 12, 14, 16, 18, 20],
  costUsd: 0.0421,
  description: 'unused by the messages',
});

describe('loopNudge', () => {
  it.each(KINDS)('%s: one sentence naming what repeated and how often', (kind) => {
    const nudge = loopNudge(finding(kind));
    expect(nudge).toMatch(/^[A-Z].*\.$/);
    expect(nudge.replace('index.html', '')).not.toMatch(/\.\s/);
    expect(nudge.toLowerCase()).toContain(finding(kind).subject);
    expect(nudge).toContain('3');
    expect(nudge).toContain('try a different approach');
  });

  it('reads naturally for an exact repetition', () => {
    expect(loopNudge({ ...finding('exact_repetition'), count: 5 })).toBe(
      'You have repeated write file (index.html) 5 times in a row with the same arguments; try a different approach, or escalate to the owner if you are stuck.',
    );
  });
});

describe('describeLoopForOwner', () => {
  it.each(KINDS)('%s: plain words, how many times and the cost', (kind) => {
    const text = describeLoopForOwner(finding(kind));
    expect(text).toContain('3');
    expect(text).toContain('$0.0421');
    expect(text).not.toMatch(/\b(?:canonical|args|seqs?|heuristic|undefined|null|NaN)\b/i);
  });

  it('reads naturally for a failing check', () => {
    expect(describeLoopForOwner(finding('check_still_failing'))).toBe(
      'The site check "phone in footer" kept failing after 3 different fixes, so it seems to be stuck. These repeated steps cost $0.0421.',
    );
  });
});

describe('formatUsd', () => {
  it.each([
    [0, '$0.00'],
    [0.05, '$0.05'],
    [0.0421, '$0.0421'],
    [0.123456, '$0.1235'],
    [1.5, '$1.50'],
    [1234.5, '$1,234.50'],
    [0.00001, 'less than $0.0001'],
  ])('%d → %s', (amount, text) => {
    expect(formatUsd(amount)).toBe(text);
  });
});
