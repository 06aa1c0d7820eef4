import { users } from '@sitewright/db';
import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, type ApiHarness, startApi, TEST_PASSWORD } from '../testing/api-harness.ts';
import { isLocalClient, isLoopbackAddress, isTrustedOrigin } from './security.ts';

const allowedOrigin = 'https://app.example.org';
const foreignOrigin = 'https://evil.example.net';

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

describe('CORS and the Origin check', () => {
  let h: ApiHarness;
  let admin: ApiClient;
  beforeAll(async () => {
    h = await startApi({ CORS_ORIGINS: `${allowedOrigin},https://other.example.org` });
    admin = await h.login('admin');
  });
  afterAll(async () => {
    await h.close();
  });

  const preflight = (origin: string) =>
    fetch(`${h.base}/api/users`, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
  /** A request exactly as given: no Origin unless the caller sets one. */
  const raw = (method: string, path: string, headers: Record<string, string>, body?: unknown) =>
    fetch(`${h.base}${path}`, {
      method,
      headers: { cookie: admin.cookieHeader(), 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const userNamed = async (username: string) =>
    (await h.db.db.select().from(users).where(eq(users.username, username))).length;

  it('answers a preflight from an allowed origin with credentialed grants, never *', async () => {
    const response = await preflight(allowedOrigin);
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(allowedOrigin);
    expect(response.headers.get('access-control-allow-credentials')).toBe('true');
    expect(response.headers.get('access-control-allow-methods')).toContain('POST');
    expect(response.headers.get('access-control-allow-headers')).toBe('content-type');
    expect(Number(response.headers.get('access-control-max-age'))).toBeGreaterThan(0);
    expect(response.headers.get('vary')).toMatch(/origin/i);
  });

  it('grants nothing to a foreign origin', async () => {
    const response = await preflight(foreignOrigin);
    expect(response.status).toBe(403);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
    const get = await raw('GET', '/api/health', { origin: foreignOrigin });
    expect(get.status).toBe(200);
    expect(get.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('sets the CORS headers on actual responses to an allowed origin', async () => {
    const response = await raw('GET', '/api/auth/me', { origin: allowedOrigin });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(allowedOrigin);
    expect(response.headers.get('access-control-allow-credentials')).toBe('true');
    expect(response.headers.get('vary')).toMatch(/origin/i);
  });

  it('refuses a state-changing request from a foreign Origin with 403 and writes nothing', async () => {
    const response = await raw(
      'POST',
      '/api/users',
      { origin: foreignOrigin },
      { username: 'csrf', password: 'long enough' },
    );
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({
      error: { code: 'forbidden', message: 'Cross-site request refused.' },
    });
    expect(await userNamed('csrf')).toBe(0);

    const nullOrigin = await raw(
      'POST',
      '/api/users',
      { origin: 'null' },
      { username: 'csrf', password: 'long enough' },
    );
    expect(nullOrigin.status).toBe(403);
    const deleteFromAfar = await raw('DELETE', '/api/users/00000000-0000-4000-8000-000000000000', {
      origin: foreignOrigin,
    });
    expect(deleteFromAfar.status).toBe(403);
    // Even login: a foreign page must not be able to sign a visitor into an attacker's account.
    const login = await raw(
      'POST',
      '/api/auth/login',
      { origin: foreignOrigin },
      { username: 'admin', password: TEST_PASSWORD },
    );
    expect(login.status).toBe(403);
    expect(await userNamed('csrf')).toBe(0);
  });

  it('refuses Sec-Fetch-Site: cross-site when there is no Origin', async () => {
    const response = await raw(
      'POST',
      '/api/users',
      { 'sec-fetch-site': 'cross-site' },
      { username: 'csrf2', password: 'long enough' },
    );
    expect(response.status).toBe(403);
    expect(await userNamed('csrf2')).toBe(0);
  });

  it('allows its own origin, an allowed origin, and clients that send neither header', async () => {
    expect(
      (await admin.post('/api/users', { username: 'same-origin', password: 'long enough' })).status,
    ).toBe(201);
    const allowed = await raw(
      'POST',
      '/api/users',
      { origin: allowedOrigin },
      { username: 'from-app', password: 'long enough' },
    );
    expect(allowed.status).toBe(201);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(allowedOrigin);
    const curl = await raw('POST', '/api/users', {}, { username: 'from-curl', password: 'long enough' });
    expect(curl.status).toBe(201);
    const sameOrigin = await raw(
      'POST',
      '/api/users',
      { 'sec-fetch-site': 'same-origin' },
      {
        username: 'fetch-meta',
        password: 'long enough',
      },
    );
    expect(sameOrigin.status).toBe(201);
  });

  it('recognises its public origin through a trusted proxy (X-Forwarded-Proto/Host)', async () => {
    const proxied = await raw(
      'POST',
      '/api/users',
      {
        origin: 'https://sitewright.example.org',
        'x-forwarded-proto': 'https',
        'x-forwarded-host': 'sitewright.example.org',
      },
      { username: 'proxied', password: 'long enough' },
    );
    expect(proxied.status).toBe(201);
    // Without the proxy's headers the same Origin is foreign.
    const direct = await raw(
      'POST',
      '/api/users',
      { origin: 'https://sitewright.example.org' },
      {
        username: 'direct',
        password: 'long enough',
      },
    );
    expect(direct.status).toBe(403);
  });
});

describe('REQUIRE_LOCALHOST', () => {
  it.each([
    ['127.0.0.1', undefined, true],
    ['127.8.9.10', undefined, true],
    ['::1', undefined, true],
    ['::ffff:127.0.0.1', '::ffff:127.0.0.1', true],
    ['192.168.1.20', undefined, false],
    ['::ffff:10.0.0.7', undefined, false],
    ['2001:db8::1', undefined, false],
    [undefined, undefined, false],
    // A local reverse proxy relaying a remote visitor (trusted X-Forwarded-For): refused.
    ['127.0.0.1', '203.0.113.5', false],
    // A remote client claiming to be local: the socket gives it away.
    ['203.0.113.5', '127.0.0.1', false],
  ])('socket %s, client %s → %s', (socketAddress, clientAddress, expected) => {
    expect(isLocalClient({ socketAddress, clientAddress })).toBe(expected);
  });

  it('recognises loopback addresses only', () => {
    expect(isLoopbackAddress('127.0.0.1')).toBe(true);
    expect(isLoopbackAddress('127.foo')).toBe(false);
    expect(isLoopbackAddress('localhost')).toBe(false);
  });

  it('answers a loopback client and refuses one relayed by a proxy', async () => {
    const h = await startApi({ REQUIRE_LOCALHOST: 'true' });
    cleanup.push(() => h.close());
    expect((await fetch(`${h.base}/api/health`)).status).toBe(200);
    await h.login('admin');
    const relayed = await fetch(`${h.base}/api/health`, { headers: { 'x-forwarded-for': '203.0.113.5' } });
    expect(relayed.status).toBe(403);
    expect(((await relayed.json()) as { error: { code: string } }).error.code).toBe('forbidden');
  });
});

describe('isTrustedOrigin', () => {
  const allowed = new Set([allowedOrigin]);
  it.each([
    ['http://localhost:8888', 'http://localhost:8888', true],
    ['http://LOCALHOST:8888', 'http://localhost:8888', true],
    ['https://example.org:443', 'https://example.org', true],
    [allowedOrigin, 'http://localhost:8888', true],
    ['http://localhost:8889', 'http://localhost:8888', false],
    ['https://localhost:8888', 'http://localhost:8888', false],
    ['null', 'http://localhost:8888', false],
    ['javascript:alert(1)', 'http://localhost:8888', false],
  ])('%s against own origin %s → %s', (origin, own, expected) => {
    expect(isTrustedOrigin(origin, own, allowed)).toBe(expected);
  });
});
