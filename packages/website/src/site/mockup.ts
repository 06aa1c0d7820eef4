/**
 * The mockup the owner approves before anything is built: which pages, which sections on each, and
 * the design tokens. Derived deterministically from the brief; the generator follows whatever mockup
 * it is given, so an owner's or a model's edits carry through.
 */
import type { Brief } from '../brief.ts';
import type { Mockup, MockupPage, SectionKind } from '../mockup.ts';
import { copyFor, OFFERING_BY_INDUSTRY } from './copy.ts';
import { deriveTokens } from './theme.ts';

export { contrastRatio, readableOn } from './color.ts';
export { renderMockupHtml } from './mockup-preview.ts';
export { deriveTokens, textPairs, themeColors } from './theme.ts';
export { renderWireframe } from './wireframe.ts';

/** The slug of the page listing the brief's services ("menu" for a restaurant, "services" …). */
export function offeringSlug(brief: Brief): string {
  return OFFERING_BY_INDUSTRY[brief.industry];
}

/**
 * Pages by industry: home, the offering page (a menu for restaurants and cafés), about, and a contact
 * page that also carries opening hours and the address or service area.
 */
export function deriveMockup(brief: Brief): Mockup {
  const copy = copyFor(brief);
  const kind = OFFERING_BY_INDUSTRY[brief.industry];
  const offering = copy.offering[kind];
  const hasHours = brief.hours.length > 0;
  const listSection: SectionKind = kind === 'menu' ? 'menu' : 'services';

  const pages: MockupPage[] = [
    { slug: '', title: copy.home, nav: copy.home, sections: ['hero', 'services', 'about', 'call_to_action'] },
    {
      slug: offeringSlug(brief),
      title: offering.title,
      nav: offering.nav,
      sections: [listSection, 'call_to_action'],
    },
    { slug: 'about', title: copy.about.title, nav: copy.about.nav, sections: ['about', 'call_to_action'] },
    {
      slug: 'contact',
      title: copy.contact.title,
      nav: copy.contact.nav,
      sections: hasHours ? ['contact', 'hours', 'location'] : ['contact', 'location'],
    },
  ];
  return { pages, tokens: deriveTokens(brief) };
}
