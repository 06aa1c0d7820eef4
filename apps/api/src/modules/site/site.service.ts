/**
 * The site as the owner sees it outside the preview: restore points (snapshots of the board and the
 * site's commit), the site's history, and the whole site as a ZIP.
 */
import type { Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { Snapshot } from '@sitewright/engine';
import { listCommits, projectPaths } from '@sitewright/website';
import { ZipFile } from 'yazl';
import type { AppDeps } from '../../app.ts';
import { AppError } from '../../errors.ts';

export type SiteDeps = Pick<AppDeps, 'env' | 'engine' | 'runner'>;
export type CommitSummary = Awaited<ReturnType<typeof listCommits>>[number];

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The project's site repository (its working tree is what the preview and the ZIP serve). */
export function siteDirOf(deps: Pick<AppDeps, 'env'>, projectId: string): string {
  return projectPaths(deps.env.DATA_DIR).siteDir(projectId);
}

export function readSnapshots(deps: SiteDeps, projectId: string): Promise<Snapshot[]> {
  return deps.engine.listSnapshots(projectId);
}

/** A named restore point of the board and the site's current commit. */
export function takeSnapshot(deps: SiteDeps, projectId: string, name: string): Promise<Snapshot> {
  return deps.engine.createSnapshot(projectId, name);
}

/**
 * Restores the board and the site files of a snapshot. The engine first snapshots the present, so a
 * rollback can itself be rolled back, and fences out a runner mid-step; the runner then carries on
 * from the restored board.
 */
export async function rollBack(deps: SiteDeps, projectId: string, snapshotId: string): Promise<Snapshot> {
  if (!uuidPattern.test(snapshotId)) throw snapshotNotFound();
  const snapshot = await deps.engine.rollback(projectId, snapshotId);
  deps.runner?.wake();
  return snapshot;
}

export function snapshotNotFound(): AppError {
  return new AppError('not_found', 'There is no such snapshot in this project.');
}

/** The newest commits of the site, newest first. */
export function readCommits(deps: SiteDeps, projectId: string, limit: number): Promise<CommitSummary[]> {
  return listCommits(siteDirOf(deps, projectId), limit);
}

/**
 * The site's working tree as a ZIP stream, without `.git`. Files are read one at a time as the
 * archive is written, so memory stays flat however large the site is. 404 when there is nothing yet.
 */
export async function siteArchive(deps: SiteDeps, projectId: string): Promise<Readable> {
  const root = siteDirOf(deps, projectId);
  const files = await siteFiles(root);
  if (files.length === 0) {
    throw new AppError('not_found', 'The site has no files yet: there is nothing to download.');
  }
  const zip = new ZipFile();
  // yazl opens each file only when the archive reaches it, never all at once.
  for (const file of files) zip.addFile(join(root, file), file);
  zip.end();
  const output = zip.outputStream as Readable;
  // yazl reports a failed read (a file deleted mid-download) on the ZipFile; end the download with it.
  zip.on('error', (error: Error) => output.destroy(error));
  return output;
}

/** Regular files under `root` as `/`-separated relative paths, sorted; `.git` and symlinks left out. */
async function siteFiles(root: string, relative = ''): Promise<string[]> {
  let entries: Dirent[];
  try {
    entries = await readdir(join(root, relative), { withFileTypes: true });
  } catch (error) {
    if (relative === '' && (error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const files: string[] = [];
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const path = relative === '' ? entry.name : `${relative}/${entry.name}`;
    if (entry.isDirectory() && entry.name !== '.git') files.push(...(await siteFiles(root, path)));
    else if (entry.isFile()) files.push(path);
  }
  return files;
}
