/**
 * Spend holds: a call's worst-case cost is reserved before it is made and settled to the real cost (or
 * released when nothing was billed) after, so a cap that sums reserved + settled is never overshot.
 */
import { type Db, spendLedger } from '@sitewright/db';
import { eq } from 'drizzle-orm';
import type { Cost } from './pricing.ts';

export interface SpendRequest {
  projectId: string;
  provider: string;
  model: string;
  role: string;
  isFallback: boolean;
  promptTokens: number;
  maxTokens: number;
  worstCase: Cost;
}

export interface SpendSettlement {
  cost: Cost;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
}

export interface SpendHold {
  settle(settlement: SpendSettlement): Promise<void>;
  /** The attempt was not billed (error before any tokens). */
  release(): Promise<void>;
}

/** Reserves before each attempt; may throw to refuse the call (e.g. the cap would be exceeded). */
export interface SpendGate {
  reserve(request: SpendRequest): Promise<SpendHold>;
}

/**
 * A SpendGate over `spend_ledger`. `check` runs before the reservation with the worst case and may throw
 * to refuse; serialise it per project (the runner's lease does) so two reservations cannot both pass.
 */
export function createDbSpendGate(
  db: Db,
  options: { check?: (request: SpendRequest) => Promise<void>; now?: () => Date } = {},
): SpendGate {
  const now = options.now ?? (() => new Date());
  return {
    async reserve(request) {
      await options.check?.(request);
      const [row] = await db
        .insert(spendLedger)
        .values({
          projectId: request.projectId,
          provider: request.provider,
          model: request.model,
          role: request.role,
          status: 'reserved',
          reservedUsd: request.worstCase.usd,
          priced: request.worstCase.priced,
          isFallback: request.isFallback,
        })
        .returning({ id: spendLedger.id });
      const id = row?.id as number;
      return {
        async settle(settlement) {
          await db
            .update(spendLedger)
            .set({
              status: 'settled',
              reservedUsd: 0,
              costUsd: settlement.cost.usd,
              priced: settlement.cost.priced,
              inputTokens: settlement.inputTokens,
              outputTokens: settlement.outputTokens,
              cacheReadTokens: settlement.cacheReadTokens,
              cacheWriteTokens: settlement.cacheWriteTokens,
              settledAt: now(),
            })
            .where(eq(spendLedger.id, id));
        },
        async release() {
          await db
            .update(spendLedger)
            .set({ status: 'released', reservedUsd: 0, settledAt: now() })
            .where(eq(spendLedger.id, id));
        },
      };
    },
  };
}
