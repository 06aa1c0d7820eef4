import type { Board, ProjectDetail, WorkItemCard } from '@sitewright/contracts';
import { QueryClient } from '@tanstack/react-query';
import { afterEach, describe, expect, it } from 'vitest';
import { useAgentTyping } from '../features/chat/store.ts';
import { emptyStream, type ProjectStream } from '../features/project/stream.ts';
import { projectKeys } from '../features/projects/queries.ts';
import { cardFixture } from '../testing/cards.ts';
import { applyServerMessage, placeCard } from './ws-bridge.ts';

const id = '00000000-0000-4000-8000-000000000001';

const card = (over: Partial<WorkItemCard> & { id: number }) => cardFixture(over);

const progress = {
  total: 2,
  passing: 0,
  percent: 0,
  bugs: { open: 0, analyzing: 0, fixing: 0, resolved: 0, total: 0 },
};

function board(): Board {
  return {
    lanes: {
      backlog: [],
      ready: [card({ id: 1 }), card({ id: 2 })],
      in_progress: [],
      needs_review: [],
      done: [],
      blocked: [],
    },
    bugs: [{ bug: card({ id: 9, itemType: 'bug', lane: null, bugStatus: 'open', priority: 0 }), fixes: [] }],
    progress,
  };
}

const event = (seq: number, type = 'owner_message') => ({
  type: 'event' as const,
  seq,
  event: {
    seq,
    type,
    payload: { text: `m${seq}` },
    actor: 'owner',
    createdAt: '2026-01-01T00:00:00.000Z',
    superseded: false,
  },
});

describe('placeCard', () => {
  it('moves a card to its new lane and keeps every other card in place', () => {
    const moved = placeCard(board(), 1, card({ id: 1, status: 'in_progress', lane: 'in_progress' }));
    expect(moved.lanes.ready.map((c) => c.id)).toEqual([2]);
    expect(moved.lanes.in_progress.map((c) => c.id)).toEqual([1]);
  });

  it('places a card in queue order: a skipped one goes last, a lower layer first', () => {
    const skipped = placeCard(board(), 1, card({ id: 1, queueOrder: 1 }));
    expect(skipped.lanes.ready.map((c) => c.id)).toEqual([2, 1]);
    const foundation = placeCard(board(), 7, card({ id: 7, layer: -1, priority: 500 }));
    expect(foundation.lanes.ready.map((c) => c.id)).toEqual([7, 1, 2]);
  });

  it('removes a deleted card, links a fix under its bug, and updates a bug where it is', () => {
    let next = placeCard(board(), 2, null);
    expect(next.lanes.ready.map((c) => c.id)).toEqual([1]);
    next = placeCard(next, 10, card({ id: 10, itemType: 'fix', parentBugId: 9 }));
    expect(next.bugs[0]?.fixes.map((c) => c.id)).toEqual([10]);
    next = placeCard(next, 9, card({ id: 9, itemType: 'bug', lane: null, bugStatus: 'fixing' }));
    expect(next.bugs).toHaveLength(1);
    expect(next.bugs[0]?.bug.bugStatus).toBe('fixing');
    expect(next.bugs[0]?.fixes.map((c) => c.id)).toEqual([10]);
  });
});

