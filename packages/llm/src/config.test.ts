import { describe, expect, it } from 'vitest';
import { createWorkerSelector, resolveModels } from './config.ts';
import { OPENROUTER_BASE_URL } from './openai.ts';

describe('resolveModels', () => {
  it('chooses the demo worker when nothing is configured', () => {
    expect(resolveModels({ models: {} })).toEqual({ ok: true, models: null });
  });

  it('defaults to OpenRouter when only its key is set', () => {
    const result = resolveModels({ openrouterApiKey: 'sk-or-v1-abc', models: {} });
    expect(result.ok && result.models?.providers.openai?.baseURL).toBe(OPENROUTER_BASE_URL);
    expect(result.ok && result.models?.roles.code).toEqual({
      provider: 'openai',
      model: 'anthropic/claude-sonnet-4.6',
    });
  });

  it('defaults to a Claude model that is not past its end of life when only an Anthropic key is set', () => {
    const result = resolveModels({ anthropicApiKey: 'sk-ant-x', models: {} });
    expect(result.ok && result.models?.roles).toEqual({
      chat: { provider: 'anthropic', model: 'claude-sonnet-4-6' },
      code: { provider: 'anthropic', model: 'claude-sonnet-4-6' },
    });
  });

  it('routes Claude ids to Anthropic and others to the OpenAI-compatible endpoint, with fallbacks', () => {
    const result = resolveModels({
      anthropicApiKey: 'sk-ant-x',
      openaiApiKey: 'sk-x',
      models: { chat: 'claude-haiku-4-5', code: 'claude-sonnet-4-5', codeFallback: 'gpt-4.1' },
    });
    expect(result.ok && result.models?.roles).toEqual({
      chat: { provider: 'anthropic', model: 'claude-haiku-4-5' },
      code: {
        provider: 'anthropic',
        model: 'claude-sonnet-4-5',
        fallback: { provider: 'openai', model: 'gpt-4.1' },
      },
    });
  });

  it('explains a model configured for a provider with no key', () => {
    const result = resolveModels({ anthropicApiKey: 'sk-ant-x', models: { code: 'openai:gpt-4.1' } });
    expect(result).toEqual({
      ok: false,
      errors: [expect.stringContaining('MODEL_CODE=openai:gpt-4.1 needs')],
    });
    expect(resolveModels({ models: { code: 'gpt-4.1' } }).ok).toBe(false);
  });

  it('requires model names for a local server', () => {
    const result = resolveModels({
      openaiBaseUrl: 'http://localhost:11434/v1',
      models: { chat: 'llama3.1' },
    });
    expect(result).toEqual({ ok: false, errors: [expect.stringContaining('MODEL_CODE is required')] });
  });

  it('selects per role and honours a per-project override', () => {
    const result = resolveModels({
      anthropicApiKey: 'sk-ant-x',
      models: { chat: 'claude-haiku-4-5', code: 'claude-sonnet-4-5' },
    });
    if (!result.ok || !result.models) throw new Error('expected models');
    const select = createWorkerSelector(result.models);
    expect(select({ role: 'chat', settings: {} }).label).toBe('claude-haiku-4-5');
    expect(select({ role: 'code', settings: {} }).label).toBe('claude-sonnet-4-5');
    expect(select({ role: 'code', settings: { models: { code: 'claude-opus-4-5' } } }).label).toBe(
      'claude-opus-4-5',
    );
    expect(select({ role: 'code', settings: {} })).toBe(select({ role: 'code', settings: null }));
  });
});
