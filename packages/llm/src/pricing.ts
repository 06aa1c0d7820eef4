/**
 * Prices per model in USD per million tokens. The table is a starting point: configuration overrides or
 * extends it. A model with no price is reported as unpriced (cost unknown), never as free.
 */

export interface ModelPrice {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
}

export type PricingTable = Readonly<Record<string, ModelPrice>>;

const anthropic = (input: number, output: number): ModelPrice => ({
  input,
  output,
  // Anthropic: cache reads at 10 % of input, 5-minute cache writes at 125 %.
  cacheRead: input * 0.1,
  cacheWrite: input * 1.25,
});
const openai = (input: number, output: number, cacheRead: number): ModelPrice => ({
  input,
  output,
  cacheRead,
  // OpenAI caches automatically and charges nothing extra for writes.
  cacheWrite: input,
});

const price = (input: number, output: number, cacheRead: number, cacheWrite: number): ModelPrice => ({
  input,
  output,
  cacheRead,
  cacheWrite,
});

/**
 * List prices (checked 2026-11-21 against the providers' model pages); override or extend them with
 * MODEL_PRICES when they change. Anthropic cache writes are the 5-minute ones. Claude Haiku 5.5 is
 * priced by prompt length; its table row is the band up to 100 000 prompt tokens, which a bounded
 * context (24 000 tokens by default) stays in.
 */
export const DEFAULT_PRICES: PricingTable = {
  'claude-fable-5-1': anthropic(10, 50),
  'claude-opus-5-5': price(4, 20, 0.2, 5),
  'claude-opus-5': price(5, 25, 0.5, 6.25),
  'claude-sonnet-5-5': price(2, 10, 0.1, 2.5),
  'claude-sonnet-5': price(2, 10, 0.2, 2.5),
  'claude-haiku-5-5': price(0.1, 0.5, 0.01, 0.125),
  'claude-opus-4-7': anthropic(5, 25),
  'claude-opus-4-6': anthropic(5, 25),
  'claude-opus-4-5': anthropic(5, 25),
  'claude-opus-4-1': anthropic(15, 75),
  'claude-sonnet-4-6': anthropic(3, 15),
  'claude-sonnet-4-5': anthropic(3, 15),
  'claude-sonnet-4': anthropic(3, 15),
  'claude-haiku-4-5': anthropic(1, 5),
  'claude-3-5-haiku': anthropic(0.8, 4),
  'gpt-5': openai(1.25, 10, 0.125),
  'gpt-5-mini': openai(0.25, 2, 0.025),
  'gpt-4.1': openai(2, 8, 0.5),
  'gpt-4.1-mini': openai(0.4, 1.6, 0.1),
  'gpt-4o': openai(2.5, 10, 1.25),
  'gpt-4o-mini': openai(0.15, 0.6, 0.075),
};

/** The default table with configured prices layered on top. */
export function createPricing(overrides: Record<string, ModelPrice> = {}): PricingTable {
  return { ...DEFAULT_PRICES, ...overrides };
}

/**
 * Finds a model's price: the exact id first, then the id without an OpenRouter vendor prefix
 * (`anthropic/claude-sonnet-4.5`), with dots as dashes, and without a date suffix (`-20250929`).
 */
export function priceOf(table: PricingTable, model: string): ModelPrice | undefined {
  if (Object.hasOwn(table, model)) return table[model];
  const bare = model.includes('/') ? model.slice(model.lastIndexOf('/') + 1) : model;
  const candidates = [bare, bare.replace(/:.*$/, '')];
  for (const candidate of [...candidates]) {
    candidates.push(candidate.replace(/(\d)\.(\d)/g, '$1-$2'), candidate.replace(/-\d{8}$/, ''));
  }
  for (const candidate of candidates) {
    if (Object.hasOwn(table, candidate)) return table[candidate];
    const undated = candidate.replace(/(\d)\.(\d)/g, '$1-$2').replace(/-\d{8}$/, '');
    if (Object.hasOwn(table, undated)) return table[undated];
  }
  return undefined;
}

export interface Cost {
  /** False when the model has no price: `usd` is then 0 and must be shown as unknown. */
  priced: boolean;
  usd: number;
}

const PER_TOKEN = 1 / 1_000_000;

/** What a call cost, from its token counts (input excludes cached tokens). */
export function costOf(
  table: PricingTable,
  model: string,
  usage: { input: number; output: number; cacheRead: number; cacheWrite: number },
): Cost {
  const price = priceOf(table, model);
  if (!price) return { priced: false, usd: 0 };
  const usd =
    (usage.input * price.input +
      usage.output * price.output +
      usage.cacheRead * price.cacheRead +
      usage.cacheWrite * price.cacheWrite) *
    PER_TOKEN;
  return { priced: true, usd: round6(usd) };
}

/**
 * The most a call can cost: its whole prompt at the dearer of input and cache-write prices plus
 * `maxTokens` of output. Reserved before the call so a spend cap is never overshot.
 */
export function worstCaseCost(
  table: PricingTable,
  model: string,
  promptTokens: number,
  maxTokens: number,
): Cost {
  const price = priceOf(table, model);
  if (!price) return { priced: false, usd: 0 };
  const usd = (promptTokens * Math.max(price.input, price.cacheWrite) + maxTokens * price.output) * PER_TOKEN;
  return { priced: true, usd: round6(usd) };
}

function round6(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
