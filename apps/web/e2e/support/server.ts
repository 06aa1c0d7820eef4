/**
 * Boots the real API server for browser specs: one child process per Playwright worker, on a free
 * port, with a fresh data directory and — when a Postgres URL is configured — its own fresh database.
 * Nothing is faked: the browser talks to the same `apps/api/src/main.ts` that production runs.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { test as base } from '@playwright/test';
import { createTestDb, type TestDb, testDatabaseUrl } from '@sitewright/db/testing';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');

const apiMain = join(repoRoot, 'apps/api/src/main.ts');
const webDist = join(repoRoot, 'apps/web/dist');
const webIndex = join(webDist, 'index.html');
const STARTUP_TIMEOUT_MS = 60_000;
/** The admin every spec server starts with (`admin` / this password). */
export const ADMIN_PASSWORD = 'e2e admin password';
const STOP_GRACE_MS = 5_000;
/** Enough of the child's output to explain a failed start without flooding the report. */
const OUTPUT_TAIL_CHARS = 8_000;

export interface ServerHandle {
  /** e.g. `http://127.0.0.1:41234` */
  baseURL: string;
  /** The server's DATA_DIR: a fresh temporary directory, removed on stop. */
  dataDir: string;
  /** SIGTERM, then SIGKILL after 5 s; removes the data directory and drops the test database. Idempotent. */
  stop(): Promise<void>;
}

/** Starts `node --import tsx apps/api/src/main.ts` and resolves once `GET /api/health` answers. */
export async function startServer(): Promise<ServerHandle> {
  if (!existsSync(webIndex)) {
    throw new Error(`${webIndex} is missing: build the app first (pnpm --filter @sitewright/web build).`);
  }
  const port = await findFreePort();
  const baseURL = `http://127.0.0.1:${port}`;
  const dataDir = await mkdtemp(join(tmpdir(), 'sitewright-e2e-'));
  let db: TestDb | undefined;
  let child: ChildProcess | undefined;

  const stop = once(async () => {
    if (child) await stopChild(child);
    await db?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  try {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      // The dashboard the check above found, whatever a developer's .env says.
      WEB_DIST_DIR: webDist,
      DEFAULT_ADMIN_PASSWORD: ADMIN_PASSWORD,
      // Sign-ins are many and quick in specs; the real cost and limit are proven by the API's tests.
      BCRYPT_ROUNDS: '4',
      LOGIN_RATE_LIMIT: '1000',
    };
    // Without a test database the server must use embedded PGlite: no URL may reach it from our
    // environment. Deleted, and pinned empty (which the API reads as unset) so that a DATABASE_URL in
    // the repo's .env, which the API loads without overriding set variables, cannot slip in either.
    delete env.TEST_DATABASE_URL;
    env.DATABASE_URL = '';
    if (testDatabaseUrl()) {
      db = await createTestDb();
      if (!db.url) throw new Error('createTestDb() returned a Postgres database without a URL');
      env.DATABASE_URL = db.url;
    }

    const started = spawn(process.execPath, ['--import', 'tsx', apiMain], {
      cwd: repoRoot,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = started;
    const output = captureOutput(started);
    // A worker that dies without running teardown must not leave a server behind.
    const killOnExit = () => started.kill('SIGKILL');
    process.once('exit', killOnExit);
    started.once('exit', () => process.off('exit', killOnExit));

    await waitForHealth(`${baseURL}/api/health`, started, output);
  } catch (error) {
    await stop();
    throw error;
  }
  return { baseURL, dataDir, stop };
}

/** Playwright fixtures: a worker-scoped `server`, and every page's `baseURL` pointing at it. */
export const test = base.extend<Record<never, never>, { server: ServerHandle }>({
  server: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright requires an object pattern as the first parameter.
    async ({}, use) => {
      const server = await startServer();
      try {
        await use(server);
      } finally {
        await server.stop();
      }
    },
    { scope: 'worker', timeout: STARTUP_TIMEOUT_MS + 30_000 },
  ],
  baseURL: async ({ server }, use) => {
    await use(server.baseURL);
  },
});

export { expect } from '@playwright/test';

/** A port nobody listens on right now: the OS picks one for a throwaway listener. */
function findFreePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      if (address === null || typeof address === 'string') {
        probe.close();
        reject(new Error('could not determine a free port'));
        return;
      }
      probe.close(() => resolvePort(address.port));
    });
  });
}

interface CapturedOutput {
  describe(): string;
}

function captureOutput(child: ChildProcess): CapturedOutput {
  let stderr = '';
  let stdout = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-OUTPUT_TAIL_CHARS);
  });
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout = (stdout + chunk).slice(-OUTPUT_TAIL_CHARS);
  });
  return {
    describe: () =>
      [
        `--- server stderr ---\n${stderr.trimEnd() || '(empty)'}`,
        `--- server stdout ---\n${stdout.trimEnd() || '(empty)'}`,
      ].join('\n'),
  };
}

/** Polls until health answers with one of its contract statuses (200 up, 503 database down). */
async function waitForHealth(url: string, child: ChildProcess, output: CapturedOutput): Promise<void> {
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  let lastProblem = 'no answer yet';
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      const how = child.exitCode !== null ? `code ${child.exitCode}` : `signal ${child.signalCode}`;
      throw new Error(`The API server exited (${how}) before ${url} answered.\n${output.describe()}`);
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      await response.body?.cancel();
      if (response.status === 200 || response.status === 503) return;
      lastProblem = `HTTP ${response.status}`;
    } catch (error) {
      lastProblem = error instanceof Error ? error.message : String(error);
    }
    await delay(100);
  }
  throw new Error(
    `The API server did not answer ${url} within ${STARTUP_TIMEOUT_MS / 1000} s (last: ${lastProblem}).\n` +
      output.describe(),
  );
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
  child.kill('SIGTERM');
  const timedOut = Symbol('timed out');
  const result = await Promise.race([exited, delay(STOP_GRACE_MS, timedOut)]);
  if (result === timedOut) {
    child.kill('SIGKILL');
    await exited;
  }
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  return () => {
    running ??= fn();
    return running;
  };
}
