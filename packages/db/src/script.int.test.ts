import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  expectation,
  failedExpectation,
  jsonLiteral,
  projects,
  queryRows,
  runScript,
  sqlLiteral,
  users,
} from './index.ts';
import { createTestDb, resetTestDb, type TestDb, testDriver } from './testing.ts';

let handle: TestDb;
beforeAll(async () => {
  handle = await createTestDb();
});
afterAll(async () => {
  await handle.close();
});
beforeEach(async () => {
  await resetTestDb(handle);
});

const awkward = [
  "Maria's Pizzeria",
  'back\\slash \\n not a newline, \\\\ two',
  "'; drop table users; --",
  '$$ dollar $tag$ quoting $$',
  'line one\nline two\r\n\ttabbed',
  'ünïcödé — “quotes” 🍕 \u2028',
  "E'already escaped'",
  '',
];

describe(`one-round-trip scripts on ${testDriver()}`, () => {
  it('writes text, numbers, timestamps and JSON as literals that read back exactly', async () => {
    const at = new Date('2026-11-21T10:11:12.345Z');
    for (const text of awkward) {
      const payload = { text, nested: [text, 1.5, -2, null, true], [text]: 'key' };
      const [row] = await runScript(handle.db, [
        `select ${sqlLiteral(text)} as text, ${jsonLiteral(payload)} as payload, ${jsonLiteral(text)} as quoted,
          ${sqlLiteral(-42)} as negative, ${sqlLiteral(0.000123)} as small, ${sqlLiteral(at)} as at,
          ${sqlLiteral(null)} as nothing, ${sqlLiteral(false)} as flag`,
      ]);
      expect(row?.text).toBe(text);
      const payloadBack = typeof row?.payload === 'string' ? JSON.parse(row.payload) : row?.payload;
      expect(payloadBack).toEqual(payload);
      expect(row?.quoted).toBe(text);
      expect(Number(row?.negative)).toBe(-42);
      expect(Number(row?.small)).toBe(0.000123);
      expect(new Date(row?.at as string).toISOString()).toBe(at.toISOString());
      expect(row?.nothing).toBeNull();
      expect(row?.flag).toBe(false);
    }
  });

  it('refuses what it cannot write instead of writing something else', () => {
    expect(() => sqlLiteral('nul \u0000 inside')).toThrow(/NUL/);
    expect(() => sqlLiteral(Number.NaN)).toThrow(/NaN/);
    expect(() => sqlLiteral(Number.POSITIVE_INFINITY)).toThrow(/Infinity/);
    expect(() => sqlLiteral({ an: 'object' })).toThrow(/jsonLiteral/);
    expect(() => sqlLiteral(new Date('not a date'))).toThrow(/invalid date/);
  });

  it('commits every statement of a script, or none when an expectation fails', async () => {
    const [owner] = await handle.db
      .insert(users)
      .values({ username: 'maria', passwordHash: 'x' })
      .returning();
    const insert = (name: string) =>
      `insert into projects (owner_id, name) values (${sqlLiteral(owner?.id)}, ${sqlLiteral(name)})`;
    const rows = await runScript(handle.db, [
      insert('first'),
      insert('second'),
      `select ${expectation('true', 'always')}`,
      'select count(*)::int as n from projects',
    ]);
    expect(Number(rows[0]?.n)).toBe(2);

    let error: unknown;
    try {
      await runScript(handle.db, [
        insert('third'),
        `select ${expectation('1 = 2', 'lease_lost')}`,
        insert('fourth'),
      ]);
    } catch (caught) {
      error = caught;
    }
    expect(failedExpectation(error)).toBe('lease_lost');
    const names = await queryRows<{ name: string }>(handle.db, sql`select name from projects order by name`);
    expect(names.map((row) => row.name)).toEqual(['first', 'second']);

    // Any other failure rolls back just the same, and is not mistaken for an expectation.
    await expect(runScript(handle.db, [insert('fifth'), 'select 1/0'])).rejects.toSatisfy(
      (caught: unknown) => failedExpectation(caught) === null,
    );
    expect(await handle.db.$count(projects)).toBe(2);
    // The connection is usable afterwards (no transaction was left open).
    expect(Number((await runScript(handle.db, ['select 7 as seven']))[0]?.seven)).toBe(7);
  });
});
