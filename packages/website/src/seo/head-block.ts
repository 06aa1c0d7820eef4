/**
 * The managed SEO block in each page's `<head>`: everything between the two marker comments is
 * owned by the generator and replaced on every run; everything outside belongs to the page's author.
 */
import type { HtmlElement } from 'html-validate';
import { attributeOf, parseHtml, textOf } from '../validate/index.ts';
import { oneLine } from './artifacts.ts';
import { escapeHtml, jsonForScript } from './escape.ts';

export const SEO_BLOCK_START = '<!-- sitewright:seo -->';
export const SEO_BLOCK_END = '<!-- /sitewright:seo -->';

// The block plus the indentation and line break the generator put around it.
const BLOCK = /[ \t]*<!-- sitewright:seo -->[\s\S]*?<!-- \/sitewright:seo -->[ \t]*\n?/g;

/** The page without any managed block (the author's own markup). */
export function stripSeoBlock(html: string): string {
  return html.replace(BLOCK, '');
}

/** What the author already wrote in a page, read with the managed block removed. */
export interface PageFacts {
  title: string | null;
  /** The author's own `<meta name="description">`, if any. */
  metaDescription: string | null;
  /** The first substantial paragraph of the page's main content. */
  firstParagraph: string | null;
  hasCanonical: boolean;
  /** `og:*` properties the author set. */
  openGraph: Set<string>;
}

const MIN_PARAGRAPH = 40;

export function readPageFacts(html: string): PageFacts {
  const root = parseHtml(stripSeoBlock(html));
  const title = root.querySelector('title');
  const h1 = root.querySelector('h1');
  const scope = root.querySelector('main') ?? root.querySelector('body') ?? root;
  const paragraphs = scope.querySelectorAll('p').map(textOf);
  const description = root.querySelector('meta[name="description"]');
  const openGraph = new Set<string>();
  for (const meta of root.querySelectorAll('meta[property]')) {
    const property = attributeOf(meta, 'property');
    if (property?.startsWith('og:')) openGraph.add(property);
  }
  return {
    title: nonEmpty(title && textOf(title)) ?? nonEmpty(h1 && textOf(h1)),
    metaDescription: nonEmpty(description && oneLine(attributeOf(description, 'content') ?? '')),
    firstParagraph:
      paragraphs.find((text) => text.length >= MIN_PARAGRAPH) ??
      paragraphs.find((text) => text !== '') ??
      null,
    hasCanonical: root.querySelectorAll('link[rel]').some(isCanonical),
    openGraph,
  };
}

function isCanonical(link: HtmlElement): boolean {
  return (attributeOf(link, 'rel') ?? '').toLowerCase().split(/\s+/).includes('canonical');
}

function nonEmpty(text: string | null | undefined): string | null {
  return text ? text : null;
}

/** Cuts text to at most `max` characters at a word boundary, marking the cut with an ellipsis. */
export function truncate(text: string, max = 160): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.–—-]+$/, '')}…`;
}

export interface SeoBlockInput {
  url: string;
  title: string;
  description: string;
  siteName: string;
  /** An Open Graph locale (`en_GB`). */
  locale: string;
  jsonLd: unknown;
  /** Tags the author already wrote, which the block must not repeat. */
  skip: { canonical: boolean; description: boolean; openGraph: ReadonlySet<string> };
}

/** The block's lines, unindented. */
export function renderSeoBlock(input: SeoBlockInput): string[] {
  const lines = [SEO_BLOCK_START];
  if (!input.skip.canonical) lines.push(`<link rel="canonical" href="${escapeHtml(input.url)}">`);
  if (!input.skip.description) {
    lines.push(`<meta name="description" content="${escapeHtml(input.description)}">`);
  }
  const openGraph: Array<[string, string]> = [
    ['og:type', 'website'],
    ['og:site_name', input.siteName],
    ['og:title', input.title],
    ['og:description', input.description],
    ['og:url', input.url],
    ['og:locale', input.locale],
  ];
  for (const [property, content] of openGraph) {
    if (input.skip.openGraph.has(property)) continue;
    lines.push(`<meta property="${property}" content="${escapeHtml(content)}">`);
  }
  lines.push('<script type="application/ld+json">', ...jsonForScript(input.jsonLd).split('\n'), '</script>');
  lines.push(SEO_BLOCK_END);
  return lines;
}

/**
 * Puts the block into the page's head (before `</head>`, else before `<body>`), replacing any block
 * already there. Indentation follows the page, so the result reads as if hand-written. Returns null
 * for a document with neither `</head>` nor `<body>` to anchor on.
 */
export function injectSeoBlock(html: string, blockLines: readonly string[]): string | null {
  const page = stripSeoBlock(html);
  const anchor = /<\/head\s*>/i.exec(page) ?? /<body[\s>]/i.exec(page);
  if (!anchor) return null;
  const lineStart = page.lastIndexOf('\n', anchor.index - 1) + 1;
  const before = page.slice(lineStart, anchor.index);
  const atLineStart = /^[ \t]*$/.test(before);
  const indent = atLineStart ? `${before}${anchor[0].startsWith('</') ? '  ' : ''}` : '  ';
  const block = blockLines.map((line) => `${indent}${line}\n`).join('');
  if (atLineStart) return `${page.slice(0, lineStart)}${block}${page.slice(lineStart)}`;
  return `${page.slice(0, anchor.index)}\n${block}${page.slice(anchor.index)}`;
}

/** `en` → `en`, `en-gb` → `en_GB`: the BCP 47 language of the brief as an Open Graph locale. */
export function openGraphLocale(language: string): string {
  const [lang = 'en', region] = language.trim().split(/[-_]/);
  return region && /^[a-z]{2}$|^\d{3}$/i.test(region)
    ? `${lang.toLowerCase()}_${region.toUpperCase()}`
    : lang.toLowerCase();
}
