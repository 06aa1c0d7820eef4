/** Secret redaction for anything stored or logged: API keys, bearer tokens and auth headers. */

const SECRET_KEYS = /^(authorization|x-api-key|api[-_]?key|proxy-authorization|cookie|set-cookie)$/i;
const SECRET_PATTERNS: RegExp[] = [
  /sk-ant-[A-Za-z0-9_-]{6,}/g,
  /sk-(?:or-|proj-)?[A-Za-z0-9_-]{12,}/g,
  /\bBearer\s+[A-Za-z0-9._~+/=-]{8,}/gi,
  /(x-api-key["']?\s*[:=]\s*["']?)[^\s"',}]+/gi,
];
export const REDACTED = '[redacted]';

/** A deep copy of `value` with secrets replaced; `known` adds exact values (the configured keys). */
export function redactSecrets<T>(value: T, known: readonly string[] = []): T {
  return redact(
    value,
    known.filter((s) => s.length >= 6),
    new WeakSet(),
  ) as T;
}

function redactString(text: string, known: readonly string[]): string {
  let out = text;
  for (const secret of known) out = out.split(secret).join(REDACTED);
  for (const pattern of SECRET_PATTERNS) {
    out = out.replace(pattern, (match, prefix: unknown) =>
      typeof prefix === 'string' && match.startsWith(prefix) ? `${prefix}${REDACTED}` : REDACTED,
    );
  }
  return out;
}

function redact(value: unknown, known: readonly string[], seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return redactString(value, known);
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[circular]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((item) => redact(item, known, seen));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] =
      SECRET_KEYS.test(key) && item !== null && item !== undefined ? REDACTED : redact(item, known, seen);
  }
  return out;
}
