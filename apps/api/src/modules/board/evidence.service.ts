/**
 * Evidence screenshots: the full-page images the browser check saves under the project's evidence
 * directory, named (relative to it) in a card's `evidence.screenshot`. Only a plain file name of the
 * contract's pattern is ever joined to that directory, and the file is opened without following a
 * symlink, so nothing outside it can be read.
 */
import { constants } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { EvidenceFileName } from '@sitewright/contracts';
import { contentTypeOf, projectPaths } from '@sitewright/website';
import type { AppDeps } from '../../app.ts';
import { AppError } from '../../errors.ts';

export interface EvidenceFile {
  stream: Readable;
  size: number;
  contentType: string;
}

/** An evidence image of the project, ready to stream; 404 for anything else. */
export async function openEvidence(
  deps: Pick<AppDeps, 'env'>,
  projectId: string,
  file: string,
): Promise<EvidenceFile> {
  // The pattern admits only .png, .jpg, .jpeg and .webp names.
  if (!EvidenceFileName.safeParse(file).success) throw evidenceNotFound();
  const contentType = contentTypeOf(file);
  const path = join(projectPaths(deps.env.DATA_DIR).evidenceDir(projectId), file);
  let handle: FileHandle;
  try {
    // O_NOFOLLOW: a symlink planted in the directory fails to open (ELOOP) instead of leading out of it.
    handle = await open(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
  } catch (error) {
    if (isMissing(error)) throw evidenceNotFound();
    throw error;
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw evidenceNotFound();
    return { stream: handle.createReadStream(), size: stats.size, contentType };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR' || code === 'ELOOP' || code === 'EISDIR';
}

function evidenceNotFound(): AppError {
  return new AppError('not_found', 'There is no such evidence file in this project.');
}
