/**
 * Small pieces of markup that show one brief fact, shared by sections, the header and the footer so a
 * fact is written the same way everywhere it appears.
 */
import type { SiteContext } from './context.ts';
import { addressLines, formatDays, formatIntervals, mapUrl, socialLabel } from './facts.ts';
import { escapeHtml, type Html, html, raw } from './html.ts';

/**
 * Text inside a `tel:` link with non-breaking spaces and hyphens, so a number never wraps mid-way
 * (html-validate's tel-non-breaking). Readers see exactly the characters the owner typed.
 */
export function unbreakable(text: string): Html {
  return raw(escapeHtml(text).replace(/ /g, '&nbsp;').replace(/-/g, '&#8209;'));
}

/** The phone number as a click-to-call link, optionally preceded by the call action ("Call …"). */
export function phoneLink(ctx: SiteContext, options: { className?: string; action?: boolean } = {}): Html {
  const { phone } = ctx.brief.contact;
  if (!phone || !ctx.tel) return html``;
  const label = options.action ? `${ctx.copy.callAction} ${phone}` : phone;
  return html`<a class="${['tel', options.className].filter(Boolean).join(' ')}" href="${ctx.tel}">${unbreakable(label)}</a>`;
}

export function emailLink(ctx: SiteContext, options: { className?: string; label?: string } = {}): Html {
  const { email } = ctx.brief.contact;
  if (!email || !ctx.mailto) return html``;
  const className = ['email', options.className].filter(Boolean).join(' ');
  return html`<a class="${className}" href="${ctx.mailto}">${options.label ?? email}</a>`;
}

/** The postal address lines, one per line, for use inside an `<address>` element. */
export function addressText(ctx: SiteContext): Html {
  const { address } = ctx.brief.contact;
  if (!address) return html``;
  const lines = addressLines(address).map((line) => html`<span class="line">${line}</span>`);
  return html`${lines}`;
}

export function mapLink(ctx: SiteContext, className = 'map-link'): Html {
  const { address } = ctx.brief.contact;
  if (!address) return html``;
  return html`<a class="${className}" href="${mapUrl(address)}">${ctx.copy.mapLink} <span class="visually-hidden">(OpenStreetMap)</span></a>`;
}

/** The opening hours as a table with one row per group of days; nothing when the brief has none. */
export function hoursTable(ctx: SiteContext, className = 'hours'): Html {
  if (ctx.hours.length === 0) return html``;
  const rows = ctx.hours.map(
    (group) =>
      html`<tr${group.intervals.length === 0 ? raw(' class="closed"') : ''}><th scope="row">${formatDays(group.days, ctx.days, ctx.copy)}</th><td>${formatIntervals(group.intervals, ctx.copy)}</td></tr>`,
  );
  return html`<table class="${className}">
<tbody>
${rows.map((row) => html`${row}\n`)}</tbody>
</table>`;
}

export function serviceAreaList(ctx: SiteContext, className = 'areas'): Html {
  const areas = ctx.brief.contact.serviceArea ?? [];
  if (areas.length === 0) return html``;
  return html`<ul class="${className}">${areas.map((area) => html`<li>${area}</li>`)}</ul>`;
}

export function socialList(ctx: SiteContext, className = 'social'): Html {
  if (ctx.brief.social.length === 0) return html``;
  const items = ctx.brief.social.map((url) => html`<li><a href="${url}" rel="me">${socialLabel(url)}</a></li>`);
  return html`<ul class="${className}">${items}</ul>`;
}

/** The owner's text split into paragraphs at line breaks. */
export function paragraphs(text: string): string[] {
  return text
    .split(/\n+/)
    .map((p) => p.trim())
    .filter(Boolean);
}

/** The opening of a long text, cut at a sentence end near `limit` characters. */
export function teaser(text: string, limit = 320): string {
  const first = paragraphs(text)[0] ?? '';
  if (first.length <= limit) return first;
  const sentences = first.match(/[^.!?。！？]+[.!?。！？]+["'”’)]*\s*/g) ?? [];
  let out = '';
  for (const sentence of sentences) {
    if (out && (out + sentence).length > limit) break;
    out += sentence;
  }
  return out.trim() || `${first.slice(0, limit).trimEnd()}…`;
}
