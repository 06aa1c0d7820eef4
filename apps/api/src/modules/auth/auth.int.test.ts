import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorBody, LoginResponse, MeResponse } from '@sitewright/contracts';
import { isConnectionError, refreshTokens, users } from '@sitewright/db';
import { createTestDb, testDriver } from '@sitewright/db/testing';
import { eq } from 'drizzle-orm';
import { decodeJwt, SignJWT } from 'jose';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../app.ts';
import { closeDeps, wireDeps } from '../../deps.ts';
import { parseEnv } from '../../env.ts';
import { redactPaths } from '../../logger.ts';
import {
  type ApiClient,
  type ApiHarness,
  createClient,
  startApi,
  TEST_JWT_SECRET,
  TEST_PASSWORD,
} from '../../testing/api-harness.ts';
import { createAuth } from './auth.service.ts';
import { JWT_SECRET_FILE } from './jwt-secret.ts';

interface SetCookie {
  value: string;
  attributes: Map<string, string>;
}

/** The Set-Cookie lines of a response by cookie name, attributes keyed in lower case. */
function setCookies(headers: Headers): Map<string, SetCookie> {
  const cookies = new Map<string, SetCookie>();
  for (const line of headers.getSetCookie()) {
    const [pair = '', ...rest] = line.split(';');
    const at = pair.indexOf('=');
    const attributes = new Map<string, string>();
    for (const attribute of rest) {
      const [name = '', ...value] = attribute.trim().split('=');
      attributes.set(name.toLowerCase(), value.join('='));
    }
    cookies.set(pair.slice(0, at).trim(), { value: pair.slice(at + 1).trim(), attributes });
  }
  return cookies;
}

/** A client holding exactly the given cookies (e.g. a copy of a stolen refresh token). */
function clientWith(base: string, cookies: Record<string, string>): ApiClient {
  const client = createClient(base);
  for (const [name, value] of Object.entries(cookies)) client.cookies.set(name, value);
  return client;
}

function fakeRequest(cookie: string): IncomingMessage {
  return { headers: { cookie } } as IncomingMessage;
}

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

