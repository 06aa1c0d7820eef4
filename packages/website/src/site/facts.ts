/**
 * The brief's facts in the shapes pages show them: a dialable phone link, address lines, opening hours
 * grouped by day, labels for social profiles. The intent audit uses the same functions, so the site
 * and the audit can never disagree on how a fact is written.
 */
import type { Brief, OpeningHours, PostalAddress, Weekday } from '../brief.ts';
import { baseLanguage, type Copy } from './copy.ts';

/** ISO 3166 codes for the country names and codes owners are likely to type. */
const COUNTRY_ALIASES: Record<string, string> = {
  'united kingdom': 'GB',
  uk: 'GB',
  gb: 'GB',
  'great britain': 'GB',
  england: 'GB',
  scotland: 'GB',
  wales: 'GB',
  'northern ireland': 'GB',
  'united states': 'US',
  'united states of america': 'US',
  usa: 'US',
  us: 'US',
  canada: 'CA',
  ca: 'CA',
  ireland: 'IE',
  éire: 'IE',
  ie: 'IE',
  'new zealand': 'NZ',
  nz: 'NZ',
  australia: 'AU',
  au: 'AU',
  japan: 'JP',
  日本: 'JP',
  jp: 'JP',
  germany: 'DE',
  deutschland: 'DE',
  de: 'DE',
  france: 'FR',
  fr: 'FR',
  spain: 'ES',
  españa: 'ES',
  es: 'ES',
  italy: 'IT',
  italia: 'IT',
  it: 'IT',
  netherlands: 'NL',
  'the netherlands': 'NL',
  nederland: 'NL',
  nl: 'NL',
  belgium: 'BE',
  belgique: 'BE',
  belgië: 'BE',
  be: 'BE',
  switzerland: 'CH',
  schweiz: 'CH',
  suisse: 'CH',
  ch: 'CH',
  austria: 'AT',
  österreich: 'AT',
  at: 'AT',
  portugal: 'PT',
  pt: 'PT',
  greece: 'GR',
  ελλάδα: 'GR',
  gr: 'GR',
  sweden: 'SE',
  sverige: 'SE',
  se: 'SE',
  denmark: 'DK',
  danmark: 'DK',
  dk: 'DK',
  norway: 'NO',
  norge: 'NO',
  no: 'NO',
  finland: 'FI',
  suomi: 'FI',
  fi: 'FI',
  poland: 'PL',
  polska: 'PL',
  pl: 'PL',
  india: 'IN',
  in: 'IN',
  'south africa': 'ZA',
  za: 'ZA',
  mexico: 'MX',
  méxico: 'MX',
  mx: 'MX',
  singapore: 'SG',
  sg: 'SG',
};

/** Country calling code and whether national numbers carry a leading trunk "0" to drop. */
const DIALING: Record<string, { code: string; trunkZero: boolean }> = {
  GB: { code: '44', trunkZero: true },
  US: { code: '1', trunkZero: false },
  CA: { code: '1', trunkZero: false },
  IE: { code: '353', trunkZero: true },
  NZ: { code: '64', trunkZero: true },
  AU: { code: '61', trunkZero: true },
  JP: { code: '81', trunkZero: true },
  DE: { code: '49', trunkZero: true },
  FR: { code: '33', trunkZero: true },
  ES: { code: '34', trunkZero: false },
  // Italian numbers keep their leading 0 after the country code.
  IT: { code: '39', trunkZero: false },
  NL: { code: '31', trunkZero: true },
  BE: { code: '32', trunkZero: true },
  CH: { code: '41', trunkZero: true },
  AT: { code: '43', trunkZero: true },
  PT: { code: '351', trunkZero: false },
  GR: { code: '30', trunkZero: false },
  SE: { code: '46', trunkZero: true },
  DK: { code: '45', trunkZero: false },
  NO: { code: '47', trunkZero: false },
  FI: { code: '358', trunkZero: true },
  PL: { code: '48', trunkZero: false },
  IN: { code: '91', trunkZero: true },
  ZA: { code: '27', trunkZero: true },
  MX: { code: '52', trunkZero: false },
  SG: { code: '65', trunkZero: false },
};

/** Languages spoken as a first language in essentially one country. */
const COUNTRY_BY_LANGUAGE: Record<string, string> = {
  ja: 'JP',
  el: 'GR',
  fi: 'FI',
  pl: 'PL',
  da: 'DK',
  sv: 'SE',
  nb: 'NO',
  nn: 'NO',
};

/** The brief's country as an ISO code: from the address, else from the language tag ("en-GB"). */
export function countryOf(brief: Brief): string | undefined {
  const named = brief.contact.address?.country.trim().toLowerCase();
  if (named && COUNTRY_ALIASES[named]) return COUNTRY_ALIASES[named];
  const region = /^[a-z]{2,3}-([a-z]{2})\b/i.exec(brief.language)?.[1]?.toUpperCase();
  if (region && DIALING[region]) return region;
  return COUNTRY_BY_LANGUAGE[baseLanguage(brief.language)];
}

