/**
 * The frame around every page: document head, header with the brand and navigation, and the footer
 * with name, address and phone (NAP) — identical on every page.
 */
import type { Brief } from '../brief.ts';
import type { Mockup, MockupPage } from '../mockup.ts';
import { pageHref, type SiteContext } from './context.ts';
import { copyFor } from './copy.ts';
import { placeLine } from './facts.ts';
import {
  addressText,
  emailLink,
  hoursTable,
  lines,
  phoneLink,
  serviceAreaList,
  socialList,
} from './fragments.ts';
import { escapeHtml, type Html, html } from './html.ts';

/** Search engines cut titles beyond about 70 characters (html-validate's long-title). */
const TITLE_LIMIT = 70;
const DESCRIPTION_LIMIT = 160;

function clip(text: string, limit: number): string {
  if (text.length <= limit) return text;
  const cut = text.slice(0, limit - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > limit * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** The `<title>` of a page: "Name — tagline" for home, "Page — Name" elsewhere, at most 70 characters. */
export function pageTitle(brief: Brief, page: Pick<MockupPage, 'slug' | 'title'>): string {
  const name = brief.businessName;
  const candidates =
    page.slug === ''
      ? [
          brief.tagline && `${name} — ${brief.tagline}`,
          `${name} — ${placeLine(brief, copyFor(brief)) ?? ''}`,
          name,
        ]
      : [`${page.title} — ${name}`, name];
  // Measured as written in the source: html-validate counts `&amp;` as five characters.
  const fitting = candidates.find(
    (title): title is string => Boolean(title) && escapeHtml(title as string).length <= TITLE_LIMIT,
  );
  return fitting ?? clip(name, TITLE_LIMIT);
}

/** The meta description: the tagline and the start of the owner's description. */
export function pageDescription(brief: Brief, page: Pick<MockupPage, 'slug' | 'title'>): string {
  const intro = page.slug === '' ? brief.tagline : `${page.title} — ${brief.businessName}`;
  const sentence = intro && !/[.!?。！？]$/.test(intro) ? `${intro}.` : intro;
  return clip(
    [sentence, brief.description.replace(/\s+/g, ' ')].filter(Boolean).join(' '),
    DESCRIPTION_LIMIT,
  );
}

export interface NavLink {
  href: string;
  label: string;
  current: boolean;
}

/** The main navigation: one link per mockup page, the current one marked. */
export function navLinks(mockup: Mockup, currentSlug: string | undefined): NavLink[] {
  return mockup.pages.map((page) => ({
    href: pageHref(page),
    label: page.nav,
    current: page.slug === currentSlug,
  }));
}

function navList(links: NavLink[]): Html {
  const items = links.map(
    (link) =>
      html`<li><a href="${link.href}"${link.current ? html` aria-current="page"` : ''}>${link.label}</a></li>`,
  );
  return html`<ul>${items}</ul>`;
}

/** A letter in the brand colour as an inline SVG icon: no favicon request, no 404 in the logs. */
function faviconHref(ctx: SiteContext): string {
  const letter = Array.from(ctx.brief.businessName.trim())[0] ?? '•';
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" rx="14" fill="${ctx.colors.primary}"/>` +
    `<text x="32" y="44" font-family="sans-serif" font-size="36" font-weight="700" text-anchor="middle" fill="${ctx.colors.onPrimary}">${escapeHtml(letter)}</text></svg>`;
  return `data:image/svg+xml,${encodeURIComponent(svg)}`;
}

function header(ctx: SiteContext, currentSlug: string | undefined): Html {
  const { brief, copy } = ctx;
  // On a phone the header shows just "Call" (the number follows in the page); wider, the number itself.
  const quick =
    ctx.tel && brief.contact.phone
      ? html`<a class="tel button button-small button-call header-action" href="${ctx.tel}"><span class="when-narrow">${copy.callAction}</span><span class="when-wide">${brief.contact.phone}</span></a>`
      : emailLink(ctx, { className: 'button button-small header-action', label: copy.emailAction });
  return html`<header class="site-header">
<div class="container header-inner">
<a class="brand" href="/">${brief.businessName}</a>
${quick}
<nav class="site-nav" aria-label="${copy.mainNavLabel}">${navList(navLinks(ctx.mockup, currentSlug))}</nav>
</div>
</header>`;
}

function footer(ctx: SiteContext): Html {
  const { brief, copy } = ctx;
  const { phone, email, address, serviceArea } = brief.contact;
  const contactLines = lines([
    address ? addressText(ctx) : '',
    phone ? phoneLink(ctx) : '',
    email ? emailLink(ctx) : '',
  ]);
  const hours = ctx.hours.length
    ? html`<div class="footer-col">
<h2>${copy.hoursHeading}</h2>
${hoursTable(ctx, 'hours hours-compact')}
</div>`
    : '';
  const areas =
    !address && serviceArea?.length
      ? html`<div class="footer-col">
<h2>${copy.serviceAreaHeading}</h2>
${serviceAreaList(ctx, 'areas areas-compact')}
</div>`
      : '';
  const social = brief.social.length
    ? html`<div class="footer-col">
<h2>${copy.socialHeading}</h2>
${socialList(ctx, 'social footer-links')}
</div>`
    : '';
  return html`<footer class="site-footer">
<div class="container footer-grid">
<div class="footer-col footer-nap">
<p class="footer-name">${brief.businessName}</p>
<address>${contactLines}</address>
</div>
${hours}
${areas}
${social}
<nav class="footer-col" aria-label="${copy.footerNavLabel}">${navList(navLinks(ctx.mockup, undefined))}</nav>
</div>
</footer>`;
}

export interface DocumentInput {
  title: string;
  description: string;
  /** The current page's slug, for `aria-current`; undefined on pages outside the navigation. */
  currentSlug: string | undefined;
  main: Html;
  noindex?: boolean;
}

/** A complete HTML document with the site's header and footer around `main`. */
export function renderDocument(ctx: SiteContext, input: DocumentInput): string {
  const { brief, copy } = ctx;
  const page = html`<!DOCTYPE html>
<html lang="${brief.language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${input.title}</title>
<meta name="description" content="${input.description}">
${input.noindex ? html`<meta name="robots" content="noindex">` : ''}
<meta name="theme-color" content="${ctx.colors.primary}">
<link rel="icon" href="${faviconHref(ctx)}">
<link rel="stylesheet" href="/styles.css">
</head>
<body class="tone-${brief.tone}">
<a class="skip-link" href="#main">${copy.skipLink}</a>
${header(ctx, input.currentSlug)}
<main id="main">
${input.main}
</main>
${footer(ctx)}
</body>
</html>
`;
  return tidy(page.value);
}

/** No trailing spaces, no runs of blank lines left by optional parts. */
function tidy(markup: string): string {
  return markup.replace(/[ \t]+$/gm, '').replace(/\n{2,}/g, '\n');
}
