/**
 * The sandbox's path and file-type policy, without I/O. A site path is relative to the site root and
 * separated by `/` (a `\` counts as `/`, repeated separators and `.` segments are dropped). Refused:
 *
 * - `invalid_path`: empty paths, control or invisible (Unicode format) characters, more than
 *   300 characters, more than 32 folders deep, a name over 255 bytes, a name with leading or trailing
 *   spaces or a trailing dot (Windows silently rewrites those), and the characters `< > : " | ? * # %`.
 *   `%` is refused rather than decoded or kept: a file name is not a URL, so `%2e%2e/x` never becomes
 *   `../x` and never names a directory literally called `%2e%2e` either.
 * - `absolute_path`: `/x`, `\x`, `\\server\x`, drive paths (`C:\x`, `C:x`), URLs (`file:///x`),
 *   a leading `~` (`~/x`).
 * - `parent_traversal`: any `..` segment, even one that would stay inside.
 * - `git_dir`: `.git` anywhere, in any case, with trailing dots or spaces, or as its 8.3 short name
 *   `git~1`.
 * - `file_type`: names starting with a dot, except a top-level `.well-known/`; and, for files read or
 *   written, extensions outside the allow-list below.
 *
 * No Unicode normalisation: look-alikes of `/` and `.` (`∕`, `／`, `．`, `‥`) are ordinary characters
 * and name files inside the root.
 */
import { SandboxError, showPath } from './errors.ts';

/** Text files: stored as UTF-8, read back as strings, limited by `maxFileBytes`. */
export const TEXT_EXTENSIONS = [
  '.html',
  '.htm',
  '.css',
  '.js',
  '.mjs',
  '.json',
  '.txt',
  '.xml',
  '.svg',
  '.webmanifest',
] as const;

/** Binary files: stored and read back as bytes, limited by `maxBinaryBytes`. */
export const BINARY_EXTENSIONS = [
  '.ico',
  '.png',
  '.jpg',
  '.jpeg',
  '.gif',
  '.webp',
  '.avif',
  '.woff',
  '.woff2',
] as const;

/**
 * Extension-less files allowed at the site root only, as text: `CNAME` names the custom domain for
 * static hosts (GitHub Pages and the like) and is inert anywhere else. Server-config files that
 * change how a host treats the site (`.htaccess`, `_headers`, `_redirects`, `web.config`) are not.
 */
export const ROOT_TEXT_FILES = ['CNAME'] as const;

export const MAX_PATH_CHARS = 300;
export const MAX_DEPTH = 32;
const MAX_NAME_BYTES = 255;

export type FileKind = 'text' | 'binary';

/** A validated path: `path` is the normal form (`about/index.html`), `segments` its names. */
export interface SitePath {
  path: string;
  segments: string[];
}

const INVISIBLE = /[\p{Cc}\p{Cf}\p{Cs}]/u;
const FORBIDDEN = /[<>:"|?*#%]/;
const DRIVE = /^[a-z]:/i;
const URL_SCHEME = /^[a-z][a-z0-9+.-]*:(\/|$)/i;
const HINT = 'Paths are relative to the site root, like `about/index.html`';

/** `.git` as the file systems we may run on see it: case-insensitive, trailing dots/spaces ignored. */
export function isGitName(name: string): boolean {
  const bare = name.replace(/[. ]+$/, '').toLowerCase();
  return bare === '.git' || /^git~\d+$/.test(bare);
}

/** Validates a worker-supplied path and returns its normal form, or throws a `SandboxError`. */
export function parseSitePath(input: string): SitePath {
  if (typeof input !== 'string' || input.trim() === '') {
    throw new SandboxError('invalid_path', `The path is empty. ${HINT}.`);
  }
  if (input.length > MAX_PATH_CHARS) {
    throw new SandboxError(
      'invalid_path',
      `The path is ${input.length} characters long; at most ${MAX_PATH_CHARS} are allowed. Use shorter names.`,
    );
  }
  if (INVISIBLE.test(input)) {
    throw new SandboxError(
      'invalid_path',
      `The path ${showPath(input)} contains control or invisible characters. ${HINT}.`,
    );
  }
  const slashed = input.replaceAll('\\', '/');
  if (slashed.startsWith('/') || slashed.startsWith('~') || DRIVE.test(slashed) || URL_SCHEME.test(slashed)) {
    throw new SandboxError(
      'absolute_path',
      `${showPath(input)} is an absolute path or a URL. ${HINT}, without a leading \`/\`.`,
    );
  }
  const segments = slashed.split('/').filter((segment) => segment !== '' && segment !== '.');
  if (segments.includes('..')) {
    throw new SandboxError('parent_traversal', `${HINT}; \`..\` is not allowed.`);
  }
  const forbidden = FORBIDDEN.exec(slashed);
  if (forbidden) {
    throw new SandboxError(
      'invalid_path',
      `The path ${showPath(input)} contains \`${forbidden[0]}\`. Use plain names (letters, digits, \`-\`, \`_\`, \`.\`), not URL-encoded ones.`,
    );
  }
  if (segments.length === 0) {
    throw new SandboxError('invalid_path', `${showPath(input)} names the site root, not a file. ${HINT}.`);
  }
  if (segments.length > MAX_DEPTH) {
    throw new SandboxError('invalid_path', `The path is more than ${MAX_DEPTH} folders deep.`);
  }
  segments.forEach(checkName);
  return { path: segments.join('/'), segments };
}

function checkName(name: string, index: number): void {
  if (isGitName(name)) {
    throw new SandboxError(
      'git_dir',
      'The `.git` folder holds the site’s version history and is managed automatically; it cannot be read, listed or changed.',
    );
  }
  if (name.trim() !== name || name.endsWith('.')) {
    throw new SandboxError(
      'invalid_path',
      `The name ${showPath(name)} starts or ends with a space or ends with a dot; remove them.`,
    );
  }
  if (name.startsWith('.') && !(index === 0 && name === '.well-known')) {
    throw new SandboxError(
      'file_type',
      `Hidden files and folders like ${showPath(name)} are not allowed; only a top-level \`.well-known/\` may start with a dot.`,
    );
  }
  if (Buffer.byteLength(name, 'utf8') > MAX_NAME_BYTES) {
    throw new SandboxError(
      'invalid_path',
      `The name ${showPath(name)} is longer than ${MAX_NAME_BYTES} bytes.`,
    );
  }
}

/** Whether a file at this path may be read or written, and as what; throws `file_type` otherwise. */
export function fileKindOf(path: SitePath): FileKind {
  const name = path.segments.at(-1) ?? '';
  const dot = name.lastIndexOf('.');
  const extension = dot > 0 ? name.slice(dot).toLowerCase() : '';
  if ((TEXT_EXTENSIONS as readonly string[]).includes(extension)) return 'text';
  if ((BINARY_EXTENSIONS as readonly string[]).includes(extension)) return 'binary';
  if (path.segments.length === 1 && (ROOT_TEXT_FILES as readonly string[]).includes(name)) return 'text';
  const what = extension
    ? `\`${extension}\` files are`
    : `Files without an extension (${showPath(name)}) are`;
  throw new SandboxError(
    'file_type',
    `${what} not allowed on the site. Allowed: ${[...TEXT_EXTENSIONS, ...BINARY_EXTENSIONS].join(' ')}, and \`CNAME\` at the root.`,
  );
}
