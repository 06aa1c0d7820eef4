import type { StoredEvent, WorkerContext } from '@sitewright/engine';
import { describe, expect, it } from 'vitest';
import type { WebsiteSummary } from '../summary.ts';
import { decide } from './worker.ts';

const emptyStats = {
  total: 0,
  passing: 0,
  percent: 0,
  byStatus: { pending: 0, in_progress: 0, needs_review: 0, passing: 0, failing: 0, skipped: 0 },
  bugs: { open: 0, analyzing: 0, fixing: 0, resolved: 0, total: 0 },
};

function context(
  stage: string,
  history: Array<Pick<StoredEvent, 'type' | 'payload'>>,
  summary: Partial<WebsiteSummary> = {},
): WorkerContext {
  return {
    projectId: '00000000-0000-0000-0000-000000000001',
    stage,
    lifecycleState: 'initializing',
    turn: 1,
    systemPrompt: '',
    tools: [],
    history: history.map((event, index) => ({
      ...event,
      seq: index + 1,
      projectId: '00000000-0000-0000-0000-000000000001',
      actor: 'system',
      createdAt: new Date(0),
      supersededBySeq: null,
    })) as StoredEvent[],
    summary: {
      projectName: "Maria's Pizzeria",
      brief: null,
      mockup: null,
      stats: emptyStats,
      currentItem: null,
      nextItem: null,
      unplannedSpecs: [],
      ...summary,
    } as unknown as Record<string, unknown>,
  };
}

describe('the demo worker', () => {
  it('opens the interview with the business name, offering the project name', () => {
    expect(decide(context('bootstrap', []))).toEqual({
      kind: 'tool_call',
      tool: 'ask_user',
      args: { question: expect.stringMatching(/name of your business/), options: ["Maria's Pizzeria"] },
    });
  });

  it('asks again, saying why, when an answer cannot be used', () => {
    const history = [
      {
        type: 'pending_opened',
        payload: {
          pendingId: 'p1',
          kind: 'question',
          question: 'What is the name of your business, exactly as customers should see it?',
        },
      },
      { type: 'pending_answered', payload: { pendingId: 'p1', answer: { text: "Maria's Pizzeria" } } },
      {
        type: 'pending_opened',
        payload: { pendingId: 'p2', kind: 'question', question: 'What kind of business is it?' },
      },
      { type: 'pending_answered', payload: { pendingId: 'p2', answer: { text: 'Restaurant' } } },
      {
        type: 'pending_opened',
        payload: {
          pendingId: 'p3',
          kind: 'question',
          question: 'In a sentence or two: what do you offer, and who are your customers?',
        },
      },
      { type: 'pending_answered', payload: { pendingId: 'p3', answer: { text: 'Pizza for families.' } } },
      {
        type: 'pending_opened',
        payload: {
          pendingId: 'p4',
          kind: 'question',
          question:
            'Which services or products should the site list? One per line — add a price after a dash only if you want it shown (e.g. “Haircut – £25”).',
        },
      },
      { type: 'pending_answered', payload: { pendingId: 'p4', answer: { text: 'Margherita' } } },
      {
        type: 'pending_opened',
        payload: {
          pendingId: 'p5',
          kind: 'question',
          question: 'What phone number should customers call? Write it as it should appear, or “none”.',
        },
      },
      { type: 'pending_answered', payload: { pendingId: 'p5', answer: { text: 'call me' } } },
    ] as Array<Pick<StoredEvent, 'type' | 'payload'>>;
    const next = decide(context('bootstrap', history));
    expect(next).toMatchObject({ kind: 'tool_call', tool: 'ask_user' });
    expect((next as unknown as { args: { question: string } }).args.question).toMatch(
      /^I couldn't use that answer: that does not look like a phone number\. What phone number/,
    );
  });

  it('answers a free-form message plainly alongside its next move', () => {
    const next = decide(
      context('bootstrap', [{ type: 'owner_message', payload: { text: 'Can you make it pop?' } }]),
    );
    expect(next).toMatchObject({ kind: 'tool_call', tool: 'ask_user' });
    expect((next as { say?: string }).say).toMatch(/Thanks for your message/);
  });

  it('still answers a message sent while it was writing, and answers it once', () => {
    const output = (seenSeq: number) => ({
      type: 'worker_output' as const,
      payload: { turn: 1, envelope: { kind: 'final', summary: 'x' }, costUsd: 0, seenSeq },
    });
    const message = { type: 'owner_message' as const, payload: { text: 'Can you make it pop?' } };
    // seq 1: the message; seq 2: an answer written before the model saw it (it had seen seq 0).
    const unseen = decide(context('bootstrap', [message, output(0)]));
    expect((unseen as { say?: string }).say).toMatch(/Thanks for your message/);
    const seen = decide(context('bootstrap', [message, output(1)]));
    expect((seen as { say?: string }).say ?? '').not.toMatch(/Thanks for your message/);
  });

  it('goes back to planning when the owner adds a spec after completion', () => {
    const next = decide(
      context('audit', [], { unplannedSpecs: [{ name: 'Catering', content: 'Office lunches' }] }),
    );
    expect(next).toMatchObject({ kind: 'tool_call', tool: 'go_to_stage', args: { stage: 'planning' } });
  });
});
