import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { isAllowedOrigin, isLocalEnough, parseAfter } from './hub.ts';

function request(
  headers: Record<string, string>,
  socket: { remoteAddress?: string; encrypted?: boolean } = {},
) {
  return { headers, socket: { remoteAddress: '127.0.0.1', ...socket } } as unknown as IncomingMessage;
}

const allowed = new Set(['https://dash.example.org']);

describe('isAllowedOrigin', () => {
  it.each([
    ['no Origin (not a browser page)', {}, true],
    ['our own origin', { host: 'localhost:8888', origin: 'http://localhost:8888' }, true],
    ['our own origin, host in other case', { host: 'LocalHost:8888', origin: 'http://localhost:8888' }, true],
    ['an origin from CORS_ORIGINS', { host: 'api.example.org', origin: 'https://dash.example.org' }, true],
    ['a foreign origin', { host: 'localhost:8888', origin: 'https://evil.example.com' }, false],
    ['the same host on another port', { host: 'localhost:8888', origin: 'http://localhost:9999' }, false],
    ['the other scheme', { host: 'localhost:8888', origin: 'https://localhost:8888' }, false],
    ['Origin null (sandboxed frame)', { host: 'localhost:8888', origin: 'null' }, false],
    ['not a URL', { host: 'localhost:8888', origin: 'localhost:8888' }, false],
    [
      'behind a TLS proxy',
      {
        host: '127.0.0.1:8888',
        origin: 'https://app.example.org',
        'x-forwarded-proto': 'https',
        'x-forwarded-host': 'app.example.org',
      },
      true,
    ],
  ])('%s', (_name, headers, expected) => {
    expect(isAllowedOrigin(request(headers), allowed)).toBe(expected);
  });

  it('takes https from an encrypted connection', () => {
    const req = request({ host: 'app.example.org', origin: 'https://app.example.org' }, { encrypted: true });
    expect(isAllowedOrigin(req, allowed)).toBe(true);
  });
});

describe('isLocalEnough', () => {
  it('lets everyone through unless REQUIRE_LOCALHOST is on', () => {
    expect(isLocalEnough(request({}, { remoteAddress: '203.0.113.9' }), false)).toBe(true);
  });

  it.each([
    ['IPv4 loopback', '127.0.0.1', {}, true],
    ['IPv6 loopback', '::1', {}, true],
    ['IPv4-mapped loopback', '::ffff:127.0.0.1', {}, true],
    ['a remote peer', '203.0.113.9', {}, false],
    ['a local proxy relaying a remote client', '127.0.0.1', { 'x-forwarded-for': '203.0.113.9' }, false],
    ['a local proxy relaying a local client', '127.0.0.1', { 'x-forwarded-for': '127.0.0.1, ::1' }, true],
  ])('%s', (_name, remoteAddress, headers, expected) => {
    expect(isLocalEnough(request(headers, { remoteAddress }), true)).toBe(expected);
  });
});

describe('parseAfter', () => {
  it.each([
    [null, 0],
    ['', 0],
    ['0', 0],
    ['42', 42],
    ['-1', null],
    ['1.5', null],
    ['1e3', null],
    ['abc', null],
    ['9'.repeat(16), null],
  ])('%s → %s', (value, expected) => {
    expect(parseAfter(value)).toBe(expected);
  });
});
