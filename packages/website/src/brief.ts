/**
 * The business brief: every fact the site may state about the business. The site must show these
 * facts exactly and invent nothing beyond them (see intent/). Collected by the bootstrap stage.
 */
import { z } from 'zod';

export const Industry = z.enum([
  'restaurant',
  'cafe',
  'trades',
  'salon',
  'health',
  'photographer',
  'retail',
  'professional',
  'other',
]);
export type Industry = z.infer<typeof Industry>;

export const Tone = z.enum(['friendly', 'professional', 'playful', 'elegant', 'bold']);
export type Tone = z.infer<typeof Tone>;

export const Weekday = z.enum(['Mo', 'Tu', 'We', 'Th', 'Fr', 'Sa', 'Su']);
export type Weekday = z.infer<typeof Weekday>;

const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'use 24-hour HH:MM');

/** Opening hours as schema.org understands them: days with one opening interval each. */
export const OpeningHours = z.object({
  days: z.array(Weekday).min(1),
  opens: time,
  closes: time,
});
export type OpeningHours = z.infer<typeof OpeningHours>;

export const PostalAddress = z.object({
  street: z.string().trim().min(1).max(200),
  locality: z.string().trim().min(1).max(100),
  region: z.string().trim().max(100).optional(),
  postalCode: z.string().trim().max(20).optional(),
  country: z.string().trim().min(2).max(100),
});
export type PostalAddress = z.infer<typeof PostalAddress>;

export const Service = z.object({
  name: z.string().trim().min(1).max(120),
  description: z.string().trim().max(500).optional(),
  /** As the owner wrote it ("from €12", "$40/hour"); never invented. */
  price: z.string().trim().max(60).optional(),
});
export type Service = z.infer<typeof Service>;

const hexColor = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'use a colour like #1f6feb');

export const Brief = z
  .object({
    businessName: z.string().trim().min(1).max(120),
    industry: Industry,
    /** One sentence the owner is happy to see at the top of the home page. */
    tagline: z.string().trim().max(160).optional(),
    /** What the business does, in the owner's words. */
    description: z.string().trim().min(1).max(2_000),
    services: z.array(Service).min(1).max(40),
    audience: z.string().trim().max(500).optional(),
    tone: Tone,
    contact: z.object({
      phone: z.string().trim().max(40).optional(),
      email: z.email().optional(),
      address: PostalAddress.optional(),
      /** Where a business without a storefront works ("Leeds and 20 miles around"). */
      serviceArea: z.array(z.string().trim().min(1).max(100)).max(20).optional(),
    }),
    hours: z.array(OpeningHours).max(14).default([]),
    /** Profiles on other sites (schema.org `sameAs`). */
    social: z.array(z.url()).max(10).default([]),
    colors: z.object({ primary: hexColor, accent: hexColor.optional() }),
    /** BCP 47 language of the site's text. */
    language: z.string().trim().min(2).max(20).default('en'),
  })
  .refine((brief) => brief.contact.phone || brief.contact.email, {
    message: 'a phone number or an email address is needed so customers can get in touch',
    path: ['contact'],
  })
  .refine((brief) => brief.contact.address || brief.contact.serviceArea?.length, {
    message: 'an address or a service area is needed',
    path: ['contact'],
  });
export type Brief = z.infer<typeof Brief>;
export type BriefInput = z.input<typeof Brief>;
