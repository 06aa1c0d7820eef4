import { describe, expect, it } from 'vitest';
import { contextToMessages, messageChars } from './messages.ts';
import { storedEvents, syntheticStep, testContext } from './testing/context.ts';

describe('contextToMessages', () => {
  it('puts the brief in the stable prefix and the current state last', () => {
    const built = contextToMessages(testContext(), 10_000);
    expect(built.system).toContain('Bakery Rosa');
    const last = built.messages.at(-1);
    expect(last?.role).toBe('user');
    expect(last?.role === 'user' && last.text).toContain('Menu page');
    expect(built.tools.map((t) => t.name)).toEqual(['write_file', 'finish', 'escalate']);
  });

  it('pairs every tool call with its result, synthesising one when none was recorded', () => {
    const history = [
      ...syntheticStep(1, 1),
      ...storedEvents(
        [
          {
            type: 'worker_output',
            payload: { turn: 2, envelope: { kind: 'tool_call', tool: 'ask_user', args: {} }, costUsd: 0 },
          },
        ],
        4,
      ),
    ];
    const built = contextToMessages(testContext({ history }), 10_000);
    const calls = built.messages.flatMap((m) =>
      m.role === 'assistant' && m.toolCall ? [m.toolCall.id] : [],
    );
    const results = built.messages.flatMap((m) => (m.role === 'tool' ? [m.callId] : []));
    expect(calls).toEqual(['call_1', 'call_4']);
    expect(results).toEqual(calls);
  });

  it('stays under the budget over a 60-step project, condensing older turns', () => {
    const budget = 6_000;
    let history = storedEvents([
      { type: 'owner_message', payload: { text: 'Build my bakery site.' }, actor: 'owner' },
    ]);
    const sizes: number[] = [];
    for (let step = 1; step <= 80; step++) {
      history = [...history, ...syntheticStep(step, history.length + 1, 'y'.repeat(1_500))];
      const built = contextToMessages(testContext({ history }), budget);
      const chars =
        built.system.length +
        JSON.stringify(built.tools).length +
        built.messages.reduce((n, m) => n + messageChars(m), 0);
      sizes.push(chars);
      expect(chars).toBeLessThanOrEqual(budget * 4);
      if (step >= 60) {
        const first = built.messages[0];
        expect(first?.role === 'user' && first.text).toMatch(/older turns, condensed.*write_file ×\d+/);
        expect(first?.role === 'user' && first.text).toContain('Build my bakery site');
        expect(JSON.stringify(built.messages.at(-1))).toContain('Menu page');
        expect(built.system).toContain('Bakery Rosa');
      }
    }
    // Growth flattens: the last twenty prompts are all about the same size.
    const tail = sizes.slice(-20);
    expect(Math.max(...tail) - Math.min(...tail)).toBeLessThan(4_000);
  });

  it('includes the repair error and the nudge', () => {
    const built = contextToMessages(
      testContext({
        repair: { error: 'args: expected record', previous: 'oops' },
        nudge: 'Try a different file.',
      }),
      10_000,
    );
    const last = JSON.stringify(built.messages.at(-1));
    expect(last).toContain('args: expected record');
    expect(last).toContain('Try a different file.');
  });

  it('starts a fresh context at the last claimed work item', () => {
    const before = [...syntheticStep(1, 1, 'a'), ...syntheticStep(2, 4, 'b')];
    const claim = storedEvents(
      [{ type: 'work_item_claimed', payload: { itemId: 3, claimedBy: 'runner' } }],
      7,
    );
    const after = syntheticStep(3, 8, 'c');
    const built = contextToMessages(testContext({ history: [...before, ...claim, ...after] }), 50_000);
    const first = built.messages[0];
    expect(first?.role === 'user' && first.text).toMatch(/2 older turns, condensed/);
    const calls = built.messages.flatMap((m) =>
      m.role === 'assistant' && m.toolCall ? [m.toolCall.id] : [],
    );
    expect(calls).toEqual(['call_8']);
  });
});
