/**
 * What each mockup section will show, in a few lines of plain text with the brief's real facts. The
 * ASCII wireframe and the HTML mockup preview both draw from this, so they always agree.
 */
import type { MockupPage, SectionKind } from '../mockup.ts';
import type { SiteContext } from './context.ts';
import { OFFERING_BY_INDUSTRY } from './copy.ts';
import { addressLines, formatDays, formatIntervals, placeLine, socialLabel } from './facts.ts';
import { teaser } from './fragments.ts';
import { pageLead } from './sections.ts';

export interface SectionSummary {
  kind: SectionKind;
  label: string;
  heading?: string;
  lines: string[];
  /** Button labels, primary first. */
  buttons: string[];
  /** Short items shown as cards or rows (services, hours). */
  items: Array<{ name: string; detail?: string }>;
  /** A closing remark, after the items and buttons. */
  note?: string;
  /** Set when the section renders nothing for this brief, with the reason. */
  omitted?: string;
}

const LABELS: Record<SectionKind, string> = {
  hero: 'HERO',
  services: 'SERVICES',
  menu: 'MENU',
  about: 'ABOUT',
  hours: 'OPENING HOURS',
  contact: 'CONTACT',
  location: 'LOCATION',
  call_to_action: 'CALL TO ACTION',
  gallery: 'GALLERY',
};

const HOME_SERVICE_LIMIT = 6;

function contactButtons(ctx: SiteContext, both: boolean): string[] {
  const { phone, email } = ctx.brief.contact;
  const buttons: string[] = [];
  if (phone) buttons.push(`${ctx.copy.callAction} ${phone}`);
  if (email && (!phone || both)) buttons.push(ctx.copy.emailAction);
  return buttons;
}

/**
 * The section at `index` on `page`. The first section of a page without a hero is the page's subject:
 * its heading is the page header's, so the summary has none.
 */
export function summarizeSection(ctx: SiteContext, page: MockupPage, index: number): SectionSummary {
  const kind = page.sections[index] ?? 'hero';
  const summary = summarize(ctx, page, kind);
  const named = page.sections[0] === 'hero' || index > 0;
  return named ? summary : { ...summary, heading: undefined };
}

/** The page header of a page without a hero: its title and the tagline that introduces it. */
export function pageHeaderSummary(
  ctx: SiteContext,
  page: MockupPage,
): { title: string; lead?: string } | undefined {
  if (page.sections[0] === 'hero') return undefined;
  const lead = pageLead(ctx, page);
  return lead ? { title: page.title, lead } : { title: page.title };
}

function summarize(ctx: SiteContext, page: MockupPage, kind: SectionKind): SectionSummary {
  const { brief, copy } = ctx;
  const home = page.slug === '';
  const base: SectionSummary = { kind, label: LABELS[kind], lines: [], buttons: [], items: [] };
  const offering = copy.offering[OFFERING_BY_INDUSTRY[brief.industry]];
  switch (kind) {
    case 'hero': {
      const place = placeLine(brief, copy);
      const card = [
        ctx.hours.length > 0 ? copy.hoursHeading : '',
        brief.contact.address
          ? copy.findUsHeading
          : brief.contact.serviceArea?.length
            ? copy.serviceAreaHeading
            : '',
      ].filter(Boolean);
      return {
        ...base,
        heading: home ? brief.businessName : page.title,
        lines: [place, brief.tagline].filter((line): line is string => Boolean(line)),
        buttons: [...contactButtons(ctx, false), ...(home && ctx.offeringPage ? [offering.seeAll] : [])],
        ...(card.length > 0 ? { note: `Card: ${card.join(' · ')}` } : {}),
      };
    }
    case 'services':
    case 'menu': {
      const shown = home ? brief.services.slice(0, HOME_SERVICE_LIMIT) : brief.services;
      const hidden = brief.services.length - shown.length;
      return {
        ...base,
        heading: kind === 'menu' ? copy.offering.menu.homeHeading : offering.homeHeading,
        items: shown.map((s) => ({ name: s.name, ...(s.price ? { detail: s.price } : {}) })),
        ...(hidden > 0 ? { note: `+ ${hidden} → ${offering.seeAll}` } : {}),
      };
    }
    case 'about':
      return {
        ...base,
        heading: copy.about.heading,
        lines: [home ? teaser(brief.description, 200) : teaser(brief.description, 400)],
        items: brief.audience ? [{ name: copy.about.audienceHeading, detail: brief.audience }] : [],
      };
    case 'hours':
      if (ctx.hours.length === 0) return { ...base, omitted: 'no opening hours in the brief' };
      return {
        ...base,
        heading: copy.hoursHeading,
        items: ctx.hours.map((g) => ({
          name: formatDays(g.days, ctx.days, copy),
          detail: formatIntervals(g.intervals, copy),
        })),
      };
    case 'contact': {
      const { phone, email } = brief.contact;
      const items = [
        ...(phone ? [{ name: copy.phoneLabel, detail: phone }] : []),
        ...(email ? [{ name: copy.emailLabel, detail: email }] : []),
        ...(brief.social.length
          ? [{ name: copy.socialHeading, detail: brief.social.map(socialLabel).join(copy.listSeparator) }]
          : []),
      ];
      return { ...base, heading: copy.contact.heading, items };
    }
    case 'location': {
      const { address, serviceArea } = brief.contact;
      if (address) {
        return {
          ...base,
          heading: copy.findUsHeading,
          lines: addressLines(address),
          buttons: [copy.mapLink],
        };
      }
      if (serviceArea?.length) {
        return { ...base, heading: copy.serviceAreaHeading, lines: [serviceArea.join(copy.listSeparator)] };
      }
      return { ...base, omitted: 'no address or service area in the brief' };
    }
    case 'call_to_action':
      return { ...base, heading: copy.ctaHeading, lines: [copy.ctaLead], buttons: contactButtons(ctx, true) };
    case 'gallery':
      return { ...base, omitted: 'needs the owner’s photos; left out until they are added' };
  }
}

/** The one line of name, address and phone the footer repeats on every page. */
export function footerLine(ctx: SiteContext): string {
  const { businessName, contact } = ctx.brief;
  const where = contact.address ? addressLines(contact.address).join(', ') : contact.serviceArea?.join(', ');
  return [businessName, where, contact.phone, contact.email].filter(Boolean).join(' · ');
}