describe('auth over HTTP', () => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await startApi({ TRUST_PROXY: 'loopback' });
  });
  afterAll(async () => {
    await h.close();
  });

  describe('POST /api/auth/login', () => {
    it('signs in the default admin and sets both httpOnly, SameSite=Lax cookies', async () => {
      const client = h.anonymous();
      const response = await client.post('/api/auth/login', { username: 'admin', password: TEST_PASSWORD });
      expect(response.status).toBe(200);
      const body = LoginResponse.parse(response.body);
      expect(body.user).toMatchObject({ username: 'admin', role: 'admin' });
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(h.deps.auth.generatedAdminPassword).toBeNull();

      const cookies = setCookies(response.headers);
      const access = cookies.get('access_token');
      const refresh = cookies.get('refresh_token');
      expect(access?.value).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
      expect(refresh?.value).toMatch(/^[\w-]{43}$/);
      expect(Object.fromEntries(access!.attributes)).toMatchObject({
        path: '/',
        'max-age': '900',
        httponly: '',
        samesite: 'Lax',
      });
      expect(Object.fromEntries(refresh!.attributes)).toMatchObject({
        path: '/api/auth',
        'max-age': String(7 * 24 * 60 * 60),
        httponly: '',
        samesite: 'Lax',
      });
      // Plain HTTP without a proxy saying otherwise: not Secure, or the browser would drop the cookies.
      expect(access!.attributes.has('secure')).toBe(false);
      expect(refresh!.attributes.has('secure')).toBe(false);

      const claims = decodeJwt(access!.value);
      expect(claims).toMatchObject({ sub: body.user.id, typ: 'access', ver: 0 });
      expect(claims.exp! - claims.iat!).toBe(900);
    });

    it('marks cookies Secure when HTTPS arrives through a trusted proxy (COOKIE_SECURE=auto)', async () => {
      const host = new URL(h.base).host;
      const response = await h
        .anonymous()
        .request(
          'POST',
          '/api/auth/login',
          { username: 'admin', password: TEST_PASSWORD },
          { 'x-forwarded-proto': 'https', origin: `https://${host}` },
        );
      expect(response.status).toBe(200);
      for (const cookie of setCookies(response.headers).values()) {
        expect(cookie.attributes.has('secure')).toBe(true);
      }
    });

    it('answers a wrong password and an unknown user with the same 401', async () => {
      await h.createUser('wrongpw');
      const wrongPassword = await h
        .anonymous()
        .post('/api/auth/login', { username: 'wrongpw', password: 'nope-nope' });
      const unknownUser = await h
        .anonymous()
        .post('/api/auth/login', { username: 'nobody', password: 'nope-nope' });
      expect(wrongPassword.status).toBe(401);
      expect(unknownUser.status).toBe(401);
      expect(ErrorBody.parse(wrongPassword.body)).toEqual(ErrorBody.parse(unknownUser.body));
      expect(wrongPassword.body.error).toEqual({
        code: 'unauthenticated',
        message: 'Wrong username or password.',
      });
      expect(wrongPassword.headers.getSetCookie()).toEqual([]);
    });

    it('accepts the username in any case and rejects a malformed body with 400', async () => {
      expect(
        (await h.anonymous().post('/api/auth/login', { username: 'ADMIN', password: TEST_PASSWORD })).status,
      ).toBe(200);
      const missing = await h.anonymous().post('/api/auth/login', { username: 'admin' });
      expect(missing.status).toBe(400);
      expect(missing.body.error.code).toBe('invalid_request');
    });
  });

  describe('GET /api/auth/me and the access token', () => {
    let admin: ApiClient;
    let token: string;
    beforeAll(async () => {
      admin = await h.login('admin');
      token = admin.cookies.get('access_token')!;
    });
    const me = (accessToken: string) => clientWith(h.base, { access_token: accessToken }).get('/api/auth/me');
    const sign = (payload: Record<string, unknown>, secret = TEST_JWT_SECRET) =>
      new SignJWT(payload).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(secret));
    const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

    it('answers the signed-in user, and 401 without a session', async () => {
      const response = await admin.get('/api/auth/me');
      expect(response.status).toBe(200);
      expect(MeResponse.parse(response.body).user.username).toBe('admin');
      expect(response.headers.get('cache-control')).toBe('no-store');
      const anonymous = await h.anonymous().get('/api/auth/me');
      expect(anonymous.status).toBe(401);
      expect(anonymous.body.error.code).toBe('unauthenticated');
    });

    it('accepts a token re-signed with the right secret (so the refusals below are about the token)', async () => {
      expect((await me(await sign(decodeJwt(token)))).status).toBe(200);
    });

    it('refuses a token whose payload was tampered with', async () => {
      const [header, payload, signature] = token.split('.') as [string, string, string];
      const claims = decodeJwt(token);
      const forged = `${header}.${b64({ ...claims, ver: 1 })}.${signature}`;
      const flipped = payload.slice(0, 10) + (payload[10] === 'A' ? 'B' : 'A') + payload.slice(11);
      expect((await me(forged)).status).toBe(401);
      expect((await me(`${header}.${flipped}.${signature}`)).status).toBe(401);
    });

    it('refuses alg none, another secret, an expired token, and garbage', async () => {
      const claims = decodeJwt(token);
      const none = `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`;
      expect((await me(none)).status).toBe(401);
      expect((await me(await sign(claims, 'another-secret-another-secret-another-secret'))).status).toBe(401);
      const past = Math.floor(Date.now() / 1000) - 3600;
      expect((await me(await sign({ ...claims, iat: past - 900, exp: past }))).status).toBe(401);
      expect((await me(await sign({ ...claims, typ: undefined }))).status).toBe(401);
      expect((await me('not-a-token')).status).toBe(401);
      // Never throws, whatever arrives: the WebSocket upgrade relies on it.
      await expect(h.deps.auth.authenticate(fakeRequest(`access_token=${none}`))).resolves.toBeNull();
      await expect(h.deps.auth.authenticate(fakeRequest('access_token=%E0%A4%A'))).resolves.toBeNull();
    });
  });

  describe('POST /api/auth/refresh', () => {
    it('rotates within the family; presenting the old token again revokes the whole family', async () => {
      await h.createUser('rotor');
      const client = await h.login('rotor');
      const firstRefresh = client.cookies.get('refresh_token')!;

      const rotated = await client.post('/api/auth/refresh');
      expect(rotated.status).toBe(200);
      expect(LoginResponse.parse(rotated.body).user.username).toBe('rotor');
      const cookies = setCookies(rotated.headers);
      expect(cookies.get('refresh_token')?.attributes.get('path')).toBe('/api/auth');
      const secondRefresh = client.cookies.get('refresh_token')!;
      const secondAccess = client.cookies.get('access_token')!;
      expect(secondRefresh).not.toBe(firstRefresh);
      expect((await client.get('/api/auth/me')).status).toBe(200);

      const userId = (rotated.body as LoginResponse).user.id;
      const rows = await h.db.db.select().from(refreshTokens).where(eq(refreshTokens.userId, userId));
      expect(rows).toHaveLength(2);
      const old = rows.find((row) => row.rotatedAt !== null)!;
      const current = rows.find((row) => row.rotatedAt === null)!;
      expect(old.replacedById).toBe(current.id);
      expect(current.familyId).toBe(old.familyId);
      // Only hashes are stored.
      expect(rows.map((row) => row.tokenHash)).not.toContain(firstRefresh);

      // Someone replays the first refresh token: reuse.
      const thief = clientWith(h.base, { refresh_token: firstRefresh });
      const replay = await thief.post('/api/auth/refresh');
      expect(replay.status).toBe(401);
      const cleared = setCookies(replay.headers);
      expect(cleared.get('access_token')?.attributes.get('expires')).toMatch(/1970/);
      expect(cleared.get('refresh_token')?.attributes.get('expires')).toMatch(/1970/);
      const after = await h.db.db.select().from(refreshTokens).where(eq(refreshTokens.userId, userId));
      expect(after.every((row) => row.revokedReason === 'reuse' && row.revokedAt !== null)).toBe(true);

      // The legitimate client's rotated tokens die with the family.
      expect(
        (await clientWith(h.base, { refresh_token: secondRefresh }).post('/api/auth/refresh')).status,
      ).toBe(401);
      expect((await clientWith(h.base, { access_token: secondAccess }).get('/api/auth/me')).status).toBe(401);
    });

    it('answers 401 for a missing, unknown or expired refresh token', async () => {
      expect((await h.anonymous().post('/api/auth/refresh')).status).toBe(401);
      const unknown = await clientWith(h.base, { refresh_token: 'x'.repeat(43) }).post('/api/auth/refresh');
      expect(unknown.status).toBe(401);
      expect(unknown.body.error.code).toBe('unauthenticated');

      const userId = await h.createUser('expiring');
      const client = await h.login('expiring');
      await h.db.db
        .update(refreshTokens)
        .set({ expiresAt: new Date(Date.now() - 1000) })
        .where(eq(refreshTokens.userId, userId));
      expect((await client.post('/api/auth/refresh')).status).toBe(401);
    });
  });

  describe('POST /api/auth/logout', () => {
    it('revokes the session and clears both cookies', async () => {
      await h.createUser('leaver');
      const client = await h.login('leaver');
      const refresh = client.cookies.get('refresh_token')!;
      const access = client.cookies.get('access_token')!;
      const response = await client.post('/api/auth/logout');
      expect(response.status).toBe(204);
      expect(client.cookies.size).toBe(0);
      const cookies = setCookies(response.headers);
      expect(cookies.get('refresh_token')?.attributes.get('path')).toBe('/api/auth');
      expect(cookies.get('access_token')?.attributes.get('path')).toBe('/');
      expect((await clientWith(h.base, { refresh_token: refresh }).post('/api/auth/refresh')).status).toBe(
        401,
      );
      expect((await clientWith(h.base, { access_token: access }).get('/api/auth/me')).status).toBe(401);
    });

    it('answers 204 without a session too', async () => {
      expect((await h.anonymous().post('/api/auth/logout')).status).toBe(204);
      expect((await clientWith(h.base, { refresh_token: 'unknown' }).post('/api/auth/logout')).status).toBe(
        204,
      );
    });
  });

  describe('POST /api/auth/change-password', () => {
    it('ends every other session and keeps the caller signed in', async () => {
      await h.createUser('carol');
      const laptop = await h.login('carol');
      const phone = await h.login('carol');
      const phoneRefresh = phone.cookies.get('refresh_token')!;

      const response = await laptop.post('/api/auth/change-password', {
        current: TEST_PASSWORD,
        next: 'a brand new passphrase',
      });
      expect(response.status).toBe(200);
      expect(MeResponse.parse(response.body).user.username).toBe('carol');
      expect(decodeJwt(laptop.cookies.get('access_token')!).ver).toBe(1);

      expect((await laptop.get('/api/auth/me')).status).toBe(200);
      expect((await laptop.post('/api/auth/refresh')).status).toBe(200);
      expect((await phone.get('/api/auth/me')).status).toBe(401);
      expect(
        (await clientWith(h.base, { refresh_token: phoneRefresh }).post('/api/auth/refresh')).status,
      ).toBe(401);

      expect(
        (await h.anonymous().post('/api/auth/login', { username: 'carol', password: TEST_PASSWORD })).status,
      ).toBe(401);
      await h.login('carol', 'a brand new passphrase');
    });

    it('refuses a wrong current password with 400, a short new one with 400, and anonymous callers with 401', async () => {
      await h.createUser('dan');
      const client = await h.login('dan');
      const wrong = await client.post('/api/auth/change-password', {
        current: 'not it at all',
        next: 'whatever123',
      });
      expect(wrong.status).toBe(400);
      expect(wrong.body.error).toMatchObject({
        code: 'invalid_request',
        message: 'The current password is not correct.',
      });
      const short = await client.post('/api/auth/change-password', { current: TEST_PASSWORD, next: 'short' });
      expect(short.status).toBe(400);
      const same = await client.post('/api/auth/change-password', {
        current: TEST_PASSWORD,
        next: TEST_PASSWORD,
      });
      expect(same.status).toBe(422);
      expect((await client.get('/api/auth/me')).status).toBe(200);
      const anonymous = await h
        .anonymous()
        .post('/api/auth/change-password', { current: 'x', next: 'yyyyyyyy' });
      expect(anonymous.status).toBe(401);
    });
  });

  describe('login rate limit', () => {
    const attempt = (username: string, password: string, ip?: string) =>
      h
        .anonymous()
        .request('POST', '/api/auth/login', { username, password }, ip ? { 'x-forwarded-for': ip } : {});

    it('answers the sixth attempt within a minute with 429 and Retry-After, without checking the password', async () => {
      await h.createUser('erin');
      for (let i = 0; i < 5; i++) expect((await attempt('erin', 'wrong password')).status).toBe(401);
      const limited = await attempt('erin', TEST_PASSWORD);
      expect(limited.status).toBe(429);
      expect(limited.body.error.code).toBe('rate_limited');
      const retryAfter = Number(limited.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(limited.headers.getSetCookie()).toEqual([]);
      // The name is compared case-insensitively, so changing case does not reset the count.
      expect((await attempt('ERIN', TEST_PASSWORD)).status).toBe(429);

      // Another username from the same address, and the same username from another address, are unaffected.
      expect((await attempt('someone-else', 'wrong password')).status).toBe(401);
      expect((await attempt('erin', TEST_PASSWORD, '203.0.113.7')).status).toBe(200);
    });

    it('forgets earlier failures after a successful sign-in', async () => {
      await h.createUser('frank');
      for (let i = 0; i < 4; i++) expect((await attempt('frank', 'wrong password')).status).toBe(401);
      expect((await attempt('frank', TEST_PASSWORD)).status).toBe(200);
      for (let i = 0; i < 5; i++) expect((await attempt('frank', 'wrong password')).status).toBe(401);
      expect((await attempt('frank', 'wrong password')).status).toBe(429);
    });
  });
});

