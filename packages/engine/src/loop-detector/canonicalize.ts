import { remember } from './memo.ts';
import type { Step } from './types.ts';

/*
 * Canonical form: what must be equal for two steps to count as "the same".
 *
 * Dropped keys (at any depth, in args and results alike, because canonicalize cannot tell them apart):
 * - identifiers: `id`, `ids`, `uuid`, `_id`, `*Id`, `*ID`, `*Ids`, `*_id`, `*_ids` (e.g. `requestId`);
 * - time: `timestamp`, `at`, `time`, `date`, `seq`, `*At` (`createdAt`…), `*_at`, and measured durations
 *   (`duration`, `durationMs`, `elapsed`, `elapsedMs`, `latencyMs`) that differ on every call;
 * - the model's self-narration: `reasoning`, `thought`, `thoughts`, `explanation`, `rationale`.
 * Kept on purpose: `message`, `question`, `description`, `notes` — in args they are usually the payload
 * (a chat message, a commit message), so dropping them would make different questions look identical.
 * Trade-off: a work-item id in args (`itemId`) is dropped too, so two calls that differ *only* in the item
 * they touch look the same; real calls on different items almost always differ in other fields.
 *
 * Inside strings: UUIDs → `<uuid>`, ISO timestamps → `<time>`, hex or digit runs of ≥ 12 characters
 * (hashes, commit ids, epoch milliseconds) → `<hex>`, whitespace trimmed and collapsed to one space.
 * Error messages additionally turn every number into `#`, so line/column, counts and durations do not
 * make the same error look different.
 */

const ID_KEY = /^(?:id|ids|uuid|_id)$|[a-z0-9](?:Id|ID|Ids|IDs)$|_ids?$/;
const BARE_ID_KEY = /^(?:id|ids|uuid)$/i;
const TIME_KEY =
  /^(?:timestamp|at|time|date|seq|duration|durationMs|elapsed|elapsedMs|latencyMs)$|[a-z0-9]At$|_at$/;
const PROSE_KEY = /^(?:reasoning|thought|thoughts|explanation|rationale)$/;

const UUID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;
const ISO_TIMESTAMP =
  /\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?/gi;
const LONG_HEX = /\b(?=[0-9a-f]*\d)[0-9a-f]{12,}\b/gi;
const NUMBER = /\d+(?:\.\d+)?/g;

/** Whether a key holds an id, a timestamp or the model's prose, and is left out of the canonical form. */
export function isVolatileKey(key: string): boolean {
  return ID_KEY.test(key) || BARE_ID_KEY.test(key) || TIME_KEY.test(key) || PROSE_KEY.test(key);
}

/** Replaces generated values inside a string with placeholders and collapses its whitespace. */
export function canonicalizeText(text: string): string {
  return text
    .replace(UUID, '<uuid>')
    .replace(ISO_TIMESTAMP, '<time>')
    .replace(LONG_HEX, '<hex>')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Canonical texts of objects already seen (see memo.ts). */
const canonicalTexts = new WeakMap<object, string>();

/** Deterministic JSON text of a JSON value: sorted keys, volatile keys dropped, strings canonicalised. */
export function canonicalize(value: unknown): string {
  if (typeof value !== 'object' || value === null) return serialize(value) ?? '';
  return remember(canonicalTexts, value, () => serialize(value) ?? '');
}

/** An error message with its generated values and all numbers collapsed. */
export function canonicalizeError(message: string): string {
  return canonicalizeText(message).replace(NUMBER, '#');
}

const actions = new WeakMap<Step, string>();
const results = new WeakMap<Step, string>();

/** The canonical action of a step: its tool and canonical arguments. */
export function canonicalAction(step: Step): string {
  return remember(actions, step, () => `${step.tool} ${canonicalize(step.args)}`);
}

/** The canonical outcome of a step: its canonical result, or its canonical error. */
export function canonicalResult(step: Step): string {
  return remember(results, step, () =>
    step.outcome === 'ok' ? `ok ${canonicalize(step.result)}` : `error ${canonicalErrorOf(step)}`,
  );
}

/** The canonical error of a failed step (its result when the message is missing). */
export function canonicalErrorOf(step: Step): string {
  return step.error === undefined ? canonicalize(step.result) : canonicalizeError(step.error);
}

/** JSON text of one value, or undefined for values JSON leaves out (undefined, functions, symbols). */
function serialize(value: unknown): string | undefined {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(canonicalizeText(value));
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
    case 'bigint':
      return String(value);
    case 'object':
      return Array.isArray(value) ? serializeArray(value) : serializeObject(value as Record<string, unknown>);
    default:
      return undefined;
  }
}

/** JSON text of an array; order matters, so it is kept. */
function serializeArray(items: readonly unknown[]): string {
  return `[${items.map((item) => serialize(item) ?? 'null').join(',')}]`;
}

/** JSON text of an object with sorted keys and without volatile keys. */
function serializeObject(object: Record<string, unknown>): string {
  const fields: string[] = [];
  for (const key of Object.keys(object).sort()) {
    if (isVolatileKey(key)) continue;
    const text = serialize(object[key]);
    if (text !== undefined) fields.push(`${JSON.stringify(key)}:${text}`);
  }
  return `{${fields.join(',')}}`;
}
