/**
 * The mockup as an ASCII wireframe for the chat: one box per page, one block per section, with the
 * brief's real facts. Lines never exceed 80 terminal columns, counting East Asian wide characters as
 * two.
 */
import type { Brief } from '../brief.ts';
import type { Mockup, MockupPage } from '../mockup.ts';
import { createContext, pageHref, type SiteContext } from './context.ts';
import { footerLine, pageHeaderSummary, type SectionSummary, summarizeSection } from './summary.ts';

export const WIREFRAME_WIDTH = 80;
const INNER = WIREFRAME_WIDTH - 4;

/** Columns a string occupies in a terminal: wide (CJK, fullwidth, emoji) = 2, combining marks = 0. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) width += charWidth(char);
  return width;
}

function charWidth(char: string): number {
  const code = char.codePointAt(0) ?? 0;
  if (/\p{Mn}|\p{Me}|\p{Cf}/u.test(char)) return 0;
  const wide =
    (code >= 0x1100 && code <= 0x115f) ||
    (code >= 0x2e80 && code <= 0xa4cf && code !== 0x303f) ||
    (code >= 0xac00 && code <= 0xd7a3) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xfe30 && code <= 0xfe4f) ||
    (code >= 0xff00 && code <= 0xff60) ||
    (code >= 0xffe0 && code <= 0xffe6) ||
    (code >= 0x1f300 && code <= 0x1faff) ||
    (code >= 0x20000 && code <= 0x3fffd);
  return wide ? 2 : 1;
}

/** Cuts `text` to at most `width` columns, ending in "…" when it had to cut. */
function fit(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  let out = '';
  for (const char of text) {
    if (displayWidth(out) + charWidth(char) > width - 1) break;
    out += char;
  }
  return `${out}…`;
}

/** Word-wraps `text` to `width` columns; text without spaces (Japanese, Chinese) wraps anywhere. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  const push = () => {
    if (line.trim()) lines.push(line.trimEnd());
    line = '';
  };
  for (const word of text.split(/(\s+)/)) {
    if (!word) continue;
    if (/^\s+$/.test(word)) {
      if (line) line += ' ';
      continue;
    }
    if (displayWidth(line) + displayWidth(word) <= width) {
      line += word;
      continue;
    }
    if (line.trim()) push();
    for (const char of word) {
      if (displayWidth(line) + charWidth(char) > width) push();
      line += char;
    }
  }
  push();
  return lines;
}

function pad(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}

const row = (text: string) => `| ${pad(fit(text, INNER), INNER)} |`;
const rule = (char: string) => `+${char.repeat(WIREFRAME_WIDTH - 2)}+`;

function titledRule(title: string): string {
  const label = `-- ${fit(title, WIREFRAME_WIDTH - 10)} `;
  return `+${label}${'-'.repeat(WIREFRAME_WIDTH - 2 - displayWidth(label))}+`;
}

function headerRows(ctx: SiteContext, page: MockupPage): string[] {
  const nav = ctx.mockup.pages.map((p) => (p.slug === page.slug ? `[${p.nav}]` : p.nav)).join('  ');
  const brand = ctx.brief.businessName;
  if (displayWidth(brand) + displayWidth(nav) + 3 <= INNER) {
    return [row(`${brand}${' '.repeat(INNER - displayWidth(brand) - displayWidth(nav))}${nav}`)];
  }
  return [row(brand), row(nav)];
}

function sectionRows(summary: SectionSummary): string[] {
  const indent = '   ';
  const body = INNER - indent.length;
  if (summary.omitted) return [row(`${summary.label}  (${summary.omitted})`)];
  const rows = [row(summary.label)];
  if (summary.heading) rows.push(...wrap(summary.heading.toUpperCase(), body).map((l) => row(indent + l)));
  for (const line of summary.lines)
    rows.push(
      ...wrap(line, body)
        .slice(0, 4)
        .map((l) => row(indent + l)),
    );
  for (const item of summary.items) {
    const text = item.detail ? `• ${item.name} — ${item.detail}` : `• ${item.name}`;
    rows.push(
      ...wrap(text, body)
        .slice(0, 2)
        .map((l) => row(indent + l)),
    );
  }
  if (summary.buttons.length > 0) {
    rows.push(...wrap(summary.buttons.map((b) => `[ ${b} ]`).join('  '), body).map((l) => row(indent + l)));
  }
  if (summary.note) rows.push(...wrap(summary.note, body).map((l) => row(indent + l)));
  return rows;
}

function renderPage(ctx: SiteContext, page: MockupPage): string[] {
  const lines = [titledRule(`${page.title}  ${pageHref(page)}`), ...headerRows(ctx, page), rule('=')];
  const pageHeader = pageHeaderSummary(ctx, page);
  if (pageHeader) {
    lines.push(row('PAGE HEADER'));
    for (const text of [pageHeader.title.toUpperCase(), pageHeader.lead ?? '']) {
      lines.push(...wrap(text, INNER - 3).map((l) => row(`   ${l}`)));
    }
    lines.push(rule('-'));
  }
  page.sections.forEach((_, index) => {
    if (index > 0) lines.push(rule('-'));
    lines.push(...sectionRows(summarizeSection(ctx, page, index)));
  });
  lines.push(rule('='));
  lines.push(...wrap(`FOOTER  ${footerLine(ctx)}`, INNER).map(row));
  lines.push(rule('-'));
  return lines;
}

/** Every page of the mockup as a boxed ASCII wireframe, pages separated by a blank line. */
export function renderWireframe(brief: Brief, mockup: Mockup): string {
  const ctx = createContext(brief, mockup);
  return mockup.pages.map((page) => renderPage(ctx, page).join('\n')).join('\n\n');
}
