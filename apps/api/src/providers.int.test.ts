/**
 * The whole owner journey on each provider: the real Anthropic and OpenAI SDKs talk to local
 * wire-compatible stubs whose "model" decides as the demo worker would, from the same context the
 * engine gives a worker. Every turn goes through native tool calling and streaming, the call log,
 * pricing and the spend meter, end to end through the API — and the faults an operator meets (a rate
 * limit with no fallback, a rejected key) pause the project the way the dashboard explains.
 */
import { ProjectDetail } from '@sitewright/contracts';
import { llmCalls, projects, spendLedger } from '@sitewright/db';
import { readEvents } from '@sitewright/engine';
import { ESCALATE_TOOL, FINAL_TOOL } from '@sitewright/llm';
import {
  type StubReply,
  type StubServer,
  startAnthropicStub,
  startOpenAIStub,
} from '@sitewright/llm/testing';
import { websiteDomain } from '@sitewright/website';
import { demoDecision, dogWalkerBrief } from '@sitewright/website/testing';
import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { type ApiClient, type ApiHarness, startApi } from './testing/api-harness.ts';
import { follow, playOwner } from './testing/owner.ts';
import { until } from './testing/until.ts';

const ANTHROPIC_KEY = 'sk-ant-api03-provider-journey-key-never-stored';
const OPENROUTER_KEY = 'sk-or-v1-provider-journey-key-never-stored-000000';

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

/**
 * A stub "model" that answers as the demo worker would: it rebuilds the context the engine built for
 * the turn (the project's active history and the domain's summary) and replies with that decision as
 * a native tool call, the owner-facing text streamed beside it.
 */
function demoModel(api: ApiHarness, projectId: () => string) {
  const db = api.db.db;
  const domain = websiteDomain({
    db,
    dataDir: api.dataDir,
    publicBaseUrl: () => 'http://localhost/preview',
    browserPool: api.deps.browserPool,
  });
  return async (): Promise<StubReply> => {
    const id = projectId();
    const [row] = await db.select().from(projects).where(eq(projects.id, id));
    if (!row) throw new Error('no project');
    const history = await readEvents(db, id, {
      afterSeq: Math.max(0, row.lastSeq - api.deps.engine.limits.historyLimit),
    });
    const summary = (await domain.summary?.({ db, projectId: id, stage: row.stage })) ?? {};
    const envelope = demoDecision({
      projectId: id,
      stage: row.stage,
      lifecycleState: row.lifecycleState,
      turn: row.turnsSinceHuman + 1,
      systemPrompt: '',
      tools: [],
      history,
      summary,
    });
    const usage = { input: 1200, output: 150, cacheRead: 900, cacheWrite: 0 };
    if (envelope.kind === 'final') {
      return { kind: 'tool_call', name: FINAL_TOOL.name, args: { summary: envelope.summary }, usage };
    }
    if (envelope.kind === 'escalate') {
      return { kind: 'tool_call', name: ESCALATE_TOOL.name, args: { reason: envelope.reason }, usage };
    }
    return {
      kind: 'tool_call',
      name: envelope.tool,
      args: envelope.args,
      ...(envelope.say ? { text: envelope.say } : {}),
      usage,
    };
  };
}

async function ownerOf(api: ApiHarness): Promise<ApiClient> {
  await api.createUser('luigi');
  return api.login('luigi');
}

/** An API with its runner on (configured for a stub), an owner, and a new project whose run has started. */
async function projectOn(env: Record<string, string>) {
  const api = await startApi({ RUNNER_ENABLED: 'true', ...env });
  cleanup.push(() => api.close());
  const owner = await ownerOf(api);
  const id = ProjectDetail.parse((await owner.post('/api/projects', { name: 'Bakery' })).body).project.id;
  /** The project page once `holds` says so. */
  const detailWhen = (holds: (detail: ProjectDetail) => boolean, timeoutMs?: number) =>
    until(async () => {
      const detail = ProjectDetail.parse((await owner.get(`/api/projects/${id}`)).body);
      return holds(detail) ? detail : undefined;
    }, timeoutMs);
  return { api, owner, id, detailWhen };
}

