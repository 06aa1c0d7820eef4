/**
 * Snapshots and rollback, the site's commit history and the site as a ZIP, through HTTP: the
 * contract's shapes, ownership, and what a rollback really restores (board and files).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Board, CommitList, ErrorBody, SnapshotDto, SnapshotList } from '@sitewright/contracts';
import { snapshots } from '@sitewright/db';
import { commitAll, headCommit, projectPaths } from '@sitewright/website';
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, type ApiHarness, startApi } from '../../testing/api-harness.ts';
import { zipEntries } from '../../testing/zip.ts';

let api: ApiHarness;
let maria: ApiClient;
let tom: ApiClient;
let admin: ApiClient;
let mariaId: string;

beforeAll(async () => {
  api = await startApi();
  mariaId = await api.createUser('maria');
  await api.createUser('tom');
  await api.createUser('root', 'admin');
  [maria, tom, admin] = await Promise.all([api.login('maria'), api.login('tom'), api.login('root')]);
});

afterAll(async () => {
  await api?.close();
});

const siteDir = (projectId: string) => projectPaths(api.dataDir).siteDir(projectId);

async function newProject(name = "Maria's Pizzeria"): Promise<string> {
  return (await api.deps.engine.createProject({ ownerId: mariaId, name })).id;
}

/** Writes files into the project's site and commits them, as the hook chain would. */
async function writeSite(projectId: string, files: Record<string, string>, message: string): Promise<string> {
  for (const [path, content] of Object.entries(files)) {
    const file = join(siteDir(projectId), path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
  const sha = await commitAll(siteDir(projectId), message);
  if (!sha) throw new Error('nothing was committed');
  return sha;
}

const page = (title: string) =>
  `<!doctype html><html lang="en"><title>${title}</title><h1>${title}</h1></html>`;

async function snapshotCount(projectId: string): Promise<number> {
  const [row] = await api.db.db
    .select({ n: count() })
    .from(snapshots)
    .where(eq(snapshots.projectId, projectId));
  return Number(row?.n);
}

describe('snapshots', () => {
  it('takes a snapshot, and a rollback restores the board and the site files of that moment', async () => {
    const id = await newProject();
    const first = await writeSite(id, { 'index.html': page('Home'), 'styles.css': 'body{}' }, 'Home page');
    expect(
      (await maria.post(`/api/projects/${id}/features`, { name: 'Home', steps: ['Open /'] })).status,
    ).toBe(201);

    const taken = await maria.post(`/api/projects/${id}/snapshots`, { name: 'Before the gallery' });
    expect(taken.status).toBe(201);
    const snapshot = SnapshotDto.parse(taken.body);
    expect(snapshot).toMatchObject({ name: 'Before the gallery', kind: 'manual', commitSha: first });

    // Later work: a new card, a new page, a changed home page.
    await maria.post(`/api/projects/${id}/features`, { name: 'Gallery', steps: ['Open /gallery/'] });
    await writeSite(id, { 'gallery/index.html': page('Gallery'), 'index.html': page('New home') }, 'Gallery');

    const rolled = await maria.post(`/api/projects/${id}/snapshots/${snapshot.id}/rollback`);
    expect(rolled.status).toBe(200);
    expect(SnapshotDto.parse(rolled.body)).toEqual(snapshot);

    const board = Board.parse((await maria.get(`/api/projects/${id}/features`)).body);
    expect(
      Object.values(board.lanes)
        .flat()
        .map((card) => card.name),
    ).toEqual(['Home']);
    expect(existsSync(join(siteDir(id), 'gallery', 'index.html'))).toBe(false);
    expect(await headCommit(siteDir(id))).toBe(first);

    // The engine kept the state before the rollback as an automatic snapshot, newest first.
    const listed = SnapshotList.parse((await maria.get(`/api/projects/${id}/snapshots`)).body).snapshots;
    expect(listed.map((s) => [s.name, s.kind])).toEqual([
      ['Before rollback to “Before the gallery”', 'auto'],
      ['Before the gallery', 'manual'],
    ]);
  });

  it('answers 404 for a snapshot that does not exist or belongs to another project, 400 for a bad name', async () => {
    const id = await newProject();
    const elsewhere = await api.deps.engine.createSnapshot(await newProject(), 'elsewhere');
    for (const sid of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid', elsewhere.id]) {
      const response = await maria.post(`/api/projects/${id}/snapshots/${sid}/rollback`);
      expect(response.status, sid).toBe(404);
      expect(ErrorBody.parse(response.body).error.code).toBe('not_found');
    }
    const before = await snapshotCount(id);
    for (const body of [{}, { name: '' }, { name: 'x'.repeat(101) }, { name: 42 }]) {
      const response = await maria.post(`/api/projects/${id}/snapshots`, body);
      expect(response.status, JSON.stringify(body)).toBe(400);
    }
    expect(await snapshotCount(id)).toBe(before);
  });
});

describe('commits', () => {
  it("lists the site's real commits, newest first", async () => {
    const id = await newProject();
    expect(CommitList.parse((await maria.get(`/api/projects/${id}/commits`)).body).commits).toEqual([]);
    const first = await writeSite(id, { 'index.html': page('Home') }, 'Home page (#1)');
    const second = await writeSite(id, { 'about/index.html': page('About') }, 'About page (#2)');
    const response = await maria.get(`/api/projects/${id}/commits`);
    expect(response.status).toBe(200);
    const { commits } = CommitList.parse(response.body);
    expect(commits.map((c) => [c.sha, c.message])).toEqual([
      [second, 'About page (#2)'],
      [first, 'Home page (#1)'],
    ]);
    expect(Date.parse(commits[0]!.createdAt)).toBeGreaterThan(Date.now() - 60_000);
  });
});

describe('site.zip', () => {
  it('streams the working tree as a valid ZIP named after the project, without .git', async () => {
    const id = await newProject("Maria's Pizzeria & Café");
    const files = {
      'index.html': page('Home'),
      'about/index.html': page('About'),
      'styles.css': 'body { color: #222 }',
      'img/logo.svg': '<svg xmlns="http://www.w3.org/2000/svg"/>',
    };
    await writeSite(id, files, 'The site');
    const response = await fetch(`${api.base}/api/projects/${id}/site.zip`, {
      headers: { cookie: maria.cookieHeader() },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/zip');
    expect(response.headers.get('content-disposition')).toBe(
      'attachment; filename="marias-pizzeria-cafe.zip"',
    );
    const archive = Buffer.from(await response.arrayBuffer());
    const entries = zipEntries(archive);
    expect(entries.sort()).toEqual(Object.keys(files).sort());
    expect(entries.some((name) => name.includes('.git'))).toBe(false);

    // An independent reader agrees: every entry's CRC checks out and the contents are the site's.
    const work = mkdtempSync(join(tmpdir(), 'sitewright-zip-'));
    try {
      const zipFile = join(work, 'site.zip');
      writeFileSync(zipFile, archive);
      expect(execFileSync('unzip', ['-t', zipFile], { encoding: 'utf8' })).toMatch(/No errors detected/);
      expect(execFileSync('unzip', ['-p', zipFile, 'about/index.html'], { encoding: 'utf8' })).toBe(
        page('About'),
      );
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });

  it('answers 404 with a clear message when there is nothing to download', async () => {
    const id = await newProject();
    const missing = await maria.get(`/api/projects/${id}/site.zip`);
    expect(missing.status).toBe(404);
    expect(ErrorBody.parse(missing.body).error.message).toMatch(/no files yet/);
    // A repository without files is still nothing.
    mkdirSync(join(siteDir(id), '.git'), { recursive: true });
    writeFileSync(join(siteDir(id), '.git', 'HEAD'), 'ref: refs/heads/main\n');
    expect((await maria.get(`/api/projects/${id}/site.zip`)).status).toBe(404);
  });
});

describe('access', () => {
  it('answers 401 without a session and 404 for projects of others; admins may use them', async () => {
    const id = await newProject();
    await writeSite(id, { 'index.html': page('Home') }, 'Home');
    const snapshot = await api.deps.engine.createSnapshot(id, 'first');
    const routes = [
      ['GET', `/api/projects/${id}/snapshots`],
      ['POST', `/api/projects/${id}/snapshots`],
      ['POST', `/api/projects/${id}/snapshots/${snapshot.id}/rollback`],
      ['GET', `/api/projects/${id}/commits`],
      ['GET', `/api/projects/${id}/site.zip`],
    ] as const;
    const before = await snapshotCount(id);
    for (const [method, path] of routes) {
      const body = method === 'POST' ? { name: 'sneaky' } : undefined;
      const anonymous = await api.anonymous().request(method, path, body);
      expect(anonymous.status, `${method} ${path}`).toBe(401);
      const other = await tom.request(method, path, body);
      expect(other.status, `${method} ${path}`).toBe(404);
      expect(other.headers.get('content-type')).toMatch(/^application\/json/);
      expect(JSON.stringify(other.body)).not.toContain('first');
    }
    expect(await snapshotCount(id)).toBe(before);

    const listed = await admin.get(`/api/projects/${id}/snapshots`);
    expect(SnapshotList.parse(listed.body).snapshots.map((s) => s.name)).toEqual(['first']);
    expect((await admin.get(`/api/projects/${id}/site.zip`)).status).toBe(200);
  });
});
