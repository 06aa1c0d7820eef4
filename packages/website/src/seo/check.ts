/** Checks that the SEO artifacts on disk are present, well-formed and cover every page. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Criterion } from '@sitewright/engine';
import type { Brief } from '../brief.ts';
import { attributeOf, listSiteFiles, parseHtml } from '../validate/index.ts';
import { SITEMAP_NAMESPACE, sitemapUrl } from './artifacts.ts';
import { isNoindex } from './generate.ts';
import { schemaTypeFor } from './schema-org.ts';
import { normalizeBaseUrl, pageUrl } from './urls.ts';
import { parseXml, XmlError } from './xml.ts';

export const seoCriteria = {
  sitemap: 'sitemap.xml is a urlset covering every page',
  robots: 'robots.txt names the sitemap',
  llms: 'llms.txt follows the llmstxt.org shape',
  canonical: 'every page has a canonical link to its own URL',
  description: 'every page has a meta description',
  jsonLd: 'every page has the business JSON-LD',
} as const;

/** One criterion per artifact, each failing with the first problems found. */
export async function checkSeoArtifacts(input: {
  siteDir: string;
  brief: Brief;
  baseUrl: string;
}): Promise<Criterion[]> {
  const { siteDir, brief, baseUrl } = input;
  const { html: pages } = await listSiteFiles(siteDir);
  const urls = pages.map((page) => pageUrl(baseUrl, page));
  const read = (path: string) => readFile(join(siteDir, path), 'utf8').catch(() => null);
  const indexable: string[] = [];
  for (const [index, page] of pages.entries()) {
    if (!isNoindex((await read(page)) ?? '')) indexable.push(urls[index] ?? '');
  }

  const sitemap = await read('sitemap.xml');
  const robots = await read('robots.txt');
  const llms = await read('llms.txt');
  const expectedType = schemaTypeFor(brief.industry);
  const pageProblems = { canonical: [] as string[], description: [] as string[], jsonLd: [] as string[] };
  for (const [index, page] of pages.entries()) {
    const found = checkPageSeo(await readFile(join(siteDir, page), 'utf8'), urls[index] ?? '', expectedType);
    for (const key of ['canonical', 'description', 'jsonLd'] as const) {
      const problem = found[key];
      if (problem) pageProblems[key].push(`${page}: ${problem}`);
    }
  }

  return [
    criterion(
      seoCriteria.sitemap,
      sitemap === null ? ['missing'] : checkSitemap(sitemap, indexable, baseUrl),
      `${indexable.length} pages listed`,
    ),
    criterion(
      seoCriteria.robots,
      robots === null ? ['missing'] : checkRobots(robots, baseUrl),
      'Sitemap line present',
    ),
    criterion(
      seoCriteria.llms,
      llms === null ? ['missing'] : checkLlmsTxt(llms, indexable),
      `${indexable.length} pages listed`,
    ),
    criterion(seoCriteria.canonical, pageProblems.canonical, `${pages.length} pages`),
    criterion(seoCriteria.description, pageProblems.description, `${pages.length} pages`),
    criterion(seoCriteria.jsonLd, pageProblems.jsonLd, `${expectedType} on ${pages.length} pages`),
  ];
}

function criterion(name: string, problems: string[], passedDetail: string): Criterion {
  if (problems.length === 0) return { name, passed: true, detail: passedDetail };
  const shown = problems.slice(0, 5).join('; ');
  const more = problems.length > 5 ? ` (+${problems.length - 5} more)` : '';
  return { name, passed: false, detail: `${shown}${more}` };
}

/** Problems with a sitemap: not a well-formed `urlset`, URLs outside the site, pages missing. */
export function checkSitemap(xml: string, expectedUrls: readonly string[], baseUrl: string): string[] {
  let root: ReturnType<typeof parseXml>;
  try {
    root = parseXml(xml);
  } catch (error) {
    if (error instanceof XmlError) return [`not well-formed XML: ${error.message}`];
    throw error;
  }
  if (root.name !== 'urlset') return [`the root element is <${root.name}>, not <urlset>`];
  if (root.attributes.xmlns !== SITEMAP_NAMESPACE) return [`<urlset> lacks xmlns="${SITEMAP_NAMESPACE}"`];
  const problems: string[] = [];
  const base = `${normalizeBaseUrl(baseUrl)}/`;
  const listed = new Set<string>();
  for (const url of root.children) {
    const loc =
      url.name === 'url' ? url.children.find((child) => child.name === 'loc')?.text.trim() : undefined;
    if (loc === undefined) problems.push(`<${url.name}> is not a <url> with a <loc>`);
    else if (!loc.startsWith(base)) problems.push(`${loc} is not under ${base}`);
    else listed.add(loc);
  }
  for (const url of expectedUrls) if (!listed.has(url)) problems.push(`${url} is missing`);
  return problems;
}

