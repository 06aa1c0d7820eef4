/** The key that signs access tokens: JWT_SECRET_KEY, or one generated once and kept in DATA_DIR. */
import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Env } from '../../env.ts';
import type { Logger } from '../../logger.ts';

export const JWT_SECRET_FILE = 'jwt-secret';

/**
 * Returns the signing secret. Without JWT_SECRET_KEY, 48 random bytes are written to
 * `${DATA_DIR}/jwt-secret` (mode 0600) on the first start and read back on later ones, so sessions
 * survive restarts. Several API processes on one Postgres each have their own DATA_DIR and would sign
 * with different secrets — there JWT_SECRET_KEY is required, hence the warning.
 */
export function resolveJwtSecret(
  env: Pick<Env, 'JWT_SECRET_KEY' | 'DATA_DIR' | 'DATABASE_URL'>,
  logger: Logger,
): string {
  if (env.JWT_SECRET_KEY) return env.JWT_SECRET_KEY;
  const file = join(env.DATA_DIR, JWT_SECRET_FILE);
  if (env.DATABASE_URL) {
    logger.warn(
      { file },
      'JWT_SECRET_KEY is not set: signing sessions with the secret kept in DATA_DIR. Every API process ' +
        'on this database must share one secret, so set JWT_SECRET_KEY when running more than one.',
    );
  }
  const existing = readSecret(file);
  if (existing) return existing;
  mkdirSync(env.DATA_DIR, { recursive: true });
  // Written aside and hard-linked into place: the link fails if another start got there first (then
  // its secret wins), and a crash never leaves a half-written secret behind.
  const partial = `${file}.${process.pid}.partial`;
  writeFileSync(partial, `${randomBytes(48).toString('base64url')}\n`, { mode: 0o600 });
  try {
    linkSync(partial, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    rmSync(partial, { force: true });
  }
  const secret = readSecret(file);
  if (!secret)
    throw new Error(`The session secret in ${file} is empty or too short; delete the file to regenerate it.`);
  return secret;
}

function readSecret(file: string): string | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const secret = text.trim();
  if (secret.length < 32) {
    throw new Error(`The session secret in ${file} is empty or too short; delete the file to regenerate it.`);
  }
  return secret;
}
