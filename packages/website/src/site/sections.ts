/**
 * One renderer per mockup section kind. A renderer returns the section's inner markup and its band
 * style; the page wraps it. `level` is the heading level of the section's own heading: 1 means the
 * page header already carries it (the section is the page's subject), so the section shows no heading
 * and its items start at h2. Nothing here may state a fact that is not in the brief.
 */
import type { MockupPage, SectionKind } from '../mockup.ts';
import { pageHref, type SiteContext } from './context.ts';
import { OFFERING_BY_INDUSTRY, type OfferingKind } from './copy.ts';
import { placeLine } from './facts.ts';
import {
  addressText,
  emailLink,
  hoursTable,
  mapLink,
  paragraphs,
  phoneLink,
  serviceAreaList,
  socialList,
  teaser,
} from './fragments.ts';
import { type Html, html, raw } from './html.ts';

export type Band = 'hero' | 'plain' | 'cta';

export interface RenderedSection {
  band: Band;
  /** Classes for the section's container besides `container` (a grid layout, say). */
  layout?: string;
  body: Html;
}

type HeadingLevel = 1 | 2;

export interface SectionInput {
  ctx: SiteContext;
  page: MockupPage;
  level: HeadingLevel;
  /** Whether this page is the home page (teasers link onward; full pages show everything). */
  home: boolean;
}

function heading(level: number, text: string): Html {
  const tag = raw(`h${Math.min(level, 6)}`);
  return html`<${tag}>${text}</${tag}>`;
}

/** The section heading (h2), or nothing when the page header already names the section. */
function sectionHeading(level: HeadingLevel, text: string): Html {
  return level === 1 ? html`` : heading(2, text);
}

const HOME_SERVICE_LIMIT = 6;

/**
 * The call to action: call when there is a phone, else email. `secondary` adds one quieter link; in the
 * closing band both ways of getting in touch are offered.
 */
function actions(ctx: SiteContext, options: { secondary?: Html; both?: boolean }): Html {
  const call = phoneLink(ctx, { className: 'button button-call', action: true });
  const showEmail = ctx.mailto && (!ctx.tel || options.both);
  const email = showEmail
    ? emailLink(ctx, {
        className: ctx.tel ? 'button button-secondary' : 'button',
        label: ctx.copy.emailAction,
      })
    : '';
  return html`<div class="actions">${call}${email}${options.secondary ?? ''}</div>`;
}

function renderHero({ ctx, page, home }: SectionInput): RenderedSection {
  const { brief, copy } = ctx;
  const place = placeLine(brief, copy);
  const offering = ctx.offeringPage;
  const seeOffering =
    offering && home
      ? html`<a class="button button-secondary" href="${pageHref(offering)}">${copy.offering[offeringKind(ctx)].seeAll}</a>`
      : '';
  const glance: Html[] = [];
  if (ctx.hours.length > 0)
    glance.push(html`<h2>${copy.hoursHeading}</h2>${hoursTable(ctx, 'hours hours-compact')}`);
  if (brief.contact.address) {
    glance.push(
      html`<h2>${copy.findUsHeading}</h2><address>${addressText(ctx)}</address><p>${mapLink(ctx)}</p>`,
    );
  } else if (brief.contact.serviceArea?.length) {
    glance.push(html`<h2>${copy.serviceAreaHeading}</h2>${serviceAreaList(ctx, 'areas areas-compact')}`);
  }
  const body = html`<div class="hero-copy">
${place ? html`<p class="eyebrow">${place}</p>` : ''}
<h1>${home ? brief.businessName : page.title}</h1>
${brief.tagline ? html`<p class="lead">${brief.tagline}</p>` : ''}
${actions(ctx, { secondary: seeOffering || undefined })}
</div>
${glance.length > 0 ? html`<div class="hero-card">${glance}</div>` : ''}`;
  return { band: 'hero', layout: 'hero-grid', body };
}

function offeringKind(ctx: SiteContext): OfferingKind {
  return OFFERING_BY_INDUSTRY[ctx.brief.industry];
}

function renderServices({ ctx, level, home }: SectionInput): RenderedSection {
  const { brief, copy } = ctx;
  const labels = copy.offering[offeringKind(ctx)];
  const shown = home ? brief.services.slice(0, HOME_SERVICE_LIMIT) : brief.services;
  const itemLevel = level + 1;
  const cards = shown.map(
    (service) => html`<li class="card">
${heading(itemLevel, service.name)}
${service.description ? html`<p>${service.description}</p>` : ''}
${service.price ? html`<p class="price">${service.price}</p>` : ''}
</li>`,
  );
  const more =
    home && ctx.offeringPage && shown.length < brief.services.length
      ? html`<p class="more"><a href="${pageHref(ctx.offeringPage)}">${labels.seeAll}</a></p>`
      : '';
  const body = html`${sectionHeading(level, labels.homeHeading)}
<ul class="cards">
${cards}
</ul>
${more}`;
  return { band: 'plain', body };
}

