/**
 * A real model behind the API: an operator sets one key and the agent's turns are model calls — here
 * the real SDKs talk to local wire-compatible stubs. Each call is logged (secrets redacted) and priced,
 * and a model configuration that cannot work stops the start with a clear message.
 */
import { createTestDb } from '@sitewright/db/testing';
import { type StubServer, startAnthropicStub, startOpenAIStub } from '@sitewright/llm/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { wireDeps } from './deps.ts';
import { EnvError, parseEnv } from './env.ts';
import { createLogger } from './logger.ts';
import { type ApiHarness, startApi } from './testing/api-harness.ts';
import { until } from './testing/until.ts';

const KEY = 'sk-ant-api03-secret-key-that-must-never-be-stored';
const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function firstQuestionThrough(stub: StubServer, env: Record<string, string>) {
  stub.reply({
    kind: 'tool_call',
    name: 'ask_user',
    args: { question: 'What is your business called?', options: ['Luigi’s Bakery'] },
    text: 'Let us start with the name.',
    usage: { input: 1800, output: 60, cacheRead: 1500, cacheWrite: 0 },
  });
  const api: ApiHarness = await startApi({ RUNNER_ENABLED: 'true', ...env });
  cleanup.push(() => api.close());
  await api.createUser('luigi');
  const owner = await api.login('luigi');
  const created = await owner.post('/api/projects', { name: 'Luigi’s Bakery' });
  const id = created.body.project.id as string;
  const pending = await until(async () => {
    const detail = (await owner.get(`/api/projects/${id}`)).body;
    return detail.pending[0];
  });
  return { api, owner, id, pending };
}