const onAnthropic = (stub: StubServer) => ({
  ANTHROPIC_API_KEY: ANTHROPIC_KEY,
  ANTHROPIC_BASE_URL: stub.url,
  MODEL_CHAT: 'claude-sonnet-4-5',
  MODEL_CODE: 'claude-sonnet-4-5',
});

const providers = [
  {
    name: 'Anthropic',
    start: startAnthropicStub,
    env: (stub: StubServer) => ({ ANTHROPIC_API_KEY: ANTHROPIC_KEY, ANTHROPIC_BASE_URL: stub.url }),
    provider: 'anthropic',
    model: 'claude-sonnet-4-5',
    key: ANTHROPIC_KEY,
  },
  {
    name: 'an OpenAI-compatible endpoint (OpenRouter)',
    start: startOpenAIStub,
    env: (stub: StubServer) => ({ OPENROUTER_API_KEY: OPENROUTER_KEY, OPENAI_BASE_URL: stub.url }),
    provider: 'openai',
    model: 'anthropic/claude-sonnet-4.5',
    key: OPENROUTER_KEY,
  },
] as const;

describe.each(providers)('the owner journey on $name', ({ start, env, provider, model, key }) => {
  it('builds the site with every model call logged, priced, linked to its spend and redacted', async () => {
    const stub = await start();
    cleanup.push(() => stub.close());
    const api = await startApi({
      RUNNER_ENABLED: 'true',
      ...env(stub),
      MODEL_CHAT: model,
      MODEL_CODE: model,
      SPEND_CAP_USD: '20',
    });
    cleanup.push(() => api.close());
    let projectId = '';
    stub.respondWith(demoModel(api, () => projectId));
    const owner = await ownerOf(api);
    const created = await owner.post('/api/projects', { name: 'Pawsome Walks' });
    projectId = ProjectDetail.parse(created.body).project.id;
    const follower = follow(api.base, owner, projectId);
    cleanup.push(async () => void follower.socket.close());

    // The smallest brief the schema allows: every stage and kind of step, with few pages to build.
    const done = await playOwner(
      owner,
      projectId,
      follower,
      (d) => d.project.status === 'completed',
      300_000,
      dogWalkerBrief,
    );
    expect(done.progress.percent).toBe(100);
    expect(done.gates.every((gate) => gate.status === 'passed')).toBe(true);

    // Every turn was a model call on this provider, through native tool calls.
    const requests = stub.requests.length;
    expect(requests).toBeGreaterThan(20);
    const calls = await api.db.db.select().from(llmCalls).where(eq(llmCalls.projectId, projectId));
    expect(calls).toHaveLength(requests);
    expect(
      calls.every((call) => call.status === 'ok' && call.provider === provider && call.model === model),
    ).toBe(true);
    expect(calls.every((call) => call.atSeq !== null && call.atSeq > 0)).toBe(true);
    expect(JSON.stringify(calls)).not.toContain(key);
    // Each call settled once, with its cache tokens and a known price, pointing at its log row.
    const spend = await api.db.db.select().from(spendLedger).where(eq(spendLedger.projectId, projectId));
    expect(spend).toHaveLength(requests);
    expect(spend.every((row) => row.status === 'settled' && row.reservedUsd === 0 && row.priced)).toBe(true);
    expect(new Set(spend.map((row) => row.llmCallId))).toEqual(new Set(calls.map((call) => call.id)));
    expect(spend.every((row) => row.cacheReadTokens === 900)).toBe(true);
    expect(spend.some((row) => row.workItemId !== null)).toBe(true);
    const summary = (await owner.get(`/api/projects/${projectId}/spend`)).body;
    expect(summary.spentUsd).toBeGreaterThan(0);
    expect(summary.unpricedCalls).toBe(0);
  }, 420_000);
});