function renderMenu({ ctx, level }: SectionInput): RenderedSection {
  const { brief, copy } = ctx;
  const items = brief.services.map(
    (item) => html`<li class="menu-item">
<div class="menu-item-head">${heading(level + 1, item.name)}${item.price ? html`<span class="leader" aria-hidden="true"></span><p class="price">${item.price}</p>` : ''}</div>
${item.description ? html`<p>${item.description}</p>` : ''}
</li>`,
  );
  const body = html`${sectionHeading(level, copy.offering.menu.homeHeading)}
<ul class="menu-list">
${items}
</ul>`;
  return { band: 'plain', body };
}

function renderAbout({ ctx, level, home }: SectionInput): RenderedSection {
  const { brief, copy } = ctx;
  const text = home ? [teaser(brief.description)] : paragraphs(brief.description);
  const more =
    home && ctx.aboutPage
      ? html`<p class="more"><a href="${pageHref(ctx.aboutPage)}">${copy.about.more}</a></p>`
      : '';
  const audience = brief.audience
    ? html`<div class="panel">
${heading(level + 1, copy.about.audienceHeading)}
<p>${brief.audience}</p>
</div>`
    : '';
  const body = html`<div class="prose">
${sectionHeading(level, copy.about.heading)}
${text.map((p) => html`<p>${p}</p>`)}
${more}
</div>
${audience}`;
  return audience ? { band: 'plain', layout: 'split', body } : { band: 'plain', body };
}

function renderHours({ ctx, level }: SectionInput): RenderedSection | undefined {
  if (ctx.hours.length === 0) return undefined;
  const body = html`${sectionHeading(level, ctx.copy.hoursHeading)}
${hoursTable(ctx)}`;
  return { band: 'plain', body };
}

function renderContact({ ctx, level }: SectionInput): RenderedSection {
  const { brief, copy } = ctx;
  const item = level + 1;
  const cards: Html[] = [];
  if (brief.contact.phone) {
    cards.push(
      html`<li class="contact-card">${heading(item, copy.phoneLabel)}<p class="contact-value">${phoneLink(ctx)}</p></li>`,
    );
  }
  if (brief.contact.email) {
    cards.push(
      html`<li class="contact-card">${heading(item, copy.emailLabel)}<p class="contact-value">${emailLink(ctx)}</p></li>`,
    );
  }
  if (brief.social.length > 0) {
    cards.push(html`<li class="contact-card">${heading(item, copy.socialHeading)}${socialList(ctx)}</li>`);
  }
  const body = html`${sectionHeading(level, copy.contact.heading)}
<ul class="contact-grid">
${cards}
</ul>`;
  return { band: 'plain', body };
}

function renderLocation({ ctx, level }: SectionInput): RenderedSection | undefined {
  const { brief, copy } = ctx;
  if (brief.contact.address) {
    const body = html`${sectionHeading(level, copy.findUsHeading)}
<address class="address-block">${addressText(ctx)}</address>
<p>${mapLink(ctx, 'button button-secondary')}</p>`;
    return { band: 'plain', body };
  }
  if (brief.contact.serviceArea?.length) {
    const body = html`${sectionHeading(level, copy.serviceAreaHeading)}
<p>${copy.serviceAreaLead}</p>
${serviceAreaList(ctx)}`;
    return { band: 'plain', body };
  }
  return undefined;
}

function renderCallToAction({ ctx }: SectionInput): RenderedSection {
  const { copy } = ctx;
  const body = html`<h2>${copy.ctaHeading}</h2>
<p>${copy.ctaLead}</p>
${actions(ctx, { both: true })}`;
  return { band: 'cta', layout: 'cta-inner', body };
}

/**
 * The gallery section needs the owner's photos, which a brief does not carry; rather than show
 * stock images or empty frames, it renders nothing until photos exist.
 */
function renderGallery(): undefined {
  return undefined;
}

/** The line under an inner page's title: the tagline for pages about the business, an invitation on contact. */
export function pageLead(ctx: SiteContext, page: MockupPage): string | undefined {
  const first = page.sections[0];
  if (first === 'contact') return ctx.copy.ctaLead;
  return first === 'services' || first === 'menu' || first === 'about' ? ctx.brief.tagline : undefined;
}

const RENDERERS: Record<SectionKind, (input: SectionInput) => RenderedSection | undefined> = {
  hero: renderHero,
  services: renderServices,
  menu: renderMenu,
  about: renderAbout,
  hours: renderHours,
  contact: renderContact,
  location: renderLocation,
  call_to_action: renderCallToAction,
  gallery: renderGallery,
};

export function renderSection(kind: SectionKind, input: SectionInput): RenderedSection | undefined {
  return RENDERERS[kind](input);
}
