import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TYPING_SILENCE_MS, useAgentTyping } from './store.ts';

const project = '00000000-0000-4000-8000-000000000001';
const other = '00000000-0000-4000-8000-000000000002';

const notice = (text: string, done = false, turn = 1) => ({
  type: 'agent_typing' as const,
  turn,
  text,
  done,
});

const typing = () => useAgentTyping.getState().byProject;
const { receiveTyping, endTyping } = useAgentTyping.getState();

describe('useAgentTyping', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => {
    endTyping(project);
    endTyping(other);
    vi.useRealTimers();
  });

  it('shows the newest text so far, whole, per project', () => {
    receiveTyping(project, notice(''));
    expect(typing()[project]).toEqual({ turn: 1, text: '' });
    receiveTyping(project, notice('What kind'));
    receiveTyping(other, notice('Hello', false, 4));
    receiveTyping(project, notice('What kind of business'));
    expect(typing()).toEqual({
      [project]: { turn: 1, text: 'What kind of business' },
      [other]: { turn: 4, text: 'Hello' },
    });
  });

  it('ends on done, and on the turn’s end, for that project only', () => {
    receiveTyping(project, notice('What kind'));
    receiveTyping(other, notice('Hello'));
    receiveTyping(project, notice('What kind of business is it?', true));
    expect(typing()[project]).toBeUndefined();
    expect(typing()[other]?.text).toBe('Hello');
    endTyping(other);
    expect(typing()).toEqual({});
  });

  it('goes away after a silence, as when `done` was lost; each notice restarts the wait', () => {
    receiveTyping(project, notice('What'));
    vi.advanceTimersByTime(TYPING_SILENCE_MS - 1_000);
    receiveTyping(project, notice('What kind'));
    vi.advanceTimersByTime(TYPING_SILENCE_MS - 1_000);
    expect(typing()[project]?.text).toBe('What kind');
    vi.advanceTimersByTime(1_000);
    expect(typing()[project]).toBeUndefined();
  });

  it('lets a newer call show after the previous one ended', () => {
    receiveTyping(project, notice('First answer', true, 1));
    vi.advanceTimersByTime(TYPING_SILENCE_MS);
    receiveTyping(project, notice('Second', false, 2));
    expect(typing()[project]).toEqual({ turn: 2, text: 'Second' });
  });
});
