import { Envelope, type SpendMeter, WorkerFault } from '@sitewright/engine';
import { memorySpendMeter, testWorkerCall } from '@sitewright/engine/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryCallLog } from './call-log.ts';
import type { Provider } from './port.ts';
import { createPricing } from './pricing.ts';
import { createModelClient } from './providers.ts';
import { testContext } from './testing/context.ts';
import { type StubServer, startAnthropicStub, startOpenAIStub } from './testing/index.ts';
import { createModelWorker, type ModelUsage, type ModelWorkerOptions } from './worker.ts';

const ANTHROPIC_KEY = 'sk-ant-api03-TESTKEYabcdefghijklmnopqrstuvwxyz0123456789';
const OPENAI_KEY = 'sk-or-v1-0123456789abcdef0123456789abcdef0123456789abcdef';

const cases: Array<{ provider: Provider; start: () => Promise<StubServer>; key: string; model: string }> = [
  { provider: 'anthropic', start: startAnthropicStub, key: ANTHROPIC_KEY, model: 'claude-sonnet-4-5' },
  { provider: 'openai', start: startOpenAIStub, key: OPENAI_KEY, model: 'openai/gpt-4o-mini' },
];

describe.each(cases)('$provider worker against a wire stub', ({ provider, start, key, model }) => {
  let stub: StubServer;
  beforeEach(async () => {
    stub = await start();
  });
  afterEach(async () => {
    await stub.close();
  });

  const worker = (overrides: Partial<ModelWorkerOptions> = {}) => {
    const log = createMemoryCallLog();
    const sleeps: number[] = [];
    const client = createModelClient(provider, { apiKey: key, baseURL: stub.url, timeoutMs: 400 });
    const w = createModelWorker({
      client,
      model,
      role: 'code',
      callLog: log,
      secrets: [key],
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      ...overrides,
    });
    return { w, log, sleeps };
  };
  const call = () => testWorkerCall();

  it('round-trips a tool call into a valid envelope, with tools and cache markers on the wire', async () => {
    stub.reply({
      kind: 'tool_call',
      name: 'write_file',
      args: { path: 'menu.html', content: '<h1>Menu</h1>' },
      text: 'Writing the menu.',
    });
    const { w } = worker();
    const response = await w.respond(testContext(), call());
    const envelope = Envelope.parse(response.output);
    expect(envelope).toEqual({
      kind: 'tool_call',
      tool: 'write_file',
      args: { path: 'menu.html', content: '<h1>Menu</h1>' },
      say: 'Writing the menu.',
    });
    const body = stub.requests[0]?.body as Record<string, unknown>;
    expect(body.stream).toBe(true);
    const tools = body.tools as Array<Record<string, unknown>>;
    if (provider === 'anthropic') {
      expect(tools.map((t) => t.name)).toEqual(['write_file', 'finish', 'escalate']);
      expect(tools[0]?.input_schema).not.toHaveProperty('$schema');
      expect(tools.at(-1)?.cache_control).toEqual({ type: 'ephemeral' });
      expect((body.system as Array<Record<string, unknown>>)[0]?.cache_control).toEqual({
        type: 'ephemeral',
      });
      expect(body.tool_choice).toEqual({ type: 'any' });
      const headers = stub.requests[0]?.headers ?? {};
      // SDK 1.x sends the key as a bearer token; older versions as x-api-key.
      expect([headers['x-api-key'], headers.authorization]).toContain(
        headers['x-api-key'] ? key : `Bearer ${key}`,
      );
    } else {
      expect(tools.map((t) => (t.function as { name: string }).name)).toEqual([
        'write_file',
        'finish',
        'escalate',
      ]);
      expect(body.stream_options).toEqual({ include_usage: true });
      expect(stub.requests[0]?.headers.authorization).toBe(`Bearer ${key}`);
    }
    // The brief is in the stable prefix; the current item in the last message.
    expect(JSON.stringify(body)).toContain('Bakery Rosa');
    expect(JSON.stringify(body)).toContain('Menu page');
  });

  it('forces a tool call only where the model accepts it', async () => {
    const newer = provider === 'anthropic' ? 'claude-sonnet-5-5' : 'anthropic/claude-sonnet-5.5';
    stub.reply(
      { kind: 'tool_call', name: 'write_file', args: { path: 'a', content: 'b' } },
      { kind: 'tool_call', name: 'write_file', args: { path: 'a', content: 'b' } },
    );
    await worker().w.respond(testContext(), call());
    await worker({ model: newer }).w.respond(testContext(), call());
    const choices = stub.requests.map((request) => request.body.tool_choice);
    expect(choices).toEqual(
      provider === 'anthropic' ? [{ type: 'any' }, { type: 'auto' }] : ['required', 'auto'],
    );
  });

  it('maps finish and escalate to the final and escalate envelopes', async () => {
    stub.reply(
      { kind: 'tool_call', name: 'finish', args: { summary: 'Done.' } },
      { kind: 'tool_call', name: 'escalate', args: { reason: 'Need a logo.' } },
    );
    const { w } = worker();
    expect((await w.respond(testContext(), call())).output).toEqual({ kind: 'final', summary: 'Done.' });
    expect((await w.respond(testContext(), call())).output).toEqual({
      kind: 'escalate',
      reason: 'Need a logo.',
    });
  });

  it('streams text deltas to onText', async () => {
    stub.reply({
      kind: 'tool_call',
      name: 'write_file',
      args: { path: 'a.html', content: 'a' },
      text: 'Let me write the home page now.',
    });
    const deltas: string[] = [];
    const { w } = worker();
    await w.respond(testContext(), testWorkerCall({ onText: (delta) => deltas.push(delta) }));
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join('')).toBe('Let me write the home page now.');
  });

  it('computes cost and cache tokens from the pricing table', async () => {
    stub.reply({
      kind: 'tool_call',
      name: 'write_file',
      args: { path: 'a', content: 'b' },
      usage: { input: 1000, output: 500, cacheRead: 2000, cacheWrite: provider === 'anthropic' ? 3000 : 0 },
    });
    const pricing = createPricing({ [model]: { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 } });
    const { w, log } = worker({ pricing });
    const usage = (await w.respond(testContext(), call())).usage as ModelUsage;
    const cacheWrite = provider === 'anthropic' ? 3000 : 0;
    const expected = (1000 * 3 + 500 * 15 + 2000 * 0.3 + cacheWrite * 3.75) / 1e6;
    expect(usage).toMatchObject({
      provider,
      model,
      role: 'code',
      inputTokens: 1000,
      outputTokens: 500,
      cacheReadTokens: 2000,
      cacheWriteTokens: cacheWrite,
      priced: true,
      isFallback: false,
    });
    expect(usage.costUsd).toBeCloseTo(expected, 6);
    expect(log.attempts[0]).toMatchObject({ status: 'ok', usage: { cacheRead: 2000 } });
    expect(log.attempts[0]?.costUsd).toBeCloseTo(expected, 6);
  });

  it('reports an unknown model as unpriced, not free', async () => {
    stub.reply({ kind: 'tool_call', name: 'write_file', args: { path: 'a', content: 'b' } });
    const { w, log } = worker({ model: 'some-lab/unknown-model-9' });
    const usage = (await w.respond(testContext(), call())).usage as ModelUsage;
    expect(usage.priced).toBe(false);
    expect(log.attempts[0]?.costUsd).toBeNull();
  });

  it('switches to the fallback model on 429 and flags the usage', async () => {
    stub.reply(
      { kind: 'error', status: 429, headers: { 'retry-after': '20' } },
      { kind: 'tool_call', name: 'write_file', args: { path: 'a', content: 'b' } },
    );
    const { w, log } = worker({ fallback: { model: 'backup-model' } });
    const response = await w.respond(testContext(), call());
    expect(response.usage).toMatchObject({ model: 'backup-model', isFallback: true });
    expect(stub.requests.map((r) => r.body.model)).toEqual([model, 'backup-model']);
    expect(log.attempts.map((a) => [a.status, a.isFallback])).toEqual([
      ['rate_limited', false],
      ['ok', true],
    ]);
  });

  it('raises rate_limited with retry-after when there is no fallback', async () => {
    stub.reply({ kind: 'error', status: 429, headers: { 'retry-after': '42' } });
    const { w } = worker();
    const error = await w.respond(testContext(), call()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkerFault);
    expect(error).toMatchObject({ kind: 'rate_limited', retryAfterMs: 42_000 });
    expect(stub.requests).toHaveLength(1);
  });

  it('retries a 500 with jittered backoff, then succeeds', async () => {
    stub.reply(
      { kind: 'error', status: 500 },
      { kind: 'error', status: 503 },
      { kind: 'tool_call', name: 'write_file', args: { path: 'a', content: 'b' } },
    );
    const { w, sleeps, log } = worker({ random: () => 1, backoff: { baseMs: 100, maxMs: 1000 } });
    const response = await w.respond(testContext(), call());
    expect(Envelope.safeParse(response.output).success).toBe(true);
    expect(sleeps).toEqual([100, 200]);
    expect(log.attempts.map((a) => a.status)).toEqual(['server_error', 'server_error', 'ok']);
  });

  it('gives up after bounded retries with a transient fault', async () => {
    stub.reply(
      { kind: 'error', status: 500 },
      { kind: 'error', status: 500 },
      { kind: 'error', status: 500 },
    );
    const { w } = worker({ retries: 2 });
    await expect(w.respond(testContext(), call())).rejects.toMatchObject({ kind: 'transient' });
    expect(stub.requests).toHaveLength(3);
  });

  it('retries a request that times out', async () => {
    stub.reply(
      { kind: 'hang' },
      { kind: 'tool_call', name: 'write_file', args: { path: 'a', content: 'b' } },
    );
    const { w, log } = worker();
    const response = await w.respond(testContext(), call());
    expect(Envelope.safeParse(response.output).success).toBe(true);
    expect(log.attempts.map((a) => a.status)).toEqual(['timeout', 'ok']);
  });

  it('aborts when the signal fires, without retrying', async () => {
    stub.reply(
      { kind: 'hang' },
      { kind: 'tool_call', name: 'write_file', args: { path: 'a', content: 'b' } },
    );
    const client = createModelClient(provider, { apiKey: key, baseURL: stub.url, timeoutMs: 30_000 });
    const log = createMemoryCallLog();
    const w = createModelWorker({ client, model, role: 'code', callLog: log });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const error = await w
      .respond(testContext(), testWorkerCall({ signal: controller.signal }))
      .catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(WorkerFault);
    expect(log.attempts.map((a) => a.status)).toEqual(['cancelled']);
    expect(stub.pending()).toBe(1);
  });

  it('turns 401 into an auth fault naming the key to fix', async () => {
    stub.reply({ kind: 'error', status: 401, message: `invalid x-api-key ${key}` });
    const { w, log } = worker({
      keyName: provider === 'anthropic' ? 'ANTHROPIC_API_KEY' : 'OPENROUTER_API_KEY',
    });
    const error = (await w.respond(testContext(), call()).catch((e: unknown) => e)) as WorkerFault;
    expect(error).toBeInstanceOf(WorkerFault);
    expect(error.kind).toBe('auth');
    expect(error.message).toContain(provider === 'anthropic' ? 'ANTHROPIC_API_KEY' : 'OPENROUTER_API_KEY');
    expect(stub.requests).toHaveLength(1);
    expect(JSON.stringify(log.attempts)).not.toContain(key);
  });

  it('turns exhausted credit into a quota fault', async () => {
    stub.reply({ kind: 'error', status: 402, message: 'Insufficient credits' });
    const { w } = worker();
    await expect(w.respond(testContext(), call())).rejects.toMatchObject({ kind: 'quota' });
  });

  it('treats a 429 that reports exhausted quota as a quota fault, not a wait', async () => {
    stub.reply({
      kind: 'error',
      status: 429,
      message: 'You exceeded your current quota, please check your plan and billing details.',
    });
    const { w } = worker({ fallback: { model: 'backup-model' } });
    await expect(w.respond(testContext(), call())).rejects.toMatchObject({ kind: 'quota' });
    expect(stub.requests).toHaveLength(1);
  });

  it('hands malformed tool arguments to the engine repair path', async () => {
    stub.reply({
      kind: 'tool_call',
      name: 'write_file',
      args: '{"path": "a.html", "content": "<h1>unterminated',
    });
    const { w } = worker();
    const first = await w.respond(testContext(), call());
    const parsed = Envelope.safeParse(first.output);
    expect(parsed.success).toBe(false);
    // The repair retry carries the error; a good answer then validates.
    stub.reply({ kind: 'tool_call', name: 'write_file', args: { path: 'a.html', content: '<h1>ok</h1>' } });
    const second = await w.respond(
      testContext({ repair: { error: 'args: expected record', previous: first.output } }),
      call(),
    );
    expect(Envelope.parse(second.output)).toMatchObject({ tool: 'write_file' });
    expect(JSON.stringify(stub.requests[1]?.body)).toContain('could not be used');
  });

  it('hands plain text without a tool call to the repair path', async () => {
    stub.reply({ kind: 'text', text: 'I think we should write the menu.' });
    const { w } = worker();
    const response = await w.respond(testContext(), call());
    expect(response.output).toBe('I think we should write the menu.');
    expect(Envelope.safeParse(response.output).success).toBe(false);
  });

  it('keeps secrets out of the call log', async () => {
    stub.reply({
      kind: 'tool_call',
      name: 'write_file',
      args: { path: 'a', content: `token Bearer ${key}` },
    });
    const { w, log } = worker();
    await w.respond(testContext({ systemPrompt: `Never print ${key}. x-api-key: ${key}` }), call());
    const stored = JSON.stringify(log.attempts);
    expect(stored).not.toContain(key);
    expect(stored).toContain('[redacted]');
  });

  it('reserves each attempt’s worst case, settles the billed one against its log row, releases the rest', async () => {
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
    const meter = memorySpendMeter();
    const { w, log } = worker({
      model: 'gpt-4o-mini',
      fallback: { model: 'mystery/unpriced-model' },
      maxTokens: 1000,
    });
    await w.respond(testContext(), testWorkerCall({ spend: meter }));
    expect(meter.holds.map((h) => [h.state, h.reservation.model, h.reservation.isFallback])).toEqual([
      ['released', 'gpt-4o-mini', false],
      ['released', 'gpt-4o-mini', false],
      ['settled', 'mystery/unpriced-model', true],
    ]);
    // The worst case covers max_tokens of output at the model's price (gpt-4o-mini: $0.60 per million).
    expect(meter.holds[0]?.reservation).toMatchObject({ priced: true });
    expect(meter.holds[0]?.reservation.worstCaseUsd).toBeGreaterThanOrEqual((1000 * 0.6) / 1e6);
    // An unpriced model reserves nothing and settles as unknown, never as free.
    expect(meter.holds[2]?.reservation).toMatchObject({ priced: false, worstCaseUsd: 0 });
    expect(meter.holds[2]?.settlement).toMatchObject({
      priced: false,
      inputTokens: 1000,
      outputTokens: 100,
      cacheReadTokens: 500,
      llmCallId: log.attempts[2]?.id,
    });
  });

  it('makes no request when the reservation is refused', async () => {
    stub.reply({ kind: 'tool_call', name: 'write_file', args: { path: 'a', content: 'b' } });
    const refusal = new Error('the spend cap would be passed');
    const refusing: SpendMeter = {
      reserve: async () => {
        throw refusal;
      },
    };
    const { w, log } = worker();
    await expect(w.respond(testContext(), testWorkerCall({ spend: refusing }))).rejects.toBe(refusal);
    expect(stub.requests.length).toBe(0);
    expect(log.attempts).toEqual([]);
  });
});
