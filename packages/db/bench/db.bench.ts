/**
 * `pnpm bench` (database part): the cost of the engine's basic unit of durability — one transaction
 * that appends an event and updates the project row — on PGlite and, when DATABASE_URL is set, on
 * Postgres. Prints a table and writes bench/results/db.json at the repository root.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { eq, sql } from 'drizzle-orm';
import { events, projects, users } from '../src/index.ts';
import { createPgliteTestDb, createPostgresTestDb, type TestDb, testDatabaseUrl } from '../src/testing.ts';

const ITERATIONS = 2000;
const WARMUP = 200;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function measure(handle: TestDb) {
  const [owner] = await handle.db.insert(users).values({ username: 'bench', passwordHash: 'x' }).returning();
  const [project] = await handle.db
    .insert(projects)
    .values({ ownerId: owner?.id ?? '', name: 'bench' })
    .returning();
  const projectId = project?.id ?? '';
  const samples: number[] = [];
  for (let i = 0; i < WARMUP + ITERATIONS; i++) {
    const started = performance.now();
    await handle.db.transaction(async (tx) => {
      const [row] = await tx
        .update(projects)
        .set({ lastSeq: sql`${projects.lastSeq} + 1` })
        .where(eq(projects.id, projectId))
        .returning({ seq: projects.lastSeq });
      await tx.insert(events).values({ projectId, seq: row?.seq ?? 0, type: 'bench', payload: { i } });
    });
    if (i >= WARMUP) samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  const round = (value: number) => Math.round(value * 1000) / 1000;
  return {
    driver: handle.driver,
    iterations: ITERATIONS,
    medianMs: round(percentile(samples, 50)),
    p99Ms: round(percentile(samples, 99)),
    perSecond: Math.round(1000 / (samples.reduce((a, b) => a + b, 0) / samples.length)),
  };
}

const results = [];
const pglite = await createPgliteTestDb();
try {
  results.push(await measure(pglite));
} finally {
  await pglite.close();
}
const postgresUrl = testDatabaseUrl();
if (postgresUrl) {
  const postgres = await createPostgresTestDb(postgresUrl);
  try {
    results.push(await measure(postgres));
  } finally {
    await postgres.close();
  }
}

console.table(results);
const out = new URL('../../../bench/results/', import.meta.url);
mkdirSync(out, { recursive: true });
writeFileSync(
  new URL('db.json', out),
  `${JSON.stringify({ benchmark: 'step transaction', results }, null, 2)}\n`,
);
