/** `/api/ready` and `/metrics` through HTTP, with a real runner driving a project. */
import { ReadyResponse } from '@sitewright/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type ApiHarness, startApi } from '../../testing/api-harness.ts';
import { until } from '../../testing/until.ts';

let api: ApiHarness;

beforeAll(async () => {
  api = await startApi({ RUNNER_ENABLED: 'true' });
});

afterAll(async () => {
  await api?.close();
});

const metric = (text: string, name: string) =>
  Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? Number.NaN);

describe('GET /api/ready', () => {
  it('is ready once the database answers and every migration is applied', async () => {
    const response = await fetch(`${api.base}/api/ready`);
    expect(response.status).toBe(200);
    const body = ReadyResponse.parse(await response.json());
    expect(body).toMatchObject({ ready: true, db: 'up', runner: 'on' });
    expect(body.migrations.applied).toBe(body.migrations.expected);
    expect(body.migrations.expected).toBeGreaterThanOrEqual(2);
  });
});

describe('GET /metrics', () => {
  it('counts runs, steps with their latency, events and WebSocket clients', async () => {
    await api.createUser('maria');
    const owner = await api.login('maria');
    const created = await owner.post('/api/projects', { name: 'Metrics Bakery' });
    const id = created.body.project.id as string;
    await until(
      async () =>
        (await owner.get(`/api/projects/${id}`)).body.project.status === 'awaiting_human' || undefined,
    );
    const socket = new WebSocket(`${api.base.replace('http', 'ws')}/ws/projects/${id}`, {
      headers: { cookie: owner.cookieHeader(), origin: api.base },
    });
    await new Promise((resolve) => socket.once('message', resolve));

    const response = await fetch(`${api.base}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await response.text();
    expect(metric(text, 'sitewright_runs_started_total')).toBeGreaterThanOrEqual(1);
    expect(metric(text, 'sitewright_step_duration_seconds_count')).toBeGreaterThanOrEqual(1);
    expect(text).toMatch(/^sitewright_steps_total\{status="awaiting_human"\} \d+$/m);
    expect(text).toMatch(/^sitewright_events_total\{type="pending_opened"\} \d+$/m);
    expect(metric(text, 'sitewright_websocket_clients')).toBe(1);
    expect(text).toMatch(/^sitewright_projects\{status="awaiting_human"\} 1$/m);
    expect(text).toContain('# TYPE sitewright_lease_takeovers_total counter');
    socket.close();
  });
});

describe('GET /metrics with METRICS_TOKEN', () => {
  it('wants the bearer token', async () => {
    const guarded = await startApi({ METRICS_TOKEN: 'a-long-enough-metrics-token' });
    try {
      expect((await fetch(`${guarded.base}/metrics`)).status).toBe(401);
      const wrong = await fetch(`${guarded.base}/metrics`, { headers: { authorization: 'Bearer nope' } });
      expect(wrong.status).toBe(401);
      const right = await fetch(`${guarded.base}/metrics`, {
        headers: { authorization: 'Bearer a-long-enough-metrics-token' },
      });
      expect(right.status).toBe(200);
    } finally {
      await guarded.close();
    }
  });
});
