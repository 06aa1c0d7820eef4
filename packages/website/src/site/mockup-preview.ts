/**
 * The mockup as one self-contained HTML page for the dashboard's sandboxed preview frame: the palette
 * with its contrast ratios, the type, and every page as a miniature browser window whose sections show
 * the brief's real facts. Inline CSS only — no scripts, no external URLs.
 */
import type { Brief } from '../brief.ts';
import type { Mockup, MockupPage } from '../mockup.ts';
import { contrastRatio } from './color.ts';
import { createContext, pageHref, type SiteContext } from './context.ts';
import { type Html, html, raw } from './html.ts';
import { FILLED_HERO } from './styles.ts';
import { footerLine, pageHeaderSummary, type SectionSummary, summarizeSection } from './summary.ts';

/** A colour chip with the pair's contrast; `shown` is the colour the swatch is about (fill or ink). */
function swatch(name: string, fill: string, ink: string, shown = fill): Html {
  const ratio = contrastRatio(fill, ink);
  return html`<li class="swatch sw-${name.toLowerCase()}"><span class="chip">Aa</span><span class="meta"><strong>${name}</strong> ${shown}<br>text ${ratio.toFixed(1)}:1 ${ratio >= 4.5 ? 'AA' : 'below AA'}</span></li>`;
}

function block(summary: SectionSummary): Html {
  if (summary.omitted) {
    return html`<div class="block omitted"><span class="tag">${summary.label}</span><p>Left out: ${summary.omitted}.</p></div>`;
  }
  const items =
    summary.items.length > 0
      ? html`<ul class="items">${summary.items.map((item) => html`<li><strong>${item.name}</strong>${item.detail ? html` <span>${item.detail}</span>` : ''}</li>`)}</ul>`
      : '';
  const buttons =
    summary.buttons.length > 0
      ? html`<p class="buttons">${summary.buttons.map((b, i) => html`<span class="${i === 0 ? 'btn' : 'btn alt'}">${b}</span>`)}</p>`
      : '';
  return html`<div class="block kind-${summary.kind}">
<span class="tag">${summary.label}</span>
${summary.heading ? html`<p class="h">${summary.heading}</p>` : ''}
${summary.lines.map((line) => html`<p>${line}</p>`)}
${items}
${buttons}
${summary.note ? html`<p class="note">${summary.note}</p>` : ''}
</div>`;
}

function pagePreview(ctx: SiteContext, page: MockupPage): Html {
  const header = pageHeaderSummary(ctx, page);
  const nav = ctx.mockup.pages.map(
    (p) => html`<span class="${p.slug === page.slug ? 'current' : ''}">${p.nav}</span>`,
  );
  return html`<section class="page">
<h2>${page.title} <code>${pageHref(page)}</code></h2>
<div class="frame">
<div class="bar"><i></i><i></i><i></i><span class="url">${pageHref(page)}</span></div>
<div class="site" lang="${ctx.brief.language}">
<div class="s-header"><strong>${ctx.brief.businessName}</strong><span class="nav">${nav}</span></div>
${header ? html`<div class="block page-head"><span class="tag">PAGE HEADER</span><p class="h">${header.title}</p>${header.lead ? html`<p>${header.lead}</p>` : ''}</div>` : ''}
${page.sections.map((_, index) => block(summarizeSection(ctx, page, index)))}
<div class="s-footer">${footerLine(ctx)}</div>
</div>
</div>
</section>`;
}

