/*
 * Sørensen–Dice coefficient over character bigrams (counted as a multiset). Linear in the text length,
 * unlike Levenshtein, so comparing every pair in a 20-step window stays cheap; texts longer than the cap
 * are compared by their head and tail, where appended or prepended edits show up.
 */

/** Bigram counts of a text, built once and compared many times. */
export interface BigramProfile {
  text: string;
  counts: Map<string, number>;
  size: number;
}

/** Recent profiles by clip length and text: the same arguments are compared again before every step. */
const profiles = new Map<number, Map<string, BigramProfile>>();
const MAX_PROFILES = 512;

/** The bigram profile of a text, clipped to `maxChars` (half from the head, half from the tail). */
export function bigramProfile(text: string, maxChars: number): BigramProfile {
  let byText = profiles.get(maxChars);
  if (!byText) {
    byText = new Map();
    profiles.set(maxChars, byText);
  }
  const known = byText.get(text);
  if (known) return known;
  const profile = buildProfile(text, maxChars);
  if (byText.size >= MAX_PROFILES) byText.clear();
  byText.set(text, profile);
  return profile;
}

function buildProfile(text: string, maxChars: number): BigramProfile {
  const clipped = clip(text, maxChars);
  const counts = new Map<string, number>();
  for (let i = 0; i < clipped.length - 1; i++) {
    const gram = clipped.slice(i, i + 2);
    counts.set(gram, (counts.get(gram) ?? 0) + 1);
  }
  return { text: clipped, counts, size: Math.max(clipped.length - 1, 0) };
}

/** Similarity of two profiles from 0 (nothing shared) to 1 (same bigrams). */
export function profileSimilarity(a: BigramProfile, b: BigramProfile): number {
  if (a.text === b.text) return 1;
  if (a.size === 0 || b.size === 0) return 0;
  let shared = 0;
  for (const [gram, count] of a.counts) shared += Math.min(count, b.counts.get(gram) ?? 0);
  return (2 * shared) / (a.size + b.size);
}

/** Normalised similarity of two texts from 0 to 1 (Dice coefficient on bigrams). */
export function similarity(a: string, b: string, maxChars = 10_000): number {
  return profileSimilarity(bigramProfile(a, maxChars), bigramProfile(b, maxChars));
}

/** The text itself, or its head and tail when longer than `maxChars`. */
function clip(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const half = Math.floor(maxChars / 2);
  return text.slice(0, half) + text.slice(text.length - half);
}
