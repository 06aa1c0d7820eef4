import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HealthResponse } from '@sitewright/contracts';
import { LOCK_FILE } from '@sitewright/db';
import { createTestDb, testDriver } from '@sitewright/db/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort, type ServerProcess, startServerProcess, waitForHttp } from './testing/server-process.ts';

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sitewright-main-'));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function track(server: ServerProcess): ServerProcess {
  cleanup.push(async () => {
    if (server.child.exitCode === null) {
      server.child.kill('SIGKILL');
      await server.exited;
    }
  });
  return server;
}

/** A failed start must be one line on stderr, non-zero exit, no stack trace. */
async function expectOneLineFailure(server: ServerProcess, pattern: RegExp): Promise<void> {
  const code = await server.exited;
  const { stderr } = server.output();
  expect(code).not.toBe(0);
  const lines = stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(stderr).not.toMatch(/\n\s+at /);
}

// Each test boots the real server (tsx compiles it on the first start): give slow machines room.
describe('main: the single-process server', { timeout: 90_000 }, () => {
  it('starts on embedded defaults, reports PGlite, and stops cleanly on SIGTERM', async () => {
    const dataDir = tempDir();
    const port = await freePort();
    const server = track(startServerProcess({ PORT: String(port), DATA_DIR: dataDir }));
    await waitForHttp(`http://127.0.0.1:${port}/api/health`, server);
    const health = HealthResponse.parse(await (await fetch(`http://127.0.0.1:${port}/api/health`)).json());
    expect(health).toMatchObject({ status: 'ok', db: { driver: 'pglite', status: 'up' } });
    expect(server.output().stdout).toContain(`running at http://localhost:${port}`);
    expect(existsSync(join(dataDir, 'pglite', LOCK_FILE))).toBe(true);

    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(existsSync(join(dataDir, 'pglite', LOCK_FILE))).toBe(false);
  });

  it('reads .env from its working directory', async () => {
    const dir = tempDir();
    const port = await freePort();
    writeFileSync(join(dir, '.env'), `PORT=${port}\nDATA_DIR=${join(dir, 'data')}\n`);
    const server = track(startServerProcess({}, dir));
    await waitForHttp(`http://127.0.0.1:${port}/api/health`, server);
    server.child.kill('SIGINT');
    expect(await server.exited).toBe(0);
  });

  it.runIf(testDriver() === 'postgres')('switches to Postgres when DATABASE_URL is set', async () => {
    const db = await createTestDb();
    cleanup.push(() => db.close());
    const port = await freePort();
    const server = track(
      startServerProcess({ PORT: String(port), DATA_DIR: tempDir(), DATABASE_URL: db.url! }),
    );
    await waitForHttp(`http://127.0.0.1:${port}/api/health`, server);
    const health = HealthResponse.parse(await (await fetch(`http://127.0.0.1:${port}/api/health`)).json());
    expect(health.db.driver).toBe('postgres');
    expect(server.output().stdout).toContain(':***@');
    expect(server.output().stdout).not.toContain(`:${new URL(db.url!).password}@`);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
  });

  it('refuses a malformed DATABASE_URL', async () => {
    const server = track(
      startServerProcess({ DATA_DIR: tempDir(), DATABASE_URL: 'mysql://root:hunter2@db/x' }),
    );
    await expectOneLineFailure(server, /^sitewright: Invalid configuration: DATABASE_URL must be a URL like/);
    expect(server.output().stderr).not.toContain('hunter2');
  });

  it('refuses an unreachable Postgres with one line that hides the password', async () => {
    const port = await freePort();
    const server = track(
      startServerProcess({ DATA_DIR: tempDir(), DATABASE_URL: `postgres://sw:hunter2@127.0.0.1:${port}/sw` }),
    );
    await expectOneLineFailure(
      server,
      /^sitewright: Could not connect to Postgres at postgres:\/\/sw:\*\*\*@/,
    );
    expect(server.output().stderr).not.toContain('hunter2');
  });

  it('refuses a port that is already in use', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    cleanup.push(() => new Promise<void>((resolve) => blocker.close(() => resolve())));
    const address = blocker.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const server = track(startServerProcess({ PORT: String(port), DATA_DIR: tempDir() }));
    await expectOneLineFailure(
      server,
      new RegExp(`^sitewright: Port ${port} on 127.0.0.1 is already in use`),
    );
  });

  it('refuses a DATA_DIR it cannot write', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a-file'), '');
    const server = track(startServerProcess({ DATA_DIR: join(dir, 'a-file', 'data') }));
    await expectOneLineFailure(server, /^sitewright: DATA_DIR .* is not writable/);
  });

  it('refuses a second server on the same DATA_DIR and names the first', async () => {
    const dataDir = tempDir();
    const port = await freePort();
    const first = track(startServerProcess({ PORT: String(port), DATA_DIR: dataDir }));
    await waitForHttp(`http://127.0.0.1:${port}/api/health`, first);
    const second = track(startServerProcess({ PORT: String(await freePort()), DATA_DIR: dataDir }));
    await expectOneLineFailure(second, new RegExp(`is in use by process ${first.child.pid}`));
  });

  it('refuses bad configuration values', async () => {
    const server = track(startServerProcess({ PORT: 'eighty', DATA_DIR: tempDir() }));
    await expectOneLineFailure(server, /^sitewright: Invalid configuration: PORT must be a whole number/);
  });
});