describe('a model-backed agent', () => {
  it('asks its first question through Anthropic, with the call logged, priced and redacted', async () => {
    const stub = await startAnthropicStub();
    cleanup.push(() => stub.close());
    const { owner, id, pending } = await firstQuestionThrough(stub, {
      ANTHROPIC_API_KEY: KEY,
      ANTHROPIC_BASE_URL: stub.url,
      MODEL_CHAT: 'claude-sonnet-4-5',
      MODEL_CODE: 'claude-sonnet-4-5',
    });
    expect(pending).toMatchObject({ kind: 'question', question: 'What is your business called?' });
    // The request carried the registry's tools and the cached stable prefix.
    const request = stub.requests[0]!;
    expect(request.body.model).toBe('claude-sonnet-4-5');
    const tools = request.body.tools as Array<{ name: string }>;
    expect(tools.map((tool) => tool.name)).toContain('ask_user');

    const calls = (await owner.get(`/api/projects/${id}/llm-calls`)).body.calls;
    expect(calls.length).toBeGreaterThanOrEqual(1);
    expect(calls[0]).toMatchObject({ provider: 'anthropic', model: 'claude-sonnet-4-5', status: 'ok' });
    expect(JSON.stringify(calls)).not.toContain(KEY);
    const spend = (await owner.get(`/api/projects/${id}/spend`)).body;
    const row = spend.byModel.find((model: { model: string }) => model.model === 'claude-sonnet-4-5');
    expect(row).toMatchObject({ calls: 1, inputTokens: 1800, cacheReadTokens: 1500, unpricedCalls: 0 });
    expect(row.costUsd).toBeGreaterThan(0);
  });

  it('answers with the fallback model when the main one is rate limited, and says so', async () => {
    const stub = await startAnthropicStub();
    cleanup.push(() => stub.close());
    stub.reply({ kind: 'error', status: 429, message: 'rate limited', headers: { 'retry-after': '30' } });
    const { owner, id, pending } = await firstQuestionThrough(stub, {
      ANTHROPIC_API_KEY: KEY,
      ANTHROPIC_BASE_URL: stub.url,
      MODEL_CHAT: 'claude-sonnet-4-5',
      MODEL_CHAT_FALLBACK: 'claude-haiku-4-5',
      MODEL_CODE: 'claude-sonnet-4-5',
    });
    expect(pending.question).toBe('What is your business called?');
    expect(stub.requests.map((request) => request.body.model)).toEqual([
      'claude-sonnet-4-5',
      'claude-haiku-4-5',
    ]);
    const events = (await owner.get(`/api/projects/${id}/events`)).body.events;
    expect(events.find((event: { type: string }) => event.type === 'model_swapped')?.payload).toEqual({
      role: 'chat',
      model: 'claude-haiku-4-5',
      reason: 'the main model was rate limited',
    });
    const spend = (await owner.get(`/api/projects/${id}/spend`)).body;
    expect(spend.fallbackCalls).toBe(1);
  });

  it('works with a local OpenAI-compatible server, and an unknown model is priced as unknown', async () => {
    const stub = await startOpenAIStub();
    cleanup.push(() => stub.close());
    const { owner, id, pending } = await firstQuestionThrough(stub, {
      OPENAI_BASE_URL: stub.url,
      MODEL_CHAT: 'llama3.1:8b',
      MODEL_CODE: 'llama3.1:8b',
    });
    expect(pending.question).toBe('What is your business called?');
    const spend = (await owner.get(`/api/projects/${id}/spend`)).body;
    expect(spend.unpricedCalls).toBe(1);
    expect(spend.byModel[0]).toMatchObject({ provider: 'openai', model: 'llama3.1:8b', unpricedCalls: 1 });
  });

  it('prices a model the table lacks from MODEL_PRICES', async () => {
    const stub = await startOpenAIStub();
    cleanup.push(() => stub.close());
    const { owner, id } = await firstQuestionThrough(stub, {
      OPENAI_BASE_URL: stub.url,
      MODEL_CHAT: 'llama3.1:8b',
      MODEL_CODE: 'llama3.1:8b',
      MODEL_PRICES: '{"llama3.1:8b": {"input": 1, "output": 2}}',
    });
    const spend = (await owner.get(`/api/projects/${id}/spend`)).body;
    expect(spend.unpricedCalls).toBe(0);
    // 1800 uncached input, 1500 cached (priced as input by default) and 60 output tokens.
    expect(spend.byModel[0].costUsd).toBeCloseTo((1800 * 1 + 1500 * 1 + 60 * 2) / 1e6, 6);
  });

  it('lets the owner override a role’s model for one project, from its next call', async () => {
    const stub = await startAnthropicStub();
    cleanup.push(() => stub.close());
    const { owner, id, pending } = await firstQuestionThrough(stub, {
      ANTHROPIC_API_KEY: KEY,
      ANTHROPIC_BASE_URL: stub.url,
      MODEL_CHAT: 'claude-sonnet-4-5',
      MODEL_CHAT_FALLBACK: 'claude-haiku-4-5',
      MODEL_CODE: 'claude-sonnet-4-5',
    });
    const before = (await owner.get(`/api/projects/${id}/models`)).body;
    expect(before).toEqual({
      demo: false,
      roles: [
        {
          role: 'chat',
          provider: 'anthropic',
          model: 'claude-sonnet-4-5',
          configured: 'claude-sonnet-4-5',
          override: null,
          fallback: 'claude-haiku-4-5',
        },
        {
          role: 'code',
          provider: 'anthropic',
          model: 'claude-sonnet-4-5',
          configured: 'claude-sonnet-4-5',
          override: null,
          fallback: null,
        },
      ],
    });

    // A model no configured key can reach is refused, naming the setting, and nothing is saved.
    const refused = await owner.patch(`/api/projects/${id}/models`, { chat: 'openai:gpt-4.1' });
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toMatch(/OPENROUTER_API_KEY, OPENAI_API_KEY or OPENAI_BASE_URL/);
    expect((await owner.get(`/api/projects/${id}/models`)).body).toEqual(before);
    expect((await owner.patch(`/api/projects/${id}/models`, { chat: 'two words' })).status).toBe(400);

    const changed = await owner.patch(`/api/projects/${id}/models`, { chat: 'claude-opus-4-5' });
    expect(changed.status).toBe(200);
    expect(changed.body.roles[0]).toMatchObject({ model: 'claude-opus-4-5', override: 'claude-opus-4-5' });
    expect(changed.body.roles[1]).toMatchObject({ model: 'claude-sonnet-4-5', override: null });

    // The next turn of the chat role is a call to the override.
    stub.reply({
      kind: 'tool_call',
      name: 'ask_user',
      args: { question: 'What kind of business is it?' },
    });
    await owner.post(`/api/projects/${id}/answer`, { pendingId: pending.id, answer: 'Luigi’s Bakery' });
    await until(async () => (stub.requests.length >= 2 ? true : undefined));
    expect(stub.requests[1]?.body.model).toBe('claude-opus-4-5');

    const restored = await owner.patch(`/api/projects/${id}/models`, { chat: null });
    expect(restored.body).toEqual(before);
  });

  it('refuses a model override while the demo worker answers', async () => {
    const api = await startApi({});
    cleanup.push(() => api.close());
    await api.createUser('demo');
    const owner = await api.login('demo');
    const id = (await owner.post('/api/projects', { name: 'Demo' })).body.project.id as string;
    const models = (await owner.get(`/api/projects/${id}/models`)).body;
    expect(models.demo).toBe(true);
    expect(models.roles.map((role: { model: string | null }) => role.model)).toEqual([null, null]);
    const refused = await owner.patch(`/api/projects/${id}/models`, { code: 'claude-sonnet-4-5' });
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(/No model provider is configured/);
  });

  it('refuses a model configured without any provider, naming what to set', async () => {
    const db = await createTestDb();
    cleanup.push(() => db.close());
    const error = await wireDeps(
      parseEnv({ MODEL_CODE: 'claude-sonnet-4-5', RUNNER_ENABLED: 'false' }),
      db,
      createLogger('silent'),
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(EnvError);
    expect((error as Error).message).toMatch(/^Invalid model configuration: .*ANTHROPIC_API_KEY/);
  });
});
