/**
 * Reading opening hours as pages write them: times in 24- or 12-hour form, day labels in the brief's
 * language or English ("Mon–Fri", "Monday to Friday", "月〜金"), and intervals ("12:00–14:30").
 */
import type { Weekday } from '../brief.ts';
import { dayNames, type Interval, WEEK } from '../site/facts.ts';

/** A clock time: `9:00`, `09:00`, `9:00 pm`, `9:45pm`. */
const TIME = /(?<![\d:])([01]?\d|2[0-3]):([0-5]\d)(?:\s*([ap])\.?m\.?)?(?![\d:])/gi;

function normalizeTime(hour: string, minute: string, meridiem: string | undefined): string {
  let h = Number(hour);
  if (meridiem?.toLowerCase() === 'p' && h < 12) h += 12;
  if (meridiem?.toLowerCase() === 'a' && h === 12) h = 0;
  return `${String(h).padStart(2, '0')}:${minute}`;
}

/** Every time in `text`, as 24-hour HH:MM. */
export function timesIn(text: string): string[] {
  return [...text.matchAll(TIME)].map((m) => normalizeTime(m[1] ?? '', m[2] ?? '', m[3]));
}

/** Day-name lookup for hours tables in the brief's language and in English. */
export function dayLookup(language: string): Map<string, Weekday> {
  const lookup = new Map<string, Weekday>();
  const add = (name: string, day: Weekday) => lookup.set(name.toLowerCase().replace(/\.$/, ''), day);
  for (const lang of [language, 'en']) {
    for (const weekday of ['short', 'long'] as const) {
      const names = dayNames(lang, weekday);
      for (const day of WEEK) add(names[day], day);
    }
  }
  for (const day of WEEK) add(day, day);
  return lookup;
}

/** "Mon–Fri", "Sat, Sun", "月〜金" → the days; undefined when the label is not a list of days. */
export function parseDays(label: string, lookup: Map<string, Weekday>): Weekday[] | undefined {
  const days: Weekday[] = [];
  for (const part of label.split(/\s*(?:,|、|・|&|\band\b|\/)\s*/)) {
    if (!part.trim()) continue;
    const ends = part
      .split(/\s*(?:–|—|-|〜|~|\bto\b)\s*/)
      .map((p) => lookup.get(p.trim().toLowerCase().replace(/\.$/, '')));
    const [from, to] = ends;
    if (!from || ends.length > 2 || (ends.length === 2 && !to)) return undefined;
    if (!to) {
      days.push(from);
      continue;
    }
    const start = WEEK.indexOf(from);
    const end = WEEK.indexOf(to);
    for (let i = start; ; i = (i + 1) % 7) {
      days.push(WEEK[i] as Weekday);
      if (i === end) break;
    }
  }
  return days.length > 0 ? days : undefined;
}

/** Every "opens–closes" range in `text`. */
export function intervalsIn(text: string): Interval[] {
  const ranges =
    /(\d{1,2}:\d{2}\s*(?:[ap]\.?m\.?)?)\s*(?:–|—|-|〜|~|to)\s*(\d{1,2}:\d{2}\s*(?:[ap]\.?m\.?)?)/gi;
  return [...text.matchAll(ranges)].map((m) => {
    const [opens] = timesIn(m[1] ?? '');
    const [closes] = timesIn(m[2] ?? '');
    return { opens: opens ?? '', closes: closes ?? '' };
  });
}
