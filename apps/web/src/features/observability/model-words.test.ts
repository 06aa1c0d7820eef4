import type { RoleModel } from '@sitewright/contracts';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../lib/api.ts';
import { modelFieldError, modelSource, parseModelInput, savedNote } from './model-words.ts';

const chat = (overrides: Partial<RoleModel> = {}): RoleModel => ({
  role: 'chat',
  provider: 'anthropic',
  model: 'claude-sonnet-4-5',
  configured: 'claude-sonnet-4-5',
  override: null,
  fallback: null,
  ...overrides,
});

describe('modelSource', () => {
  it('is the server default without an override', () => {
    expect(modelSource(chat())).toBe('default');
  });

  it.each([
    ['claude-opus-4-1', { provider: 'anthropic', model: 'claude-opus-4-1' }],
    ['anthropic/claude-sonnet-4.5', { provider: 'openai', model: 'anthropic/claude-sonnet-4.5' }],
    ['openai:gpt-4.1', { provider: 'openai', model: 'gpt-4.1' }],
    ['anthropic:claude-haiku-4-5', { provider: 'anthropic', model: 'claude-haiku-4-5' }],
  ] as const)('is the project’s choice when the server uses the override %s', (override, inUse) => {
    expect(modelSource(chat({ override, ...inUse }))).toBe('project');
  });

  it('says the choice is not available when the server fell back to its configured model', () => {
    expect(modelSource(chat({ override: 'openai:gpt-4.1' }))).toBe('unreachable');
    expect(modelSource(chat({ override: 'gpt-4.1' }))).toBe('unreachable');
  });
});

describe('parseModelInput', () => {
  it('trims a model id and reads an empty field as the server default', () => {
    expect(parseModelInput('chat', '  openai:gpt-4.1 ')).toEqual({ ok: true, value: 'openai:gpt-4.1' });
    expect(parseModelInput('code', '   ')).toEqual({ ok: true, value: null });
  });

  it('refuses spaces and quotes with the contract’s words, as a sentence', () => {
    expect(parseModelInput('code', 'gpt 4')).toEqual({
      ok: false,
      error: 'A model id has no spaces or quotes, e.g. claude-sonnet-4-5.',
    });
    expect(parseModelInput('chat', '"claude"').ok).toBe(false);
    expect(parseModelInput('chat', 'x'.repeat(201)).ok).toBe(false);
  });
});

describe('modelFieldError', () => {
  const refused = (details: unknown) =>
    new ApiError('invalid_request', 'openai:gpt-4.1 needs OPENAI_API_KEY.', 400, { details });

  it('reads the role’s message from the service’s fields', () => {
    const error = refused({ fields: { code: 'openai:gpt-4.1 needs OPENAI_API_KEY, which is not set.' } });
    expect(modelFieldError(error, 'code')).toBe('openai:gpt-4.1 needs OPENAI_API_KEY, which is not set.');
    expect(modelFieldError(error, 'chat')).toBeNull();
  });

  it('reads the role’s message from the validator’s issues', () => {
    const error = refused({ issues: [{ path: 'chat', message: 'a model id has no spaces or quotes' }] });
    expect(modelFieldError(error, 'chat')).toBe('A model id has no spaces or quotes.');
    expect(modelFieldError(error, 'code')).toBeNull();
  });

  it('is null for errors that are not about a field', () => {
    expect(modelFieldError(refused(undefined), 'chat')).toBeNull();
    expect(modelFieldError(refused({ fields: 'chat' }), 'chat')).toBeNull();
    expect(
      modelFieldError(new ApiError('conflict', 'demo', 409, { details: { fields: { chat: 'x' } } }), 'chat'),
    ).toBeNull();
    expect(modelFieldError(new Error('boom'), 'chat')).toBeNull();
    expect(modelFieldError(null, 'chat')).toBeNull();
  });
});

describe('savedNote', () => {
  it('names the model the role uses from now on', () => {
    expect(savedNote(chat({ override: 'claude-opus-4-1', model: 'claude-opus-4-1' }))).toBe(
      'Saved. From the next model call, Conversation uses claude-opus-4-1.',
    );
    expect(savedNote(chat({ role: 'code' }))).toBe(
      'Saved. From the next model call, Building uses the server default, claude-sonnet-4-5.',
    );
  });
});
