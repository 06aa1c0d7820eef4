import { describe, expect, it } from 'vitest';
import { REDACTED, redactSecrets } from './redact.ts';

describe('redactSecrets', () => {
  it.each([
    'sk-ant-api03-abcdefghijklmnop',
    'sk-or-v1-0123456789abcdef0123',
    'sk-proj-ABCDEFGHIJKLMNOPQRS',
    'Bearer eyJhbGciOiJIUzI1NiJ9.abc',
  ])('removes %s from strings', (secret) => {
    expect(redactSecrets(`before ${secret} after`)).toBe(`before ${REDACTED} after`);
  });

  it('redacts auth headers by name, deeply, and known values', () => {
    const out = redactSecrets(
      {
        headers: { Authorization: 'xyz', 'x-api-key': 'abc' },
        nested: [{ note: 'key=local-secret-123' }],
        n: 1,
      },
      ['local-secret-123'],
    );
    expect(out).toEqual({
      headers: { Authorization: REDACTED, 'x-api-key': REDACTED },
      nested: [{ note: `key=${REDACTED}` }],
      n: 1,
    });
  });

  it('redacts x-api-key in text', () => {
    expect(redactSecrets('x-api-key: abc123')).toBe(`x-api-key: ${REDACTED}`);
  });
});
