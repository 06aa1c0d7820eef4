/**
 * Sessions: passwords, access and refresh tokens, the login rate limit and the default admin.
 *
 * A sign-in starts a session: a refresh-token family (its id is the access token's `sid`). Refreshing
 * rotates the family's token; presenting a rotated token again means it was copied, so the whole family
 * is revoked — and with it every access token that carries its `sid`. A password change bumps the
 * user's `tokenVersion` (the access token's `ver`) and revokes every family of that user.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { ChangePasswordRequest, LoginRequest, User } from '@sitewright/contracts';
import { type Db, isConnectionError, refreshTokens, users } from '@sitewright/db';
import { and, eq, isNotNull, isNull, lt, notExists, sql } from 'drizzle-orm';
import type { Env } from '../../env.ts';
import { AppError } from '../../errors.ts';
import { readCookie } from '../../http/cookies.ts';
import type { Authenticator, SessionUser } from '../../http/session.ts';
import type { Logger } from '../../logger.ts';
import { findUser, toUser } from '../users/users.service.ts';
import { resolveJwtSecret } from './jwt-secret.ts';
import { generatePassword, hashPassword, verifyPassword } from './passwords.ts';
import { createRateLimiter } from './rate-limiter.ts';
import { ACCESS_COOKIE, type SessionTokens } from './session-cookies.ts';
import {
  hashRefreshToken,
  newRefreshToken,
  secretKey,
  signAccessToken,
  verifyAccessToken,
} from './tokens.ts';

/** Where a request came from, kept with the refresh token and used as half of the rate-limit key. */
export interface ClientInfo {
  ip: string | undefined;
  userAgent: string | undefined;
}

/** A started or renewed session: the user and the two tokens the route puts into cookies. */
export interface Session extends SessionTokens {
  user: User;
}

export type RefreshResult =
  | { ok: true; session: Session }
  | { ok: false; reason: 'missing' | 'unknown' | 'expired' | 'revoked' | 'reuse' };

export interface Auth extends Authenticator {
  /** The admin password generated on this start (printed once by main), or null. */
  generatedAdminPassword: string | null;
  /** 401 for a wrong name or password alike; 429 (details.retryAfterSeconds) past the rate limit. */
  login(input: LoginRequest, client: ClientInfo): Promise<Session>;
  /** Rotates a refresh token; a rotated one presented again revokes its whole family. */
  refresh(refreshToken: string | undefined, client: ClientInfo): Promise<RefreshResult>;
  /** Revokes the refresh token's family; a missing or unknown token is not an error. */
  logout(refreshToken: string | undefined): Promise<void>;
  /** Ends every session of the user and starts a fresh one for the caller. */
  changePassword(user: SessionUser, input: ChangePasswordRequest, client: ClientInfo): Promise<Session>;
  /** The signed-in user's account. */
  me(user: SessionUser): Promise<User>;
}

export const DEFAULT_ADMIN_USERNAME = 'admin';
const LOGIN_WINDOW_MS = 60_000;

const sessionColumns = {
  id: users.id,
  username: users.username,
  role: users.role,
  createdAt: users.createdAt,
  tokenVersion: users.tokenVersion,
};
type SessionRow = { id: string; username: string; role: User['role']; createdAt: Date; tokenVersion: number };

