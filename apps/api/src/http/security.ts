/**
 * Request-level hardening in front of every route: REQUIRE_LOCALHOST, the CORS allow-list and the Origin
 * check on state-changing API requests. WebSocket upgrades never pass through Express middleware, so the
 * hub applies the same pure checks (`isLocalClient`, `isTrustedOrigin`) itself.
 */
import { isIP } from 'node:net';
import type { Request, RequestHandler } from 'express';
import type { Env } from '../env.ts';
import { AppError } from '../errors.ts';

const unsafeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const allowedMethods = 'GET, POST, PUT, PATCH, DELETE';
const PREFLIGHT_MAX_AGE_SECONDS = 600;

export function securityMiddleware(env: Env): RequestHandler[] {
  const allowed = new Set(env.CORS_ORIGINS);
  const handlers: RequestHandler[] = [];
  if (env.REQUIRE_LOCALHOST) handlers.push(localhostOnly);
  handlers.push(corsAllowList(allowed), refuseCrossSiteWrites(allowed));
  return handlers;
}

/** 127.0.0.0/8 and ::1, also in their IPv4-mapped IPv6 form (`::ffff:127.0.0.1`). */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const plain = address.toLowerCase().startsWith('::ffff:') ? address.slice(7) : address;
  if (isIP(plain) === 4) return plain.startsWith('127.');
  return plain === '::1' || plain === '0:0:0:0:0:0:0:1';
}

/**
 * REQUIRE_LOCALHOST's test. The TCP peer (`socketAddress`) must be this machine: nothing a remote
 * client sends can change it. `clientAddress` is Express's `req.ip`, which follows X-Forwarded-For
 * only through proxies TRUST_PROXY trusts; it must be loopback too, so a local reverse proxy relaying
 * remote visitors does not open the server to them. Trusting `req.ip` alone would be wrong: with
 * TRUST_PROXY=true any remote client could claim `X-Forwarded-For: 127.0.0.1`.
 */
export function isLocalClient(addresses: {
  socketAddress: string | undefined;
  clientAddress?: string | undefined;
}): boolean {
  return (
    isLoopbackAddress(addresses.socketAddress) &&
    isLoopbackAddress(addresses.clientAddress ?? addresses.socketAddress)
  );
}

/** Whether a request's `Origin` is the server's own origin or one of CORS_ORIGINS. */
export function isTrustedOrigin(
  origin: string,
  ownOrigin: string | undefined,
  allowed: ReadonlySet<string>,
): boolean {
  const normalized = normalizeOrigin(origin);
  if (!normalized) return false;
  return allowed.has(normalized) || (ownOrigin !== undefined && normalized === normalizeOrigin(ownOrigin));
}

const localhostOnly: RequestHandler = (req, _res, next) => {
  if (isLocalClient({ socketAddress: req.socket.remoteAddress, clientAddress: req.ip })) return next();
  next(new AppError('forbidden', 'This server only answers requests from the machine it runs on.'));
};

/**
 * Credentialed CORS for the origins in CORS_ORIGINS, never `*`. Preflights are answered here: 204 with
 * the grants for an allowed origin, 403 for any other (the browser then blocks the real request).
 */
function corsAllowList(allowed: ReadonlySet<string>): RequestHandler {
  return (req, res, next) => {
    if (!isApiPath(req.path)) return next();
    const origin = req.get('origin');
    const preflight =
      req.method === 'OPTIONS' && origin !== undefined && req.get('access-control-request-method');
    if (allowed.size > 0) res.vary('Origin');
    const granted = origin !== undefined && allowed.has(origin);
    if (granted) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Access-Control-Allow-Credentials', 'true');
      res.setHeader('Access-Control-Expose-Headers', 'Retry-After, X-Request-Id');
    }
    if (!preflight) return next();
    if (!granted)
      return next(new AppError('forbidden', 'Cross-origin requests from this origin are not allowed.'));
    res.setHeader('Access-Control-Allow-Methods', allowedMethods);
    res.setHeader('Access-Control-Allow-Headers', 'content-type');
    res.setHeader('Access-Control-Max-Age', String(PREFLIGHT_MAX_AGE_SECONDS));
    res.status(204).end();
  };
}

/**
 * CSRF defence for POST/PUT/PATCH/DELETE under /api. Browsers send `Origin` on every cross-origin and
 * every same-origin non-GET fetch, so when present it must be our own origin (scheme from req.protocol
 * and host from req.host, both of which honour X-Forwarded-* only from proxies TRUST_PROXY trusts) or
 * an allowed one; `Origin: null` (sandboxed frames, privacy redirects) is refused. Without `Origin`,
 * `Sec-Fetch-Site: cross-site` is refused. A request with neither header does not come from a modern
 * browser page (curl, server-to-server) and cannot ride on a victim's cookies — and the SameSite=Lax
 * session cookies are not sent on cross-site POSTs anyway — so it is allowed.
 */
function refuseCrossSiteWrites(allowed: ReadonlySet<string>): RequestHandler {
  return (req, _res, next) => {
    if (!unsafeMethods.has(req.method) || !isApiPath(req.path)) return next();
    const origin = req.get('origin');
    const crossSite =
      origin !== undefined
        ? !isTrustedOrigin(origin, ownOrigin(req), allowed)
        : req.get('sec-fetch-site')?.toLowerCase() === 'cross-site';
    if (crossSite) return next(new AppError('forbidden', 'Cross-site request refused.'));
    next();
  };
}

function ownOrigin(req: Request): string | undefined {
  const host = req.host;
  return host ? `${req.protocol}://${host}` : undefined;
}

/** `scheme://host[:port]` in canonical form (default port dropped, host lower-cased), or null. */
function normalizeOrigin(origin: string): string | null {
  try {
    const url = new URL(origin);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    return url.origin;
  } catch {
    return null;
  }
}

function isApiPath(path: string): boolean {
  return path === '/api' || path.startsWith('/api/');
}
