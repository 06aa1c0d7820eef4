/**
 * The model-backed worker behind the engine's worker port: builds a bounded prompt from the context,
 * calls the model through a ModelClient, maps its tool call to the engine's envelope, and turns
 * provider faults into retries, a fallback model or a WorkerFault the engine pauses on.
 */
import { randomUUID } from 'node:crypto';
import {
  type SpendHold,
  type Worker,
  type WorkerCall,
  type WorkerContext,
  WorkerFault,
  type WorkerResponse,
  type WorkerUsage,
} from '@sitewright/engine';
import type { CallLog, CallStatus } from './call-log.ts';
import { contextToMessages, ESCALATE_TOOL, estimateTokens, FINAL_TOOL } from './messages.ts';
import { type CompletionResult, type ModelClient, ProviderError, type ProviderErrorKind } from './port.ts';
import { costOf, DEFAULT_PRICES, type PricingTable, worstCaseCost } from './pricing.ts';
import { redactSecrets } from './redact.ts';

/** The engine's usage plus what the spend ledger records beyond it. */
export interface ModelUsage extends WorkerUsage {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  /** False when the model has no price: `costUsd` is 0 and means "unknown". */
  priced: boolean;
  /** True when the answer came from the fallback model after a rate limit. */
  isFallback: boolean;
}

