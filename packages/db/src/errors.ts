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
