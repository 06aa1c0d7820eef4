/**
 * The value cached for `key`, computed on first use. The detector runs before every step over the same
 * recent steps, whose events, arguments and results are the log's objects — never mutated — so what
 * is derived from one of them is derived once.
 */
export function remember<K extends object, V>(cache: WeakMap<K, V>, key: K, compute: () => V): V {
  if (cache.has(key)) return cache.get(key) as V;
  const value = compute();
  cache.set(key, value);
  return value;
}
