/**
 * The business brief as the owner reads it: labelled facts in plain words. The brief arrives as
 * free-form data (an approval's details), so it is read leniently: fields that are missing or of an
 * unexpected shape are left out rather than shown raw.
 */
import { z } from 'zod';

const optionalText = z.string().trim().min(1).optional().catch(undefined);

const BriefView = z.object({
  businessName: optionalText,
  industry: optionalText,
  tagline: optionalText,
  description: optionalText,
  services: z
    .array(z.object({ name: z.string().trim().min(1), description: optionalText, price: optionalText }))
    .optional()
    .catch(undefined),
  audience: optionalText,
  tone: optionalText,
  contact: z
    .object({
      phone: optionalText,
      email: optionalText,
      address: z
        .object({
          street: z.string(),
          locality: z.string(),
          region: optionalText,
          postalCode: optionalText,
          country: optionalText,
        })
        .optional()
        .catch(undefined),
      serviceArea: z.array(z.string()).optional().catch(undefined),
    })
    .optional()
    .catch(undefined),
  hours: z
    .array(z.object({ days: z.array(z.string()), opens: z.string(), closes: z.string() }))
    .optional()
    .catch(undefined),
  social: z.array(z.string()).optional().catch(undefined),
  colors: z.object({ primary: optionalText, accent: optionalText }).optional().catch(undefined),
  language: optionalText,
});

export interface BriefFact {
  label: string;
  /** One line per entry (services, hours, links). */
  lines: string[];
}

export interface BriefColour {
  label: string;
  hex: string;
}

export interface ReadableBrief {
  facts: BriefFact[];
  colours: BriefColour[];
}

const industries: Record<string, string> = {
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

const weekdays = ['Mo', 'Tu', 'We', 'Th', 'Fr', 'Sa', 'Su'];
const weekdayNames: Record<string, string> = {
  Mo: 'Mon',
  Tu: 'Tue',
  We: 'Wed',
  Th: 'Thu',
  Fr: 'Fri',
  Sa: 'Sat',
  Su: 'Sun',
};

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** ["Mo","Tu","We","Fr"] → "Mon–Wed, Fri": consecutive days as ranges. */
export function formatDays(days: readonly string[]): string {
  const indexes = [...new Set(days.map((day) => weekdays.indexOf(day)).filter((index) => index >= 0))].sort(
    (a, b) => a - b,
  );
  const ranges: string[] = [];
  let start = indexes[0];
  for (let i = 0; i < indexes.length; i++) {
    const current = indexes[i] as number;
    const next = indexes[i + 1];
    if (next === current + 1) continue;
    const first = weekdayNames[weekdays[start as number] as string];
    const last = weekdayNames[weekdays[current] as string];
    ranges.push(start === current ? `${first}` : `${first}–${last}`);
    start = next;
  }
  return ranges.join(', ');
}

const isHexColour = (value: string | undefined): value is string => /^#[0-9a-fA-F]{6}$/.test(value ?? '');

/** The facts of a brief in reading order; null when the data is not a brief at all. */
export function readableBrief(data: unknown): ReadableBrief | null {
  const parsed = BriefView.safeParse(data);
  if (!parsed.success) return null;
  const brief = parsed.data;
  const facts: BriefFact[] = [];
  const add = (label: string, lines: Array<string | undefined>) => {
    const present = lines.filter((line): line is string => Boolean(line?.trim()));
    if (present.length > 0) facts.push({ label, lines: present });
  };

  add('Business name', [brief.businessName]);
  add('Kind of business', [
    brief.industry ? (industries[brief.industry] ?? capitalise(brief.industry)) : undefined,
  ]);
  add('Tagline', [brief.tagline]);
  add('What you offer', [brief.description]);
  add(
    'Services or products',
    (brief.services ?? []).map(
      (service) =>
        [service.name, service.price].filter(Boolean).join(' – ') +
        (service.description ? ` (${service.description})` : ''),
    ),
  );
  add('Who it is for', [brief.audience]);
  add('Tone', [brief.tone ? capitalise(brief.tone) : undefined]);
  add('Phone', [brief.contact?.phone]);
  add('Email', [brief.contact?.email]);
  const address = brief.contact?.address;
  add('Address', [
    address
      ? [address.street, address.locality, address.region, address.postalCode, address.country]
          .filter(Boolean)
          .join(', ')
      : undefined,
  ]);
  add('Service area', [brief.contact?.serviceArea?.join(', ')]);
  if (brief.hours) {
    add(
      'Opening hours',
      brief.hours.length > 0
        ? brief.hours.map((entry) => `${formatDays(entry.days)} ${entry.opens}–${entry.closes}`)
        : ['By appointment'],
    );
  }
  add('Social links', brief.social ?? []);
  add('Language', [brief.language && brief.language !== 'en' ? brief.language : undefined]);

  const colours: BriefColour[] = [];
  if (isHexColour(brief.colors?.primary)) colours.push({ label: 'Main colour', hex: brief.colors.primary });
  if (isHexColour(brief.colors?.accent)) colours.push({ label: 'Accent colour', hex: brief.colors.accent });

  return facts.length > 0 || colours.length > 0 ? { facts, colours } : null;
}
