/**
 * Live text: what the model writes while a call is still running, so the owner watches the answer
 * form instead of a silent chat. It is not part of the log (the finished answer is, as events), so it
 * is sent best effort: throttled, carrying the whole text so far (a client that joins mid-call or
 * misses one notice is caught up by the next), and capped so a notice always fits a NOTIFY.
 */

export interface LiveText {
  projectId: string;
  /** The worker turn this text belongs to. */
  turn: number;
  /** The text so far (its tail, when longer than `LIVE_TEXT_MAX_CHARS`). */
  text: string;
  /** The call ended: the text stops here, and the turn's events follow. */
  done: boolean;
}

/** At most this many characters travel (4 bytes each in UTF-8 stays below NOTIFY's 8000 bytes). */
export const LIVE_TEXT_MAX_CHARS = 1_500;

/**
 * Collects a call's deltas and emits the text so far at most every `intervalMs`. Nothing is sent for
 * a call that ends within `startDelayMs` (a quick call needs no "typing" indicator); a slower one is
 * announced then, even before its first token, so the owner sees the agent at work.
 */
export function createLiveText(
  emit: (text: LiveText) => void,
  base: { projectId: string; turn: number },
  timing: { intervalMs?: number; startDelayMs?: number } = {},
): { push(delta: string): void; end(): void } {
  const intervalMs = timing.intervalMs ?? 100;
  let text = '';
  let started = false;
  let ended = false;
  let sentLength = -1;
  let timer: NodeJS.Timeout | null = setTimeout(() => {
    started = true;
    send(false);
  }, timing.startDelayMs ?? 300);
  function send(done: boolean): void {
    if (timer) clearTimeout(timer);
    timer = null;
    if (!done && text.length === sentLength) return;
    sentLength = text.length;
    emit({ ...base, text: text.slice(-LIVE_TEXT_MAX_CHARS), done });
  }
  return {
    push(delta) {
      if (ended || !delta) return;
      text += delta;
      if (started) timer ??= setTimeout(() => send(false), intervalMs);
    },
    end() {
      if (ended) return;
      ended = true;
      if (started) send(true);
      else if (timer) clearTimeout(timer);
    },
  };
}
