/**
 * The mockup: the pages, their sections and the design tokens, derived from the brief and approved
 * by the owner before anything is built. The site generator follows it.
 */
import { z } from 'zod';

export const SectionKind = z.enum([
  'hero',
  'services',
  'menu',
  'about',
  'hours',
  'contact',
  'location',
  'call_to_action',
  'gallery',
]);
export type SectionKind = z.infer<typeof SectionKind>;

export const MockupPage = z.object({
  /** '' for the home page, else a lowercase slug: the page is written to `<slug>/index.html`. */
  slug: z.string().regex(/^$|^[a-z0-9]+(-[a-z0-9]+)*$/),
  title: z.string().trim().min(1).max(80),
  /** Navigation label. */
  nav: z.string().trim().min(1).max(30),
  sections: z.array(SectionKind).min(1).max(12),
});
export type MockupPage = z.infer<typeof MockupPage>;

const hexColor = z.string().regex(/^#[0-9a-fA-F]{6}$/);

export const DesignTokens = z.object({
  colors: z.object({
    primary: hexColor,
    /** Text on the primary colour (chosen for WCAG AA contrast). */
    onPrimary: hexColor,
    accent: hexColor,
    background: hexColor,
    surface: hexColor,
    text: hexColor,
    muted: hexColor,
  }),
  fonts: z.object({ heading: z.string().min(1), body: z.string().min(1) }),
  radius: z.number().int().min(0).max(32),
});
export type DesignTokens = z.infer<typeof DesignTokens>;

export const Mockup = z.object({
  pages: z.array(MockupPage).min(1).max(12),
  tokens: DesignTokens,
});
export type Mockup = z.infer<typeof Mockup>;
