/**
 * The worker protocol: the engine gives a worker a data-only context and receives one envelope. The
 * worker does no effects; the engine validates the envelope, stores it, and acts on it.
 */
import { z } from 'zod';
import type { StoredEvent } from './events/types.ts';
import type { SpendMeter } from './spend.ts';

export const ToolCallEnvelope = z.object({
  kind: z.literal('tool_call'),
  tool: z.string().min(1),
  args: z.record(z.string(), z.unknown()).default({}),
  /** Text for the owner that accompanies the call (optional). */
  say: z.string().optional(),
});
export const FinalEnvelope = z.object({ kind: z.literal('final'), summary: z.string().min(1) });
export const EscalateEnvelope = z.object({ kind: z.literal('escalate'), reason: z.string().min(1) });

/** What a worker returns: exactly one of these. */
export const Envelope = z.discriminatedUnion('kind', [ToolCallEnvelope, FinalEnvelope, EscalateEnvelope]);
export type Envelope = z.infer<typeof Envelope>;

/** What the worker sees: data only, rebuilt from the log for every turn. */
export interface WorkerContext {
  projectId: string;
  stage: string;
  lifecycleState: string;
  /** Worker turns since the owner last spoke. */
  turn: number;
  systemPrompt: string;
  /** Tools the current stage allows, with JSON schemas of their arguments. */
  tools: Array<{ name: string; description: string; parameters: unknown }>;
  /** The active history (events), most recent last, bounded by the engine. */
  history: StoredEvent[];
  /** Brief, open pendings, last gate, last alarm: what the domain wants always in view. */
  summary: Record<string, unknown>;
  /** Set on the one repair retry after an invalid envelope. */
  repair?: { error: string; previous: unknown };
  /** Set after a first loop detection: one sentence telling the worker to change course. */
  nudge?: string;
}

export interface WorkerUsage {
  provider: string;
  model: string;
  role: string;
  costUsd: number;
  inputTokens?: number;
  outputTokens?: number;
  cacheReadTokens?: number;
  cacheWriteTokens?: number;
  /** False when the model has no known price: the cost is unknown, not zero. */
  priced?: boolean;
  /** Answered by the fallback model (the primary was rate limited). */
  isFallback?: boolean;
}

export interface WorkerResponse {
  /** The candidate envelope, not yet validated. */
  output: unknown;
  usage?: WorkerUsage;
}

/** Raised by a worker for provider faults the engine must treat specially (rate limits, auth, quota). */
export class WorkerFault extends Error {
  override readonly name = 'WorkerFault';
  constructor(
    readonly kind: 'rate_limited' | 'auth' | 'quota' | 'transient',
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/** What the engine hands a worker for one turn besides the context. */
export interface WorkerCall {
  /**
   * Aborted when the call must stop: the owner paused or stopped the run, or the runner lost the
   * project. A worker passes it to the provider so the request is cancelled.
   */
  signal: AbortSignal;
  /**
   * Reserve each billed attempt's worst case through this before making it, and settle it after. A
   * worker that does writes the spend ledger itself, and the engine does not record its usage again;
   * a reservation that could pass a cap throws `SpendCapReached`, which the engine turns into a pause.
   */
  spend: SpendMeter;
  /** The model's text as it is generated, shown to the owner live (not stored: the output event is). */
  onText(delta: string): void;
  /** The newest event the worker saw: call logs record it, so a call can be found from the log. */
  atSeq: number;
}

export interface Worker {
  /** A short label shown to the owner, e.g. "demo worker" or the model name. */
  readonly label: string;
  respond(context: WorkerContext, call: WorkerCall): Promise<WorkerResponse>;
}