export async function createAuth({
  db,
  env,
  logger,
  bootstrapAdmin = true,
}: {
  db: Db;
  env: Env;
  logger: Logger;
  /** Create the first admin when there are no users (the API does; runner-only processes do not). */
  bootstrapAdmin?: boolean;
}): Promise<Auth> {
  const key = secretKey(resolveJwtSecret(env, logger));
  const limiter = createRateLimiter({ limit: env.LOGIN_RATE_LIMIT, windowMs: LOGIN_WINDOW_MS });
  // Compared against when the username does not exist, so both failures cost one bcrypt run.
  const unknownUserHash = await hashPassword(generatePassword(), env.BCRYPT_ROUNDS);
  const generatedAdminPassword = bootstrapAdmin ? await ensureDefaultAdmin(db, env, logger) : null;

  /** Counts an attempt against name + address before any password is looked at. */
  function countAttempt(username: string, client: ClientInfo): string {
    const limitKey = `${username.toLowerCase()}\n${client.ip ?? ''}`;
    const attempt = limiter.hit(limitKey);
    if (!attempt.allowed) {
      throw new AppError(
        'rate_limited',
        `Too many attempts; try again in ${attempt.retryAfterSeconds} seconds.`,
        { retryAfterSeconds: attempt.retryAfterSeconds },
      );
    }
    return limitKey;
  }

  async function startSession(
    executor: Db,
    user: SessionRow,
    client: ClientInfo,
    familyId: string = randomUUID(),
    id: string = randomUUID(),
  ): Promise<Session> {
    const refreshToken = newRefreshToken();
    await executor.insert(refreshTokens).values({
      id,
      userId: user.id,
      familyId,
      tokenHash: hashRefreshToken(refreshToken),
      expiresAt: new Date(Date.now() + env.REFRESH_TOKEN_TTL_SECONDS * 1000),
      userAgent: client.userAgent ?? null,
      ip: client.ip ?? null,
    });
    const accessToken = await signAccessToken(
      { userId: user.id, tokenVersion: user.tokenVersion, sessionId: familyId },
      key,
      env.ACCESS_TOKEN_TTL_SECONDS,
    );
    return { user: toUser(user), accessToken, refreshToken };
  }

  async function revokeFamily(familyId: string, reason: 'reuse' | 'logout'): Promise<void> {
    await db
      .update(refreshTokens)
      .set({ revokedAt: new Date(), revokedReason: reason })
      .where(and(eq(refreshTokens.familyId, familyId), isNull(refreshTokens.revokedAt)));
  }

  return {
    generatedAdminPassword,

    async authenticate(req: IncomingMessage): Promise<SessionUser | null> {
      try {
        const token = readCookie(req, ACCESS_COOKIE);
        if (!token) return null;
        const claims = await verifyAccessToken(token, key);
        if (!claims) return null;
        const revoked = db
          .select({ one: sql`1` })
          .from(refreshTokens)
          .where(and(eq(refreshTokens.familyId, claims.sessionId), isNotNull(refreshTokens.revokedAt)));
        const [user] = await db
          .select({
            id: users.id,
            username: users.username,
            role: users.role,
            tokenVersion: users.tokenVersion,
          })
          .from(users)
          .where(and(eq(users.id, claims.userId), notExists(revoked)));
        if (!user || user.tokenVersion !== claims.tokenVersion) return null;
        return { id: user.id, username: user.username, role: user.role };
      } catch (error) {
        // A lost database says nothing about the session: answering "signed out" would send every
        // dashboard to the sign-in page and close every WebSocket during a database restart.
        if (isConnectionError(error)) throw error;
        // Callers (routes, the WebSocket upgrade) treat "no session" uniformly; the cause is logged.
        logger.error({ err: error }, 'checking a session failed');
        return null;
      }
    },

    async login(input, client) {
      const limitKey = countAttempt(input.username, client);
      const [user] = await db
        .select({ ...sessionColumns, passwordHash: users.passwordHash })
        .from(users)
        .where(eq(users.username, input.username));
      const matches = await verifyPassword(input.password, user?.passwordHash ?? unknownUserHash);
      // One message for both cases: the answer must not tell which usernames exist.
      if (!user || !matches) throw new AppError('unauthenticated', 'Wrong username or password.');
      limiter.reset(limitKey);
      // Expired refresh tokens are useless; dropping the user's old ones here keeps the table small.
      await db
        .delete(refreshTokens)
        .where(and(eq(refreshTokens.userId, user.id), lt(refreshTokens.expiresAt, new Date())));
      logger.info({ userId: user.id }, 'signed in');
      return startSession(db, user, client);
    },

    async refresh(refreshToken, client) {
      if (!refreshToken) return { ok: false, reason: 'missing' };
      const [row] = await db
        .select()
        .from(refreshTokens)
        .where(eq(refreshTokens.tokenHash, hashRefreshToken(refreshToken)));
      if (!row) return { ok: false, reason: 'unknown' };
      if (row.revokedAt) return { ok: false, reason: 'revoked' };
      if (row.rotatedAt) {
        await revokeFamily(row.familyId, 'reuse');
        logger.warn({ userId: row.userId, familyId: row.familyId }, 'refresh token reused; session revoked');
        return { ok: false, reason: 'reuse' };
      }
      if (row.expiresAt.getTime() <= Date.now()) return { ok: false, reason: 'expired' };

      const nextId = randomUUID();
      const session = await db.transaction(async (tx) => {
        // Claiming the row with a conditional update makes two concurrent refreshes of one token
        // resolve to one winner; the loser is treated as reuse below.
        const [claimed] = await tx
          .update(refreshTokens)
          .set({ rotatedAt: new Date(), replacedById: nextId })
          .where(
            and(
              eq(refreshTokens.id, row.id),
              isNull(refreshTokens.rotatedAt),
              isNull(refreshTokens.revokedAt),
            ),
          )
          .returning({ id: refreshTokens.id });
        if (!claimed) return null;
        const [user] = await tx.select(sessionColumns).from(users).where(eq(users.id, row.userId));
        if (!user) return null;
        return startSession(tx, user, client, row.familyId, nextId);
      });
      if (!session) {
        await revokeFamily(row.familyId, 'reuse');
        logger.warn({ userId: row.userId, familyId: row.familyId }, 'refresh token reused; session revoked');
        return { ok: false, reason: 'reuse' };
      }
      return { ok: true, session };
    },

    async logout(refreshToken) {
      if (!refreshToken) return;
      const [row] = await db
        .select({ familyId: refreshTokens.familyId })
        .from(refreshTokens)
        .where(eq(refreshTokens.tokenHash, hashRefreshToken(refreshToken)));
      if (row) await revokeFamily(row.familyId, 'logout');
    },

    async changePassword(sessionUser, input, client) {
      const limitKey = countAttempt(sessionUser.username, client);
      const [user] = await db
        .select({ passwordHash: users.passwordHash })
        .from(users)
        .where(eq(users.id, sessionUser.id));
      if (!user) throw new AppError('unauthenticated', 'Sign in to continue.');
      // 400, not 401: the session is fine and a 401 would send clients into their sign-in flow.
      if (!(await verifyPassword(input.current, user.passwordHash))) {
        throw new AppError('invalid_request', 'The current password is not correct.');
      }
      limiter.reset(limitKey);
      if (input.next === input.current) {
        throw new AppError('rule_violation', 'The new password must differ from the current one.');
      }
      const passwordHash = await hashPassword(input.next, env.BCRYPT_ROUNDS);
      const session = await db.transaction(async (tx) => {
        const [updated] = await tx
          .update(users)
          .set({ passwordHash, tokenVersion: sql`${users.tokenVersion} + 1` })
          .where(eq(users.id, sessionUser.id))
          .returning(sessionColumns);
        if (!updated) throw new AppError('unauthenticated', 'Sign in to continue.');
        await tx
          .update(refreshTokens)
          .set({ revokedAt: new Date(), revokedReason: 'password_change' })
          .where(and(eq(refreshTokens.userId, sessionUser.id), isNull(refreshTokens.revokedAt)));
        return startSession(tx, updated, client);
      });
      logger.info({ userId: sessionUser.id }, 'password changed; other sessions ended');
      return session;
    },

    async me(sessionUser) {
      const user = await findUser(db, sessionUser.id);
      if (!user) throw new AppError('unauthenticated', 'Sign in to continue.');
      return user;
    },
  };
}

/**
 * Creates `admin` when there are no users at all. Its password is DEFAULT_ADMIN_PASSWORD, or a generated
 * one returned for main to print once. The password is only an initial one: an existing admin is never
 * touched. Concurrent first starts on one Postgres race on the unique username and the loser backs off.
 */
async function ensureDefaultAdmin(db: Db, env: Env, logger: Logger): Promise<string | null> {
  const [anyUser] = await db.select({ id: users.id }).from(users).limit(1);
  if (anyUser) return null;
  const password = env.DEFAULT_ADMIN_PASSWORD ?? generatePassword();
  const [created] = await db
    .insert(users)
    .values({
      username: DEFAULT_ADMIN_USERNAME,
      passwordHash: await hashPassword(password, env.BCRYPT_ROUNDS),
      role: 'admin',
    })
    .onConflictDoNothing({ target: users.username })
    .returning({ id: users.id });
  if (!created) return null;
  logger.info({ username: DEFAULT_ADMIN_USERNAME }, 'created the first admin user');
  return env.DEFAULT_ADMIN_PASSWORD ? null : password;
}
