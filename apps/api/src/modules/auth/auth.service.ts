/** Sessions: passwords, tokens, cookies, the default admin. (Being built; this is the seam.) */
import type { Db } from '@sitewright/db';
import type { Env } from '../../env.ts';
import type { Authenticator } from '../../http/session.ts';
import type { Logger } from '../../logger.ts';

export interface Auth extends Authenticator {
  /** The admin password generated on this start (printed once by main), or null. */
  generatedAdminPassword: string | null;
}

export async function createAuth(_options: { db: Db; env: Env; logger: Logger }): Promise<Auth> {
  return { authenticate: async () => null, generatedAdminPassword: null };
}
