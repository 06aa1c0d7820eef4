/**
 * The demo worker's brief interview: one question per fact, options with sensible defaults for the
 * industry, and forgiving parsers that turn the owner's words into brief fields — or explain what
 * they could not read, so the question can be asked again.
 */
import type { BriefInput, Industry, OpeningHours, Tone, Weekday } from '../brief.ts';

export type QuestionKey =
  | 'name'
  | 'industry'
  | 'description'
  | 'services'
  | 'phone'
  | 'email'
  | 'location'
  | 'hours'
  | 'tone'
  | 'colour'
  | 'social';

export const questionOrder: QuestionKey[] = [
  'name',
  'industry',
  'description',
  'services',
  'phone',
  'email',
  'location',
  'hours',
  'tone',
  'colour',
  'social',
];

/** Labels for "what should change?" */
export const questionLabels: Record<QuestionKey, string> = {
  name: 'Business name',
  industry: 'Kind of business',
  description: 'What you offer',
  services: 'Services or products',
  phone: 'Phone number',
  email: 'Email address',
  location: 'Address or service area',
  hours: 'Opening hours',
  tone: 'Tone',
  colour: 'Brand colour',
  social: 'Social links',
};

export const industryLabels: Record<Industry, string> = {
  restaurant: 'Restaurant',
  cafe: 'Café',
  trades: 'Trades / home services',
  salon: 'Salon',
  health: 'Health / dental',
  photographer: 'Photographer',
  retail: 'Retail shop',
  professional: 'Professional services',
  other: 'Something else',
};

const toneLabels: Record<Tone, string> = {
  friendly: 'Friendly',
  professional: 'Professional',
  playful: 'Playful',
  elegant: 'Elegant',
  bold: 'Bold',
};

export const colourOptions = [
  'Tomato red (#c0392b)',
  'Forest green (#2e7d32)',
  'Ocean blue (#1565c0)',
  'Plum (#6a1b9a)',
  'Charcoal (#37474f)',
  'Amber (#b7791f)',
];

const hoursDefaults: Record<Industry, string[]> = {
  restaurant: ['Tue–Sun 12:00–22:00', 'Mon–Sat 11:00–23:00'],
  cafe: ['Mon–Fri 07:30–17:00; Sat–Sun 09:00–16:00', 'Mon–Sun 08:00–18:00'],
  trades: ['Mon–Fri 08:00–18:00', 'Mon–Sat 07:00–19:00'],
  salon: ['Tue–Sat 09:00–18:00', 'Mon–Fri 10:00–19:00; Sat 09:00–15:00'],
  health: ['Mon–Fri 08:30–17:30', 'Mon–Thu 08:00–18:00; Fri 08:00–14:00'],
  photographer: ['By appointment only', 'Mon–Fri 09:00–17:00'],
  retail: ['Mon–Sat 09:30–18:00', 'Mon–Sat 10:00–18:00; Sun 11:00–16:00'],
  professional: ['Mon–Fri 09:00–17:30', 'By appointment only'],
  other: ['Mon–Fri 09:00–17:00', 'By appointment only'],
};

export interface Question {
  text: string;
  options?: string[];
}

/** The base text of each question: how an answer is matched to its question. */
export const questionText: Record<QuestionKey, string> = {
  name: 'What is the name of your business, exactly as customers should see it?',
  industry: 'What kind of business is it?',
  description: 'In a sentence or two: what do you offer, and who are your customers?',
  services:
    'Which services or products should the site list? One per line — add a price after a dash only if you want it shown (e.g. “Haircut – £25”).',
  phone: 'What phone number should customers call? Write it as it should appear, or “none”.',
  email: 'Which email address should customers write to? Or “none”.',
  location:
    'Where do customers find you? Give the street address as “street, town, postcode, country” — or, if you travel to customers, write “Area:” followed by the places you serve.',
  hours: 'When are you open? For example “Mon–Fri 09:00–17:00; Sat 10:00–14:00”, or “By appointment only”.',
  tone: 'How should the site sound?',
  colour: 'Pick a brand colour (or type any colour code like #1f6feb).',
  social: 'Any social media pages to link? Paste the addresses, one per line — or “none”.',
};

