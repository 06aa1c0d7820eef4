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