export function checkRobots(text: string, baseUrl: string): string[] {
  const expected = sitemapUrl(baseUrl);
  const lines = text.split(/\r?\n/).map((line) => line.trim());
  return lines.some((line) => /^sitemap:/i.test(line) && line.slice(8).trim() === expected)
    ? []
    : [`no "Sitemap: ${expected}" line`];
}

/** The llmstxt.org shape: `# name`, blank line, `> summary`, a `## Pages` list linking every page. */
export function checkLlmsTxt(text: string, expectedUrls: readonly string[]): string[] {
  const lines = text.split(/\r?\n/);
  const problems: string[] = [];
  if (!/^# \S/.test(lines[0] ?? '')) problems.push('the first line is not "# <name>"');
  if ((lines[1] ?? '') !== '' || !/^> \S/.test(lines[2] ?? '')) {
    problems.push('the name is not followed by a blank line and a "> summary" line');
  }
  if (lines.slice(1).some((line) => /^# /.test(line))) problems.push('more than one "# " heading');
  const pagesAt = lines.indexOf('## Pages');
  if (pagesAt === -1) return [...problems, 'no "## Pages" section'];
  const nextSection = lines.findIndex((line, index) => index > pagesAt && line.startsWith('## '));
  const section = lines.slice(pagesAt + 1, nextSection === -1 ? undefined : nextSection);
  const linked = new Set<string>();
  for (const line of section) {
    if (line.trim() === '') continue;
    const link = /^- \[(?:[^\]\\]|\\.)+\]\(([^)\s]+)\)(?::\s.+)?$/.exec(line);
    if (link?.[1]) linked.add(link[1]);
    else problems.push(`"${line}" is not "- [title](url): description"`);
  }
  for (const url of expectedUrls) if (!linked.has(url)) problems.push(`${url} is not listed`);
  if (!lines.includes('## Contact')) problems.push('no "## Contact" section');
  return problems;
}

/** What one page lacks: a canonical link to `url`, a description, JSON-LD of `expectedType`. */
export function checkPageSeo(
  html: string,
  url: string,
  expectedType: string,
): { canonical: string | null; description: string | null; jsonLd: string | null } {
  const root = parseHtml(html);
  const canonicals = root
    .querySelectorAll('link[rel]')
    .filter((link) => (attributeOf(link, 'rel') ?? '').toLowerCase().split(/\s+/).includes('canonical'))
    .map((link) => attributeOf(link, 'href') ?? '');
  const canonical =
    canonicals.length === 0
      ? 'no canonical link'
      : canonicals.length > 1
        ? `${canonicals.length} canonical links`
        : canonicals[0] !== url
          ? `canonical is ${canonicals[0]}, expected ${url}`
          : null;

  const descriptions = root.querySelectorAll('meta[name="description"]');
  const description =
    descriptions.length === 0
      ? 'no meta description'
      : descriptions.some((meta) => !attributeOf(meta, 'content')?.trim())
        ? 'empty meta description'
        : null;

  const types: string[] = [];
  let jsonLd: string | null = null;
  for (const script of root.querySelectorAll('script[type="application/ld+json"]')) {
    try {
      const data: unknown = JSON.parse(script.textContent);
      for (const item of Array.isArray(data) ? data : [data]) types.push(...typesOf(item));
    } catch (error) {
      jsonLd = `JSON-LD does not parse (${(error as Error).message})`;
    }
  }
  if (jsonLd === null && !types.includes(expectedType)) {
    jsonLd =
      types.length === 0 ? 'no JSON-LD' : `JSON-LD @type is ${types.join(', ')}, expected ${expectedType}`;
  }
  return { canonical, description, jsonLd };
}

function typesOf(item: unknown): string[] {
  if (typeof item !== 'object' || item === null) return [];
  const type = (item as Record<string, unknown>)['@type'];
  if (typeof type === 'string') return [type];
  return Array.isArray(type) ? type.filter((value): value is string => typeof value === 'string') : [];
}
