import type { Board, WorkItemCard } from '@sitewright/contracts';
import { describe, expect, it } from 'vitest';
import { cardFixture } from '../../testing/cards.ts';
import {
  allCards,
  findCard,
  linesOf,
  readEvidence,
  screenshotFile,
  snippet,
  statusWords,
} from './board-words.ts';

const card = (overrides: Partial<WorkItemCard>) => cardFixture({ name: 'Home', ...overrides });

describe('linesOf', () => {
  it('turns a textarea into trimmed steps without blank lines', () => {
    expect(linesOf('  Open /menu/ \n\n\r\nSee the dishes\n   ')).toEqual(['Open /menu/', 'See the dishes']);
    expect(linesOf('   \n')).toEqual([]);
  });
});

describe('screenshotFile', () => {
  it.each([
    ['menu-desktop-2025-01-01T00-00-00-000Z-a1b2c3.png', 'menu-desktop-2025-01-01T00-00-00-000Z-a1b2c3.png'],
    ['shot.jpeg', 'shot.jpeg'],
    ['../secret.png', null],
    ['shots/home.png', null],
    ['.hidden.png', null],
    ['page.svg', null],
    ['/data/evidence/home.png', null],
  ])('%s → %s', (name, expected) => {
    expect(screenshotFile(readEvidence(card({ evidence: { screenshot: name } })))).toBe(expected);
  });

  it('reads evidence of the usual shape and leaves other shapes alone', () => {
    const evidence = { checks: [{ name: 'loads', passed: true }], screenshot: 'a.png', commit: 'abc1234' };
    expect(readEvidence(card({ evidence }))).toEqual(evidence);
    expect(readEvidence(card({ evidence: 'just text' }))).toBeNull();
    expect(readEvidence(card({ evidence: null }))).toBeNull();
  });
});

describe('words', () => {
  it('says what a card state means, blocked before failing', () => {
    expect(statusWords(card({ status: 'in_progress', lane: 'in_progress' }))).toBe('being built');
    expect(statusWords(card({ status: 'failing', lane: 'ready' }))).toBe('failed, will retry');
    expect(statusWords(card({ status: 'failing', lane: 'blocked' }))).toBe('blocked');
  });

  it('cuts long errors to one line', () => {
    expect(snippet('line one\n  line two', 100)).toBe('line one line two');
    expect(snippet('x'.repeat(20), 10)).toBe(`${'x'.repeat(9)}…`);
  });
});

describe('allCards', () => {
  it('lists lane cards, bugs and their fixes once each', () => {
    const fix = card({ id: 3, itemType: 'fix', name: 'Fix phone', parentBugId: 2, lane: 'ready' });
    const bug = card({ id: 2, itemType: 'bug', name: 'Wrong phone', lane: null, bugStatus: 'fixing' });
    const board: Board = {
      lanes: {
        backlog: [],
        ready: [card({}), fix],
        in_progress: [],
        needs_review: [],
        done: [],
        blocked: [],
      },
      bugs: [{ bug, fixes: [fix] }],
      progress: {
        total: 2,
        passing: 0,
        percent: 0,
        bugs: { open: 0, analyzing: 0, fixing: 1, resolved: 0, total: 1 },
      },
    };
    expect(allCards(board).map((c) => c.id)).toEqual([1, 3, 2]);
    expect(findCard(board, 2)?.name).toBe('Wrong phone');
    expect(findCard(board, 9)).toBeUndefined();
    expect(findCard(undefined, 1)).toBeUndefined();
  });
});
