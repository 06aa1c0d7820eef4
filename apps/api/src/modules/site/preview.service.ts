/**
 * The preview's two jobs besides serving files: who may see a project's preview, and which file a
 * request path names.
 *
 * Why preview links carry a token: the preview is served with `Content-Security-Policy: sandbox`
 * (see preview.routes.ts), so its pages run in an opaque origin, and browsers treat every request such
 * a page makes — its stylesheet, its images, a click on its own menu — as cross-site: SameSite session
 * cookies are not sent. The first request (the dashboard's iframe or a new tab) does carry the owner's
 * session; it is answered with a redirect to `/preview/:id/~<token>/…`, and every later request of the
 * site is authorized by that token. A token names the project and the user, expires after an hour
 * (pages visited after half of that get a fresh one), is signed with a key derived from the session
 * secret, and dies with the user's sessions (it is bound to their token version) or their
 * access to the project.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { realpath, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { users } from '@sitewright/db';
import { contentTypeOf } from '@sitewright/website';
import { eq } from 'drizzle-orm';
import type { AppDeps } from '../../app.ts';
import { AppError } from '../../errors.ts';
import type { SessionUser } from '../../http/session.ts';
import { resolveJwtSecret } from '../auth/jwt-secret.ts';
import { findOwnedProject } from '../projects/access.ts';

export const PREVIEW_TOKEN_TTL_MS = 60 * 60 * 1000;

export interface PreviewAccess {
  /** A token for `user`, who must be allowed to see the project (404 otherwise). */
  grant(user: SessionUser, projectId: string): Promise<string>;
  /**
   * Checks a token against the project. Throws 401 for a forged, malformed or expired token (or one
   * from before a password change), 404 when its user may no longer see the project. `renewed` is a
   * fresh token when this one is past half its life, else null.
   */
  check(token: string, projectId: string): Promise<{ renewed: string | null }>;
}

const TOKEN = /^([0-9a-z]{1,11})\.([0-9a-f]{32})\.([\w-]{22})$/;

export function createPreviewAccess(
  deps: Pick<AppDeps, 'db' | 'env' | 'logger'>,
  options: { now?: () => number; ttlMs?: number } = {},
): PreviewAccess {
  const now = options.now ?? Date.now;
  const ttlMs = options.ttlMs ?? PREVIEW_TOKEN_TTL_MS;
  // The session secret (JWT_SECRET_KEY, or the one kept in DATA_DIR), narrowed to this one use. The
  // auth module has already warned about a missing JWT_SECRET_KEY; once is enough.
  const secret = resolveJwtSecret(deps.env, deps.logger.child({}, { level: 'error' }));
  const key = createHmac('sha256', secret).update('sitewright preview links').digest();
  const sign = (projectId: string, userId: string, tokenVersion: number, expires: number) =>
    createHmac('sha256', key)
      .update(`${projectId}\n${userId}\n${tokenVersion}\n${expires}`)
      .digest('base64url')
      .slice(0, 22);

  async function account(userId: string) {
    const [row] = await deps.db.db
      .select({ id: users.id, username: users.username, role: users.role, tokenVersion: users.tokenVersion })
      .from(users)
      .where(eq(users.id, userId));
    return row ?? null;
  }

  async function mint(userId: string, projectId: string): Promise<string> {
    const row = await account(userId);
    if (!row) throw expired();
    const expires = Math.ceil((now() + ttlMs) / 1000);
    const signature = sign(projectId, row.id, row.tokenVersion, expires);
    return `${expires.toString(36)}.${row.id.replaceAll('-', '')}.${signature}`;
  }

  return {
    async grant(user, projectId) {
      await findOwnedProject(deps.db.db, user, projectId);
      return mint(user.id, projectId);
    },
    async check(token, projectId) {
      const parts = TOKEN.exec(token);
      if (!parts) throw expired();
      const [, expiresText = '', hex = '', signature = ''] = parts;
      const expires = Number.parseInt(expiresText, 36);
      if (expires * 1000 <= now()) throw expired();
      const userId = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
      const row = await account(userId);
      if (!row) throw expired();
      const expected = Buffer.from(sign(projectId, row.id, row.tokenVersion, expires));
      const given = Buffer.from(signature);
      if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw expired();
      await findOwnedProject(deps.db.db, { id: row.id, username: row.username, role: row.role }, projectId);
      const renew = expires * 1000 - now() < ttlMs / 2;
      return { renewed: renew ? await mint(row.id, projectId) : null };
    },
  };
}

function expired(): AppError {
  return new AppError(
    'unauthenticated',
    'This preview link has expired. Open the preview again from the dashboard.',
  );
}

/** What a request path names inside the site. */
export type SiteEntry =
  | { kind: 'file'; path: string; type: string }
  /** A directory asked for without its trailing slash: redirect, so its relative links resolve. */
  | { kind: 'directory' }
  | { kind: 'missing' }
  /** No site directory yet: nothing has been built. */
  | { kind: 'no-site' };

/**
 * Finds the file a path (its raw, still percent-encoded segments after the token) names under the
 * site directory. Each segment is decoded once and must be a plain name: `.`/`..`, anything with a
 * slash, backslash or NUL after decoding, and dot-files (`.git` above all) name nothing. The resolved
 * path must stay inside the site, also after following symlinks.
 */
export async function locateInSite(siteDir: string, rawSegments: readonly string[]): Promise<SiteEntry> {
  const names = decodeSegments(rawSegments);
  if (!names) return { kind: 'missing' };
  const root = await realDirectory(siteDir);
  if (!root) return { kind: 'no-site' };
  const trailingSlash = names.at(-1) === '';
  const parts = names.filter((name) => name !== '');
  let path = join(root, ...parts);
  let info = await statInside(root, path);
  if (info?.isDirectory()) {
    if (!trailingSlash) return { kind: 'directory' };
    path = join(path, 'index.html');
    info = await statInside(root, path);
  } else if (info && trailingSlash) {
    return { kind: 'missing' };
  }
  if (!info?.isFile()) return { kind: 'missing' };
  return { kind: 'file', path, type: contentTypeOf(path) };
}

/** The decoded names of raw path segments, or null when any of them cannot name a file of the site. */
export function decodeSegments(rawSegments: readonly string[]): string[] | null {
  const names: string[] = [];
  for (const [index, raw] of rawSegments.entries()) {
    let name: string;
    try {
      name = decodeURIComponent(raw);
    } catch {
      return null;
    }
    const last = index === rawSegments.length - 1;
    if (name === '' && !last) return null; // `//` in the middle of a path
    if (/[/\\\0]/.test(name) || (name.startsWith('.') && name !== '.well-known')) return null;
    names.push(name);
  }
  return names;
}

async function realDirectory(path: string): Promise<string | null> {
  try {
    const real = await realpath(path);
    return (await stat(real)).isDirectory() ? real : null;
  } catch {
    return null;
  }
}

/** The file's stats when it exists and its real path is inside `root`; otherwise null. */
async function statInside(root: string, path: string) {
  try {
    const real = await realpath(path);
    if (real !== root && !real.startsWith(root + sep)) return null;
    return await stat(real);
  } catch {
    return null;
  }
}
