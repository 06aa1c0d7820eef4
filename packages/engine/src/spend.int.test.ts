/**
 * What the engine hands a worker for each call: a spend meter that makes the caps hard (a call whose
 * worst case could pass a cap is never made), cancellation when the owner pauses or stops, and live
 * text for the owner while the call runs.
 */
import { events as eventsTable, spendLedger } from '@sitewright/db';
import type { TestDb } from '@sitewright/db/testing';
import { asc, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createEngine, type EngineLimits, type EngineOptions } from './engine.ts';
import type { LiveText } from './live.ts';
import { createSpendMeter, SpendCapReached } from './spend.ts';
import { notesDomain } from './testing/index.ts';
import { useEngineTestEnv } from './testing/test-env.ts';
import type { Worker, WorkerCall, WorkerContext } from './worker.ts';

let handle: TestDb;
let dir: string;
let ownerId: string;

useEngineTestEnv('spend', (env) => {
  ({ handle, dir, ownerId } = env);
});

/** A worker that pays for each answer through the meter, as a model worker does. */
function meteringWorker(
  script: (context: WorkerContext) => unknown,
  price = { worstCaseUsd: 0.3, costUsd: 0.25 },
): Worker & { requests: number } {
  const worker = {
    label: 'metering worker',
    requests: 0,
    async respond(context: WorkerContext, call: WorkerCall) {
      const hold = await call.spend.reserve({
        provider: 'test',
        model: 'm',
        role: 'code',
        isFallback: false,
        worstCaseUsd: price.worstCaseUsd,
        priced: true,
      });
      worker.requests++;
      await hold.settle({
        costUsd: price.costUsd,
        priced: true,
        inputTokens: 1000,
        outputTokens: 100,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
      });
      return {
        output: script(context),
        usage: { provider: 'test', model: 'm', role: 'code', costUsd: price.costUsd },
      };
    },
  };
  return worker;
}

const busy = () => ({ kind: 'tool_call', tool: 'read_note', args: { name: `n${Math.random()}` } });

function engineWith(worker: Worker, limits: Partial<EngineLimits>, extra: Partial<EngineOptions> = {}) {
  return createEngine({
    db: handle.db,
    domain: notesDomain({ dir }),
    workerFor: () => worker,
    limits: { spendCapUsd: null, failureThreshold: 100, turnCap: 100, ...limits },
    ...extra,
  });
}

async function ledger(projectId?: string) {
  const rows = await handle.db.select().from(spendLedger).orderBy(asc(spendLedger.id));
  return projectId ? rows.filter((row) => row.projectId === projectId) : rows;
}

async function logOf(projectId: string) {
  return handle.db
    .select()
    .from(eventsTable)
    .where(eq(eventsTable.projectId, projectId))
    .orderBy(asc(eventsTable.seq));
}

