/** What a test hands a worker or tool directly, outside the engine: a memory meter and no live text. */
import type { SpendHold, SpendMeter, SpendReservation, SpendSettlement } from '../spend.ts';
import type { WorkerCall } from '../worker.ts';

export interface MemorySpendMeter extends SpendMeter {
  /** Every reservation, with how it ended. */
  readonly holds: Array<{
    reservation: SpendReservation;
    state: 'reserved' | 'settled' | 'released';
    settlement?: SpendSettlement;
  }>;
}

/** A meter that refuses nothing and keeps what it was told in memory. */
export function memorySpendMeter(): MemorySpendMeter {
  const holds: MemorySpendMeter['holds'] = [];
  return {
    holds,
    async reserve(reservation): Promise<SpendHold> {
      const hold: MemorySpendMeter['holds'][number] = { reservation, state: 'reserved' };
      holds.push(hold);
      return {
        async settle(settlement) {
          hold.state = 'settled';
          hold.settlement = settlement;
        },
        async release() {
          hold.state = 'released';
        },
      };
    },
  };
}

/** A WorkerCall for tests that call a worker directly. */
export function testWorkerCall(overrides: Partial<WorkerCall> = {}): WorkerCall {
  return {
    signal: new AbortController().signal,
    spend: memorySpendMeter(),
    onText: () => {},
    atSeq: 0,
    ...overrides,
  };
}
