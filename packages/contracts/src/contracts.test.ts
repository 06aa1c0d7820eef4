import { describe, expect, it } from 'vitest';
import { ErrorBody, ErrorCode, errorStatus, HealthResponse } from './index.ts';

describe('error contract', () => {
  it('maps every code to the status SPEC §6 names', () => {
    for (const code of ErrorCode.options) expect(errorStatus[code]).toBeGreaterThanOrEqual(400);
    expect(errorStatus.invalid_request).toBe(400);
    expect(errorStatus.unauthenticated).toBe(401);
    expect(errorStatus.forbidden).toBe(403);
    expect(errorStatus.not_found).toBe(404);
    expect(errorStatus.conflict).toBe(409);
    expect(errorStatus.rule_violation).toBe(422);
    expect(errorStatus.rate_limited).toBe(429);
  });

  it('rejects an error body with an unknown code', () => {
    expect(ErrorBody.safeParse({ error: { code: 'oops', message: 'x' } }).success).toBe(false);
    expect(ErrorBody.safeParse({ error: { code: 'not_found', message: 'x' } }).success).toBe(true);
  });
});

describe('health contract', () => {
  it('accepts a healthy and a failing report and rejects a malformed one', () => {
    const ok = { status: 'ok', db: { driver: 'pglite', status: 'up', latencyMs: 0.4 }, version: '0.1.0' };
    expect(HealthResponse.parse(ok)).toEqual(ok);
    const down = {
      status: 'error',
      db: { driver: 'postgres', status: 'down', latencyMs: null, error: 'connection refused' },
      version: '0.1.0',
    };
    expect(HealthResponse.parse(down)).toEqual(down);
    expect(HealthResponse.safeParse({ status: 'ok', db: 'pglite', version: '1' }).success).toBe(false);
  });
});

describe('the OpenAPI document', () => {
  it('describes every route of the table with its success response, inputs and errors', async () => {
    const { apiRoutes, openApiDocument } = await import('./index.ts');
    const document = openApiDocument('1.2.3') as {
      openapi: string;
      info: { version: string };
      paths: Record<string, Record<string, Record<string, any>>>;
    };
    expect(document.openapi).toBe('3.1.0');
    expect(document.info.version).toBe('1.2.3');
    for (const route of apiRoutes) {
      const operation = document.paths[route.path]?.[route.method];
      expect(operation, `${route.method} ${route.path}`).toBeDefined();
      expect(Object.keys(operation!.responses)).toContain(String(route.status));
      if (route.body) expect(operation!.requestBody.content['application/json'].schema).toBeTypeOf('object');
      if (route.access !== 'public') expect(Object.keys(operation!.responses)).toContain('401');
      if (route.access === 'owner') expect(Object.keys(operation!.responses)).toContain('404');
      for (const [, name] of route.path.matchAll(/\{(\w+)\}/g)) {
        expect(operation!.parameters.some((p: { name: string }) => p.name === name)).toBe(true);
      }
    }
    const login = document.paths['/api/auth/login']!.post!;
    expect(login.requestBody.content['application/json'].schema.properties).toHaveProperty('password');
  });
});