export function questionFor(
  key: QuestionKey,
  context: { projectName: string; industry?: Industry },
  problem?: string,
): Question {
  const prefix = problem ? `I couldn't use that answer: ${problem} ` : '';
  const text = `${prefix}${questionText[key]}`;
  switch (key) {
    case 'name':
      return { text, options: [context.projectName] };
    case 'industry':
      return { text, options: Object.values(industryLabels) };
    case 'hours':
      return { text, options: hoursDefaults[context.industry ?? 'other'] };
    case 'tone':
      return { text, options: Object.values(toneLabels) };
    case 'colour':
      return { text, options: colourOptions };
    case 'phone':
    case 'email':
    case 'social':
      return { text, options: ['none'] };
    default:
      return { text };
  }
}

/** Which question an asked text belongs to (re-asks carry a prefix). */
export function questionKeyOf(text: string): QuestionKey | null {
  for (const key of questionOrder) if (text.endsWith(questionText[key])) return key;
  return null;
}

type Parsed = { ok: true; value: Partial<BriefInput> } | { ok: false; problem: string };
const ok = (value: Partial<BriefInput>): Parsed => ({ ok: true, value });
const fail = (problem: string): Parsed => ({ ok: false, problem });
const isNone = (text: string) => /^(none|no|n\/a|-|nothing|skip)\.?$/i.test(text.trim());

const industryWords: Array<[Industry, RegExp]> = [
  ['restaurant', /restaurant|pizz|trattoria|bistro|diner|takeaway|grill|sushi|kitchen/i],
  ['cafe', /caf[eé]|coffee|bakery|tea ?room|espresso/i],
  ['trades', /trade|plumb|electric|build|carpent|roof|paint|garden|landscap|clean|handyman|home service/i],
  ['salon', /salon|hair|barber|beauty|nail|spa/i],
  ['health', /health|dent|clinic|physio|doctor|therap|medical|chiro|optic/i],
  ['photographer', /photo/i],
  ['retail', /retail|shop|store|boutique|florist/i],
  ['professional', /professional|account|law|legal|consult|architect|agency|tax/i],
];

const dayNames: Record<string, Weekday> = {
  mo: 'Mo',
  mon: 'Mo',
  monday: 'Mo',
  tu: 'Tu',
  tue: 'Tu',
  tues: 'Tu',
  tuesday: 'Tu',
  we: 'We',
  wed: 'We',
  wednesday: 'We',
  th: 'Th',
  thu: 'Th',
  thur: 'Th',
  thurs: 'Th',
  thursday: 'Th',
  fr: 'Fr',
  fri: 'Fr',
  friday: 'Fr',
  sa: 'Sa',
  sat: 'Sa',
  saturday: 'Sa',
  su: 'Su',
  sun: 'Su',
  sunday: 'Su',
};
const week: Weekday[] = ['Mo', 'Tu', 'We', 'Th', 'Fr', 'Sa', 'Su'];

function parseDays(text: string): Weekday[] | null {
  const days = new Set<Weekday>();
  for (const part of text.split(/\s*(?:,|&|\band\b)\s*/i)) {
    const range = part
      .split(/\s*(?:–|—|-|to)\s*/i)
      .map((day) => dayNames[day.toLowerCase().replace(/\.$/, '')]);
    if (range.some((day) => !day) || range.length === 0 || range.length > 2) return null;
    const from = week.indexOf(range[0] as Weekday);
    const to = week.indexOf((range[1] ?? range[0]) as Weekday);
    for (let i = from; ; i = (i + 1) % 7) {
      days.add(week[i] as Weekday);
      if (i === to) break;
    }
  }
  return week.filter((day) => days.has(day));
}

function parseTime(text: string): string | null {
  const match = /^(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?$/i.exec(text.trim());
  if (!match) return null;
  let hours = Number(match[1]);
  const minutes = Number(match[2] ?? '0');
  const half = match[3]?.toLowerCase();
  if (half === 'pm' && hours < 12) hours += 12;
  if (half === 'am' && hours === 12) hours = 0;
  if (hours > 23 || minutes > 59) return null;
  return `${String(hours).padStart(2, '0')}:${String(minutes).padStart(2, '0')}`;
}

export function parseHours(text: string): OpeningHours[] | null {
  if (/appointment|closed|none/i.test(text) && !/\d/.test(text)) return [];
  const result: OpeningHours[] = [];
  for (const segment of text.split(/\s*[;\n]\s*/).filter(Boolean)) {
    const match =
      /^(.+?)\s+(\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm)?)\s*(?:–|—|-|to)\s*(\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm)?)$/i.exec(
        segment.trim(),
      );
    if (!match) return null;
    const days = parseDays(match[1] as string);
    const opens = parseTime(match[2] as string);
    const closes = parseTime(match[3] as string);
    if (!days || !opens || !closes) return null;
    result.push({ days, opens, closes });
  }
  return result.length > 0 ? result : null;
}

