import { describe, expect, it } from 'vitest';
import { costOf, createPricing, DEFAULT_PRICES, priceOf, worstCaseCost } from './pricing.ts';

describe('pricing', () => {
  it.each([
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
});
