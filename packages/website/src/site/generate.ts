/**
 * The demo worker's site builder: a complete static site from a brief and its approved mockup. Plain
 * HTML and one stylesheet — no JavaScript, no fonts, no third-party requests — so every page is
 * crawlable and fast, and every fact on it comes from the brief.
 */
import type { Brief } from '../brief.ts';
import type { Mockup, MockupPage } from '../mockup.ts';
import { createContext, pagePath, type SiteContext } from './context.ts';
import { type Html, html } from './html.ts';
import { pageDescription, pageTitle, renderDocument } from './layout.ts';
import { type Band, pageLead, type RenderedSection, renderSection } from './sections.ts';
import { renderStylesheet } from './styles.ts';

export { pageHref, pagePath } from './context.ts';
export { type NavLink, navLinks, pageDescription, pageTitle } from './layout.ts';

export interface SiteFile {
  path: string;
  content: string;
}

/** Every file of the site: one `index.html` per mockup page, `styles.css` and `404.html`. */
export function generateSite(brief: Brief, mockup: Mockup): SiteFile[] {
  const ctx = createContext(brief, mockup);
  const pages = mockup.pages.map((page) => ({
    path: pagePath(page),
    content: renderDocument(ctx, {
      title: pageTitle(brief, page),
      description: pageDescription(brief, page),
      currentSlug: page.slug,
      main: renderMain(ctx, page),
    }),
  }));
  return [
    ...pages,
    { path: '404.html', content: renderNotFound(ctx) },
    {
      path: 'styles.css',
      content: renderStylesheet({ colors: ctx.colors, tokens: mockup.tokens, tone: brief.tone }),
    },
  ];
}

interface Placed {
  kind: MockupPage['sections'][number];
  section: RenderedSection;
}

/** The page's sections in mockup order; a page without a hero opens with a header carrying its h1. */
function renderMain(ctx: SiteContext, page: MockupPage): Html {
  const home = page.slug === '';
  const opensWithHero = page.sections[0] === 'hero';
  const placed: Placed[] = [];
  page.sections.forEach((kind, index) => {
    // The first section of an inner page is the page's subject: the page header's h1 names it.
    const level = !opensWithHero && index === 0 ? 1 : 2;
    const section = renderSection(kind, { ctx, page, level, home });
    if (section) placed.push({ kind, section });
  });
  const lead = pageLead(ctx, page);
  const header = opensWithHero
    ? ''
    : html`<div class="band page-header"><div class="container">
<p class="eyebrow">${ctx.brief.businessName}</p>
<h1>${page.title}</h1>
${lead ? html`<p class="lead">${lead}</p>` : ''}
</div></div>`;
  return html`${header}${bands(placed)}`;
}

/** One full-width band: a section, or an hours section and a location side by side. */
interface BandContent {
  band: Band;
  layout: string | undefined;
  body: Html;
}

/** Sets an hours section beside the location next to it; every other section gets its own band. */
function groupSections(placed: Placed[]): BandContent[] {
  const groups: BandContent[] = [];
  for (let i = 0; i < placed.length; i++) {
    const current = placed[i];
    const next = placed[i + 1];
    if (!current) continue;
    if (next && isHoursLocationPair(current.kind, next.kind)) {
      groups.push({
        band: 'plain',
        layout: 'split',
        body: html`<div>${current.section.body}</div>
<div>${next.section.body}</div>`,
      });
      i += 1;
    } else {
      groups.push({ band: current.section.band, layout: current.section.layout, body: current.section.body });
    }
  }
  return groups;
}

function isHoursLocationPair(a: string, b: string): boolean {
  return (a === 'hours' && b === 'location') || (a === 'location' && b === 'hours');
}

const BAND_CLASS: Record<Band, string> = { hero: 'band hero', plain: 'band', cta: 'band cta' };

/** Wraps sections in full-width bands; consecutive plain bands alternate their background. */
function bands(placed: Placed[]): Html[] {
  let plain = 0;
  return groupSections(placed).map(({ band, layout, body }) => {
    if (band === 'plain') plain += 1;
    const bandClass = band === 'plain' && plain % 2 === 0 ? 'band band-alt' : BAND_CLASS[band];
    return html`<div class="${bandClass}"><div class="container${layout ? ` ${layout}` : ''}">
${body}
</div></div>
`;
  });
}

function renderNotFound(ctx: SiteContext): string {
  const { copy, brief } = ctx;
  const main = html`<div class="band page-header"><div class="container">
<p class="eyebrow">${brief.businessName}</p>
<h1>${copy.notFound.title}</h1>
<p class="lead">${copy.notFound.text}</p>
<p><a class="button" href="/">${copy.notFound.back}</a></p>
</div></div>`;
  return renderDocument(ctx, {
    title: pageTitle(brief, { slug: '404', title: copy.notFound.title }),
    description: copy.notFound.text,
    currentSlug: undefined,
    main,
    noindex: true,
  });
}
