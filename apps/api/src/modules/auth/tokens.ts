/**
 * Access tokens are short-lived HS256 JWTs; refresh tokens are opaque random strings stored only as a
 * sha256 hash, so a leaked database cannot be replayed as sessions.
 */
import { createHash, randomBytes } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';

/** What an access token asserts: who (`sub`), which password generation (`ver`) and session (`sid`). */
export interface AccessClaims {
  userId: string;
  tokenVersion: number;
  /** The refresh-token family (one sign-in); revoking it ends the access tokens issued for it too. */
  sessionId: string;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function secretKey(secret: string): Uint8Array {
  return new TextEncoder().encode(secret);
}

export function signAccessToken(
  claims: AccessClaims,
  key: Uint8Array,
  ttlSeconds: number,
  now = Date.now(),
): Promise<string> {
  const issuedAt = Math.floor(now / 1000);
  return new SignJWT({ typ: 'access', ver: claims.tokenVersion, sid: claims.sessionId })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.userId)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + ttlSeconds)
    .sign(key);
}

/**
 * The claims of a valid access token, or null for anything else: bad signature, another algorithm
 * (`alg: none` included — only HS256 is accepted), expired, or claims of the wrong shape.
 */
export async function verifyAccessToken(token: string, key: Uint8Array): Promise<AccessClaims | null> {
  try {
    const { payload } = await jwtVerify(token, key, {
      algorithms: ['HS256'],
      requiredClaims: ['sub', 'exp', 'iat'],
    });
    const { sub, ver, sid, typ } = payload;
    if (typ !== 'access' || typeof sub !== 'string' || !uuidPattern.test(sub)) return null;
    if (typeof ver !== 'number' || !Number.isInteger(ver)) return null;
    if (typeof sid !== 'string' || !uuidPattern.test(sid)) return null;
    return { userId: sub, tokenVersion: ver, sessionId: sid };
  } catch {
    return null;
  }
}

/** 32 random bytes, base64url: the value that travels in the refresh cookie. */
export function newRefreshToken(): string {
  return randomBytes(32).toString('base64url');
}

/** What the database keeps of a refresh token. */
export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
