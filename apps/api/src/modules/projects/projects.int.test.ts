/**
 * The project routes through HTTP, as the dashboard and external clients use them: the contract's
 * shapes, ownership, the owner's actions on the demo worker, and bad input that writes nothing.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ActionResult,
  AgentStatus,
  AlarmList,
  ErrorBody,
  EventPage,
  GateList,
  LlmCallList,
  ProjectDetail,
  ProjectList,
  Spend,
} from '@sitewright/contracts';
import { events, llmCalls, projects, runnerLeases, spendLedger } from '@sitewright/db';
import { testDriver, waitForLockWait } from '@sitewright/db/testing';
import { acquireLease, alarmEvent, appendEvents } from '@sitewright/engine';
import { projectPaths } from '@sitewright/website';
import { ownerAnswer, pizzeriaBrief } from '@sitewright/website/testing';
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, type ApiHarness, type ApiResponse, startApi } from '../../testing/api-harness.ts';

let api: ApiHarness;
let maria: ApiClient;
let tom: ApiClient;
let admin: ApiClient;

beforeAll(async () => {
  api = await startApi({ BODY_LIMIT: '16kb' });
  await api.createUser('maria');
  await api.createUser('tom');
  await api.createUser('root', 'admin');
  [maria, tom, admin] = await Promise.all([api.login('maria'), api.login('tom'), api.login('root')]);
});

afterAll(async () => {
  await api?.close();
});

/** Creates a project through the API and lets the demo worker ask its first question. */
async function newProject(client: ApiClient, name = "Maria's Pizzeria"): Promise<ProjectDetail> {
  const created = await client.post('/api/projects', { name });
  expect(created.status).toBe(201);
  const id = ProjectDetail.parse(created.body).project.id;
  await api.deps.engine.runUntilPause(id);
  return ProjectDetail.parse((await client.get(`/api/projects/${id}`)).body);
}

async function eventCount(projectId: string): Promise<number> {
  const [row] = await api.db.db.select({ n: count() }).from(events).where(eq(events.projectId, projectId));
  return Number(row?.n ?? 0);
}

