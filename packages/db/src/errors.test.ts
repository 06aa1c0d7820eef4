import { describe, expect, it } from 'vitest';
import { isConnectionError } from './errors.ts';

describe('isConnectionError', () => {
  it.each([
    [{ code: 'CONNECTION_CLOSED' }, true],
    [{ code: 'ECONNREFUSED' }, true],
    [{ code: '57P01' }, true], // admin_shutdown: the server is restarting
    [{ code: '08006' }, true],
    [new Error('wrapped', { cause: { code: 'CONNECTION_ENDED' } }), true],
    [{ code: '23505' }, false], // unique violation: the query's fault
    [new Error('plain'), false],
    [null, false],
  ])('%j → %s', (error, expected) => {
    expect(isConnectionError(error)).toBe(expected);
  });
});