/**
 * A phone number as an E.164 string ("+441134960123") when it is international or the country is
 * known; otherwise its bare digits, which phones still dial locally.
 */
export function normalizePhone(phone: string, country: string | undefined): string {
  // An extension ("ext. 12", "x12") is not dialled; "+44 (0)20 …" marks a trunk 0 not to dial.
  const main = (phone.split(/\s*(?:ext\.?|extension|x)\s*\d+\s*$/i)[0] ?? phone).replace(/\(0\)/g, '');
  const digits = main.replace(/\D/g, '');
  if (main.trim().startsWith('+')) return `+${digits}`;
  if (digits.startsWith('00')) return `+${digits.slice(2)}`;
  const dialing = country ? DIALING[country] : undefined;
  if (!dialing) return digits;
  if (dialing.code === '1') {
    if (digits.startsWith('011')) return `+${digits.slice(3)}`;
    if (digits.length === 11 && digits.startsWith('1')) return `+${digits}`;
    return `+1${digits}`;
  }
  const national = dialing.trunkZero && digits.startsWith('0') ? digits.slice(1) : digits;
  return `+${dialing.code}${national}`;
}

/** The `tel:` href for the brief's phone. */
export function telHref(brief: Brief): string | undefined {
  const { phone } = brief.contact;
  return phone ? `tel:${normalizePhone(phone, countryOf(brief))}` : undefined;
}

/** The `mailto:` href for the brief's email. */
export function mailtoHref(brief: Brief): string | undefined {
  return brief.contact.email ? `mailto:${brief.contact.email}` : undefined;
}

type AddressStyle = 'postal-after' | 'region-comma' | 'postal-before' | 'japanese';

const ADDRESS_STYLE: Record<string, AddressStyle> = {
  US: 'region-comma',
  CA: 'region-comma',
  AU: 'region-comma',
  JP: 'japanese',
  DE: 'postal-before',
  FR: 'postal-before',
  ES: 'postal-before',
  IT: 'postal-before',
  NL: 'postal-before',
  BE: 'postal-before',
  CH: 'postal-before',
  AT: 'postal-before',
  PT: 'postal-before',
  GR: 'postal-before',
  SE: 'postal-before',
  DK: 'postal-before',
  NO: 'postal-before',
  FI: 'postal-before',
  PL: 'postal-before',
  MX: 'postal-before',
};

const joinDefined = (parts: Array<string | undefined>, separator: string) =>
  parts.filter((part): part is string => Boolean(part)).join(separator);

/**
 * The address as display lines in the country's usual order. Every field appears verbatim in exactly
 * one line, which is what the intent audit checks.
 */
export function addressLines(address: PostalAddress): string[] {
  const country = COUNTRY_ALIASES[address.country.trim().toLowerCase()];
  const { street, locality, region, postalCode } = address;
  switch (country ? (ADDRESS_STYLE[country] ?? 'postal-after') : 'postal-after') {
    case 'region-comma':
      return [
        street,
        `${locality}${region || postalCode ? ',' : ''} ${joinDefined([region, postalCode], ' ')}`.trim(),
        address.country,
      ];
    case 'postal-before':
      return [street, joinDefined([postalCode, locality, region], ' '), address.country];
    case 'japanese':
      // 〒604-8004 / 京都府京都市中京区… — largest unit first, written without spaces.
      return [
        joinDefined([postalCode && `〒${postalCode}`], ''),
        joinDefined([region, locality, street], ''),
        address.country,
      ].filter(Boolean);
    default:
      return [street, joinDefined([locality, region, postalCode], ' '), address.country];
  }
}

/** A link that searches OpenStreetMap for the address (a link, never an embed: no third-party loads). */
export function mapUrl(address: PostalAddress): string {
  return `https://www.openstreetmap.org/search?query=${encodeURIComponent(addressLines(address).join(', '))}`;
}

/** Where the business is, in a few words: its town, or the start of its service area. */
export function placeLine(brief: Brief, copy: Copy): string | undefined {
  const { address, serviceArea } = brief.contact;
  if (address) {
    const japanese = COUNTRY_ALIASES[address.country.trim().toLowerCase()] === 'JP';
    return japanese
      ? joinDefined([address.region, address.locality], '')
      : joinDefined([address.locality, address.region], copy.listSeparator);
  }
  if (serviceArea?.length) {
    const shown = serviceArea.slice(0, 3).join(copy.listSeparator);
    return serviceArea.length > 3 ? `${shown} …` : shown;
  }
  return undefined;
}

