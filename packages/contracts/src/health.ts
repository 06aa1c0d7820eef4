import { z } from 'zod';

export const DbDriver = z.enum(['pglite', 'postgres']);
export type DbDriver = z.infer<typeof DbDriver>;

/** What `GET /api/health` reports about the database: checked with a real query on every request. */
export const DbHealth = z.object({
  driver: DbDriver,
  status: z.enum(['up', 'down']),
  latencyMs: z.number().nonnegative().nullable(),
  error: z.string().optional(),
});
export type DbHealth = z.infer<typeof DbHealth>;

/** `GET /api/health`: 200 with status `ok` when the database answers, 503 with status `error` otherwise. */
export const HealthResponse = z.object({
  status: z.enum(['ok', 'error']),
  db: DbHealth,
  version: z.string(),
});
export type HealthResponse = z.infer<typeof HealthResponse>;

/** `GET /api/ready`: 200 when the database answers and this build's migrations are applied, else 503. */
export const ReadyResponse = z.object({
  ready: z.boolean(),
  db: z.enum(['up', 'down']),
  migrations: z.object({ applied: z.number().int(), expected: z.number().int() }),
  /** Whether this process drives projects (`RUNNER_ENABLED`). */
  runner: z.enum(['on', 'off']),
  error: z.string().optional(),
});
export type ReadyResponse = z.infer<typeof ReadyResponse>;
