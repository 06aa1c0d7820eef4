/**
 * The file sandbox every agent file operation goes through, rooted at a project's site directory.
 * Paths are checked by `policy.ts` first (no I/O for a refused path), then against the disk:
 *
 * - Links are followed only for reading, and only when their real path stays inside the root and is
 *   itself an allowed path (a link into `.git` is refused like `.git`). Writing, deleting and listing
 *   never go through a link; writing onto a link is refused, deleting one removes the link only.
 * - Before touching a path, the real path of its nearest existing ancestor must be inside the root.
 * - Writes go to a fresh temporary file (`O_EXCL | O_NOFOLLOW`) renamed over the target, so a write
 *   replaces the directory entry and never writes through a link or a hard link; identical content
 *   is not rewritten (`changed: false`), which makes writes repeatable.
 * - Reads open with `O_NOFOLLOW | O_NONBLOCK` and check the opened file (a FIFO cannot hang a read).
 *
 * The API is synchronous on purpose: no other code of this process can run between a check and the
 * operation it guards. Files are small and few (see the limits), so blocking is brief.
 */
import { randomUUID } from 'node:crypto';
import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmdirSync,
  type Stats,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { SandboxError, showPath } from './errors.ts';
import { type FileKind, fileKindOf, MAX_DEPTH, parseSitePath, type SitePath } from './policy.ts';

export interface SandboxLimits {
  /** Largest text file in bytes (UTF-8); default 512 KiB. */
  maxFileBytes?: number;
  /** Largest binary file (images, fonts) in bytes; default 2 MiB. */
  maxBinaryBytes?: number;
  /** Most files the site may hold (`.git` not counted); default 500. */
  maxFiles?: number;
}

export const DEFAULT_SANDBOX_LIMITS: Required<SandboxLimits> = {
  maxFileBytes: 512 * 1024,
  maxBinaryBytes: 2 * 1024 * 1024,
  maxFiles: 500,
};

export interface WriteResult {
  /** The normal form of the path (`./about//index.html` → `about/index.html`). */
  path: string;
  bytes: number;
  /** False when the file already held exactly this content (nothing was written). */
  changed: boolean;
}

export interface SiteSandbox {
  /** The site directory, absolute. */
  readonly root: string;
  /** The absolute path a site path names, after every check a read would make. */
  resolve(path: string): string;
  /** Text files as a string, binary files (images, fonts) as bytes. */
  readFile(path: string): string | Buffer;
  /** Creates parent folders; binary files must be given as bytes. */
  writeFile(path: string, content: string | Buffer): WriteResult;
  /** Site paths of the files under `dir` (default: the whole site), sorted; hidden entries and links left out. */
  listFiles(dir?: string): string[];
  /** Removes a file (or a link, never what it points to) and the folders it leaves empty. */
  deleteFile(path: string): { deleted: boolean };
}

const READ_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;
const CREATE_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;
/** What `list_files` accepts for the whole site. */
const ROOT_NAMES = new Set(['', '.', './', '.\\']);
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Where a site path stands on disk after the containment checks. */
interface Located {
  abs: string;
  /** The target's own entry (`lstat`), absent when it or a folder above it does not exist. */
  entry: Stats | undefined;
  /** The first missing segment's index; `segments.length` when the target exists. */
  missingFrom: number;
  /** The target's real path when it exists (and, for a link, resolves). */
  real: string | undefined;
  /** The path stops at a link that leads nowhere (or loops). */
  broken?: boolean;
}

