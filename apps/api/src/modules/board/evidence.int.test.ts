/**
 * Evidence screenshots through HTTP: the image a real browser check saved for a passing card, served
 * to its owner only, as an image that is never sniffed as anything else, and nothing outside the
 * project's evidence directory whatever the name looks like.
 */
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Board, CardEvidence, ErrorBody } from '@sitewright/contracts';
import { pendings } from '@sitewright/db';
import { ownerAnswer, pizzeriaBrief } from '@sitewright/website/testing';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, type ApiHarness, startApi } from '../../testing/api-harness.ts';

let api: ApiHarness;
let maria: ApiClient;
let tom: ApiClient;
let admin: ApiClient;
let mariaId: string;

// The signature and a few bytes of a PNG: what is served is compared byte for byte.
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex');

beforeAll(async () => {
  api = await startApi({ TURN_CAP: '1000' });
  mariaId = await api.createUser('maria');
  await api.createUser('tom');
  await api.createUser('root', 'admin');
  [maria, tom, admin] = await Promise.all([api.login('maria'), api.login('tom'), api.login('root')]);
});

afterAll(async () => {
  await api?.close();
});

async function newProject(name = "Maria's Pizzeria"): Promise<string> {
  const { id } = await api.deps.engine.createProject({ ownerId: mariaId, name });
  await api.deps.engine.runUntilPause(id);
  return id;
}

function evidenceDir(projectId: string): string {
  return join(api.dataDir, 'projects', projectId, 'evidence');
}

/** The raw answer, bytes and all (the harness client reads non-JSON bodies as text). */
async function fetchRaw(client: ApiClient | null, path: string) {
  const response = await fetch(`${api.base}${path}`, {
    headers: client ? { cookie: client.cookieHeader() } : {},
  });
  return { response, bytes: Buffer.from(await response.arrayBuffer()) };
}

describe('evidence screenshots', () => {
  it('serves the screenshot a real browser check saved for a passing card', async () => {
    const id = await newProject();
    // Drive the demo worker, answering as the owner would, until a card passes with a screenshot.
    let file: string | undefined;
    for (let round = 0; round < 100 && !file; round++) {
      const outcome = await api.deps.engine.runUntilPause(id);
      const shown = Board.parse((await maria.get(`/api/projects/${id}/features`)).body);
      file = (shown.lanes.done ?? [])
        .map((card) => CardEvidence.safeParse(card.evidence).data?.screenshot)
        .find((name): name is string => typeof name === 'string');
      if (file || outcome.status === 'completed') break;
      if (outcome.status !== 'awaiting_human') throw new Error(`the run stopped: ${outcome.status}`);
      const open = await api.db.db
        .select()
        .from(pendings)
        .where(and(eq(pendings.projectId, id), eq(pendings.status, 'open')));
      for (const pending of open) {
        await api.deps.engine.answer(
          id,
          pending.kind === 'question'
            ? { pendingId: pending.id, answer: ownerAnswer(pizzeriaBrief, pending.question ?? '') ?? 'none' }
            : { pendingId: pending.id, approved: true },
        );
      }
    }
    expect(file).toMatch(/^[a-z0-9-]+-(desktop|tablet|phone)-[\w-]+\.png$/);

    const { response, bytes } = await fetchRaw(maria, `/api/projects/${id}/evidence/${file}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/png');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Number(response.headers.get('content-length'))).toBe(bytes.length);
    expect(bytes.subarray(0, 8)).toEqual(PNG.subarray(0, 8));
  }, 240_000);

  it('answers the owner and admins; 401 without a session, 404 for other users and other projects', async () => {
    const id = await newProject();
    const otherId = await newProject('Another');
    await mkdir(evidenceDir(id), { recursive: true });
    await writeFile(join(evidenceDir(id), 'home-desktop-2025-01-01T00-00-00-000Z-abc123.png'), PNG);
    await writeFile(join(evidenceDir(id), 'menu.jpg'), PNG);
    const path = `/api/projects/${id}/evidence/home-desktop-2025-01-01T00-00-00-000Z-abc123.png`;

    for (const client of [maria, admin]) {
      const { response, bytes } = await fetchRaw(client, path);
      expect(response.status).toBe(200);
      expect(bytes).toEqual(PNG);
    }
    const jpeg = await fetchRaw(maria, `/api/projects/${id}/evidence/menu.jpg`);
    expect(jpeg.response.headers.get('content-type')).toBe('image/jpeg');

    const anonymous = await api.anonymous().get(path);
    expect(anonymous.status).toBe(401);
    expect(ErrorBody.parse(anonymous.body).error.code).toBe('unauthenticated');
    const other = await tom.get(path);
    expect(other.status).toBe(404);
    expect(JSON.stringify(other.body)).not.toContain('home-desktop');
    // The file is not part of the other project, even for its owner.
    expect((await maria.get(path.replace(id, otherId))).status).toBe(404);
  });

  it('answers 404 for any name that is not a plain image file in the evidence directory', async () => {
    const id = await newProject();
    const dir = evidenceDir(id);
    await mkdir(join(dir, 'folder.png'), { recursive: true });
    await writeFile(join(dir, 'page.html'), '<script>alert(1)</script>');
    await writeFile(join(dir, 'notes.svg'), '<svg xmlns="http://www.w3.org/2000/svg"></svg>');
    await writeFile(join(dir, '.hidden.png'), PNG);
    // A secret outside the directory, and a link to it that looks like a screenshot.
    await writeFile(join(api.dataDir, 'secret.png'), 'top secret');
    await symlink(join(api.dataDir, 'secret.png'), join(dir, 'link.png'));

    const names = [
      'missing.png',
      'folder.png',
      'link.png',
      'page.html',
      'notes.svg',
      '.hidden.png',
      '..%2F..%2F..%2Fsecret.png',
      '%2e%2e%2f%2e%2e%2f%2e%2e%2fsecret.png',
      '..%5C..%5Csecret.png',
      'a%00.png',
      'shot.PNG',
      `${'a'.repeat(300)}.png`,
    ];
    for (const name of names) {
      const response = await maria.get(`/api/projects/${id}/evidence/${name}`);
      expect(response.status, name).toBe(404);
      expect(ErrorBody.parse(response.body).error.code, name).toBe('not_found');
    }
    // Paths with more segments are not this route at all.
    for (const path of ['../../secret.png', 'sub/secret.png', '..%2f..%2fsecret.png']) {
      const response = await maria.get(`/api/projects/${id}/evidence/${path}`);
      expect(response.status, path).toBe(404);
      expect(JSON.stringify(response.body)).not.toContain('top secret');
    }
  });
});