describe('provider faults seen by the owner', () => {
  it('pauses on a rate limit with no fallback, then carries on by itself at retry-after', async () => {
    const stub = await startAnthropicStub();
    cleanup.push(() => stub.close());
    stub.reply(
      { kind: 'error', status: 429, message: 'rate limited', headers: { 'retry-after': '1' } },
      {
        kind: 'tool_call',
        name: 'ask_user',
        args: { question: 'What is your business called?' },
      },
    );
    const { owner, id, detailWhen } = await projectOn(onAnthropic(stub));
    const paused = await detailWhen((detail) => detail.project.pausedReason === 'rate_limited');
    expect(paused.project.resumeAt).not.toBeNull();
    expect(paused.alarms.map((alarm) => alarm.type)).toContain('rate_limited');
    // No owner action: the runner resumes once retry-after has passed and the question arrives.
    const asked = await detailWhen((detail) => detail.project.status === 'awaiting_human', 30_000);
    expect(asked.pending[0]?.question).toBe('What is your business called?');
    expect(asked.alarms.filter((alarm) => alarm.type === 'rate_limited')).toEqual([]);
    const calls = (await owner.get(`/api/projects/${id}/llm-calls`)).body.calls as Array<{ status: string }>;
    expect(calls.map((call) => call.status).sort()).toEqual(['ok', 'rate_limited']);
  });

  it('pauses on a rejected key with an alarm naming the setting to fix, and keeps the key out of it', async () => {
    const stub = await startOpenAIStub();
    cleanup.push(() => stub.close());
    stub.reply({ kind: 'error', status: 401, message: `Incorrect API key provided: ${OPENROUTER_KEY}` });
    const { owner, id, detailWhen } = await projectOn({
      OPENROUTER_API_KEY: OPENROUTER_KEY,
      OPENAI_BASE_URL: stub.url,
      MODEL_CHAT: 'openai/gpt-4o-mini',
      MODEL_CODE: 'openai/gpt-4o-mini',
    });
    const paused = await detailWhen((detail) => detail.project.status === 'paused');
    expect(paused.project.pausedReason).toBe('error');
    const alarm = paused.alarms.find((candidate) => candidate.type === 'worker_unavailable');
    expect(alarm).toMatchObject({ severity: 'critical' });
    expect(alarm?.recommendedAction).toMatch(/Fix the API key/);
    expect(JSON.stringify(alarm)).toMatch(/OPENROUTER_API_KEY/);
    const stored = JSON.stringify([
      paused,
      (await owner.get(`/api/projects/${id}/events`)).body,
      (await owner.get(`/api/projects/${id}/llm-calls`)).body,
    ]);
    expect(stored).not.toContain(OPENROUTER_KEY);
    // One attempt: a rejected key is not retried.
    expect(stub.requests).toHaveLength(1);
  });

  it('streams a slow answer to the owner while the model writes it', async () => {
    const stub = await startAnthropicStub();
    cleanup.push(() => stub.close());
    stub.reply({
      kind: 'tool_call',
      name: 'ask_user',
      args: { question: 'What is your business called?' },
      text: 'Hello! I will build your website. First, a few questions about your business.',
      chunkDelayMs: 40,
    });
    // The first call streams for about a second: the follower is connected well before it ends.
    const { api, owner, id, detailWhen } = await projectOn(onAnthropic(stub));
    const follower = follow(api.base, owner, id);
    cleanup.push(async () => void follower.socket.close());
    await detailWhen((detail) => detail.pending.length > 0);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const typing = follower.messages.flatMap((m) => (m.type === 'agent_typing' ? [m] : []));
    expect(typing.length).toBeGreaterThanOrEqual(2);
    const partial = typing.find((m) => !m.done && m.text.length > 0);
    expect(partial).toBeDefined();
    expect('Hello! I will build your website.'.startsWith(partial?.text.slice(0, 5) ?? 'x')).toBe(true);
    expect(typing.at(-1)).toMatchObject({
      turn: 1,
      done: true,
      text: 'Hello! I will build your website. First, a few questions about your business.',
    });
  });
});
