/**
 * Small pieces of markup that show one brief fact, shared by sections, the header and the footer so a
 * fact is written the same way everywhere it appears.
 */
import type { SiteContext } from './context.ts';
import { addressLines, formatDays, formatIntervals, type Interval, mapUrl, socialLabel } from './facts.ts';
import { type Html, html, raw } from './html.ts';

/**
 * The phone number as a click-to-call link, optionally preceded by the call action ("Call …"). The
 * text is the owner's, character for character; `.tel { white-space: nowrap }` keeps it on one line
 * (rather than non-breaking characters, which would make it differ from the brief).
 */
export function phoneLink(ctx: SiteContext, options: { className?: string; action?: boolean } = {}): Html {
  const { phone } = ctx.brief.contact;
  if (!phone || !ctx.tel) return html``;
  const label = options.action ? `${ctx.copy.callAction} ${phone}` : phone;
  return html`<a class="${['tel', options.className].filter(Boolean).join(' ')}" href="${ctx.tel}">${label}</a>`;
}

export function emailLink(ctx: SiteContext, options: { className?: string; label?: string } = {}): Html {
  const { email } = ctx.brief.contact;
  if (!email || !ctx.mailto) return html``;
  const className = ['email', options.className].filter(Boolean).join(' ');
  return html`<a class="${className}" href="${ctx.mailto}">${options.label ?? email}</a>`;
}

/** The postal address, one line per `<br>`, for use inside an `<address>` element. */
export function addressText(ctx: SiteContext): Html {
  const { address } = ctx.brief.contact;
  if (!address) return html``;
  return lines(addressLines(address));
}

/** Lines separated by `<br>`: visible and copied text keeps the line breaks, unlike styled spans. */
export function lines(parts: ReadonlyArray<string | Html>): Html {
  return html`${parts.filter(Boolean).map((part, i) => html`${i > 0 ? html`<br>` : ''}${part}`)}`;
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
      html`<tr${group.intervals.length === 0 ? raw(' class="closed"') : ''}><th scope="row">${formatDays(group.days, ctx.days, ctx.copy)}</th><td>${intervals(ctx, group.intervals)}</td></tr>`,
  );
  return html`<table class="${className}">
<tbody>
${rows.map((row) => html`${row}\n`)}</tbody>
</table>`;
}

/** "12:00–14:30, 17:00–22:30" with each interval kept on one line. */
function intervals(ctx: SiteContext, list: readonly Interval[]): Html {
  if (list.length === 0) return html`${ctx.copy.closed}`;
  const parts = list.map(
    (i, n) =>
      html`${n > 0 ? ctx.copy.listSeparator : ''}<span class="interval">${formatIntervals([i], ctx.copy)}</span>`,
  );
  return html`${parts}`;
}

export function serviceAreaList(ctx: SiteContext, className = 'areas'): Html {
  const areas = ctx.brief.contact.serviceArea ?? [];
  if (areas.length === 0) return html``;
  return html`<ul class="${className}">${areas.map((area) => html`<li>${area}</li>`)}</ul>`;
}

export function socialList(ctx: SiteContext, className = 'social'): Html {
  if (ctx.brief.social.length === 0) return html``;
  const items = ctx.brief.social.map(
    (url) => html`<li><a href="${url}" rel="me">${socialLabel(url)}</a></li>`,
  );
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
