/**
 * A sliding-window counter of attempts per key, in memory.
 *
 * Per process on purpose: it needs no table and no round trip, and a single process is the default
 * deployment. With several API processes behind a load balancer each one counts on its own, so an
 * attacker gets up to `limit × processes` guesses a minute — still slow against bcrypt, but a shared
 * store (a Postgres table) would be the fix if that ever matters.
 */
export interface RateLimiter {
  /** Counts one attempt for `key`; refuses (without counting) once `limit` attempts fall in the window. */
  hit(key: string, now?: number): { allowed: true } | { allowed: false; retryAfterSeconds: number };
  /** Forgets `key` (after a successful sign-in). */
  reset(key: string): void;
  /** Keys currently tracked. */
  size(): number;
}

export function createRateLimiter(options: {
  limit: number;
  windowMs: number;
  maxKeys?: number;
}): RateLimiter {
  const { limit, windowMs } = options;
  const maxKeys = options.maxKeys ?? 50_000;
  // Attempt times per key, oldest first; Map order is least recently hit first.
  const attempts = new Map<string, number[]>();

  function prune(now: number): void {
    for (const [key, times] of attempts) {
      if ((times.at(-1) ?? 0) <= now - windowMs) attempts.delete(key);
    }
    // Still full of live keys (a flood of distinct names): drop the least recently hit, with headroom so
    // the next full sweep is thousands of keys away.
    for (const key of attempts.keys()) {
      if (attempts.size < maxKeys * 0.9) break;
      attempts.delete(key);
    }
  }

  return {
    hit(key, now = Date.now()) {
      const times = (attempts.get(key) ?? []).filter((time) => time > now - windowMs);
      if (times.length >= limit) {
        attempts.set(key, times);
        const oldest = times[0] ?? now;
        return {
          allowed: false,
          retryAfterSeconds: Math.max(1, Math.ceil((oldest + windowMs - now) / 1000)),
        };
      }
      times.push(now);
      attempts.delete(key);
      if (attempts.size >= maxKeys) prune(now);
      attempts.set(key, times);
      return { allowed: true };
    },
    reset(key) {
      attempts.delete(key);
    },
    size: () => attempts.size,
  };
}
