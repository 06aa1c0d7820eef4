/**
 * What an honest small-business site must not say unless the owner said it: placeholder text left
 * by a template, and claims nobody can back up (reviews, ratings, awards, statistics, superlatives).
 * Each pattern has a name the audit reports, so a failure says what was found and where.
 */

export interface TextPattern {
  name: string;
  pattern: RegExp;
}

export const PLACEHOLDER_PATTERNS: readonly TextPattern[] = [
  { name: 'lorem ipsum', pattern: /lorem ipsum|dolor sit amet/i },
  {
    name: 'template business name',
    pattern: /\byour (?:company|business)(?: name)?\b|\b(?:company|business) name\b/i,
  },
  { name: 'example.com address', pattern: /\b[\w.+-]*@?example\.(?:com|org|net)\b/i },
  { name: '555 placeholder number', pattern: /(?<!\d)555[-. ]?01\d\d(?!\d)/ },
  { name: 'TODO', pattern: /\b(?:TODO|TBD|FIXME)\b/ },
  { name: 'square bracket', pattern: /\[/ },
  { name: 'template braces', pattern: /\{\{|\}\}|\$\{/ },
  { name: 'programming leftover', pattern: /\b(?:undefined|NaN)\b|\bnull\b(?= |$)/m },
  { name: 'placeholder wording', pattern: /\bplaceholder\b|\binsert [^.\n]{0,30} here\b|\bsample text\b/i },
];

export const CLAIM_PATTERNS: readonly TextPattern[] = [
  {
    name: 'testimonials',
    pattern: /\btestimonials?\b|what (?:our|my) (?:customers|clients|patients|guests) (?:say|said|think)/i,
  },
  { name: 'reviews', pattern: /\breviews?\b|\breviewed\b|お客様の声|口コミ/i },
  {
    name: 'ratings',
    pattern:
      /\bratings?\b|\brated\b|[★☆⭐]|\b\d(?:[.,]\d)?\s*(?:\/\s*5|out of (?:5|five)|stars?)\b|\bfive[- ]stars?\b/i,
  },
  { name: 'awards', pattern: /\bawards?\b|award-winning|\bvoted\b|受賞/i },
  {
    name: 'statistics',
    pattern:
      /\b\d[\d,.]*\s?\+(?!\d)|\b\d+\s?%|\b\d[\d,]*\s+(?:happy|satisfied|loyal) (?:customers|clients|patients)\b/i,
  },
  {
    name: 'years of experience',
    pattern: /\byears(?:[’']|\s+of)?\s+experience\b|\bover \d+ years\b|\bsince \d{4}\b/i,
  },
  { name: 'number one', pattern: /#\s?1\b|\bnumber one\b|\bNo\.\s?1\b|ナンバーワン/i },
  {
    name: 'superlatives',
    pattern:
      /\bbest (?:in|around) (?:town|the city|the area|\p{Lu}\p{L}+)|\b(?:the )?best [\p{L} ]{0,20}in (?:town|the city)\b/iu,
  },
  { name: 'guarantees', pattern: /\bguarantee(?:d|s)?\b|\bmoney[- ]back\b/i },
  {
    name: 'endorsements',
    pattern:
      /\btrusted by\b|\bas seen (?:on|in)\b|\bfeatured in\b|\b(?:happy|satisfied) (?:customers|clients)\b/i,
  },
];

export interface PatternHit {
  name: string;
  match: string;
}

/**
 * Every pattern found in `text` that the owner's own words (`briefText`, lower-cased) do not contain:
 * a café whose brief says "award-winning" may say so on its site.
 */
export function findPatterns(
  text: string,
  patterns: readonly TextPattern[],
  briefText: string,
): PatternHit[] {
  const hits: PatternHit[] = [];
  for (const { name, pattern } of patterns) {
    const global = new RegExp(
      pattern.source,
      pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`,
    );
    for (const match of text.matchAll(global)) {
      const found = match[0].trim();
      if (!found || briefText.includes(found.toLowerCase())) continue;
      hits.push({ name, match: found });
      break;
    }
  }
  return hits;
}