describe('cookie Secure flag', () => {
  it('is always set with COOKIE_SECURE=true', async () => {
    const h = await startApi({ COOKIE_SECURE: 'true' });
    cleanup.push(() => h.close());
    const response = await h
      .anonymous()
      .post('/api/auth/login', { username: 'admin', password: TEST_PASSWORD });
    expect(response.status).toBe(200);
    const cookies = setCookies(response.headers);
    expect(cookies.get('access_token')?.attributes.has('secure')).toBe(true);
    expect(cookies.get('refresh_token')?.attributes.has('secure')).toBe(true);
  });

  it('ignores X-Forwarded-Proto from a proxy that is not trusted', async () => {
    const h = await startApi({ TRUST_PROXY: 'false' });
    cleanup.push(() => h.close());
    const response = await h
      .anonymous()
      .request(
        'POST',
        '/api/auth/login',
        { username: 'admin', password: TEST_PASSWORD },
        { 'x-forwarded-proto': 'https' },
      );
    expect(response.status).toBe(200);
    expect(setCookies(response.headers).get('access_token')?.attributes.has('secure')).toBe(false);
  });
});

describe('createAuth', () => {
  function freshDataDir(): string {
    const dir = mkdtempSync(join(tmpdir(), 'sitewright-auth-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    return dir;
  }
  const silent = pino({ level: 'silent' });

  it('generates the admin password and the JWT secret once, and reuses the secret on the next start', async () => {
    const db = await createTestDb();
    cleanup.push(() => db.close());
    const env = parseEnv({ DATA_DIR: freshDataDir(), BCRYPT_ROUNDS: '4' });
    expect(env.JWT_SECRET_KEY).toBeUndefined();
    expect(env.DEFAULT_ADMIN_PASSWORD).toBeUndefined();

    const first = await createAuth({ db: db.db, env, logger: silent });
    const password = first.generatedAdminPassword!;
    expect(password).toMatch(/^[\w-]{20,}$/);
    const secretFile = join(env.DATA_DIR, JWT_SECRET_FILE);
    expect(statSync(secretFile).mode & 0o777).toBe(0o600);
    const secret = readFileSync(secretFile, 'utf8');
    expect(secret.trim().length).toBeGreaterThanOrEqual(64);

    const session = await first.login(
      { username: 'admin', password },
      { ip: '127.0.0.1', userAgent: 'test' },
    );
    expect(session.user.role).toBe('admin');

    // The next start: the admin exists (nothing generated), the secret is the same, the session survives.
    const second = await createAuth({ db: db.db, env, logger: silent });
    expect(second.generatedAdminPassword).toBeNull();
    expect(readFileSync(secretFile, 'utf8')).toBe(secret);
    const user = await second.authenticate(fakeRequest(`access_token=${session.accessToken}`));
    expect(user).toEqual({ id: session.user.id, username: 'admin', role: 'admin' });
    expect(await db.db.select().from(users)).toHaveLength(1);
  });

  it('creates exactly one admin when two processes start on an empty database at once', async () => {
    const db = await createTestDb();
    cleanup.push(() => db.close());
    const env = parseEnv({
      DATA_DIR: freshDataDir(),
      BCRYPT_ROUNDS: '4',
      DEFAULT_ADMIN_PASSWORD: TEST_PASSWORD,
    });
    const starts = await Promise.all([1, 2, 3].map(() => createAuth({ db: db.db, env, logger: silent })));
    expect(starts.every((auth) => auth.generatedAdminPassword === null)).toBe(true);
    const rows = await db.db.select().from(users);
    expect(rows.map((row) => [row.username, row.role])).toEqual([['admin', 'admin']]);
  });

  it('warns that processes sharing Postgres need JWT_SECRET_KEY', async () => {
    const db = await createTestDb();
    cleanup.push(() => db.close());
    const lines: string[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => lines.push(line) });
    const env = parseEnv({
      DATA_DIR: freshDataDir(),
      BCRYPT_ROUNDS: '4',
      DEFAULT_ADMIN_PASSWORD: TEST_PASSWORD,
      DATABASE_URL: 'postgres://u:p@db.invalid:5432/x',
    });
    await createAuth({ db: db.db, env, logger });
    expect(lines.join('\n')).toContain('JWT_SECRET_KEY is not set');
  });

  it.runIf(testDriver() === 'postgres')(
    'answers 503 while the database is gone, never "signed out"',
    async () => {
      const db = await createTestDb();
      cleanup.push(() => db.close());
      const env = parseEnv({
        DATA_DIR: freshDataDir(),
        RUNNER_ENABLED: 'false',
        BCRYPT_ROUNDS: '4',
        JWT_SECRET_KEY: TEST_JWT_SECRET,
        DEFAULT_ADMIN_PASSWORD: TEST_PASSWORD,
      });
      const deps = await wireDeps(env, db, silent);
      const server = createApp(deps).listen(0, '127.0.0.1');
      await new Promise((resolve) => server.once('listening', resolve));
      cleanup.push(
        () =>
          new Promise<void>((resolve) => {
            server.closeAllConnections();
            server.close(() => resolve());
          }),
      );
      const address = server.address();
      const client = createClient(
        `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`,
      );
      expect(
        (await client.post('/api/auth/login', { username: 'admin', password: TEST_PASSWORD })).status,
      ).toBe(200);

      await db.close(); // every connection ends, as when Postgres restarts
      await expect(deps.auth.authenticate(fakeRequest(client.cookieHeader()))).rejects.toSatisfy(
        isConnectionError,
      );
      const me = await client.get('/api/auth/me');
      expect(me.status).toBe(503);
      expect(ErrorBody.parse(me.body).error.code).toBe('unavailable');
    },
  );
});

describe('logs', () => {
  it('never contain passwords, tokens or cookies', async () => {
    const db = await createTestDb();
    const dataDir = mkdtempSync(join(tmpdir(), 'sitewright-auth-logs-'));
    const lines: string[] = [];
    const logger = pino(
      { level: 'trace', redact: { paths: redactPaths, censor: '[redacted]' } },
      { write: (line: string) => lines.push(line) },
    );
    const env = parseEnv({
      DATA_DIR: dataDir,
      RUNNER_ENABLED: 'false',
      BCRYPT_ROUNDS: '4',
      DEFAULT_ADMIN_PASSWORD: TEST_PASSWORD,
      WEB_DIST_DIR: join(dataDir, 'none'),
    });
    const deps = await wireDeps(env, db, logger);
    const server = createApp(deps).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    cleanup.push(async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await closeDeps(deps);
      rmSync(dataDir, { recursive: true, force: true });
    });
    const address = server.address();
    const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

    const client = createClient(base);
    expect(
      (await client.post('/api/auth/login', { username: 'admin', password: 'a wrong guess' })).status,
    ).toBe(401);
    expect(
      (await client.post('/api/auth/login', { username: 'admin', password: TEST_PASSWORD })).status,
    ).toBe(200);
    const access = client.cookies.get('access_token')!;
    const refresh = client.cookies.get('refresh_token')!;
    expect((await client.get('/api/auth/me')).status).toBe(200);
    expect((await client.post('/api/auth/refresh')).status).toBe(200);
    expect(
      (await client.post('/api/auth/change-password', { current: TEST_PASSWORD, next: 'next secret 42' }))
        .status,
    ).toBe(200);
    expect((await client.post('/api/auth/logout')).status).toBe(204);

    const log = lines.join('\n');
    expect(log).toMatch(/POST \S*\/auth\/login 200/);
    expect(log).toContain('signed in');
    for (const secret of [
      TEST_PASSWORD,
      'a wrong guess',
      'next secret 42',
      access,
      refresh,
      'access_token',
      'refresh_token',
    ]) {
      expect(log).not.toContain(secret);
    }
  });
});
