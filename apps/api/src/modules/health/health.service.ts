import type { HealthResponse } from '@sitewright/contracts';
import type { DbHandle } from '@sitewright/db';

/** Asks the database for real (a `select 1`) every time: health must never report a cached answer. */
export async function checkHealth(db: DbHandle, version: string): Promise<HealthResponse> {
  const result = await db.ping();
  if (result.ok) {
    return { status: 'ok', db: { driver: db.driver, status: 'up', latencyMs: result.latencyMs }, version };
  }
  return {
    status: 'error',
    db: { driver: db.driver, status: 'down', latencyMs: null, error: result.error },
    version,
  };
}
