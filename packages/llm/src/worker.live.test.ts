/**
 * One short real call per configured provider; skipped unless a key is set. Costs a fraction of a cent.
 * LIVE_MODEL overrides the model (an id valid for every provider that has a key).
 */
import { Envelope } from '@sitewright/engine';
import { testWorkerCall } from '@sitewright/engine/testing';
import { describe, expect, it } from 'vitest';
import { createMemoryCallLog } from './call-log.ts';
import { resolveModels } from './config.ts';
import { createModelClient } from './providers.ts';
import { testContext } from './testing/context.ts';
import { createModelWorker, type ModelUsage } from './worker.ts';

const env = process.env;
const resolved = resolveModels({
  anthropicApiKey: env.ANTHROPIC_API_KEY,
  openrouterApiKey: env.OPENROUTER_API_KEY,
  openaiApiKey: env.OPENAI_API_KEY,
  openaiBaseUrl: env.OPENAI_BASE_URL,
  models: { chat: env.LIVE_MODEL ?? env.MODEL_CHAT, code: env.LIVE_MODEL ?? env.MODEL_CODE },
});
const models = resolved.ok ? resolved.models : null;

describe.skipIf(!models)('live model', () => {
  it('answers a real request with a valid tool call, priced and logged', { timeout: 120_000 }, async () => {
    if (!models) return;
    const choice = models.roles.chat;
    const config = models.providers[choice.provider];
    if (!config) throw new Error('provider not configured');
    const log = createMemoryCallLog();
    const worker = createModelWorker({
      client: createModelClient(choice.provider, config),
      model: choice.model,
      role: 'chat',
      maxTokens: 300,
      callLog: log,
      secrets: [config.apiKey],
    });
    const response = await worker.respond(
      testContext({
        systemPrompt:
          'Write the file index.html with a one-line greeting for the bakery. Use the write_file tool.',
      }),
      testWorkerCall({ signal: AbortSignal.timeout(100_000) }),
    );
    expect(Envelope.safeParse(response.output).success).toBe(true);
    expect((response.usage as ModelUsage).inputTokens).toBeGreaterThan(0);
    expect(JSON.stringify(log.attempts)).not.toContain(config.apiKey);
  });
});
