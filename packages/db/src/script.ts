/**
 * Commits sent as one script: several statements, their values written in as SQL literals, in one
 * round trip (the simple query protocol). Postgres runs a multi-statement script as one implicit
 * transaction — all of it commits or none of it does — on Postgres and PGlite alike. It is how the
 * engine commits a step without paying a round trip per statement
 * (docs/adr/0004-step-commits-in-one-round-trip.md).
 *
 * A script states what it relies on with `expectation(condition, code)`: when the condition does not hold,
 * the database raises SQLSTATE SW001 with `code` as the message and the whole script rolls back;
 * `failedExpectation` tells the caller which one it was.
 */
import type { Db } from './client.ts';

const EXPECTATION_FAILED = 'SW001';

/** A scalar as an SQL literal: text, number, boolean, timestamp or NULL. Objects go through `jsonLiteral`. */
export function sqlLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`Cannot write ${value} as an SQL number`);
    return value < 0 ? `(${value})` : String(value);
  }
  if (typeof value === 'bigint') return value < 0n ? `(${value})` : String(value);
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new TypeError('Cannot write an invalid date as SQL');
    return `'${value.toISOString()}'::timestamptz`;
  }
  if (typeof value === 'string') return textLiteral(value);
  throw new TypeError(`Cannot write a ${typeof value} as an SQL scalar; use jsonLiteral`);
}

/** Any JSON value as a jsonb literal (a string becomes a JSON string, not text). */
export function jsonLiteral(value: unknown): string {
  return jsonTextLiteral(JSON.stringify(value ?? null));
}

/** JSON text already serialised (e.g. by the caller, who keeps it) as a jsonb literal. */
export function jsonTextLiteral(json: string): string {
  return `${textLiteral(json)}::jsonb`;
}

const QUOTE_OR_BACKSLASH = /['\\]/g;

/**
 * An escape-string literal (E'…'): quotes and backslashes doubled, so it reads the same whatever
 * `standard_conforming_strings` is. Text cannot hold NUL in Postgres, so it is refused here.
 */
function textLiteral(text: string): string {
  if (text.includes('\u0000')) throw new TypeError('Text for the database cannot contain a NUL character');
  return `E'${text.replace(QUOTE_OR_BACKSLASH, '$&$&')}'`;
}

/**
 * `sitewright_expect(<condition>, '<code>')`, an SQL expression that is true, or stops the script and
 * rolls it back (SQLSTATE SW001, `code` as the message) when the condition does not hold.
 */
export function expectation(condition: string, code: string): string {
  return `sitewright_expect(${condition}, ${textLiteral(code)})`;
}

/** The code of the expectation that stopped a script, or null for any other error. */
export function failedExpectation(error: unknown): string | null {
  if (typeof error !== 'object' || error === null) return null;
  const { code, message } = error as { code?: unknown; message?: unknown };
  return code === EXPECTATION_FAILED && typeof message === 'string' ? message : null;
}

interface PgliteClient {
  exec(script: string): Promise<Array<{ rows: Record<string, unknown>[] }>>;
}
interface PostgresClient {
  unsafe(script: string): Promise<unknown[]>;
}

/** The embedded database's client (PGlite), or null for a Postgres pool. */
function embeddedClient(db: Db): PgliteClient | null {
  const client = (db as unknown as { $client: PgliteClient | PostgresClient }).$client;
  return 'exec' in client && typeof client.exec === 'function' ? client : null;
}

/** Whether `db` is the embedded database (PGlite), which only this process can open (its lock file). */
export function isEmbedded(db: Db): boolean {
  return embeddedClient(db) !== null;
}

const DUPLICATE_PREPARED_STATEMENT = '42P05';
/** Per embedded client: the names prepared, and the statement sets known to be complete. */
const prepared = new WeakMap<object, Set<string | object>>();

/**
 * Prepares statements once on the embedded database (PGlite), so scripts can `EXECUTE` them (each
 * given as `(parameter types) as statement`): there, planning is about half of a small statement's
 * cost, and its one session keeps them prepared. Returns false elsewhere (a Postgres pool has a
 * session per connection; its planning is cheap next to the network), and the caller writes the
 * statements out in full.
 */
export async function prepareEmbedded(db: Db, statements: Record<string, string>): Promise<boolean> {
  const client = embeddedClient(db);
  if (!client) return false;
  let done = prepared.get(client);
  if (!done) {
    done = new Set();
    prepared.set(client, done);
  }
  if (done.has(statements)) return true;
  for (const [name, statement] of Object.entries(statements)) {
    if (done.has(name)) continue;
    try {
      await client.exec(`prepare ${name} ${statement}`);
    } catch (error) {
      // Another engine in this process prepared it first: the same text, so the same statement.
      if ((error as { code?: unknown }).code !== DUPLICATE_PREPARED_STATEMENT) throw error;
    }
    done.add(name);
  }
  done.add(statements);
  return true;
}

/**
 * Runs statements as one script in one round trip and one transaction; returns the rows of the last
 * statement (as the driver reads them: snake_case keys, values not yet mapped to the schema's types).
 * Not for use inside an open drizzle transaction: the script is its own transaction.
 */
export async function runScript(db: Db, statements: string[]): Promise<Record<string, unknown>[]> {
  const script = statements.join(';\n');
  const embedded = embeddedClient(db);
  if (embedded) return (await embedded.exec(script)).at(-1)?.rows ?? [];
  const result = await (db as unknown as { $client: PostgresClient }).$client.unsafe(script);
  // One statement gives its rows; several give one array of rows per statement that returned any.
  const last = statements.length > 1 && Array.isArray(result[0]) ? result.at(-1) : result;
  return Array.isArray(last) ? (last as Record<string, unknown>[]) : [];
}
