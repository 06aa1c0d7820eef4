import fs from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import git from 'isomorphic-git';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listSiteFiles } from '../validate/index.ts';
import { changedFiles, commitAll, ensureRepo, headCommit, listCommits, resetTo } from './site-repo.ts';

let dir: string;
beforeEach(async () => {
  dir = join(await mkdtemp(join(tmpdir(), 'sitewright-git-')), 'site');
});
afterEach(async () => {
  await rm(dirname(dir), { recursive: true, force: true });
});

async function put(path: string, content: string): Promise<void> {
  await mkdir(dirname(join(dir, path)), { recursive: true });
  await writeFile(join(dir, path), content);
}

async function tree(): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const path of (await listSiteFiles(dir)).all) files[path] = await readFile(join(dir, path), 'utf8');
  return files;
}

describe('site repository', () => {
  it('creates the directory and an empty repository, idempotently', async () => {
    await ensureRepo(dir);
    await ensureRepo(dir);
    expect(await headCommit(dir)).toBeNull();
    expect(await listCommits(dir, 10)).toEqual([]);
    expect(await changedFiles(dir)).toEqual([]);
    expect(await commitAll(dir, 'nothing')).toBeNull();
  });

  it('reports nothing for a directory that is not a repository', async () => {
    expect(await headCommit(join(dir, 'missing'))).toBeNull();
    expect(await changedFiles(join(dir, 'missing'))).toEqual([]);
    expect(await listCommits(join(dir, 'missing'), 5)).toEqual([]);
  });

  it('commits new files with the default author, and only when something changed', async () => {
    await ensureRepo(dir);
    await put('index.html', '<h1>Home</h1>');
    await put('menu/index.html', '<h1>Menu</h1>');
    expect(await changedFiles(dir)).toEqual([
      { path: 'index.html', change: 'added' },
      { path: 'menu/index.html', change: 'added' },
    ]);
    const sha = await commitAll(dir, 'Home page (#1)');
    expect(sha).toMatch(/^[0-9a-f]{40}$/);
    expect(await headCommit(dir)).toBe(sha);
    expect(await changedFiles(dir)).toEqual([]);
    expect(await commitAll(dir, 'again')).toBeNull();
    expect(await headCommit(dir)).toBe(sha);

    const [commit] = await listCommits(dir, 5);
    expect(commit).toMatchObject({ sha, message: 'Home page (#1)' });
    expect(Math.abs(commit!.at.getTime() - Date.now())).toBeLessThan(60_000);
    const { commit: raw } = await git.readCommit({ fs, dir, oid: sha! });
    expect(raw.author).toMatchObject({ name: 'Sitewright', email: 'agent@sitewright.local' });
  });

  it('stages changed and deleted files', async () => {
    await put('index.html', 'v1');
    await put('old.html', 'old');
    const first = await commitAll(dir, 'first');
    await put('index.html', 'v2');
    await unlink(join(dir, 'old.html'));
    await put('new.css', 'a{}');
    expect(await changedFiles(dir)).toEqual([
      { path: 'index.html', change: 'modified' },
      { path: 'new.css', change: 'added' },
      { path: 'old.html', change: 'deleted' },
    ]);
    const second = await commitAll(dir, 'second', { name: 'Owner', email: 'owner@example.com' });
    expect(second).not.toBe(first);
    expect(await changedFiles(dir)).toEqual([]);
    expect((await listCommits(dir, 10)).map((c) => c.message)).toEqual(['second', 'first']);
    await resetTo(dir, first!);
    await resetTo(dir, second!);
    expect(await tree()).toEqual({ 'index.html': 'v2', 'new.css': 'a{}' });
  });

  it('lists at most `limit` commits, newest first', async () => {
    for (const n of [1, 2, 3]) {
      await put('index.html', `v${n}`);
      await commitAll(dir, `commit ${n}`);
    }
    expect((await listCommits(dir, 2)).map((c) => c.message)).toEqual(['commit 3', 'commit 2']);
  });

  it('resets the working tree and index to a commit, removing files not in it', async () => {
    await put('index.html', 'home v1');
    await put('menu/index.html', 'menu v1');
    const first = (await commitAll(dir, 'first'))!;
    await put('index.html', 'home v2');
    await put('contact/index.html', 'contact');
    await unlink(join(dir, 'menu/index.html'));
    const second = (await commitAll(dir, 'second'))!;
    // Uncommitted work of every kind, which a reset discards.
    await put('index.html', 'home v3');
    await put('draft/notes.html', 'draft');
    await rm(join(dir, 'menu'), { recursive: true });
    await put('menu', 'a file where the first commit has a directory');

    await resetTo(dir, first);
    expect(await tree()).toEqual({ 'index.html': 'home v1', 'menu/index.html': 'menu v1' });
    expect(await headCommit(dir)).toBe(first);
    expect(await changedFiles(dir)).toEqual([]);
    expect((await listCommits(dir, 10)).map((c) => c.message)).toEqual(['first']);

    // Work continues on the branch after the reset; the abandoned commit is still reachable by sha.
    await put('about/index.html', 'about');
    const third = (await commitAll(dir, 'third'))!;
    expect((await listCommits(dir, 10)).map((c) => c.message)).toEqual(['third', 'first']);
    await resetTo(dir, second.slice(0, 10));
    expect(await tree()).toEqual({ 'contact/index.html': 'contact', 'index.html': 'home v2' });
    expect(await headCommit(dir)).toBe(second);
    await resetTo(dir, third);
    expect(await tree()).toEqual({
      'about/index.html': 'about',
      'index.html': 'home v1',
      'menu/index.html': 'menu v1',
    });
  });

  it('commits what is on disk even when the index holds stale staged content', async () => {
    await put('index.html', 'v1');
    await commitAll(dir, 'first');
    await put('index.html', 'v2');
    await git.add({ fs, dir, filepath: 'index.html' });
    await put('index.html', 'v3');
    await commitAll(dir, 'second');
    await put('index.html', 'scratch');
    await resetTo(dir, (await headCommit(dir))!);
    expect(await tree()).toEqual({ 'index.html': 'v3' });
  });

  it('refuses an unknown commit without touching the tree', async () => {
    await put('index.html', 'v1');
    await commitAll(dir, 'first');
    await put('index.html', 'uncommitted');
    await expect(resetTo(dir, 'deadbeef'.repeat(5))).rejects.toThrow();
    expect(await tree()).toEqual({ 'index.html': 'uncommitted' });
  });
});