export const WEEK: readonly Weekday[] = ['Mo', 'Tu', 'We', 'Th', 'Fr', 'Sa', 'Su'];

export interface Interval {
  opens: string;
  closes: string;
}

/** Days that share the same opening intervals, consecutive in the week; `intervals` empty = closed. */
export interface HoursGroup {
  days: Weekday[];
  intervals: Interval[];
}

/** Each weekday's intervals, sorted, duplicates removed. */
export function hoursByDay(hours: readonly OpeningHours[]): Map<Weekday, Interval[]> {
  const byDay = new Map<Weekday, Interval[]>(WEEK.map((day) => [day, []]));
  for (const entry of hours) {
    for (const day of entry.days) {
      const list = byDay.get(day) ?? [];
      if (!list.some((i) => i.opens === entry.opens && i.closes === entry.closes)) {
        list.push({ opens: entry.opens, closes: entry.closes });
      }
      byDay.set(day, list);
    }
  }
  for (const list of byDay.values()) list.sort((a, b) => a.opens.localeCompare(b.opens));
  return byDay;
}

const sameIntervals = (a: Interval[], b: Interval[]) =>
  a.length === b.length && a.every((i, n) => i.opens === b[n]?.opens && i.closes === b[n]?.closes);

/**
 * The week as rows for an hours table, Monday first, consecutive days with identical hours merged.
 * Days the brief does not list are closed (the schema.org reading of opening hours). Empty when the
 * brief gives no hours at all: then the site shows no hours rather than guessing.
 */
export function groupHours(hours: readonly OpeningHours[]): HoursGroup[] {
  if (hours.length === 0) return [];
  const byDay = hoursByDay(hours);
  const groups: HoursGroup[] = [];
  for (const day of WEEK) {
    const intervals = byDay.get(day) ?? [];
    const last = groups.at(-1);
    if (last && sameIntervals(last.intervals, intervals)) last.days.push(day);
    else groups.push({ days: [day], intervals });
  }
  return groups;
}

const WEEKDAY_DATES: Record<Weekday, number> = { Mo: 1, Tu: 2, We: 3, Th: 4, Fr: 5, Sa: 6, Su: 7 };

/** Weekday names in the brief's language ("Mon", "月", "lun."), from the platform's ICU data. */
export function dayNames(language: string, style: 'short' | 'long' = 'short'): Record<Weekday, string> {
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat(language, { weekday: style, timeZone: 'UTC' });
  } catch {
    format = new Intl.DateTimeFormat('en', { weekday: style, timeZone: 'UTC' });
  }
  // 2024-01-01 was a Monday.
  const names = WEEK.map((day) => [day, format.format(new Date(Date.UTC(2024, 0, WEEKDAY_DATES[day])))]);
  return Object.fromEntries(names) as Record<Weekday, string>;
}

/** "Mon", "Sat, Sun" or "Mon–Fri" for a run of consecutive days. */
export function formatDays(days: readonly Weekday[], names: Record<Weekday, string>, copy: Copy): string {
  const first = days[0];
  const last = days.at(-1);
  if (!first || !last) return '';
  if (days.length === 1) return names[first];
  if (days.length === 2) return `${names[first]}${copy.listSeparator}${names[last]}`;
  return `${names[first]}${copy.rangeSeparator}${names[last]}`;
}

/** "12:00–14:30, 17:00–22:30", or the closed label. */
export function formatIntervals(intervals: readonly Interval[], copy: Copy): string {
  if (intervals.length === 0) return copy.closed;
  return intervals.map((i) => `${i.opens}${copy.rangeSeparator}${i.closes}`).join(copy.listSeparator);
}

const SOCIAL_NAMES: Record<string, string> = {
  'instagram.com': 'Instagram',
  'facebook.com': 'Facebook',
  'fb.com': 'Facebook',
  'tiktok.com': 'TikTok',
  'x.com': 'X',
  'twitter.com': 'X (Twitter)',
  'linkedin.com': 'LinkedIn',
  'youtube.com': 'YouTube',
  'pinterest.com': 'Pinterest',
  'threads.net': 'Threads',
  'bsky.app': 'Bluesky',
  'yelp.com': 'Yelp',
  'tripadvisor.com': 'Tripadvisor',
  'behance.net': 'Behance',
  'etsy.com': 'Etsy',
  'github.com': 'GitHub',
  'wa.me': 'WhatsApp',
  'line.me': 'LINE',
};

/** A readable name for a social profile link ("Instagram"), else its host name. */
export function socialLabel(url: string): string {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase().replace(/^(www|m)\./, '');
  } catch {
    return url;
  }
  const known = Object.entries(SOCIAL_NAMES).find(
    ([domain]) => host === domain || host.endsWith(`.${domain}`),
  );
  return known ? known[1] : host;
}