describe('projects', () => {
  it('creates a project whose agent asks the first question, and lists it for its owner only', async () => {
    const created = await maria.post('/api/projects', { name: "Maria's Pizzeria" });
    expect(created.status).toBe(201);
    const detail = ProjectDetail.parse(created.body);
    expect(created.headers.get('location')).toBe(`/api/projects/${detail.project.id}`);
    expect(detail.project).toMatchObject({ name: "Maria's Pizzeria", status: 'running', stage: 'bootstrap' });

    await api.deps.engine.runUntilPause(detail.project.id);
    const after = ProjectDetail.parse((await maria.get(`/api/projects/${detail.project.id}`)).body);
    expect(after.project.status).toBe('awaiting_human');
    expect(after.pending).toHaveLength(1);
    expect(after.pending[0]).toMatchObject({ kind: 'question' });
    expect(after.pending[0]?.question).toMatch(/name of your business/);
    expect(after.spend).toMatchObject({ spentUsd: 0, capUsd: 1, capPercent: 0 });

    const mine = ProjectList.parse((await maria.get('/api/projects')).body).projects;
    expect(mine.map((p) => p.id)).toContain(detail.project.id);
    const theirs = ProjectList.parse((await tom.get('/api/projects')).body).projects;
    expect(theirs.map((p) => p.id)).not.toContain(detail.project.id);
    // Only an admin may widen the list to every owner.
    const tomAll = ProjectList.parse((await tom.get('/api/projects?scope=all')).body).projects;
    expect(tomAll.map((p) => p.id)).not.toContain(detail.project.id);
    const adminAll = ProjectList.parse((await admin.get('/api/projects?scope=all')).body).projects;
    expect(adminAll.map((p) => p.id)).toContain(detail.project.id);
  });

  it("answers 404 for another user's project exactly as for a missing one, and lets an admin in", async () => {
    const project = await newProject(maria);
    const id = project.project.id;
    const foreign = await tom.get(`/api/projects/${id}`);
    const missing = await tom.get('/api/projects/00000000-0000-4000-8000-000000000000');
    const malformed = await tom.get('/api/projects/not-a-uuid');
    expect(foreign.status).toBe(404);
    expect(foreign.body).toEqual(missing.body);
    expect(malformed.status).toBe(404);
    expect(JSON.stringify(foreign.body)).not.toContain('Pizzeria');
    expect((await tom.post(`/api/projects/${id}/messages`, { text: 'hi' })).status).toBe(404);
    expect(await eventCount(id)).toBe(project.project.lastSeq);
    expect((await admin.get(`/api/projects/${id}`)).status).toBe(200);
    expect((await api.anonymous().get(`/api/projects/${id}`)).status).toBe(401);
  });

  it('rejects bad names with 400 and writes nothing', async () => {
    const [before] = await api.db.db.select({ n: count() }).from(projects);
    for (const body of [{}, { name: '' }, { name: '   ' }, { name: 'x'.repeat(121) }, { name: 42 }]) {
      const response = await maria.post('/api/projects', body);
      expect(response.status).toBe(400);
      expect(ErrorBody.parse(response.body).error.code).toBe('invalid_request');
    }
    const malformed = await maria.request('POST', '/api/projects', '{"name": "oops"', {
      'content-type': 'application/json',
    });
    expect(malformed.status).toBe(400);
    const huge = await maria.post('/api/projects', { name: 'x', filler: 'y'.repeat(20_000) });
    expect(huge.status).toBe(413);
    expect(ErrorBody.parse(huge.body).error.code).toBe('payload_too_large');
    const [after] = await api.db.db.select({ n: count() }).from(projects);
    expect(after?.n).toBe(before?.n);
  });

  it('stores an XSS payload verbatim and serves it only as JSON data', async () => {
    const payload = '<img src=x onerror=alert(1)><script>alert(2)</script>';
    const created = await maria.post('/api/projects', { name: payload });
    expect(created.status).toBe(201);
    expect(created.headers.get('content-type')).toMatch(/^application\/json/);
    const id = ProjectDetail.parse(created.body).project.id;
    await api.deps.engine.runUntilPause(id);
    const question = ProjectDetail.parse((await maria.get(`/api/projects/${id}`)).body).pending[0]!;
    const answered = await maria.post(`/api/projects/${id}/answer`, {
      pendingId: question.id,
      answer: payload,
    });
    expect(answered.status).toBe(200);
    const sent = await maria.post(`/api/projects/${id}/messages`, { text: payload });
    expect(sent.status).toBe(201);
    const page = EventPage.parse((await maria.get(`/api/projects/${id}/events`)).body);
    expect(page.events.find((event) => event.type === 'owner_message')?.payload).toEqual({ text: payload });
    expect(page.events.find((event) => event.type === 'pending_answered')?.payload).toMatchObject({
      answer: { text: payload },
    });
    expect(ProjectDetail.parse((await maria.get(`/api/projects/${id}`)).body).project.name).toBe(payload);
  });
});

