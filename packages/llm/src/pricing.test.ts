import { describe, expect, it } from 'vitest';
import { acceptsForcedToolUse } from './anthropic.ts';
import { costOf, createPricing, DEFAULT_PRICES, priceOf, worstCaseCost } from './pricing.ts';

describe('pricing', () => {
  it.each([
    ['claude-sonnet-4-6', 3],
    ['anthropic/claude-sonnet-4.6', 3],
    ['claude-sonnet-4-5', 3],
    ['claude-sonnet-4-5-20250929', 3],
    ['anthropic/claude-sonnet-4.5', 3],
    ['openai/gpt-4o-mini', 0.15],
    ['gpt-4.1', 2],
  ])('finds %s', (model, input) => {
    expect(priceOf(DEFAULT_PRICES, model)?.input).toBe(input);
  });

  it('reports unknown models as unpriced', () => {
    expect(
      costOf(DEFAULT_PRICES, 'local/llama-3', { input: 10, output: 10, cacheRead: 0, cacheWrite: 0 }),
    ).toEqual({ priced: false, usd: 0 });
    expect(worstCaseCost(DEFAULT_PRICES, 'local/llama-3', 1000, 1000).priced).toBe(false);
  });

  it('prices a configured model', () => {
    const table = createPricing({ 'local/llama-3': { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 } });
    expect(costOf(table, 'local/llama-3', { input: 10, output: 10, cacheRead: 0, cacheWrite: 0 })).toEqual({
      priced: true,
      usd: 0,
    });
  });

  it('prices cache reads and writes apart', () => {
    const cost = costOf(DEFAULT_PRICES, 'claude-sonnet-4-5', {
      input: 1_000_000,
      output: 0,
      cacheRead: 1_000_000,
      cacheWrite: 1_000_000,
    });
    expect(cost.usd).toBeCloseTo(3 + 0.3 + 3.75, 6);
  });

  it('worst case covers the prompt at the dearest input price plus max tokens', () => {
    expect(worstCaseCost(DEFAULT_PRICES, 'claude-sonnet-4-5', 1_000_000, 1_000_000)).toEqual({
      priced: true,
      usd: 3.75 + 15,
    });
  });

  it.each([
    ['claude-sonnet-5-5', { input: 2, output: 10, cacheRead: 0.1, cacheWrite: 2.5 }],
    ['anthropic/claude-opus-5.5', { input: 4, output: 20, cacheRead: 0.2, cacheWrite: 5 }],
    ['claude-opus-5', { input: 5, output: 25, cacheRead: 0.5, cacheWrite: 6.25 }],
    ['claude-haiku-5-5', { input: 0.1, output: 0.5, cacheRead: 0.01, cacheWrite: 0.125 }],
  ])('knows the current Claude price of %s', (model, expected) => {
    expect(priceOf(DEFAULT_PRICES, model)).toEqual(expected);
  });
});

describe('forced tool use', () => {
  it.each([
    ['claude-sonnet-4-5', true],
    ['claude-sonnet-4-5-20250929', true],
    ['claude-opus-5', true],
    ['claude-3-5-haiku', true],
    ['some-local-model', true],
    ['claude-sonnet-5-5', false],
    ['claude-opus-5-5', false],
    ['claude-fable-5-1', false],
    ['claude-opus-6', false],
  ])('%s accepts a forced tool call: %s', (model, expected) => {
    expect(acceptsForcedToolUse(model)).toBe(expected);
  });
});
