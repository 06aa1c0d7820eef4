import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLiveText, LIVE_TEXT_MAX_CHARS, type LiveText } from './live.ts';

describe('live text', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());
  const base = { projectId: 'p', turn: 3 };

  it('announces a slow call, then sends the text so far at most every interval', () => {
    const sent: LiveText[] = [];
    const live = createLiveText((text) => sent.push(text), base, { intervalMs: 100, startDelayMs: 300 });
    vi.advanceTimersByTime(300);
    expect(sent).toEqual([{ ...base, text: '', done: false }]);
    live.push('Hel');
    live.push('lo');
    expect(sent).toHaveLength(1);
    vi.advanceTimersByTime(100);
    expect(sent.at(-1)).toEqual({ ...base, text: 'Hello', done: false });
    vi.advanceTimersByTime(500);
    expect(sent).toHaveLength(2);
    live.end();
    live.push('ignored');
    expect(sent.at(-1)).toEqual({ ...base, text: 'Hello', done: true });
    expect(sent).toHaveLength(3);
  });

  it('sends nothing for a call that ends before the start delay', () => {
    const sent: LiveText[] = [];
    const live = createLiveText((text) => sent.push(text), base, { startDelayMs: 300 });
    live.push('quick');
    vi.advanceTimersByTime(200);
    live.end();
    vi.advanceTimersByTime(1000);
    expect(sent).toEqual([]);
  });

  it('keeps the tail of a long text, so a notice always fits a NOTIFY', () => {
    const sent: LiveText[] = [];
    const live = createLiveText((text) => sent.push(text), base, { startDelayMs: 0 });
    vi.advanceTimersByTime(0);
    live.push(`${'a'.repeat(LIVE_TEXT_MAX_CHARS)}THE END`);
    live.end();
    const last = sent.at(-1) as LiveText;
    expect(last.text).toHaveLength(LIVE_TEXT_MAX_CHARS);
    expect(last.text.endsWith('THE END')).toBe(true);
    expect(
      Buffer.byteLength(JSON.stringify({ ...last, text: '€'.repeat(LIVE_TEXT_MAX_CHARS) })),
    ).toBeLessThan(8000);
  });
});