describe('the owner answering and steering the agent', () => {
  it('answers the open question once; a second answer is a conflict, a wrong shape a 400', async () => {
    const project = await newProject(maria);
    const id = project.project.id;
    const pending = project.pending[0]!;
    const wrongShape = await maria.post(`/api/projects/${id}/answer`, {
      pendingId: pending.id,
      approved: true,
    });
    expect(wrongShape.status).toBe(400);
    const unknown = await maria.post(`/api/projects/${id}/answer`, {
      pendingId: '00000000-0000-4000-8000-000000000000',
      answer: 'x',
    });
    expect(unknown.status).toBe(404);
    const notUuid = await maria.post(`/api/projects/${id}/answer`, { pendingId: 'x', answer: 'x' });
    expect(notUuid.status).toBe(400);

    const answered = await maria.post(`/api/projects/${id}/answer`, {
      pendingId: pending.id,
      answer: ownerAnswer(pizzeriaBrief, pending.question ?? '') ?? "Maria's Pizzeria",
    });
    expect(answered.status).toBe(200);
    const result = ActionResult.parse(answered.body);
    expect(result.agent.status).toBe('running');
    expect(result.seqs.length).toBeGreaterThan(0);

    const again = await maria.post(`/api/projects/${id}/answer`, { pendingId: pending.id, answer: 'again' });
    expect(again.status).toBe(409);
    expect(ErrorBody.parse(again.body).error.message).toMatch(/already been answered/);
  });

  it('pauses, resumes, stops and starts the agent, refusing transitions that make no sense', async () => {
    const project = await newProject(maria);
    const id = project.project.id;
    const status = AgentStatus.parse((await maria.get(`/api/projects/${id}/agent/status`)).body);
    expect(status).toMatchObject({ status: 'awaiting_human', active: false, turnCap: 10 });

    const paused = await maria.post(`/api/projects/${id}/agent/pause`);
    expect(paused.status).toBe(200);
    expect(ActionResult.parse(paused.body).agent).toMatchObject({ status: 'paused', pausedReason: 'user' });
    expect((await maria.post(`/api/projects/${id}/agent/pause`)).status).toBe(409);
    const resumed = ActionResult.parse((await maria.post(`/api/projects/${id}/agent/resume`)).body);
    // The question is still open, so the run goes back to waiting for it.
    expect(resumed.agent.status).toBe('awaiting_human');
    expect((await maria.post(`/api/projects/${id}/agent/resume`)).status).toBe(409);
    expect(ActionResult.parse((await maria.post(`/api/projects/${id}/agent/stop`)).body).agent.status).toBe(
      'idle',
    );
    expect(ActionResult.parse((await maria.post(`/api/projects/${id}/agent/start`)).body).agent.status).toBe(
      'awaiting_human',
    );
    expect((await maria.post(`/api/projects/${id}/agent/explode`)).status).toBe(400);
  });

  it('sends free-form messages; an empty one is refused and nothing is written', async () => {
    const project = await newProject(maria);
    const id = project.project.id;
    const before = await eventCount(id);
    expect((await maria.post(`/api/projects/${id}/messages`, { text: '   ' })).status).toBe(400);
    expect((await maria.post(`/api/projects/${id}/messages`, {})).status).toBe(400);
    expect(await eventCount(id)).toBe(before);
    const sent = await maria.post(`/api/projects/${id}/messages`, { text: 'Please use warm colours.' });
    expect(sent.status).toBe(201);
    expect(await eventCount(id)).toBe(before + 1);
  });

  it('rewinds to an earlier question so the owner can answer it differently', async () => {
    const project = await newProject(maria);
    const id = project.project.id;
    const first = project.pending[0]!;
    await maria.post(`/api/projects/${id}/answer`, { pendingId: first.id, answer: 'Luigi’s Trattoria' });
    await api.deps.engine.runUntilPause(id);
    const second = ProjectDetail.parse((await maria.get(`/api/projects/${id}`)).body).pending[0]!;
    expect(second.id).not.toBe(first.id);

    const rewound = await maria.post(`/api/projects/${id}/rewind`, { seq: first.askedSeq });
    expect(rewound.status).toBe(200);
    const now = ProjectDetail.parse((await maria.get(`/api/projects/${id}`)).body);
    expect(now.pending.map((p) => p.question)).toEqual([first.question]);
    expect((await maria.post(`/api/projects/${id}/rewind`, { seq: 'x' })).status).toBe(400);
    expect((await maria.post(`/api/projects/${id}/rewind`, { seq: 999_999 })).status).toBeGreaterThanOrEqual(
      400,
    );
  });

  it('pages through the event log with after and limit, rewound events included and marked', async () => {
    const project = await newProject(maria);
    const id = project.project.id;
    for (let i = 0; i < 5; i++) await maria.post(`/api/projects/${id}/messages`, { text: `note ${i}` });
    const all = EventPage.parse((await maria.get(`/api/projects/${id}/events`)).body);
    expect(all.events.map((e) => e.seq)).toEqual(all.events.map((_, i) => i + 1));
    expect(all.hasMore).toBe(false);
    expect(all.lastSeq).toBe(all.events.at(-1)?.seq);
    const page = EventPage.parse((await maria.get(`/api/projects/${id}/events?after=2&limit=3`)).body);
    expect(page.events.map((e) => e.seq)).toEqual([3, 4, 5]);
    expect(page.hasMore).toBe(true);
    expect((await maria.get(`/api/projects/${id}/events?after=-1`)).status).toBe(400);
    expect((await maria.get(`/api/projects/${id}/events?limit=5000`)).status).toBe(400);
  });
});

