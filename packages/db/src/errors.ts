/** Why the database could not be opened; `message` is one line an operator can act on. */
export type DbErrorCode =
  | 'data_dir_unwritable'
  | 'data_dir_locked'
  | 'connection_failed'
  | 'migration_failed'
  | 'invalid_url';

export class DbError extends Error {
  override readonly name = 'DbError';
  constructor(
    readonly code: DbErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Postgres SQLSTATE classes and driver codes that mean "the connection went away", not "the query is wrong". */
const connectionStates = /^(08|57P0[123]|53300)/;
const connectionCodes = new Set([
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
]);

/**
 * Whether an error is a lost or refused database connection (a restart, a failover, a network blip):
 * retrying later is right, and nothing about the work itself is wrong. Follows `cause` chains, since
 * drizzle wraps driver errors.
 */
export function isConnectionError(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    const { code, errno } = current as { code?: unknown; errno?: unknown };
    if (typeof code === 'string' && (connectionCodes.has(code) || connectionStates.test(code))) return true;
    if (typeof errno === 'string' && connectionCodes.has(errno)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}
