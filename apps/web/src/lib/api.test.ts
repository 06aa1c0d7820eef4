import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { ApiError, requestApi } from './api.ts';

/** The network edge: fetch answers once with this status and body. */
function answer(status: number, body: unknown) {
  vi.stubGlobal(
    'fetch',
    vi.fn(async () => new Response(JSON.stringify(body), { status })),
  );
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('requestApi', () => {
  it('keeps an error body’s details, so a form can show each refused field', async () => {
    const details = { fields: { chat: 'openai:gpt-4.1 needs OPENAI_API_KEY, which is not set.' } };
    answer(400, { error: { code: 'invalid_request', message: 'refused', details } });
    const error = await requestApi('/api/projects/p/models', z.unknown()).catch((caught) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: 'invalid_request', status: 400, message: 'refused', details });
  });

  it('has no details when the error body carries none', async () => {
    answer(409, { error: { code: 'conflict', message: 'demo' } });
    const error = await requestApi('/api/projects/p/models', z.unknown()).catch((caught) => caught);
    expect(error).toMatchObject({ code: 'conflict', status: 409, details: undefined });
  });
});
