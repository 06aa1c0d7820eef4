import { describe, expect, it } from 'vitest';
import {
  canonicalAction,
  canonicalize,
  canonicalizeError,
  canonicalResult,
  isVolatileKey,
} from './canonicalize.ts';
import { similarity } from './similarity.ts';
import type { Step } from './types.ts';

const uuid = (n: number) => `123e4567-e89b-12d3-a456-42661417400${n}`;

describe('canonicalize', () => {
  it.each<[string, unknown, string]>([
    ['sorts keys at every depth', { b: 1, a: { d: 2, c: 3 } }, '{"a":{"c":3,"d":2},"b":1}'],
    [
      'drops ids, timestamps and the model’s prose',
      {
        path: 'a.html',
        id: 7,
        ids: [1],
        requestId: 'r-1',
        user_id: 3,
        createdAt: 'x',
        updatedAt: 'y',
        timestamp: 1,
        at: 1,
        time: 1,
        date: 'd',
        seq: 4,
        durationMs: 12,
        reasoning: 'r',
        thought: 't',
        thoughts: ['t'],
        explanation: 'e',
        rationale: 'r',
      },
      '{"path":"a.html"}',
    ],
    [
      'keeps message, question and description (payload, not narration)',
      { message: 'Fix footer', question: 'Which colour?', description: 'Red' },
      '{"description":"Red","message":"Fix footer","question":"Which colour?"}',
    ],
    [
      'drops volatile keys inside arrays',
      { items: [{ id: 1, title: 'Home' }] },
      '{"items":[{"title":"Home"}]}',
    ],
    ['replaces UUIDs', { ref: `see ${uuid(0)} now` }, '{"ref":"see <uuid> now"}'],
    [
      'replaces ISO timestamps',
      'at 2024-05-01T12:30:00.123Z and 2024-05-01 12:30+02:00',
      '"at <time> and <time>"',
    ],
    [
      'replaces long hex and epoch milliseconds',
      'commit 9fceb02d0ae598e95dc970b74767f19372d61af8 at 1714566600000',
      '"commit <hex> at <hex>"',
    ],
    [
      'keeps short numbers and hex-looking words',
      'call 0171 555 0199, deadbeef',
      '"call 0171 555 0199, deadbeef"',
    ],
    ['trims and collapses whitespace', '  two\n\n  lines\there ', '"two lines here"'],
    ['keeps array order; undefined items become null', [3, undefined, 'a'], '[3,null,"a"]'],
    ['drops undefined fields, keeps null', { a: undefined, b: null }, '{"b":null}'],
    ['turns non-finite numbers into null', { n: Number.NaN }, '{"n":null}'],
    ['gives an empty string for undefined', undefined, ''],
  ])('%s', (_name, value, expected) => {
    expect(canonicalize(value)).toBe(expected);
  });

  it.each<[string, boolean, unknown, unknown]>([
    ['key order differs', true, { a: 1, b: 2 }, { b: 2, a: 1 }],
    [
      'ids and timestamps differ',
      true,
      { path: 'x', requestId: uuid(1), timestamp: '2024-05-01T10:00:00Z' },
      { path: 'x', requestId: uuid(2), timestamp: '2024-05-01T10:00:07Z' },
    ],
    ['prose differs', true, { path: 'x', reasoning: 'first try' }, { path: 'x', reasoning: 'let me retry' }],
    ['whitespace differs', true, { query: 'pizza  menu ' }, { query: 'pizza menu' }],
    ['paths differ', false, { path: 'a.html' }, { path: 'b.html' }],
    ['messages differ', false, { message: 'Hello' }, { message: 'Goodbye' }],
    ['array order differs', false, { files: ['a', 'b'] }, { files: ['b', 'a'] }],
    ['a number vs a string', false, { n: 1 }, { n: '1' }],
  ])('%s → same: %s', (_name, same, a, b) => {
    expect(canonicalize(a) === canonicalize(b)).toBe(same);
  });
});

describe('isVolatileKey', () => {
  it.each([
    ['id', true],
    ['ID', true],
    ['uuid', true],
    ['_id', true],
    ['requestId', true],
    ['pageID', true],
    ['itemIds', true],
    ['user_id', true],
    ['user_ids', true],
    ['createdAt', true],
    ['startedAt', true],
    ['created_at', true],
    ['timestamp', true],
    ['seq', true],
    ['thoughts', true],
    ['path', false],
    ['valid', false],
    ['paid', false],
    ['width', false],
    ['format', false],
    ['repeat', false],
    ['message', false],
    ['content', false],
    ['identity', false],
  ])('%s → %s', (key, volatile) => {
    expect(isVolatileKey(key)).toBe(volatile);
  });
});

describe('canonicalizeError', () => {
  it.each<[string, boolean, string, string]>([
    [
      'line/column and durations differ',
      true,
      'Unexpected token at line 12:5 (after 340ms)',
      'Unexpected token at line 40:1 (after 12ms)',
    ],
    [
      'request ids differ',
      true,
      `Upstream failed (request ${uuid(1)})`,
      `Upstream failed (request ${uuid(2)})`,
    ],
    ['whitespace differs', true, 'EACCES:  permission denied\n', 'EACCES: permission denied'],
    ['the words differ', false, 'EACCES: permission denied', 'ENOENT: no such file'],
  ])('%s → same: %s', (_name, same, a, b) => {
    expect(canonicalizeError(a) === canonicalizeError(b)).toBe(same);
  });

  it('collapses numbers to #', () => {
    expect(canonicalizeError('Timeout after 3.5 s at 2024-05-01T10:00:00Z, attempt 2')).toBe(
      'Timeout after # s at <time>, attempt #',
    );
  });
});

describe('canonical actions and results', () => {
  const base: Step = { seq: 1, tool: 'read_file', args: { path: 'a' }, outcome: 'ok', result: { text: 'x' } };

  it('includes the tool in the action', () => {
    expect(canonicalAction(base)).not.toBe(canonicalAction({ ...base, tool: 'delete_file' }));
  });

  it('tells results from errors and canonicalises both', () => {
    const failed: Step = { ...base, outcome: 'error', error: 'Timeout after 30ms' };
    expect(canonicalResult(base)).toBe('ok {"text":"x"}');
    expect(canonicalResult(failed)).toBe(canonicalResult({ ...failed, error: 'Timeout after 45ms' }));
    expect(canonicalResult(failed)).not.toBe(canonicalResult(base));
  });
});

describe('similarity', () => {
  const page = '<section class="hero"><h1>Maria’s Pizzeria</h1><p>Wood-fired pizza since 1987.</p></section>';

  it.each<[string, string, string, number, number]>([
    ['identical', page, page, 1, 1],
    ['both empty', '', '', 1, 1],
    ['one empty', '', page, 0, 0],
    ['one word changed', page, page.replace('Wood-fired', 'Stone-baked'), 0.85, 0.99],
    ['unrelated', page, 'User-agent: * Disallow: /admin', 0, 0.3],
  ])('%s', (_name, a, b, min, max) => {
    const score = similarity(a, b);
    expect(score).toBeGreaterThanOrEqual(min);
    expect(score).toBeLessThanOrEqual(max);
    expect(similarity(b, a)).toBe(score);
  });

  it('stays cheap on huge texts by comparing head and tail', () => {
    const huge = 'x'.repeat(2_000_000);
    const started = performance.now();
    expect(similarity(`${huge}a`, `${huge}b`)).toBeGreaterThan(0.99);
    expect(performance.now() - started).toBeLessThan(500);
  });
});
