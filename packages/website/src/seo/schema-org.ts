import type { Brief, Industry, OpeningHours, Weekday } from '../brief.ts';
import { normalizeBaseUrl } from './urls.ts';

/** The most specific schema.org LocalBusiness type for each industry of the brief. */
export const schemaTypeByIndustry = {
  restaurant: 'Restaurant',
  cafe: 'CafeOrCoffeeShop',
  trades: 'HomeAndConstructionBusiness',
  salon: 'HairSalon',
  health: 'MedicalBusiness',
  photographer: 'ProfessionalService',
  retail: 'Store',
  professional: 'ProfessionalService',
  other: 'LocalBusiness',
} as const satisfies Record<Industry, string>;

export type SchemaType = (typeof schemaTypeByIndustry)[Industry];

/** The schema.org type for an industry (see `schemaTypeByIndustry`). */
export function schemaTypeFor(industry: Industry): SchemaType {
  return schemaTypeByIndustry[industry];
}

export const schemaDayOfWeek: Record<Weekday, string> = {
  Mo: 'https://schema.org/Monday',
  Tu: 'https://schema.org/Tuesday',
  We: 'https://schema.org/Wednesday',
  Th: 'https://schema.org/Thursday',
  Fr: 'https://schema.org/Friday',
  Sa: 'https://schema.org/Saturday',
  Su: 'https://schema.org/Sunday',
};

/**
 * Facts schema.org knows that the brief may gain later. They are copied only when present: the
 * JSON-LD states what the owner said and nothing more.
 */
interface OptionalFacts {
  servesCuisine?: unknown;
  priceRange?: unknown;
}

/**
 * The LocalBusiness JSON-LD for a brief: the industry's schema.org type, name, description, url,
 * contact, address and/or service area, opening hours and profiles — only facts from the brief.
 */
export function jsonLdFor(brief: Brief, baseUrl: string): Record<string, unknown> {
  const { contact } = brief;
  const data: Record<string, unknown> = {
    '@context': 'https://schema.org',
    '@type': schemaTypeFor(brief.industry),
    name: brief.businessName,
    description: brief.description,
    url: `${normalizeBaseUrl(baseUrl)}/`,
  };
  if (contact.phone) data.telephone = contact.phone;
  if (contact.email) data.email = contact.email;
  if (contact.address) {
    const { street, locality, region, postalCode, country } = contact.address;
    data.address = {
      '@type': 'PostalAddress',
      streetAddress: street,
      addressLocality: locality,
      ...(region ? { addressRegion: region } : {}),
      ...(postalCode ? { postalCode } : {}),
      addressCountry: country,
    };
  }
  if (contact.serviceArea?.length) data.areaServed = [...contact.serviceArea];
  if (brief.hours.length > 0) data.openingHoursSpecification = brief.hours.map(openingHoursSpecification);
  if (brief.social.length > 0) data.sameAs = [...brief.social];

  const optional = brief as Brief & OptionalFacts;
  if (isFact(optional.servesCuisine)) data.servesCuisine = optional.servesCuisine;
  if (typeof optional.priceRange === 'string' && optional.priceRange.trim())
    data.priceRange = optional.priceRange;
  return data;
}

function openingHoursSpecification(hours: OpeningHours): Record<string, unknown> {
  return {
    '@type': 'OpeningHoursSpecification',
    dayOfWeek: hours.days.map((day) => schemaDayOfWeek[day]),
    opens: hours.opens,
    closes: hours.closes,
  };
}

function isFact(value: unknown): value is string | string[] {
  if (typeof value === 'string') return value.trim() !== '';
  return Array.isArray(value) && value.length > 0 && value.every((item) => typeof item === 'string');
}