describe('hard spend caps', () => {
  it('never makes a call whose worst case could pass the project cap, and records each call once', async () => {
    const worker = meteringWorker(busy);
    const engine = engineWith(worker, { spendCapUsd: 1 });
    const { id } = await engine.createProject({ ownerId, name: 'Capped' });
    expect(await engine.runUntilPause(id)).toMatchObject({ status: 'paused', pausedReason: 'spend_cap' });
    // 0.25 · 3 = 0.75 spent; the fourth call could cost 0.30 → 1.05 > 1: refused before it was made.
    expect(worker.requests).toBe(3);
    const rows = await ledger(id);
    expect(rows.map((row) => [row.status, row.costUsd, row.reservedUsd])).toEqual([
      ['settled', 0.25, 0],
      ['settled', 0.25, 0],
      ['settled', 0.25, 0],
    ]);
    const alarm = (await logOf(id)).find(
      (event) =>
        event.type === 'alarm_raised' && (event.payload as { type: string }).type === 'spend_cap_reached',
    );
    expect(alarm?.payload).toMatchObject({ severity: 'error' });
    expect((alarm!.payload as { message: string }).message).toMatch(
      /at \$0\.75 of the \$1\.00 cap, and the next model call could cost up to \$0\.30/,
    );
  });

  it('sees spend a worker reports without metering it at the next step, and pauses at the cap', async () => {
    let calls = 0;
    // A fixed price per answer, recorded by the engine: the guard must notice each one.
    const worker: Worker = {
      label: 'fixed price',
      async respond() {
        calls++;
        return { output: busy(), usage: { provider: 'test', model: 'm', role: 'code', costUsd: 0.3 } };
      },
    };
    const engine = engineWith(worker, { spendCapUsd: 1 });
    const { id } = await engine.createProject({ ownerId, name: 'Fixed price' });
    expect(await engine.runUntilPause(id)).toMatchObject({ status: 'paused', pausedReason: 'spend_cap' });
    expect(calls).toBe(4); // 0.9 spent is under the cap; 1.2 is not, and no fifth call is made
    expect((await ledger(id)).reduce((sum, row) => sum + row.costUsd, 0)).toBeCloseTo(1.2);
  });

  it('holds the daily cap across projects', async () => {
    const worker = meteringWorker(busy);
    const engine = engineWith(worker, { dailySpendCapUsd: 1 });
    const first = await engine.createProject({ ownerId, name: 'First' });
    const second = await engine.createProject({ ownerId, name: 'Second' });
    await engine.runUntilPause(first.id, { maxSteps: 3 });
    expect(await engine.runUntilPause(second.id)).toMatchObject({
      status: 'paused',
      pausedReason: 'spend_cap',
    });
    expect(worker.requests).toBe(3);
    const total = (await ledger()).reduce((sum, row) => sum + row.costUsd + row.reservedUsd, 0);
    expect(total).toBeCloseTo(0.75, 6);
  });

  it('lets only one of two concurrent reservations take the last of the budget', async () => {
    const limits = { spendCapUsd: null, dailySpendCapUsd: 1 };
    const a = await engineWith(meteringWorker(busy), {}).createProject({ ownerId, name: 'A' });
    const b = await engineWith(meteringWorker(busy), {}).createProject({ ownerId, name: 'B' });
    await handle.db
      .insert(spendLedger)
      .values({ projectId: a.id, provider: 't', model: 'm', role: 'code', status: 'settled', costUsd: 0.5 });
    const reserve = (projectId: string) =>
      createSpendMeter({ db: handle.db, limits, projectId, now: () => new Date() }).reserve({
        provider: 't',
        model: 'm',
        role: 'code',
        isFallback: false,
        worstCaseUsd: 0.3,
        priced: true,
      });
    const outcomes = await Promise.allSettled([reserve(a.id), reserve(b.id)]);
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    const refused = outcomes.find((outcome) => outcome.status === 'rejected');
    expect((refused as PromiseRejectedResult).reason).toBeInstanceOf(SpendCapReached);
    expect((refused as PromiseRejectedResult).reason.reached).toMatchObject({ cap: 'daily', limit: 1 });
  });

  it('meters model calls made inside tools, and pauses when one would pass the cap', async () => {
    const worker = meteringWorker(
      (context) =>
        context.stage === 'intake'
          ? { kind: 'tool_call', tool: 'start_writing', args: {} }
          : { kind: 'tool_call', tool: 'summarise_notes', args: { worstCaseUsd: 0.4, costUsd: 0.3 } },
      { worstCaseUsd: 0, costUsd: 0 },
    );
    const engine = engineWith(worker, { spendCapUsd: 1 });
    const { id } = await engine.createProject({ ownerId, name: 'Tools' });
    expect(await engine.runUntilPause(id)).toMatchObject({ status: 'paused', pausedReason: 'spend_cap' });
    const tools = (await ledger(id)).filter((row) => row.role === 'tool');
    // 0.3 + 0.3 + 0.3: the fourth call could reach 0.9 + 0.4 > 1.
    expect(tools.map((row) => row.costUsd)).toEqual([0.3, 0.3, 0.3]);
    const finished = (await logOf(id)).filter(
      (event) =>
        event.type === 'tool_finished' && (event.payload as { tool: string }).tool === 'summarise_notes',
    );
    expect(finished.map((event) => (event.payload as { ok: boolean }).ok)).toEqual([true, true, true, false]);
    expect((finished.at(-1)!.payload as { error: string }).error).toMatch(/would pass the project spend cap/);
  });
});