function styles(ctx: SiteContext, mockup: Mockup): string {
  const c = ctx.colors;
  const { fonts, radius } = mockup.tokens;
  return `
*{box-sizing:border-box}
body{margin:0;padding:24px;background:#f4f4f5;color:#18181b;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
h1{margin:0 0 4px;font-size:22px}
.intro p{margin:0 0 20px;color:#52525b}
.palette{display:flex;flex-wrap:wrap;gap:12px;margin:0 0 16px;padding:0;list-style:none}
.swatch{display:flex;align-items:center;gap:10px;padding:8px 12px 8px 8px;background:#fff;border:1px solid #e4e4e7;border-radius:10px;font-size:13px}
.chip{display:grid;place-items:center;width:44px;height:44px;border-radius:8px;font-weight:700;font-size:18px;border:1px solid #e4e4e7}
.sw-primary .chip{background:${c.primary};color:${c.onPrimary}}
.sw-accent .chip{background:${c.accent};color:${c.onAccent}}
.sw-background .chip{background:${c.background};color:${c.text}}
.sw-links .chip{background:${c.surface};color:${c.primaryInk}}
.sw-muted .chip{background:${c.surface};color:${c.muted}}
.type{margin:0 0 24px;color:#3f3f46}
.type .sample-h{font-family:${fonts.heading};font-weight:700;font-size:20px}
.type .sample-b{font-family:${fonts.body}}
.pages{display:grid;gap:28px;grid-template-columns:repeat(auto-fill,minmax(min(100%,440px),1fr))}
.page h2{margin:0 0 8px;font-size:16px}
.page code{color:#71717a;font-weight:400}
.frame{overflow:hidden;background:#fff;border:1px solid #d4d4d8;border-radius:12px;box-shadow:0 10px 30px -18px rgb(0 0 0 / .35)}
.bar{display:flex;align-items:center;gap:6px;padding:8px 12px;background:#e4e4e7}
.bar i{width:10px;height:10px;border-radius:50%;background:#a1a1aa}
.url{margin-left:8px;padding:2px 10px;background:#fff;border-radius:6px;font-size:12px;color:#52525b}
.site{background:${c.background};color:${c.text};font-family:${fonts.body};font-size:13px}
.s-header{display:flex;flex-wrap:wrap;justify-content:space-between;gap:6px 12px;padding:10px 14px;background:${c.surface};border-bottom:1px solid ${c.border}}
.s-header strong{font-family:${fonts.heading}}
.nav{display:flex;flex-wrap:wrap;gap:10px}
.nav .current{color:${c.primaryInk};font-weight:700;text-decoration:underline}
.block{position:relative;padding:14px 14px 12px;border-bottom:1px dashed ${c.border}}
.block p{margin:0 0 6px}
.tag{display:inline-block;margin-bottom:6px;padding:1px 6px;border-radius:4px;background:${c.text};color:${c.background};font:700 10px/1.6 ui-monospace,Menlo,Consolas,monospace;letter-spacing:.06em}
.h{font-family:${fonts.heading};font-weight:700;font-size:17px}
${
  FILLED_HERO[ctx.brief.tone]
    ? `.kind-hero{background:${c.primary};color:${c.onPrimary}}
.kind-hero .btn{background:${c.onPrimary};color:${c.primary};border-color:${c.onPrimary}}
.kind-hero .btn.alt{background:transparent;color:${c.onPrimary};border-color:${c.onPrimary}}`
    : `.kind-hero{background:${c.tint}}
.kind-hero .h{color:${c.primaryInk}}`
}
.kind-hero .h{font-size:22px}
.kind-call_to_action,.page-head{background:${c.tint}}
.note{color:inherit;font-size:12px;font-style:italic}
.items{display:flex;flex-wrap:wrap;gap:6px;margin:4px 0 6px;padding:0;list-style:none}
.items li{padding:6px 8px;background:${c.surface};color:${c.text};border:1px solid ${c.border};border-top:3px solid ${c.accent};border-radius:${Math.min(radius, 10)}px}
.items span{color:${c.muted}}
.buttons{display:flex;flex-wrap:wrap;gap:6px}
.btn{padding:4px 10px;border:2px solid ${c.primary};border-radius:${Math.min(radius, 10)}px;background:${c.primary};color:${c.onPrimary};font-weight:700}
.btn.alt{background:transparent;color:${c.primaryInk};border-color:${c.primaryInk}}
.omitted{color:${c.muted};font-style:italic}
.s-footer{padding:10px 14px;background:${c.dark};color:${c.onDark};font-size:12px}
`;
}

/** The mockup preview as a complete, self-contained HTML document. */
export function renderMockupHtml(brief: Brief, mockup: Mockup): string {
  const ctx = createContext(brief, mockup);
  const c = ctx.colors;
  const title = `Mockup — ${brief.businessName}`;
  const doc = html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title.length > 70 ? `${title.slice(0, 69)}…` : title}</title>
<style>${raw(styles(ctx, mockup))}</style>
</head>
<body>
<main>
<div class="intro">
<h1>${brief.businessName}</h1>
<p>Mockup: ${mockup.pages.length} pages. Colours, type and every page’s sections, filled with the facts from the brief.</p>
</div>
<ul class="palette">
${swatch('Primary', c.primary, c.onPrimary)}
${swatch('Accent', c.accent, c.onAccent)}
${swatch('Background', c.background, c.text)}
${swatch('Links', c.surface, c.primaryInk, c.primaryInk)}
${swatch('Muted', c.surface, c.muted, c.muted)}
</ul>
<p class="type"><span class="sample-h" lang="${brief.language}">${brief.businessName}</span> — headings; <span class="sample-b">body text in the system font of each visitor’s device.</span></p>
<div class="pages">
${mockup.pages.map((page) => pagePreview(ctx, page))}
</div>
</main>
</body>
</html>
`;
  return doc.value.replace(/[ \t]+$/gm, '').replace(/\n{2,}/g, '\n');
}