/** Turns one answer into brief fields, given what is known so far. */
export function parseAnswer(key: QuestionKey, answer: string, known: Partial<BriefInput>): Parsed {
  const text = answer.trim();
  switch (key) {
    case 'name':
      return text.length > 0 && text.length <= 120
        ? ok({ businessName: text })
        : fail('the name should be 1–120 characters.');
    case 'industry': {
      const byLabel = (Object.entries(industryLabels) as Array<[Industry, string]>).find(
        ([, label]) => label === text,
      );
      const byWord = industryWords.find(([, pattern]) => pattern.test(text));
      return ok({ industry: byLabel?.[0] ?? byWord?.[0] ?? 'other' });
    }
    case 'description':
      return text.length >= 3
        ? ok({ description: text.slice(0, 2_000) })
        : fail('please describe the business in a few words.');
    case 'services': {
      const services = text
        .split(/\n|;/)
        .map((line) => line.trim().replace(/^[-•*]\s*/, ''))
        .filter(Boolean)
        .map((line) => {
          const [name, price] = line.split(/\s+[–—-]\s+|:\s+/, 2);
          return price ? { name: (name as string).trim(), price: price.trim() } : { name: line };
        });
      return services.length > 0
        ? ok({ services: services.slice(0, 40) })
        : fail('list at least one service or product.');
    }
    case 'phone':
      if (isNone(text)) return ok({});
      return /^[+()\d][\d\s().-]{5,}$/.test(text) && (text.match(/\d/g)?.length ?? 0) >= 6
        ? ok({ contact: { ...known.contact, phone: text } })
        : fail('that does not look like a phone number.');
    case 'email':
      if (isNone(text)) {
        return known.contact?.phone
          ? ok({})
          : fail(
              'customers need at least one way to reach you — give an email address, or go back and add a phone number.',
            );
      }
      return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(text)
        ? ok({ contact: { ...known.contact, email: text } })
        : fail('that does not look like an email address.');
    case 'location': {
      const area = /^area\s*:\s*(.+)$/i.exec(text);
      if (area) {
        const places = (area[1] as string)
          .split(/,|\n|;/)
          .map((place) => place.trim())
          .filter(Boolean);
        return places.length > 0
          ? ok({ contact: { ...known.contact, serviceArea: places } })
          : fail('name at least one place you serve.');
      }
      const parts = text
        .split(/,|\n/)
        .map((part) => part.trim())
        .filter(Boolean);
      if (parts.length < 3) return fail('write it as “street, town, postcode, country” (or “Area: …”).');
      const [street, locality, ...rest] = parts as [string, string, ...string[]];
      const country = rest.at(-1) as string;
      const postalCode = rest.length > 1 ? rest.slice(0, -1).join(' ') : undefined;
      return ok({
        contact: {
          ...known.contact,
          address: { street, locality, country, ...(postalCode ? { postalCode } : {}) },
        },
      });
    }
    case 'hours': {
      const hours = parseHours(text);
      return hours
        ? ok({ hours })
        : fail('write days and times like “Mon–Fri 09:00–17:00; Sat 10:00–14:00”.');
    }
    case 'tone': {
      const tone = (Object.entries(toneLabels) as Array<[Tone, string]>).find(
        ([, label]) => label.toLowerCase() === text.toLowerCase(),
      );
      return ok({ tone: tone?.[0] ?? 'friendly' });
    }
    case 'colour': {
      const hex = /#[0-9a-fA-F]{6}\b/.exec(text)?.[0];
      return hex
        ? ok({ colors: { primary: hex.toLowerCase() } })
        : fail('pick one of the colours or type a code like #1f6feb.');
    }
    case 'social': {
      if (isNone(text)) return ok({ social: [] });
      const urls = text.split(/\s+|,/).filter((part) => /^https?:\/\/\S+\.\S+/.test(part));
      return urls.length > 0
        ? ok({ social: urls.slice(0, 10) })
        : fail('paste full addresses starting with https://, or write “none”.');
    }
  }
}
