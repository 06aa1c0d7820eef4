/**
 * Spend control. Every billed model call — the worker's, or one a tool makes — reserves its worst-case
 * cost before it is made and settles to the real cost after, so the project and daily caps are hard:
 * a call that could pass a cap is refused before anything is billed, never noticed afterwards.
 *
 * Reservations are serialised by a transaction-scoped advisory lock on Postgres, so runners in several
 * processes cannot both pass the daily cap with the last dollar; the embedded database runs one
 * transaction at a time, which serialises them just the same.
 */
import { type Db, spendLedger, workItems } from '@sitewright/db';
import { and, eq, gte, sql } from 'drizzle-orm';
import type { DbOrTx } from './events/log.ts';

export interface SpendReservation {
  provider: string;
  model: string;
  role: string;
  isFallback: boolean;
  /** The most this call can cost: its prompt plus its output limit at the model's price. */
  worstCaseUsd: number;
  /** False when the model has no known price: nothing can be reserved and the cost will be unknown. */
  priced: boolean;
}

export interface SpendSettlement {
  costUsd: number;
  priced: boolean;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  /** The call-log row of this attempt, when one was written. */
  llmCallId?: string;
}

export interface SpendHold {
  /** The call was billed: record what it cost and free the reservation. */
  settle(settlement: SpendSettlement): Promise<void>;
  /** The call was not billed (it failed before any tokens): free the reservation. */
  release(): Promise<void>;
}

/** Handed to workers and tools: reserve before each billed call. */
export interface SpendMeter {
  /** Throws `SpendCapReached` when the call's worst case could pass a cap. */
  reserve(reservation: SpendReservation): Promise<SpendHold>;
}

export interface SpendLimits {
  spendCapUsd: number | null;
  dailySpendCapUsd: number | null;
}

export interface CapReached {
  cap: 'project' | 'daily';
  /** Settled plus reserved spend so far. */
  spent: number;
  limit: number;
  /** What the refused call could have cost (0 when a cap is reached outright). */
  nextCallUsd: number;
}

/** A call refused because its worst case could pass a cap. */
export class SpendCapReached extends Error {
  override readonly name = 'SpendCapReached';
  constructor(readonly reached: CapReached) {
    super(
      `a call that may cost up to $${reached.nextCallUsd.toFixed(4)} would pass the ${reached.cap} spend cap ($${reached.spent.toFixed(4)} of $${reached.limit.toFixed(2)} spent)`,
    );
  }
}

/** An arbitrary constant naming the lock that serialises reservations across processes. */
const SPEND_LOCK = 7_305_112;

/**
 * Null when a call costing `nextCallUsd` may go ahead; otherwise which cap it would pass. Spend counts
 * settled costs and open reservations (a reservation left by a crashed call stays counted: the
 * provider may have billed it).
 */
export async function checkSpend(
  tx: DbOrTx,
  limits: SpendLimits,
  projectId: string,
  now: Date,
  nextCallUsd = 0,
): Promise<CapReached | null> {
  if (limits.spendCapUsd === null && limits.dailySpendCapUsd === null) return null;
  const spentExpr = sql<number>`coalesce(sum(${spendLedger.costUsd} + ${spendLedger.reservedUsd}), 0)::float8`;
  const since = new Date(now.getTime() - 24 * 3600_000);
  const caps = [
    { cap: 'project' as const, limit: limits.spendCapUsd, rows: eq(spendLedger.projectId, projectId) },
    { cap: 'daily' as const, limit: limits.dailySpendCapUsd, rows: gte(spendLedger.createdAt, since) },
  ];
  for (const { cap, limit, rows } of caps) {
    if (limit === null) continue;
    const [row] = await tx.select({ spent: spentExpr }).from(spendLedger).where(rows);
    const spent = Number(row?.spent ?? 0);
    // With no call in view the cap is reached at the limit; a call must fit under it.
    const reached = nextCallUsd > 0 ? spent + nextCallUsd > limit : spent >= limit;
    if (reached) return { cap, spent, limit, nextCallUsd };
  }
  return null;
}

export interface MeterOptions {
  db: Db;
  limits: SpendLimits;
  projectId: string;
  now: () => Date;
}

/** A meter over `spend_ledger` for one project; `used` tells whether anything was reserved through it. */
export function createSpendMeter(options: MeterOptions): SpendMeter & { readonly used: boolean } {
  const { db, limits, projectId, now } = options;
  let used = false;
  return {
    get used() {
      return used;
    },
    async reserve(reservation) {
      used = true;
      const id = await db.transaction(async (tx) => {
        await tx.execute(sql`select pg_advisory_xact_lock(${SPEND_LOCK})`);
        const reached = await checkSpend(tx, limits, projectId, now(), reservation.worstCaseUsd);
        if (reached) throw new SpendCapReached(reached);
        // The item being worked on, so the dashboard can say what each feature cost.
        const [item] = await tx
          .select({ id: workItems.id })
          .from(workItems)
          .where(and(eq(workItems.projectId, projectId), eq(workItems.status, 'in_progress')))
          .limit(1);
        const [row] = await tx
          .insert(spendLedger)
          .values({
            projectId,
            provider: reservation.provider,
            model: reservation.model,
            role: reservation.role,
            status: 'reserved',
            reservedUsd: reservation.priced ? reservation.worstCaseUsd : 0,
            priced: reservation.priced,
            isFallback: reservation.isFallback,
            workItemId: item?.id ?? null,
          })
          .returning({ id: spendLedger.id });
        return row?.id as number;
      });
      let open = true;
      const close = async (values: Partial<typeof spendLedger.$inferInsert>) => {
        if (!open) return;
        open = false;
        await db
          .update(spendLedger)
          .set({ ...values, reservedUsd: 0, settledAt: now() })
          .where(eq(spendLedger.id, id));
      };
      return {
        settle: (settlement) =>
          close({
            status: 'settled',
            costUsd: settlement.costUsd,
            priced: settlement.priced,
            inputTokens: settlement.inputTokens,
            outputTokens: settlement.outputTokens,
            cacheReadTokens: settlement.cacheReadTokens,
            cacheWriteTokens: settlement.cacheWriteTokens,
            llmCallId: settlement.llmCallId ?? null,
          }),
        release: () => close({ status: 'released' }),
      };
    },
  };
}
