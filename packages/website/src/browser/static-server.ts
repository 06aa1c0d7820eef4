/**
 * A tiny static file server for one site directory, bound to 127.0.0.1 on a random port, so the browser
 * loads the site exactly as a static host would (directory URLs → `index.html`, real content types,
 * 404s). It never serves outside the directory (`..`, symlinks), never serves dot-paths such as `.git`,
 * and never lists a directory.
 */
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, isAbsolute, join, relative, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';

export interface SiteServer {
  /** Origin of the server, e.g. `http://127.0.0.1:41234` (no trailing slash). */
  url: string;
  /** Stops the server and drops open connections; safe to call twice. */
  close(): Promise<void>;
}

const TEXT = 'charset=utf-8';
const CONTENT_TYPES: Record<string, string> = {
  '.html': `text/html; ${TEXT}`,
  '.htm': `text/html; ${TEXT}`,
  '.css': `text/css; ${TEXT}`,
  '.js': `text/javascript; ${TEXT}`,
  '.mjs': `text/javascript; ${TEXT}`,
  '.json': `application/json; ${TEXT}`,
  '.jsonld': `application/ld+json; ${TEXT}`,
  '.map': `application/json; ${TEXT}`,
  '.webmanifest': `application/manifest+json; ${TEXT}`,
  '.txt': `text/plain; ${TEXT}`,
  '.md': `text/plain; ${TEXT}`,
  '.xml': `application/xml; ${TEXT}`,
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.pdf': 'application/pdf',
  '.mp4': 'video/mp4',
  '.webm': 'video/webm',
  '.mp3': 'audio/mpeg',
};

/** The content type a static host would send for `path` (the checker's server and the preview use it). */
export function contentTypeOf(path: string): string {
  return CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

/** Serves `siteDir` on 127.0.0.1 and a random free port until `close()`. */
export async function serveSite(siteDir: string): Promise<SiteServer> {
  // Resolved once: every served file's real path must stay inside this one.
  const root = await realpath(siteDir).catch((error: unknown) => {
    throw new Error(`The site directory ${siteDir} does not exist yet (nothing written?)`, { cause: error });
  });
  const server = createServer((request, response) => {
    handle(root, request, response).catch(() => {
      if (!response.headersSent) send(response, 500, 'Internal error');
      else response.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Keep-alive connections (browser, fetch) would otherwise hold `close` open.
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

async function handle(root: string, request: IncomingMessage, response: ServerResponse): Promise<void> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.setHeader('Allow', 'GET, HEAD');
    return send(response, 405, 'Method not allowed');
  }
  const target = parseTarget(request.url ?? '/');
  if (!target.ok) return send(response, target.status, target.message);

  let file = await insideRoot(root, join(root, ...target.segments));
  let info = file ? await stat(file).catch(() => null) : null;
  if (file && info?.isDirectory()) {
    // Like any static host: `/menu` → `/menu/`, so the page's relative links resolve from the folder.
    if (!target.pathname.endsWith('/')) {
      response.setHeader('Location', `${target.pathname}/${target.search}`);
      return send(response, 301, 'Moved permanently');
    }
    file = await insideRoot(root, join(file, 'index.html'));
    info = file ? await stat(file).catch(() => null) : null;
  }
  if (!file || !info?.isFile()) return send(response, 404, 'Not found');

  response.writeHead(200, {
    'Content-Type': contentTypeOf(file),
    'Content-Length': info.size,
    // Agents check right after writing: never let a cached copy answer.
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  if (request.method === 'HEAD') {
    response.end();
    return;
  }
  await pipeline(createReadStream(file), response);
}

type Target =
  | { ok: true; pathname: string; search: string; segments: string[] }
  | { ok: false; status: number; message: string };

/** The request path as file segments, refusing traversal and hidden paths before touching the disk. */
function parseTarget(rawUrl: string): Target {
  const queryAt = rawUrl.search(/[?#]/);
  const pathname = queryAt === -1 ? rawUrl : rawUrl.slice(0, queryAt);
  const search = queryAt === -1 ? '' : rawUrl.slice(queryAt).replace(/#.*$/, '');
  if (!pathname.startsWith('/')) return { ok: false, status: 400, message: 'Bad request' };
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return { ok: false, status: 400, message: 'Bad request' };
  }
  if (decoded.includes('\0') || decoded.includes('\\'))
    return { ok: false, status: 400, message: 'Bad request' };
  const segments = decoded.split('/').filter((segment) => segment !== '');
  if (segments.some((segment) => segment === '..' || segment === '.')) {
    return { ok: false, status: 400, message: 'Bad request' };
  }
  // `.git`, `.env` and other dot-paths are never part of a site; `.well-known` is the one exception.
  if (segments.some((segment) => segment.startsWith('.') && segment !== '.well-known')) {
    return { ok: false, status: 404, message: 'Not found' };
  }
  return { ok: true, pathname, search, segments };
}

/** The real path of `path` when it exists and (after following symlinks) stays inside `root`. */
async function insideRoot(root: string, path: string): Promise<string | null> {
  const real = await realpath(path).catch(() => null);
  if (real === null) return null;
  const rel = relative(root, real);
  if (rel === '') return real;
  if (rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return null;
  // A symlink into `.git` is as hidden as `.git` itself.
  if (rel.split(sep).some((segment) => segment.startsWith('.') && segment !== '.well-known')) return null;
  return real;
}

function send(response: ServerResponse, status: number, message: string): void {
  response.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  response.end(message);
}