describe('applyServerMessage', () => {
  it('appends events once, in order, whatever arrives twice', () => {
    const client = new QueryClient();
    client.setQueryData(projectKeys.stream(id), emptyStream());
    for (const message of [event(1), event(2), event(2), event(1), event(3)])
      applyServerMessage(client, id, message);
    const stream = client.getQueryData<ProjectStream>(projectKeys.stream(id));
    expect(stream?.events.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(stream?.lastSeq).toBe(3);
  });

  it('marks what a rewind set aside', () => {
    const client = new QueryClient();
    client.setQueryData(projectKeys.stream(id), emptyStream());
    for (const seq of [1, 2, 3, 4]) applyServerMessage(client, id, event(seq));
    applyServerMessage(client, id, {
      type: 'event',
      seq: 5,
      event: {
        seq: 5,
        type: 'rewound',
        payload: { toSeq: 2, cutSeq: 2, superseded: 2 },
        actor: 'owner',
        createdAt: '',
        superseded: false,
      },
    });
    const stream = client.getQueryData<ProjectStream>(projectKeys.stream(id));
    expect(stream?.events.filter((e) => e.superseded).map((e) => e.seq)).toEqual([3, 4]);
  });

  it('patches run status, open questions and progress into the project page', () => {
    const client = new QueryClient();
    const detail = {
      project: {
        id,
        status: 'running',
        pausedReason: null,
        resumeAt: null,
        state: 'initializing',
        stage: 'bootstrap',
      },
      pending: [],
      alarms: [],
      progress,
    } as unknown as ProjectDetail;
    client.setQueryData(projectKeys.detail(id), detail);
    applyServerMessage(client, id, {
      type: 'agent_status',
      seq: 4,
      status: 'awaiting_human',
      pausedReason: null,
      resumeAt: null,
      state: 'initializing',
      stage: 'bootstrap',
    });
    const pending = {
      id: '00000000-0000-4000-8000-0000000000aa',
      kind: 'question' as const,
      question: 'What is the name of your business?',
      options: null,
      subject: null,
      details: null,
      reason: null,
      askedSeq: 3,
      createdAt: '',
    };
    applyServerMessage(client, id, { type: 'pending', seq: 3, pending, status: 'open' });
    applyServerMessage(client, id, {
      type: 'progress',
      seq: 5,
      progress: { ...progress, passing: 1, percent: 50 },
    });
    let now = client.getQueryData<ProjectDetail>(projectKeys.detail(id));
    expect(now?.project.status).toBe('awaiting_human');
    expect(now?.pending.map((p) => p.id)).toEqual([pending.id]);
    expect(now?.progress.percent).toBe(50);
    applyServerMessage(client, id, { type: 'pending', seq: 6, pending, status: 'answered' });
    now = client.getQueryData<ProjectDetail>(projectKeys.detail(id));
    expect(now?.pending).toEqual([]);
  });

  describe('the agent’s live text', () => {
    const typing = () => useAgentTyping.getState().byProject[id];
    const notice = (text: string, done = false) => ({ type: 'agent_typing' as const, turn: 2, text, done });
    afterEach(() => useAgentTyping.getState().endTyping(id));

    it('goes to the typing store, never into the query cache', () => {
      const client = new QueryClient();
      client.setQueryData(projectKeys.stream(id), emptyStream());
      applyServerMessage(client, id, notice('What kind'));
      applyServerMessage(client, id, notice('What kind of business'));
      expect(typing()).toEqual({ turn: 2, text: 'What kind of business' });
      expect(client.getQueryData(projectKeys.stream(id))).toEqual(emptyStream());
      applyServerMessage(client, id, notice('What kind of business is it?', true));
      expect(typing()).toBeUndefined();
    });

    it('ends when an event of the turn’s outcome arrives, not on other news or an event seen before', () => {
      const client = new QueryClient();
      client.setQueryData(projectKeys.stream(id), emptyStream());
      applyServerMessage(client, id, event(1, 'worker_output'));
      applyServerMessage(client, id, notice('Thanks for'));
      applyServerMessage(client, id, event(2, 'owner_message'));
      applyServerMessage(client, id, event(1, 'worker_output'));
      expect(typing()?.text).toBe('Thanks for');
      applyServerMessage(client, id, event(3, 'agent_message'));
      expect(typing()).toBeUndefined();
    });

    it.each([
      'worker_output',
      'worker_failed',
      'worker_output_invalid',
      'pending_opened',
      'run_status_changed',
      'rewound',
    ])('ends on %s', (type) => {
      const client = new QueryClient();
      client.setQueryData(projectKeys.stream(id), emptyStream());
      applyServerMessage(client, id, notice('What'));
      applyServerMessage(client, id, event(1, type));
      expect(typing()).toBeUndefined();
    });
  });
});
