/** The call log in the database: one `llm_calls` row per attempt, already redacted by the worker. */
import { type Db, llmCalls } from '@sitewright/db';
import { desc, eq } from 'drizzle-orm';
import type { CallLog } from './call-log.ts';

/** A CallLog writing `llm_calls`. */
export function createDbCallLog(db: Db): CallLog {
  return {
    async record(attempt) {
      await db.insert(llmCalls).values({
        id: attempt.id,
        atSeq: attempt.atSeq,
        projectId: attempt.projectId,
        provider: attempt.provider,
        model: attempt.model,
        role: attempt.role,
        attempt: attempt.attempt,
        isFallback: attempt.isFallback,
        status: attempt.status,
        request: attempt.request ?? {},
        response: attempt.response ?? null,
        error: attempt.error ?? null,
        inputTokens: attempt.usage.input,
        outputTokens: attempt.usage.output,
        cacheReadTokens: attempt.usage.cacheRead,
        cacheWriteTokens: attempt.usage.cacheWrite,
        costUsd: attempt.costUsd,
        latencyMs: attempt.latencyMs,
      });
    },
  };
}

/** A project's most recent calls, newest first (the dashboard shows the last 50). */
export function listRecentCalls(db: Db, projectId: string, limit = 50) {
  return db
    .select()
    .from(llmCalls)
    .where(eq(llmCalls.projectId, projectId))
    .orderBy(desc(llmCalls.createdAt))
    .limit(limit);
}
