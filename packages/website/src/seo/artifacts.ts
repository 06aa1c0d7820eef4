/** The site-level SEO files: sitemap.xml, robots.txt and llms.txt, rendered as text. */
import type { Brief, OpeningHours, Weekday } from '../brief.ts';
import { escapeXml } from './escape.ts';
import { normalizeBaseUrl } from './urls.ts';

export const SITEMAP_NAMESPACE = 'http://www.sitemaps.org/schemas/sitemap/0.9';

/** What the site-level files need to know about one page. */
export interface PageEntry {
  url: string;
  title: string;
  description: string;
}

/** A sitemap `urlset` with one `<url><loc>` per URL, sorted; no `lastmod`, so reruns are byte-identical. */
export function renderSitemap(urls: readonly string[]): string {
  const entries = [...new Set(urls)]
    .sort()
    .map((url) => `  <url>\n    <loc>${escapeXml(url)}</loc>\n  </url>\n`);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="${SITEMAP_NAMESPACE}">\n${entries.join('')}</urlset>\n`;
}

export function sitemapUrl(baseUrl: string): string {
  return `${normalizeBaseUrl(baseUrl)}/sitemap.xml`;
}

/** robots.txt: every crawler may fetch everything, and here is the sitemap. */
export function renderRobots(baseUrl: string): string {
  return `User-agent: *\nAllow: /\n\nSitemap: ${sitemapUrl(baseUrl)}\n`;
}

/**
 * llms.txt in the llmstxt.org shape: `# name`, a `> summary` line, detail paragraphs, `## Pages`
 * (one `- [title](url): description` per page) and `## Contact` with the brief's facts.
 */
export function renderLlmsTxt(brief: Brief, pages: readonly PageEntry[]): string {
  const summary = briefSummary(brief);
  const lines = [`# ${oneLine(brief.businessName)}`, '', `> ${summary}`, ''];
  const description = oneLine(brief.description);
  if (description !== summary) lines.push(description, '');
  lines.push('Services:', '');
  for (const service of brief.services) {
    const price = service.price ? ` (${oneLine(service.price)})` : '';
    const about = service.description ? `: ${oneLine(service.description)}` : '';
    lines.push(`- ${oneLine(service.name)}${price}${about}`);
  }
  lines.push('', '## Pages', '');
  for (const page of [...pages].sort((a, b) => (a.url < b.url ? -1 : a.url > b.url ? 1 : 0))) {
    lines.push(`- [${markdownLinkText(page.title)}](${markdownUrl(page.url)}): ${oneLine(page.description)}`);
  }
  lines.push('', '## Contact', '', ...contactLines(brief));
  return `${lines.join('\n')}\n`;
}

/** One line that sums the business up: the tagline, else the description's first sentence. */
export function briefSummary(brief: Brief): string {
  if (brief.tagline?.trim()) return oneLine(brief.tagline);
  const description = oneLine(brief.description);
  const sentence = /^.+?[.!?](?=\s|$)|^.+?[。！？]/u.exec(description)?.[0];
  return sentence ?? description;
}

function contactLines(brief: Brief): string[] {
  const { phone, email, address, serviceArea } = brief.contact;
  const lines: string[] = [];
  if (phone) lines.push(`- Phone: ${oneLine(phone)}`);
  if (email) lines.push(`- Email: ${oneLine(email)}`);
  if (address) {
    const { street, locality, region, postalCode, country } = address;
    const place = [street, locality, [region, postalCode].filter(Boolean).join(' '), country].filter(Boolean);
    lines.push(`- Address: ${oneLine(place.join(', '))}`);
  }
  if (serviceArea?.length) lines.push(`- Service area: ${oneLine(serviceArea.join(', '))}`);
  for (const hours of brief.hours) lines.push(`- Open ${describeDays(hours.days)}: ${describeTimes(hours)}`);
  for (const profile of brief.social) lines.push(`- Profile: <${markdownUrl(profile)}>`);
  return lines;
}

const WEEK: readonly Weekday[] = ['Mo', 'Tu', 'We', 'Th', 'Fr', 'Sa', 'Su'];
const DAY_NAMES: Record<Weekday, string> = {
  Mo: 'Monday',
  Tu: 'Tuesday',
  We: 'Wednesday',
  Th: 'Thursday',
  Fr: 'Friday',
  Sa: 'Saturday',
  Su: 'Sunday',
};

/** `Monday–Saturday` for a run of three or more days, else the days listed. */
function describeDays(days: readonly Weekday[]): string {
  const ordered = WEEK.filter((day) => days.includes(day));
  const first = ordered[0];
  const last = ordered[ordered.length - 1];
  const consecutive =
    first !== undefined &&
    last !== undefined &&
    WEEK.indexOf(last) - WEEK.indexOf(first) === ordered.length - 1;
  if (consecutive && ordered.length >= 3) return `${DAY_NAMES[first]}–${DAY_NAMES[last]}`;
  return ordered.map((day) => DAY_NAMES[day]).join(', ');
}

function describeTimes(hours: OpeningHours): string {
  return `${hours.opens}–${hours.closes}`;
}

/** Collapses whitespace so one fact stays on one line of a line-oriented file. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function markdownLinkText(text: string): string {
  return oneLine(text).replace(/[\\[\]]/g, (char) => `\\${char}`);
}

function markdownUrl(url: string): string {
  return url.replace(/[\s()<>]/g, (char) => encodeURIComponent(char));
}
