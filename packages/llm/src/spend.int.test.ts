import { projects, spendLedger, users } from '@sitewright/db';
import { createTestDb, type TestDb } from '@sitewright/db/testing';
import { WorkerFault } from '@sitewright/engine';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createModelClient } from './providers.ts';
import { createDbSpendGate } from './spend.ts';
import { testContext } from './testing/context.ts';
import { type StubServer, startOpenAIStub } from './testing/index.ts';
import { createModelWorker } from './worker.ts';

describe('spend reservation', () => {
  let handle: TestDb;
  let stub: StubServer;
  let projectId: string;
  beforeAll(async () => {
    [handle, stub] = await Promise.all([createTestDb(), startOpenAIStub()]);
    const [user] = await handle.db.insert(users).values({ username: 'owner', passwordHash: 'x' }).returning();
    const [project] = await handle.db
      .insert(projects)
      .values({ ownerId: user?.id as string, name: 'Bakery' })
      .returning();
    projectId = project?.id as string;
  });
  afterAll(async () => {
    await Promise.all([handle?.close(), stub?.close()]);
  });

  const worker = (check?: Parameters<typeof createDbSpendGate>[1]) =>
    createModelWorker({
      client: createModelClient('openai', { apiKey: 'sk-test-0123456789abcdef', baseURL: stub.url }),
      model: 'gpt-4o-mini',
      fallback: { model: 'mystery/unpriced-model' },
      role: 'code',
      maxTokens: 1000,
      spend: createDbSpendGate(handle.db, check),
      sleep: async () => {},
    });

  it('reserves the worst case, then settles billed attempts and releases failed ones', async () => {
    const reserved: number[] = [];
    stub.reply(
      { kind: 'error', status: 500 },
      { kind: 'error', status: 429 },
      {
        kind: 'tool_call',
        name: 'write_file',
        args: { path: 'a', content: 'b' },
        usage: { input: 1000, output: 100, cacheRead: 500 },
      },
    );
    await worker({ check: async (r) => void reserved.push(r.worstCase.usd) }).respond(
      testContext({ projectId }),
      new AbortController().signal,
    );
    // Worst case covers the prompt plus max_tokens at the model's price.
    expect(reserved[0]).toBeGreaterThanOrEqual((1000 * 0.6) / 1e6);
    const rows = await handle.db
      .select()
      .from(spendLedger)
      .where(eq(spendLedger.projectId, projectId))
      .orderBy(spendLedger.id);
    expect(rows.map((r) => [r.status, r.model, r.isFallback, r.priced])).toEqual([
      ['released', 'gpt-4o-mini', false, true],
      ['released', 'gpt-4o-mini', false, true],
      ['settled', 'mystery/unpriced-model', true, false],
    ]);
    expect(rows.every((r) => r.reservedUsd === 0)).toBe(true);
    expect(rows[2]).toMatchObject({ inputTokens: 1000, outputTokens: 100, cacheReadTokens: 500, costUsd: 0 });
  });

  it('makes no call when the reservation is refused', async () => {
    const before = stub.requests.length;
    stub.reply({ kind: 'tool_call', name: 'write_file', args: { path: 'a', content: 'b' } });
    const refusal = new WorkerFault('quota', 'spend cap reached');
    await expect(
      worker({
        check: async () => {
          throw refusal;
        },
      }).respond(testContext({ projectId }), new AbortController().signal),
    ).rejects.toBe(refusal);
    expect(stub.requests.length).toBe(before);
  });
});
