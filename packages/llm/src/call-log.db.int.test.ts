import { projects, users } from '@sitewright/db';
import { createTestDb, type TestDb } from '@sitewright/db/testing';
import { testWorkerCall } from '@sitewright/engine/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDbCallLog, listRecentCalls } from './call-log.db.ts';
import { createModelClient } from './providers.ts';
import { testContext } from './testing/context.ts';
import { type StubServer, startAnthropicStub } from './testing/index.ts';
import { createModelWorker } from './worker.ts';

const KEY = 'sk-ant-api03-DBTESTabcdefghijklmnopqrstuvwxyz';

describe('database call log', () => {
  let handle: TestDb;
  let stub: StubServer;
  let projectId: string;
  beforeAll(async () => {
    [handle, stub] = await Promise.all([createTestDb(), startAnthropicStub()]);
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

  it('stores every attempt with tokens, cost, status and no secrets', async () => {
    stub.reply(
      { kind: 'error', status: 500 },
      {
        kind: 'tool_call',
        name: 'write_file',
        args: { path: 'a', content: 'b' },
        usage: { input: 10, output: 5, cacheRead: 7, cacheWrite: 3 },
      },
    );
    const worker = createModelWorker({
      client: createModelClient('anthropic', { apiKey: KEY, baseURL: stub.url }),
      model: 'claude-haiku-4-5',
      role: 'chat',
      callLog: createDbCallLog(handle.db),
      secrets: [KEY],
      sleep: async () => {},
    });
    await worker.respond(
      testContext({ projectId, systemPrompt: `key ${KEY}` }),
      testWorkerCall({ atSeq: 17 }),
    );
    const rows = await listRecentCalls(handle.db, projectId);
    expect(rows.map((r) => r.status).sort()).toEqual(['ok', 'server_error']);
    const ok = rows.find((r) => r.status === 'ok');
    expect(ok).toMatchObject({
      provider: 'anthropic',
      model: 'claude-haiku-4-5',
      role: 'chat',
      inputTokens: 10,
      outputTokens: 5,
      cacheReadTokens: 7,
      cacheWriteTokens: 3,
      attempt: 2,
      atSeq: 17,
    });
    expect(ok?.costUsd).toBeGreaterThan(0);
    expect(JSON.stringify(rows)).not.toContain(KEY);
  });
});
