/**
 * The one port every provider adapter implements: a provider-neutral request in, one tool call or
 * text out, with usage. Adapters only translate; retries, fallback and pricing live in the worker.
 */
import type { ChatMessage, ToolSpec } from './messages.ts';

export interface CompletionRequest {
  model: string;
  /** The stable prefix: cached by providers that support it. */
  system: string;
  messages: ChatMessage[];
  tools: ToolSpec[];
  maxTokens: number;
  signal?: AbortSignal;
  /** Called with each text delta as the model generates it. */
  onText?: (delta: string) => void;
}

export interface TokenUsage {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
}

/** A tool call as the model made it; `args` is unparsed when the model sent malformed JSON. */
export interface ModelToolCall {
  id: string;
  name: string;
  args: Record<string, unknown> | { readonly unparsed: string };
}

export interface CompletionResult {
  toolCall?: ModelToolCall;
  text: string;
  usage: TokenUsage;
  /** The provider's response as received, for the call log. */
  raw: unknown;
}

export interface ModelClient {
  readonly provider: Provider;
  complete(request: CompletionRequest): Promise<CompletionResult>;
}

export const PROVIDERS = ['anthropic', 'openai'] as const;
/** Providers with an adapter. `openai` covers every OpenAI-compatible endpoint (OpenRouter, local servers). */
export type Provider = (typeof PROVIDERS)[number];

export type ProviderErrorKind =
  | 'rate_limited'
  | 'auth'
  | 'quota'
  | 'server'
  | 'timeout'
  | 'network'
  | 'invalid';

/** Every provider failure, mapped at the adapter; the original error is kept as `cause`. */
export class ProviderError extends Error {
  override readonly name = 'ProviderError';
  readonly kind: ProviderErrorKind;
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;
  constructor(
    kind: ProviderErrorKind,
    message: string,
    options: { status?: number; retryAfterMs?: number; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.kind = kind;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** Reads `retry-after-ms` or `retry-after` (seconds or an HTTP date) from response headers. */
export function retryAfterFrom(headers: Headers | undefined, now = Date.now()): number | undefined {
  if (!headers) return undefined;
  const ms = Number(headers.get('retry-after-ms'));
  if (headers.get('retry-after-ms') && Number.isFinite(ms) && ms >= 0) return ms;
  const value = headers.get('retry-after');
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

const QUOTA_PATTERN = /quota|insufficient|credit|billing|balance/i;

/**
 * Maps an SDK error by its HTTP shape (both SDKs expose `status` and `headers`). `isAbort`,
 * `isTimeout` and `isConnection` come from the adapter, which knows its SDK's classes.
 */
export function mapHttpError(
  error: unknown,
  provider: string,
  kinds: { isAbort: boolean; isTimeout: boolean; isConnection: boolean },
): ProviderError | Error {
  if (error instanceof ProviderError) return error;
  if (kinds.isAbort) return error instanceof Error ? error : new Error(String(error));
  const message = error instanceof Error ? error.message : String(error);
  if (kinds.isTimeout)
    return new ProviderError('timeout', `${provider}: request timed out`, { cause: error });
  if (kinds.isConnection) return new ProviderError('network', `${provider}: ${message}`, { cause: error });
  const { status, headers } = (error ?? {}) as { status?: unknown; headers?: Headers };
  if (typeof status !== 'number')
    return new ProviderError('invalid', `${provider}: ${message}`, { cause: error });
  const base = { status, cause: error };
  if (status === 401 || status === 403) return new ProviderError('auth', `${provider}: ${message}`, base);
  if (status === 402) return new ProviderError('quota', `${provider}: ${message}`, base);
  if (status === 429) {
    // Exhausted credit is reported as 429 by some providers; waiting does not fix it.
    if (QUOTA_PATTERN.test(message)) return new ProviderError('quota', `${provider}: ${message}`, base);
    const retryAfterMs = retryAfterFrom(headers);
    return new ProviderError('rate_limited', `${provider}: ${message}`, {
      ...base,
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    });
  }
  if (status === 408) return new ProviderError('timeout', `${provider}: ${message}`, base);
  if (status >= 500) return new ProviderError('server', `${provider}: ${message}`, base);
  return new ProviderError('invalid', `${provider}: ${message}`, base);
}

/** Strict parse: malformed or non-object arguments stay unparsed so the engine's repair path sees them. */
export function parseArgs(raw: string): ModelToolCall['args'] {
  if (raw.trim() === '') return {};
  try {
    const value: unknown = JSON.parse(raw);
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // fall through
  }
  return { unparsed: raw };
}
