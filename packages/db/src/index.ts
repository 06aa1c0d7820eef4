export {
  type CreateDbOptions,
  createDb,
  type Db,
  type DbDriver,
  type DbHandle,
  queryRows,
  redactUrl,
  type Schema,
} from './client.ts';
export { DbError, type DbErrorCode, isConnectionError } from './errors.ts';
export { acquireDataDirLock, LOCK_FILE, type LockOwner, readLockOwner } from './lock.ts';
export { expectedMigrations, type MigrationStatus, migrationStatus, migrationsFolder } from './migrate.ts';
export * from './schema.ts';
export {
  expectation,
  failedExpectation,
  isEmbedded,
  jsonLiteral,
  jsonTextLiteral,
  prepareEmbedded,
  runScript,
  sqlLiteral,
} from './script.ts';
