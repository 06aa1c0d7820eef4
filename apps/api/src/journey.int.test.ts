/**
 * An external client holding only the contract: it signs in, creates a project, follows it live over
 * the WebSocket, answers every question as the owner would, files a bug once the site is built, sees
 * it resolved, and downloads the site — with the in-process runner and the demo worker doing the work.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Board, CreatedCards, ProjectDetail } from '@sitewright/contracts';
import { projectPaths } from '@sitewright/website';
import { pizzeriaBrief } from '@sitewright/website/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, type ApiHarness, startApi } from './testing/api-harness.ts';
import { follow, playOwner } from './testing/owner.ts';
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

describe('an external client on the contract alone', () => {
  it('builds a site live, gets a reported bug fixed, and downloads the site', async () => {
    const created = await owner.post('/api/projects', { name: "Maria's Pizzeria" });
    expect(created.status).toBe(201);
    const projectId = ProjectDetail.parse(created.body).project.id;
    const follower = follow(api.base, owner, projectId);

    const completed = await playOwner(
      owner,
      projectId,
      follower,
      (d) => d.project.status === 'completed',
      240_000,
    );
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
      owner,
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
