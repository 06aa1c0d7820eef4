import { useEffect, useRef } from 'react';

/**
 * Calls `onChange` whenever `signal` (usually the seq of the newest event of some kind) moves while
 * the project's stream is live. Replayed events only set the baseline: what the page fetched on load
 * already includes them. A rewind's restart of the stream keeps the baseline, so anything that
 * changed meanwhile still counts once the replay is over.
 */
export function useLiveChange(signal: number, live: boolean, onChange: () => unknown): void {
  const seen = useRef<number | null>(null);
  const latest = useRef(onChange);
  latest.current = onChange;
  useEffect(() => {
    if (!live) return;
    if (seen.current !== null && seen.current !== signal) void latest.current();
    seen.current = signal;
  }, [signal, live]);
}
