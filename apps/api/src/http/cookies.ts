/**
 * Reading cookies from a raw request, for Express handlers and WebSocket upgrades alike (an upgrade never
 * passes through Express middleware, so a cookie-parser middleware would not help there).
 */
import type { IncomingMessage } from 'node:http';

/** Parses a `Cookie` header. The first occurrence of a name wins: browsers send the most specific path first. */
export function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  if (!header) return cookies;
  for (const part of header.split(';')) {
    const at = part.indexOf('=');
    if (at <= 0) continue;
    const name = part.slice(0, at).trim();
    if (!name || cookies.has(name)) continue;
    let value = part.slice(at + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
    try {
      cookies.set(name, decodeURIComponent(value));
    } catch {
      // A malformed escape: keep the raw value; it will simply fail verification.
      cookies.set(name, value);
    }
  }
  return cookies;
}

/** One cookie of a request, or undefined. */
export function readCookie(req: IncomingMessage, name: string): string | undefined {
  return parseCookies(req.headers.cookie).get(name) || undefined;
}
