/** The call log: one record per attempt (successful or not), secrets redacted before storage. */
import type { TokenUsage } from './port.ts';

export type CallStatus =
  | 'ok'
  | 'rate_limited'
  | 'server_error'
  | 'timeout'
  | 'auth_error'
  | 'quota_exceeded'
  | 'invalid_response'
  | 'cancelled'
  | 'error';

export interface CallAttempt {
  /** Chosen by the worker, so the spend row of the attempt can point at it. */
  id: string;
  /** The newest event the worker saw when it made the call. */
  atSeq: number;
  projectId: string;
  provider: string;
  model: string;
  role: string;
  /** 1-based attempt number within one worker turn (fallback attempts continue the count). */
  attempt: number;
  isFallback: boolean;
  status: CallStatus;
  /** Redacted request as sent (model, system, messages, tool names, max tokens). */
  request: unknown;
  /** Redacted response as received, absent on failure. */
  response?: unknown;
  error?: string;
  usage: TokenUsage;
  /** Null when the model has no known price. */
  costUsd: number | null;
  latencyMs: number;
}

/** Where attempts go; the worker awaits `record`, so a sink that fails fails the step. */
export interface CallLog {
  record(attempt: CallAttempt): Promise<void> | void;
}

/** Keeps attempts in memory (tests, and a dev fallback when no database log is wired). */
export function createMemoryCallLog(): CallLog & { attempts: CallAttempt[] } {
  const attempts: CallAttempt[] = [];
  return {
    attempts,
    record(attempt) {
      attempts.push(attempt);
    },
  };
}
