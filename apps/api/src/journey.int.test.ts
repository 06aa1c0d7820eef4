/**
 * An external client holding only the contract: it signs in, creates a project, follows it live over
 * the WebSocket, answers every question as the owner would, files a bug once the site is built, sees
 * it resolved, and downloads the site — with the in-process runner and the demo worker doing the work.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ActionResult, Board, CreatedCards, ProjectDetail, ServerMessage } from '@sitewright/contracts';
import { projectPaths } from '@sitewright/website';
import { ownerAnswer, pizzeriaBrief } from '@sitewright/website/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type ApiClient, type ApiHarness, startApi } from './testing/api-harness.ts';
import { zipEntries } from './testing/zip.ts';

let api: ApiHarness;
let owner: ApiClient;

beforeAll(async () => {
  api = await startApi({ RUNNER_ENABLED: 'true' });
  await api.createUser('maria');
  owner = await api.login('maria');
});

afterAll(async () => {
  await api?.close();
});

/** A WebSocket follower that keeps every message and wakes waiters on each one. */
function follow(projectId: string, after = 0) {
  const messages: ServerMessage[] = [];
  let wake: () => void = () => {};
  const socket = new WebSocket(`${api.base.replace('http', 'ws')}/ws/projects/${projectId}?after=${after}`, {
    headers: { cookie: owner.cookieHeader(), origin: api.base },
  });
  socket.on('message', (data) => {
    messages.push(ServerMessage.parse(JSON.parse(String(data))));
    wake();
  });
  const next = (timeoutMs: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  return { socket, messages, next };
}

/** Answers whatever the agent waits for, until `done` says the journey reached its point. */
async function playOwner(
  projectId: string,
  follower: ReturnType<typeof follow>,
  done: (detail: ProjectDetail) => boolean,
  timeoutMs: number,
): Promise<ProjectDetail> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const detail = ProjectDetail.parse((await owner.get(`/api/projects/${projectId}`)).body);
    if (done(detail)) return detail;
    if (
      detail.project.status === 'failed' ||
      (detail.project.status === 'paused' && detail.pending.length === 0)
    ) {
      throw new Error(
        `the run stopped: ${detail.project.status} ${detail.project.pausedReason} ${JSON.stringify(detail.alarms)}`,
      );
    }
    for (const pending of detail.pending) {
      const body =
        pending.kind === 'approval'
          ? { pendingId: pending.id, approved: true }
          : pending.kind === 'continuation'
            ? { pendingId: pending.id, answer: 'continue' }
            : { pendingId: pending.id, answer: ownerAnswer(pizzeriaBrief, pending.question ?? '') ?? 'none' };
      const response = await owner.post(`/api/projects/${projectId}/answer`, body);
      // Another answer may have raced this one (a pending already resolved): fetch again.
      if (response.status !== 409) ActionResult.parse(response.body);
    }
    await follower.next(2_000);
  }
  throw new Error('the journey did not reach its point in time');
}

describe('an external client on the contract alone', () => {
  it('builds a site live, gets a reported bug fixed, and downloads the site', async () => {
    const created = await owner.post('/api/projects', { name: "Maria's Pizzeria" });
    expect(created.status).toBe(201);
    const projectId = ProjectDetail.parse(created.body).project.id;
    const follower = follow(projectId);

    const completed = await playOwner(projectId, follower, (d) => d.project.status === 'completed', 240_000);
    expect(completed.progress.percent).toBe(100);
    expect(completed.gates.every((gate) => gate.status === 'passed')).toBe(true);

    const board = Board.parse((await owner.get(`/api/projects/${projectId}/features`)).body);
    expect(board.lanes.done.length).toBe(completed.progress.total);

    // The owner spots a wrong phone number on the about page (put there for the test) and reports it.
    const aboutFile = join(projectPaths(api.dataDir).siteDir(projectId), 'about', 'index.html');
    const phone = pizzeriaBrief.contact.phone as string;
    writeFileSync(aboutFile, readFileSync(aboutFile, 'utf8').replaceAll(phone, '0113 496 0999'));
    const filed = await owner.post(`/api/projects/${projectId}/features/bug`, {
      name: 'The phone number in the footer is wrong',
      description: 'The about page shows a different number from ours.',
      stepsToReproduce: ['Open the about page', 'Look at the phone number in the footer'],
      page: '/about/',
    });
    expect(filed.status).toBe(201);
    const bugId = CreatedCards.parse(filed.body).items[0]!.id;
    await playOwner(
      projectId,
      follower,
      (d) => d.project.status === 'completed' && d.progress.bugs.resolved === 1,
      180_000,
    );
    expect(readFileSync(aboutFile, 'utf8')).toContain(phone);

    // Live: every event arrived once, in order, with no gap; typed messages came along.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const seqs = follower.messages.flatMap((m) => (m.type === 'event' ? [m.seq] : []));
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    const lastSeq = ProjectDetail.parse((await owner.get(`/api/projects/${projectId}`)).body).project.lastSeq;
    expect(seqs.at(-1)).toBe(lastSeq);
    const types = new Set(follower.messages.map((m) => m.type));
    for (const type of ['hello', 'agent_status', 'pending', 'feature_update', 'progress'] as const) {
      expect(types).toContain(type);
    }
    const bugUpdates = follower.messages.flatMap((m) =>
      m.type === 'feature_update' && m.itemId === bugId && m.item ? [m.item.bugStatus] : [],
    );
    expect(bugUpdates).toContain('resolved');
    follower.socket.close();

    const zip = await fetch(`${api.base}/api/projects/${projectId}/site.zip`, {
      headers: { cookie: owner.cookieHeader() },
    });
    expect(zip.status).toBe(200);
    expect(zip.headers.get('content-type')).toBe('application/zip');
    const entries = zipEntries(Buffer.from(await zip.arrayBuffer()));
    expect(entries).toContain('index.html');
    expect(entries).toContain('about/index.html');
    expect(entries.some((name) => name.startsWith('.git'))).toBe(false);
  }, 480_000);
});
