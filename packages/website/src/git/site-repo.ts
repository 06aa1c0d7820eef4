/**
 * The site directory as a git repository (isomorphic-git: no git binary needed). Every hook run
 * commits what changed; rewind and rollback reset the working tree to an earlier commit.
 */
import fs from 'node:fs';
import { mkdir, readdir, rm, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import git from 'isomorphic-git';

export interface CommitAuthor {
  name: string;
  email: string;
}

export const defaultAuthor: CommitAuthor = { name: 'Sitewright', email: 'agent@sitewright.local' };

export interface CommitSummary {
  sha: string;
  message: string;
  at: Date;
}

export type FileChange = 'added' | 'modified' | 'deleted';

export interface ChangedFile {
  path: string;
  change: FileChange;
}

const BRANCH = 'main';

/** Creates the directory and an empty repository on `main` unless one exists. Idempotent. */
export async function ensureRepo(siteDir: string): Promise<void> {
  await mkdir(siteDir, { recursive: true });
  if (!(await isRepo(siteDir))) await git.init({ fs, dir: siteDir, defaultBranch: BRANCH });
}

/**
 * Stages every new, changed and deleted file and commits them. Returns the new commit's sha, or null
 * when the working tree already matches HEAD (nothing is committed, so reruns are harmless).
 */
export async function commitAll(
  siteDir: string,
  message: string,
  author: CommitAuthor = defaultAuthor,
): Promise<string | null> {
  await ensureRepo(siteDir);
  const matrix = await git.statusMatrix({ fs, dir: siteDir });
  // Stage so the index equals the working tree. Stage codes: 0 absent, 1 as HEAD, 2 as the working
  // tree, 3 neither — so a file staged earlier and then edited or reverted is re-added too.
  const removed = matrix.filter(([, , workdir, stage]) => workdir === 0 && stage !== 0).map(([path]) => path);
  const updated = matrix
    .filter(
      ([, head, workdir, stage]) =>
        workdir !== 0 && stage !== 2 && !(head === 1 && workdir === 1 && stage === 1),
    )
    .map(([path]) => path);
  for (const filepath of removed) await git.remove({ fs, dir: siteDir, filepath });
  if (updated.length > 0) await git.add({ fs, dir: siteDir, filepath: updated });
  if ((await changedFiles(siteDir)).length === 0) return null;
  return git.commit({ fs, dir: siteDir, message, author: { ...author } });
}

/** The sha HEAD points at; null before the first commit or without a repository. */
export async function headCommit(siteDir: string): Promise<string | null> {
  if (!(await isRepo(siteDir))) return null;
  try {
    return await git.resolveRef({ fs, dir: siteDir, ref: 'HEAD' });
  } catch (error) {
    if (error instanceof git.Errors.NotFoundError) return null;
    throw error;
  }
}

/** The newest `limit` commits reachable from HEAD, newest first. */
export async function listCommits(siteDir: string, limit = 50): Promise<CommitSummary[]> {
  if ((await headCommit(siteDir)) === null) return [];
  const log = await git.log({ fs, dir: siteDir, depth: limit });
  return log.map(({ oid, commit }) => ({
    sha: oid,
    message: commit.message.trim(),
    at: new Date(commit.committer.timestamp * 1000),
  }));
}

/** Files whose working-tree content differs from HEAD (staged or not), sorted; [] without a repository. */
export async function changedFiles(siteDir: string): Promise<ChangedFile[]> {
  if (!(await isRepo(siteDir))) return [];
  const matrix = await git.statusMatrix({ fs, dir: siteDir });
  const changes: ChangedFile[] = [];
  // Rows are [path, head, workdir, stage]; head 1 = in HEAD, workdir 0 = absent, 1 = same as HEAD.
  for (const [path, head, workdir] of matrix) {
    if (head === 0 && workdir !== 0) changes.push({ path, change: 'added' });
    else if (head === 1 && workdir === 0) changes.push({ path, change: 'deleted' });
    else if (head === 1 && workdir === 2) changes.push({ path, change: 'modified' });
  }
  return changes.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * Makes the working tree, the index and the current branch exactly `sha`: files of that commit are
 * restored, every other file is removed (uncommitted work included). Later commits stay in the
 * object store, so resetting forward again (undoing a rewind) works too.
 */
export async function resetTo(siteDir: string, sha: string): Promise<void> {
  const oid = await git.expandOid({ fs, dir: siteDir, oid: sha });
  await git.readCommit({ fs, dir: siteDir, oid }); // throws for an unknown sha before anything moves
  const branch = await git.currentBranch({ fs, dir: siteDir, fullname: true });
  if (branch) await git.writeRef({ fs, dir: siteDir, ref: branch, value: oid, force: true });
  else await git.writeRef({ fs, dir: siteDir, ref: 'HEAD', value: oid, force: true });

  // Untracked files would survive a checkout, so everything not in the commit is removed first
  // (which also clears a directory standing where the commit has a file); then checkout rewrites the
  // commit's files and rebuilds the index from it.
  const keep = new Set(await git.listFiles({ fs, dir: siteDir, ref: oid }));
  await removeFilesExcept(siteDir, '', keep);
  await git.checkout({ fs, dir: siteDir, ref: branch ?? oid, force: true, noUpdateHead: true });
}

async function isRepo(siteDir: string): Promise<boolean> {
  try {
    await fs.promises.stat(join(siteDir, '.git', 'HEAD'));
    return true;
  } catch {
    return false;
  }
}

/** Deletes files under `relative` that are not in `keep`, and directories left empty. */
async function removeFilesExcept(
  siteDir: string,
  relative: string,
  keep: ReadonlySet<string>,
): Promise<void> {
  const entries = await readdir(join(siteDir, relative), { withFileTypes: true });
  for (const entry of entries) {
    const path = relative === '' ? entry.name : `${relative}/${entry.name}`;
    if (path === '.git') continue;
    if (entry.isDirectory()) {
      await removeFilesExcept(siteDir, path, keep);
      if ((await readdir(join(siteDir, path))).length === 0) await rmdir(join(siteDir, path));
    } else if (!keep.has(path)) {
      await rm(join(siteDir, path), { force: true });
    }
  }
}
