/**
 * An API on an ephemeral port over a fresh test database — the same `createApp` and WebSocket hub the
 * server runs — plus clients that sign in through the real login route and keep their cookies.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { users } from '@sitewright/db';
import { createTestDb, type TestDb } from '@sitewright/db/testing';
import bcrypt from 'bcrypt';
import { createApp } from '../app.ts';
import { closeDeps, type Deps, wireDeps } from '../deps.ts';
import { parseEnv } from '../env.ts';
import { createLogger } from '../logger.ts';
import { attachWsHub, type WsHub } from '../ws/hub.ts';

export const TEST_JWT_SECRET = 'test-secret-test-secret-test-secret-0123456789';
export const TEST_PASSWORD = 'correct horse battery';

export interface ApiHarness {
  base: string;
  deps: Deps;
  db: TestDb;
  server: Server;
  hub: WsHub;
  dataDir: string;
  /** Inserts a user with TEST_PASSWORD (or the given one); returns its id. */
  createUser(username: string, role?: 'admin' | 'user', password?: string): Promise<string>;
  /** A client signed in as `username` through POST /api/auth/login. */
  login(username: string, password?: string): Promise<ApiClient>;
  /** A client without a session. */
  anonymous(): ApiClient;
  close(): Promise<void>;
}

export interface ApiResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

export interface ApiClient {
  /** The cookies this client holds, by name. */
  cookies: Map<string, string>;
  /** `Cookie` header value for hand-made requests (the WebSocket upgrade). */
  cookieHeader(): string;
  request<T = any>(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<ApiResponse<T>>;
  get<T = any>(path: string): Promise<ApiResponse<T>>;
  post<T = any>(path: string, body?: unknown): Promise<ApiResponse<T>>;
  patch<T = any>(path: string, body?: unknown): Promise<ApiResponse<T>>;
  delete<T = any>(path: string): Promise<ApiResponse<T>>;
}

export async function startApi(overrides: Record<string, string> = {}): Promise<ApiHarness> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sitewright-api-'));
  const db = await createTestDb();
  const env = parseEnv({
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    RUNNER_ENABLED: 'false',
    BCRYPT_ROUNDS: '4',
    // The demo answers at once: tests wait for outcomes, not for typing.
    DEMO_TYPING_MS: '0',
    JWT_SECRET_KEY: TEST_JWT_SECRET,
    DEFAULT_ADMIN_PASSWORD: TEST_PASSWORD,
    WEB_DIST_DIR: join(dataDir, 'no-dashboard'),
    ...overrides,
  });
  const deps = await wireDeps(env, db, createLogger(env.LOG_LEVEL));
  const server = createApp(deps).listen(0, '127.0.0.1');
  // Longer than fetch's own keep-alive: otherwise, on a busy machine, the server may close an idle
  // connection just as the client reuses it (ECONNRESET).
  server.keepAliveTimeout = 30_000;
  await new Promise((resolve) => server.once('listening', resolve));
  const hub = attachWsHub(server, deps);
  deps.metrics.trackWsClients(() => hub.clients());
  const address = server.address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  deps.runner?.start();

  const anonymous = () => createClient(base);
  return {
    base,
    deps,
    db,
    server,
    hub,
    dataDir,
    async createUser(username, role = 'user', password = TEST_PASSWORD) {
      const [row] = await db.db
        .insert(users)
        .values({ username, role, passwordHash: await bcrypt.hash(password, 4) })
        .returning({ id: users.id });
      return (row as { id: string }).id;
    },
    async login(username, password = TEST_PASSWORD) {
      const client = anonymous();
      const response = await client.post('/api/auth/login', { username, password });
      if (response.status !== 200) {
        throw new Error(`login as ${username} failed: ${response.status} ${JSON.stringify(response.body)}`);
      }
      return client;
    },
    anonymous,
    async close() {
      await hub.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await closeDeps(deps);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A fetch wrapper with a cookie jar; sends the API's own Origin like a browser on the dashboard. */
export function createClient(base: string): ApiClient {
  const cookies = new Map<string, string>();
  const cookieHeader = () => [...cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  async function request(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<ApiResponse<any>> {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: {
        origin: base,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(cookies.size > 0 ? { cookie: cookieHeader() } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      redirect: 'manual',
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = (pair ?? '').indexOf('=');
      const name = (pair ?? '').slice(0, at).trim();
      const value = (pair ?? '').slice(at + 1).trim();
      const expired = /max-age=0|expires=thu, 01 jan 1970/i.test(line);
      if (expired || value === '') cookies.delete(name);
      else cookies.set(name, value);
    }
    const type = response.headers.get('content-type') ?? '';
    const parsed = type.includes('json') ? await response.json() : await response.text();
    return { status: response.status, headers: response.headers, body: parsed };
  }
  return {
    cookies,
    cookieHeader,
    request,
    get: (path) => request('GET', path),
    post: (path, body) => request('POST', path, body ?? {}),
    patch: (path, body) => request('PATCH', path, body ?? {}),
    delete: (path) => request('DELETE', path),
  };
}
