import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorBody, HealthResponse } from '@sitewright/contracts';
import { createTestDb, type TestDb, testDriver } from '@sitewright/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppDeps, createApp } from './app.ts';
import { closeDeps, type Deps, wireDeps } from './deps.ts';
import { parseEnv } from './env.ts';
import { createLogger } from './logger.ts';

let db: TestDb;
let server: Server;
let base: string;
let webDir: string;
let deps: Deps;

async function listen(deps: AppDeps): Promise<{ server: Server; base: string }> {
  const instance = createApp(deps).listen(0, '127.0.0.1');
  await new Promise((resolve) => instance.once('listening', resolve));
  const address = instance.address();
  return {
    server: instance,
    base: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`,
  };
}

beforeAll(async () => {
  db = await createTestDb();
  webDir = mkdtempSync(join(tmpdir(), 'sitewright-web-'));
  mkdirSync(join(webDir, 'assets'));
  writeFileSync(join(webDir, 'index.html'), '<!doctype html><title>Sitewright</title><div id="root"></div>');
  writeFileSync(join(webDir, 'assets', 'app-abc123.js'), 'console.log("app")');
  const env = parseEnv({
    WEB_DIST_DIR: webDir,
    BODY_LIMIT: '1kb',
    RUNNER_ENABLED: 'false',
    DATA_DIR: join(webDir, 'data'),
  });
  deps = await wireDeps(env, db, createLogger('silent'));
  ({ server, base } = await listen({ ...deps, version: '9.9.9' }));
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await closeDeps(deps);
  rmSync(webDir, { recursive: true, force: true });
});

describe('GET /api/health', () => {
  it('reports the real database and the version', async () => {
    const response = await fetch(`${base}/api/health`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = HealthResponse.parse(await response.json());
    expect(body).toMatchObject({
      status: 'ok',
      version: '9.9.9',
      db: { driver: testDriver(), status: 'up' },
    });
    expect(body.db.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it('answers 503 with the reason when the database is gone', async () => {
    const broken = await createTestDb();
    await broken.close();
    const other = await listen({ ...deps, db: broken, version: '1.0.0' });
    try {
      const response = await fetch(`${other.base}/api/health`);
      expect(response.status).toBe(503);
      const body = HealthResponse.parse(await response.json());
      expect(body.status).toBe('error');
      expect(body.db.status).toBe('down');
      expect(body.db.error).toBeTruthy();
    } finally {
      await new Promise((resolve) => other.server.close(resolve));
    }
  });
});

describe('errors', () => {
  it('answers unknown API paths with a JSON 404 in the contract shape', async () => {
    const response = await fetch(`${base}/api/does-not-exist?x=1`);
    expect(response.status).toBe(404);
    const body = ErrorBody.parse(await response.json());
    expect(body.error).toEqual({ code: 'not_found', message: 'No route for GET /api/does-not-exist' });
  });

  it('answers malformed JSON with 400', async () => {
    const response = await fetch(`${base}/api/anything`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"name": ',
    });
    expect(response.status).toBe(400);
    expect(ErrorBody.parse(await response.json()).error.code).toBe('invalid_request');
  });

  it('answers an oversized body with 413', async () => {
    const response = await fetch(`${base}/api/anything`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'x'.repeat(4096) }),
    });
    expect(response.status).toBe(413);
    expect(ErrorBody.parse(await response.json()).error.code).toBe('payload_too_large');
  });
});

describe('the dashboard', () => {
  it('serves index.html for client-side routes', async () => {
    const response = await fetch(`${base}/projects/123`, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<title>Sitewright</title>');
    expect(response.headers.get('cache-control')).toBe('no-cache');
  });

  it('serves hashed assets with long caching and 404s missing ones', async () => {
    const asset = await fetch(`${base}/assets/app-abc123.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect((await fetch(`${base}/assets/missing.js`)).status).toBe(404);
  });

  it('sends security headers and a request id', async () => {
    const response = await fetch(`${base}/`, {
      headers: { accept: 'text/html', 'x-request-id': 'trace-123' },
    });
    expect(response.headers.get('x-request-id')).toBe('trace-123');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(response.headers.get('content-security-policy')).not.toContain('upgrade-insecure-requests');
    expect(response.headers.get('x-powered-by')).toBeNull();
  });
});