/** A worker whose call runs until its signal is aborted (a long model call), reporting what it saw. */
function hangingWorker() {
  let entered: () => void = () => {};
  const inCall = new Promise<void>((resolve) => {
    entered = resolve;
  });
  const seen: { aborted: boolean } = { aborted: false };
  const worker: Worker = {
    label: 'hanging worker',
    respond: (_context, call) =>
      new Promise((_resolve, reject) => {
        entered();
        call.signal.addEventListener('abort', () => {
          seen.aborted = true;
          reject(new Error('The request was aborted.'));
        });
      }),
  };
  return { worker, inCall, seen };
}

describe('cancelling a model call', () => {
  it('cancels the call at once when the owner pauses in this process, and records no failure', async () => {
    const { worker, inCall, seen } = hangingWorker();
    const engine = engineWith(worker, {});
    const { id } = await engine.createProject({ ownerId, name: 'Pause me' });
    const run = engine.runUntilPause(id);
    await inCall;
    await engine.pause(id);
    expect(await run).toMatchObject({ status: 'paused', pausedReason: 'user' });
    expect(seen.aborted).toBe(true);
    const types = (await logOf(id)).map((event) => event.type);
    expect(types).not.toContain('worker_failed');
  });

  it('cancels the call when the owner stops the run from another process', async () => {
    const { worker, inCall, seen } = hangingWorker();
    const engine = engineWith(worker, {}, { cancelPollMs: 20 });
    const elsewhere = engineWith(worker, {});
    const { id } = await engine.createProject({ ownerId, name: 'Stop me' });
    const run = engine.runUntilPause(id);
    await inCall;
    await elsewhere.stop(id);
    expect(await run).toMatchObject({ status: 'idle' });
    expect(seen.aborted).toBe(true);
    expect((await logOf(id)).map((event) => event.type)).not.toContain('worker_failed');
  });
});

describe('live text', () => {
  it('sends the model’s text while a slow call runs, then marks it done', async () => {
    const worker: Worker = {
      label: 'slow writer',
      async respond(_context, call) {
        call.onText('Let me ');
        await new Promise((resolve) => setTimeout(resolve, 350));
        call.onText('write the menu.');
        await new Promise((resolve) => setTimeout(resolve, 150));
        return { output: { kind: 'tool_call', tool: 'ask_user', args: { question: 'Menu?' } } };
      },
    };
    const live: LiveText[] = [];
    const engine = engineWith(worker, {}, { onLive: (text) => live.push(text) });
    const { id } = await engine.createProject({ ownerId, name: 'Live' });
    await engine.runUntilPause(id, { maxSteps: 1 });
    expect(live.length).toBeGreaterThanOrEqual(2);
    expect(live.every((text) => text.projectId === id && text.turn === 1)).toBe(true);
    expect(live.slice(0, -1).every((text) => !text.done)).toBe(true);
    expect(live.at(-1)).toMatchObject({ text: 'Let me write the menu.', done: true });
  });

  it('sends nothing for a call that answers quickly', async () => {
    const worker: Worker = {
      label: 'quick',
      async respond(_context, call) {
        call.onText('Hi');
        return { output: { kind: 'tool_call', tool: 'ask_user', args: { question: 'Name?' } } };
      },
    };
    const live: LiveText[] = [];
    const engine = engineWith(worker, {}, { onLive: (text) => live.push(text) });
    const { id } = await engine.createProject({ ownerId, name: 'Quick' });
    await engine.runUntilPause(id, { maxSteps: 1 });
    expect(live).toEqual([]);
  });
});