describe('observability', () => {
  it('reports spend per model against the cap, fallbacks, unpriced calls and what loops cost', async () => {
    const project = await newProject(maria);
    const id = project.project.id;
    const [call] = await api.db.db
      .insert(llmCalls)
      .values({
        projectId: id,
        provider: 'anthropic',
        model: 'claude-test',
        role: 'chat',
        status: 'ok',
        request: { messages: [{ role: 'user', content: 'hi' }], headers: { 'x-api-key': '[redacted]' } },
        response: { content: 'hello' },
        inputTokens: 1200,
        outputTokens: 300,
        cacheReadTokens: 1000,
        costUsd: 0.012,
        latencyMs: 840,
      })
      .returning();
    await api.db.db.insert(spendLedger).values([
      {
        projectId: id,
        llmCallId: call!.id,
        provider: 'anthropic',
        model: 'claude-test',
        role: 'chat',
        status: 'settled',
        costUsd: 0.012,
        inputTokens: 1200,
        outputTokens: 300,
        cacheReadTokens: 1000,
      },
      {
        projectId: id,
        provider: 'openrouter',
        model: 'cheap/fallback',
        role: 'code',
        status: 'settled',
        costUsd: 0.003,
        isFallback: true,
      },
      { projectId: id, provider: 'local', model: 'mystery', role: 'code', status: 'settled', priced: false },
      {
        projectId: id,
        provider: 'anthropic',
        model: 'claude-test',
        role: 'code',
        status: 'reserved',
        reservedUsd: 0.2,
      },
    ]);
    await api.db.db.transaction((tx) =>
      appendEvents(tx, id, [
        alarmEvent({
          type: 'loop_detected',
          severity: 'error',
          message: 'The agent repeated itself.',
          recommendedAction: 'Rewind.',
          context: { kind: 'exact_repetition', costUsd: 0.004 },
        }),
      ]),
    );

    const spend = Spend.parse((await maria.get(`/api/projects/${id}/spend`)).body);
    expect(spend).toMatchObject({
      spentUsd: 0.015,
      reservedUsd: 0.2,
      capUsd: 1,
      remainingUsd: 0.785,
      capPercent: 22,
      fallbackCalls: 1,
      unpricedCalls: 1,
      loops: { detected: 1, costUsd: 0.004 },
    });
    // The demo worker's own turns are in the ledger too, free.
    const demo = spend.byModel.filter((m) => m.provider === 'demo');
    expect(demo.every((m) => m.costUsd === 0)).toBe(true);
    expect(spend.calls).toBe(4 + demo.reduce((total, m) => total + m.calls, 0));
    expect(spend.byModel.find((m) => m.model === 'claude-test')).toMatchObject({
      calls: 2,
      costUsd: 0.012,
      cacheReadTokens: 1000,
    });

    const calls = LlmCallList.parse((await maria.get(`/api/projects/${id}/llm-calls?limit=5`)).body).calls;
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ model: 'claude-test', costUsd: 0.012, latencyMs: 840 });
    expect((await maria.get(`/api/projects/${id}/llm-calls?limit=51`)).status).toBe(400);

    const open = AlarmList.parse((await maria.get(`/api/projects/${id}/alarms?status=open`)).body).alarms;
    expect(open.map((a) => a.type)).toContain('loop_detected');
    expect((await maria.get(`/api/projects/${id}/alarms?status=bogus`)).status).toBe(400);
    const detail = ProjectDetail.parse((await maria.get(`/api/projects/${id}`)).body);
    expect(detail.alarms.map((a) => a.type)).toContain('loop_detected');
    expect(GateList.parse((await maria.get(`/api/projects/${id}/gates`)).body).gates).toEqual(detail.gates);
  });
});

describe('deleting a project', () => {
  it('stops the run, removes the rows and the files, and then answers 404', async () => {
    const project = await newProject(maria);
    const id = project.project.id;
    const dir = projectPaths(api.deps.env.DATA_DIR).projectDir(id);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'marker'), 'x');
    expect((await tom.delete(`/api/projects/${id}`)).status).toBe(404);
    expect((await maria.delete(`/api/projects/${id}`)).status).toBe(204);
    expect((await maria.get(`/api/projects/${id}`)).status).toBe(404);
    expect(existsSync(dir)).toBe(false);
    expect(await eventCount(id)).toBe(0);
  });

  // Row locks exist only on Postgres: PGlite runs one transaction at a time, so nothing can interleave.
  it.skipIf(testDriver() === 'pglite')(
    'does not deadlock with a runner committing at that moment',
    async () => {
      const project = await newProject(maria);
      const id = project.project.id;
      const lease = await acquireLease(api.db.db, id, 'runner-committing', 30_000);
      if (!lease) throw new Error('the lease should be free');
      let deleted: Promise<ApiResponse> | undefined;
      await api.db.db.transaction(async (tx) => {
        // A runner's commit locks the lease row (the fence) first …
        await tx
          .update(runnerLeases)
          .set({ fencingToken: lease.token })
          .where(eq(runnerLeases.projectId, id));
        deleted = maria.delete(`/api/projects/${id}`);
        await waitForLockWait(api.db.db);
        // … and the project row second, while the delete waits on one of the two.
        await tx.update(projects).set({ updatedAt: new Date() }).where(eq(projects.id, id));
      });
      expect((await deleted)?.status).toBe(204);
      expect((await maria.get(`/api/projects/${id}`)).status).toBe(404);
      expect(await eventCount(id)).toBe(0);
    },
  );
});