/** Creates the sandbox for one site directory (which need not exist yet: the first write creates it). */
export function createSiteSandbox(root: string, limits: SandboxLimits = {}): SiteSandbox {
  const rootAbs = resolve(root);
  const max = { ...DEFAULT_SANDBOX_LIMITS, ...limits };
  for (const [name, value] of Object.entries(max)) {
    if (!Number.isSafeInteger(value) || value <= 0)
      throw new Error(`Sandbox limit ${name} must be a positive integer`);
  }

  function realRoot(): string | undefined {
    const real = realOrUndefined(rootAbs);
    if (real !== undefined && !lstatSync(real).isDirectory())
      throw new Error(`Site root is not a directory: ${rootAbs}`);
    return real;
  }

  /** A real path must lie inside the root and be a path the policy allows (no `.git`, no dotfiles). */
  function assertRealInside(rootReal: string, real: string, shown: string): void {
    const rel = relative(rootReal, real);
    if (rel === '') return;
    const inside = !isAbsolute(rel) && rel.split(sep)[0] !== '..';
    let allowed = inside;
    if (inside) {
      try {
        parseSitePath(rel.split(sep).join('/'));
      } catch {
        allowed = false;
      }
    }
    if (!allowed) {
      throw new SandboxError(
        'symlink_escape',
        `${shown} goes through a link to a place outside the site's files; links out of the site are never followed.`,
      );
    }
  }

  /**
   * Walks the path one entry at a time, checking each existing entry's real path before looking
   * beneath it. With `followLinks` (reads) a link is resolved and must stay inside; without, a link
   * before the last segment is refused and a link as the last segment is reported, not followed.
   * Where the path stops existing, the deepest existing folder must still resolve inside the root.
   */
  function locate(
    rootReal: string,
    path: SitePath,
    followLinks: boolean,
    notFolder: 'invalid_path' | 'not_found',
  ): Located {
    const shown = showPath(path.path);
    const { segments } = path;
    let folder = rootAbs;
    for (const [index, segment] of segments.entries()) {
      const abs = join(folder, segment);
      const last = index === segments.length - 1;
      const entry = lstatSync(abs, { throwIfNoEntry: false });
      const link = entry?.isSymbolicLink() ?? false;
      let real = entry && link && followLinks ? realOrUndefined(abs) : undefined;
      if (!entry || (link && followLinks && real === undefined)) {
        // Missing, or a broken link (nothing to read through it): only its folder must be inside.
        assertRealInside(rootReal, realpathSync(folder), shown);
        const broken = entry !== undefined;
        return {
          abs: join(rootAbs, ...segments),
          entry: undefined,
          missingFrom: index,
          real: undefined,
          broken,
        };
      }
      if (link && !followLinks) {
        if (!last) {
          throw new SandboxError(
            'symlink_escape',
            `${shown} goes through a link (${showPath(segments.slice(0, index + 1).join('/'))}); the sandbox never writes, deletes or lists through links.`,
          );
        }
        assertRealInside(rootReal, realpathSync(folder), shown);
        return { abs, entry, missingFrom: segments.length, real: undefined };
      }
      real ??= realpathSync(abs);
      assertRealInside(rootReal, real, shown);
      if (last) return { abs, entry, missingFrom: segments.length, real };
      if (!(link ? statSync(real) : entry).isDirectory()) {
        throw new SandboxError(
          notFolder,
          `${showPath(segments.slice(0, index + 1).join('/'))} is a file, not a folder, so ${shown} cannot exist.`,
        );
      }
      folder = abs;
    }
    throw new Error('A site path has at least one segment');
  }

  function lexical(path: SitePath): string {
    const abs = join(rootAbs, ...path.segments);
    const rel = relative(rootAbs, abs);
    if (rel === '' || isAbsolute(rel) || rel.split(sep)[0] === '..') {
      throw new SandboxError('outside_root', `${showPath(path.path)} is outside the site root.`);
    }
    return abs;
  }

  function notFound(path: SitePath, why = ''): SandboxError {
    return new SandboxError(
      'not_found',
      `${showPath(path.path)} does not exist${why}. Use list_files to see the site's files.`,
    );
  }

  function limitFor(kind: FileKind): number {
    return kind === 'text' ? max.maxFileBytes : max.maxBinaryBytes;
  }

  function tooLarge(path: SitePath, kind: FileKind, bytes: number): SandboxError {
    const limit = limitFor(kind);
    const advice =
      kind === 'text'
        ? 'Split it into smaller files (for example, move styles into their own CSS file).'
        : 'Use a smaller or more compressed image.';
    return new SandboxError(
      'too_large',
      `${showPath(path.path)} is ${formatBytes(bytes)}; ${kind} files may be at most ${formatBytes(limit)}. ${advice}`,
    );
  }

  function readOpen(path: SitePath, real: string, kind: FileKind): Buffer {
    const fd = openSync(real, READ_FLAGS);
    try {
      const stat = fstatSync(fd);
      if (!stat.isFile()) {
        throw new SandboxError('file_type', `${showPath(path.path)} is not a regular file.`);
      }
      if (stat.size > limitFor(kind)) throw tooLarge(path, kind, stat.size);
      return readFileSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  /** Regular files the worker could read back, as site paths; stops counting past `stopAfter`. */
  function walk(dirAbs: string, prefix: string[], out: string[], stopAfter = Number.POSITIVE_INFINITY): void {
    if (prefix.length >= MAX_DEPTH) return;
    for (const entry of readdirSync(dirAbs, { withFileTypes: true })) {
      if (out.length > stopAfter) return;
      const segments = [...prefix, entry.name];
      if (!isListable(segments)) continue;
      if (entry.isDirectory()) walk(join(dirAbs, entry.name), segments, out, stopAfter);
      else if (entry.isFile()) out.push(segments.join('/'));
    }
  }

  function writeAtomically(abs: string, bytes: Buffer): void {
    const temp = join(dirname(abs), `.sw-write-${randomUUID()}.tmp`);
    const fd = openSync(temp, CREATE_FLAGS, 0o644);
    try {
      try {
        writeFileSync(fd, bytes);
      } finally {
        closeSync(fd);
      }
      renameSync(temp, abs);
    } catch (error) {
      rmQuietly(temp);
      throw error;
    }
  }

  return {
    root: rootAbs,

    resolve(input) {
      const path = parseSitePath(input);
      const abs = lexical(path);
      const rootReal = realRoot();
      if (rootReal !== undefined) locate(rootReal, path, true, 'not_found');
      return abs;
    },

    readFile(input) {
      const path = parseSitePath(input);
      const kind = fileKindOf(path);
      lexical(path);
      const rootReal = realRoot();
      if (rootReal === undefined) throw notFound(path);
      const located = locate(rootReal, path, true, 'not_found');
      if (!located.entry || located.real === undefined) {
        throw notFound(path, located.broken ? ' (it goes through a broken link)' : '');
      }
      const bytes = readOpen(path, located.real, kind);
      if (kind === 'binary') return bytes;
      return bytes.toString('utf8');
    },

    writeFile(input, content) {
      const path = parseSitePath(input);
      const kind = fileKindOf(path);
      const abs = lexical(path);
      const bytes = toBytes(path, kind, content);
      if (bytes.length > limitFor(kind)) throw tooLarge(path, kind, bytes.length);

      if (realRoot() === undefined) mkdirSync(rootAbs, { recursive: true });
      const rootReal = realRoot() as string;
      const located = locate(rootReal, path, false, 'invalid_path');
      const { entry } = located;
      if (entry?.isSymbolicLink()) {
        throw new SandboxError(
          'symlink_escape',
          `${showPath(path.path)} is a link; the sandbox never writes through links. Delete it first, then write the file.`,
        );
      }
      if (entry && !entry.isFile()) {
        throw new SandboxError(
          'file_type',
          `${showPath(path.path)} is ${entry.isDirectory() ? 'a folder' : 'not a regular file'}; choose another name.`,
        );
      }
      if (entry && entry.size === bytes.length && readOpen(path, abs, kind).equals(bytes)) {
        return { path: path.path, bytes: bytes.length, changed: false };
      }
      if (!entry) {
        const files: string[] = [];
        walk(rootReal, [], files, max.maxFiles);
        if (files.length >= max.maxFiles) {
          throw new SandboxError(
            'too_many_files',
            `The site already has ${max.maxFiles} files, the limit. Delete files it no longer needs before adding new ones.`,
          );
        }
        let folder = rootAbs;
        path.segments.slice(0, -1).forEach((segment, index) => {
          folder = join(folder, segment);
          if (index >= located.missingFrom) makeFolder(folder, path);
        });
      }
      writeAtomically(abs, bytes);
      return { path: path.path, bytes: bytes.length, changed: true };
    },

    listFiles(dir) {
      const base = dir === undefined || ROOT_NAMES.has(dir.trim()) ? undefined : parseSitePath(dir);
      const rootReal = realRoot();
      const files: string[] = [];
      if (base === undefined) {
        if (rootReal !== undefined) walk(rootReal, [], files);
        return files.sort();
      }
      lexical(base);
      if (rootReal === undefined) throw notFound(base);
      const located = locate(rootReal, base, false, 'not_found');
      if (!located.entry) throw notFound(base);
      if (located.entry.isSymbolicLink()) {
        throw new SandboxError(
          'symlink_escape',
          `${showPath(base.path)} is a link; the sandbox does not list through links.`,
        );
      }
      if (!located.entry.isDirectory()) {
        throw new SandboxError(
          'not_found',
          `${showPath(base.path)} is a file, not a folder. Use read_file to read it.`,
        );
      }
      walk(located.abs, base.segments, files);
      return files.sort();
    },

    deleteFile(input) {
      const path = parseSitePath(input);
      const abs = lexical(path);
      const rootReal = realRoot();
      if (rootReal === undefined) return { deleted: false };
      const { entry } = locate(rootReal, path, false, 'not_found');
      if (!entry) return { deleted: false };
      if (entry.isDirectory()) {
        throw new SandboxError(
          'file_type',
          `${showPath(path.path)} is a folder; delete the files in it (empty folders disappear by themselves).`,
        );
      }
      // unlink removes a link itself, never what it points to.
      unlinkSync(abs);
      for (let depth = path.segments.length - 1; depth > 0; depth--) {
        try {
          rmdirSync(join(rootAbs, ...path.segments.slice(0, depth)));
        } catch {
          break;
        }
      }
      return { deleted: true };
    },
  };
}

/** Whether a walked entry is one the worker may see (same rules as for paths it gives). */
function isListable(segments: string[]): boolean {
  try {
    parseSitePath(segments.join('/'));
    return true;
  } catch {
    return false;
  }
}

function toBytes(path: SitePath, kind: FileKind, content: string | Buffer): Buffer {
  if (typeof content === 'string') {
    if (kind === 'binary') {
      throw new SandboxError(
        'file_type',
        `${showPath(path.path)} is a binary file type and cannot be written as text. Draw icons and logos as SVG instead.`,
      );
    }
    return Buffer.from(content, 'utf8');
  }
  if (!Buffer.isBuffer(content)) throw new TypeError('File content must be a string or a Buffer');
  if (kind === 'text') {
    try {
      utf8.decode(content);
    } catch {
      throw new SandboxError(
        'file_type',
        `${showPath(path.path)} is a text file type, but the content is not UTF-8 text.`,
      );
    }
  }
  return content;
}

function makeFolder(folder: string, path: SitePath): void {
  try {
    mkdirSync(folder);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    // Created since we looked: accept only a real folder, never a link.
    const entry = lstatSync(folder);
    if (!entry.isDirectory()) {
      throw new SandboxError(
        'symlink_escape',
        `${showPath(path.path)} changed while being written; try again.`,
      );
    }
  }
}

function realOrUndefined(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ELOOP' || code === 'ENOTDIR') return undefined;
    throw error;
  }
}

function rmQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already gone.
  }
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, '')} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1).replace(/\.0$/, '')} KiB`;
  return `${bytes} bytes`;
}
