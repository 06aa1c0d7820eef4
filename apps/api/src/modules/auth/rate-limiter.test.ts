import { describe, expect, it } from 'vitest';
import { createRateLimiter } from './rate-limiter.ts';

describe('createRateLimiter', () => {
  it('allows `limit` attempts per window and says when the next one is allowed', () => {
    const limiter = createRateLimiter({ limit: 3, windowMs: 60_000 });
    for (const at of [0, 1_000, 2_000]) expect(limiter.hit('k', at)).toEqual({ allowed: true });
    expect(limiter.hit('k', 10_000)).toEqual({ allowed: false, retryAfterSeconds: 50 });
    // Refused attempts do not extend the window.
    expect(limiter.hit('k', 59_500)).toEqual({ allowed: false, retryAfterSeconds: 1 });
    expect(limiter.hit('k', 60_001)).toEqual({ allowed: true });
    expect(limiter.hit('other', 60_001)).toEqual({ allowed: true });
  });

  it('forgets a key on reset', () => {
    const limiter = createRateLimiter({ limit: 1, windowMs: 60_000 });
    expect(limiter.hit('k', 0).allowed).toBe(true);
    expect(limiter.hit('k', 1).allowed).toBe(false);
    limiter.reset('k');
    expect(limiter.hit('k', 2).allowed).toBe(true);
  });

  it('stays bounded: stale keys are pruned, and a flood of live ones evicts the least recently hit', () => {
    const limiter = createRateLimiter({ limit: 5, windowMs: 60_000, maxKeys: 100 });
    for (let i = 0; i < 100; i++) limiter.hit(`old-${i}`, 0);
    limiter.hit('new', 120_000);
    expect(limiter.size()).toBe(1);

    for (let i = 0; i < 10_000; i++) limiter.hit(`flood-${i}`, 130_000);
    expect(limiter.size()).toBeLessThanOrEqual(100);
    // The most recent keys are still counted.
    for (let i = 0; i < 4; i++) limiter.hit('flood-9999', 130_001);
    expect(limiter.hit('flood-9999', 130_002).allowed).toBe(false);
  });
});