export interface ModelWorkerOptions {
  client: ModelClient;
  model: string;
  /** Used when the primary model is rate limited; `client` defaults to the primary's. */
  fallback?: { model: string; client?: ModelClient };
  /** The role this worker plays (chat, code), recorded with spend and calls. */
  role: string;
  pricing?: PricingTable;
  /** Output cap per call (default 4096). */
  maxTokens?: number;
  /** Prompt budget in tokens for the rebuilt context (default 24 000). */
  contextBudgetTokens?: number;
  /** Extra attempts after a 5xx, timeout or dropped connection (default 2). */
  retries?: number;
  /** Backoff base and ceiling in ms; each wait is jittered in [base·2ⁿ/2, base·2ⁿ] (default 500 / 8000). */
  backoff?: { baseMs: number; maxMs: number };
  /** The configuration variable holding this provider's key, named in auth faults. */
  keyName?: string;
  callLog?: CallLog;
  /** Configured secrets to scrub from call logs in addition to the built-in patterns. */
  secrets?: readonly string[];
  /** Injected for tests. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  random?: () => number;
}

const STATUS_OF: Record<ProviderErrorKind, CallStatus> = {
  rate_limited: 'rate_limited',
  auth: 'auth_error',
  quota: 'quota_exceeded',
  server: 'server_error',
  timeout: 'timeout',
  network: 'error',
  invalid: 'invalid_response',
};
const RETRYABLE: ReadonlySet<ProviderErrorKind> = new Set(['server', 'timeout', 'network']);

const defaultKeyName = (provider: string) =>
  provider === 'anthropic' ? 'ANTHROPIC_API_KEY' : 'OPENROUTER_API_KEY or OPENAI_API_KEY';

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Maps the model's answer to a candidate envelope; anything unusable goes to the engine's repair path. */
export function toEnvelope(result: CompletionResult): unknown {
  const call = result.toolCall;
  if (!call) return result.text;
  // Malformed JSON stays a string, which the envelope schema rejects with a clear error.
  const args =
    'unparsed' in call.args && Object.keys(call.args).length === 1 ? call.args.unparsed : call.args;
  const fields = typeof args === 'object' && args !== null ? (args as Record<string, unknown>) : {};
  if (call.name === FINAL_TOOL.name) return { kind: 'final', summary: fields.summary };
  if (call.name === ESCALATE_TOOL.name) return { kind: 'escalate', reason: fields.reason };
  const say = result.text.trim();
  return { kind: 'tool_call', tool: call.name, args, ...(say ? { say } : {}) };
}

/**
 * A Worker that asks a model. Each attempt reserves its worst case through the engine's spend meter
 * before it is sent (a refusal throws before anything is billed), is logged, and is settled with its
 * real cost linked to its log row; the model's text streams to `call.onText` as it arrives.
 */
export function createModelWorker(options: ModelWorkerOptions): Worker {
  const pricing = options.pricing ?? DEFAULT_PRICES;
  const maxTokens = options.maxTokens ?? 4096;
  const budget = options.contextBudgetTokens ?? 24_000;
  const retries = options.retries ?? 2;
  const backoff = options.backoff ?? { baseMs: 500, maxMs: 8_000 };
  const sleep = options.sleep ?? abortableSleep;
  const random = options.random ?? Math.random;

  return {
    label: options.model,
    async respond(context: WorkerContext, call: WorkerCall): Promise<WorkerResponse> {
      const { signal } = call;
      const built = contextToMessages(context, budget);
      const targets = [
        { client: options.client, model: options.model, isFallback: false },
        ...(options.fallback
          ? [
              {
                client: options.fallback.client ?? options.client,
                model: options.fallback.model,
                isFallback: true,
              },
            ]
          : []),
      ];
      let attempt = 0;
      for (let t = 0; t < targets.length; t++) {
        const target = targets[t] as (typeof targets)[number];
        const provider = target.client.provider;
        for (let retry = 0; ; retry++) {
          attempt++;
          const request = {
            model: target.model,
            system: built.system,
            messages: built.messages,
            tools: built.tools,
            maxTokens,
            signal,
            onText: call.onText,
          };
          const logged = {
            model: target.model,
            system: built.system,
            messages: built.messages,
            tools: built.tools.map((tool) => tool.name),
            maxTokens,
            promptTokensEstimate: estimateTokens(
              built.system + JSON.stringify(built.messages) + JSON.stringify(built.tools),
            ),
          };
          const base = {
            id: randomUUID(),
            atSeq: call.atSeq,
            projectId: context.projectId,
            provider,
            model: target.model,
            role: options.role,
            attempt,
            isFallback: target.isFallback,
            request: redactSecrets(logged, options.secrets),
          };
          // Reserve against a conservative 3 chars per token: the estimate must not undershoot the bill.
          const promptTokens = Math.ceil((logged.promptTokensEstimate * 4) / 3);
          const worstCase = worstCaseCost(pricing, target.model, promptTokens, maxTokens);
          const hold: SpendHold = await call.spend.reserve({
            provider,
            model: target.model,
            role: options.role,
            isFallback: target.isFallback,
            worstCaseUsd: worstCase.usd,
            priced: worstCase.priced,
          });
          const started = Date.now();
          let result: CompletionResult;
          try {
            result = await target.client.complete(request);
          } catch (error) {
            const latencyMs = Date.now() - started;
            await hold.release();
            const cancelled = signal.aborted || !(error instanceof ProviderError);
            const status: CallStatus = signal.aborted
              ? 'cancelled'
              : error instanceof ProviderError
                ? STATUS_OF[error.kind]
                : 'error';
            await options.callLog?.record({
              ...base,
              status,
              error: redactSecrets(error instanceof Error ? error.message : String(error), options.secrets),
              usage: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 },
              costUsd: 0,
              latencyMs,
            });
            if (cancelled) throw error;
            const fault = error as ProviderError;
            if (fault.kind === 'rate_limited') {
              // On to the fallback model; the engine records the swap from the answer's usage.
              if (targets[t + 1]) break;
              throw new WorkerFault('rate_limited', fault.message, fault.retryAfterMs);
            }
            if (fault.kind === 'auth') {
              throw new WorkerFault(
                'auth',
                `The ${provider} API key was rejected (${fault.status ?? 'auth error'}): check ${options.keyName ?? defaultKeyName(provider)} and that it may use ${target.model}.`,
              );
            }
            if (fault.kind === 'quota') {
              throw new WorkerFault(
                'quota',
                `The ${provider} account is out of credit or quota: add credit or raise the limit for ${options.keyName ?? defaultKeyName(provider)}.`,
              );
            }
            if (RETRYABLE.has(fault.kind) && retry < retries) {
              const ceiling = Math.min(backoff.maxMs, backoff.baseMs * 2 ** retry);
              await sleep(Math.round(ceiling / 2 + (random() * ceiling) / 2), signal);
              continue;
            }
            throw new WorkerFault('transient', fault.message);
          }
          const latencyMs = Date.now() - started;
          const cost = costOf(pricing, target.model, result.usage);
          // Logged first, so the settled spend row can point at its call.
          await options.callLog?.record({
            ...base,
            status: 'ok',
            response: redactSecrets(result.raw, options.secrets),
            usage: result.usage,
            costUsd: cost.priced ? cost.usd : null,
            latencyMs,
          });
          await hold.settle({
            costUsd: cost.usd,
            priced: cost.priced,
            inputTokens: result.usage.input,
            outputTokens: result.usage.output,
            cacheReadTokens: result.usage.cacheRead,
            cacheWriteTokens: result.usage.cacheWrite,
            ...(options.callLog ? { llmCallId: base.id } : {}),
          });
          const usage: ModelUsage = {
            provider,
            model: target.model,
            role: options.role,
            costUsd: cost.usd,
            inputTokens: result.usage.input,
            outputTokens: result.usage.output,
            cacheReadTokens: result.usage.cacheRead,
            cacheWriteTokens: result.usage.cacheWrite,
            priced: cost.priced,
            isFallback: target.isFallback,
          };
          return { output: toEnvelope(result), usage };
        }
      }
      // Unreachable: the last target either returns or throws.
      throw new WorkerFault('transient', 'no model answered');
    },
  };
}
