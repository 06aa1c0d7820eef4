import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Brief } from '../brief.ts';
import { listSiteFiles } from '../validate/index.ts';
import { briefSummary, type PageEntry, renderLlmsTxt, renderRobots, renderSitemap } from './artifacts.ts';
import { injectSeoBlock, openGraphLocale, readPageFacts, renderSeoBlock, truncate } from './head-block.ts';
import { jsonLdFor } from './schema-org.ts';
import { pageUrl } from './urls.ts';

export interface SeoInput {
  siteDir: string;
  brief: Brief;
  /** The site's public base URL; every URL written is absolute and under it. */
  baseUrl: string;
}

export interface SeoResult {
  /** Site paths whose content changed, sorted; empty when everything was already up to date. */
  written: string[];
  /** Pages left alone because they have neither `</head>` nor `<body>` to put the block in. */
  skipped: string[];
}

/**
 * Regenerates the SEO artifacts from the brief and the pages on disk: sitemap.xml, robots.txt,
 * llms.txt and each page's managed head block (canonical, description, Open Graph, LocalBusiness
 * JSON-LD). Idempotent: files are written only when their content changes, so a second run writes
 * nothing.
 */
export async function generateSeoArtifacts({ siteDir, brief, baseUrl }: SeoInput): Promise<SeoResult> {
  await mkdir(siteDir, { recursive: true });
  const { html: pages } = await listSiteFiles(siteDir);
  const jsonLd = jsonLdFor(brief, baseUrl);
  const locale = openGraphLocale(brief.language);
  const written: string[] = [];
  const skipped: string[] = [];
  const entries: PageEntry[] = [];

  for (const page of pages) {
    const html = await readFile(join(siteDir, page), 'utf8');
    const facts = readPageFacts(html);
    const url = pageUrl(baseUrl, page);
    const title = facts.title ?? brief.businessName;
    const description = truncate(facts.metaDescription ?? facts.firstParagraph ?? briefSummary(brief));
    // Pages that ask not to be indexed (the 404 page) stay out of the sitemap and llms.txt.
    if (!isNoindex(html)) entries.push({ url, title, description });
    const block = renderSeoBlock({
      url,
      title,
      description,
      siteName: brief.businessName,
      locale,
      jsonLd,
      skip: {
        canonical: facts.hasCanonical,
        description: facts.metaDescription !== null,
        openGraph: facts.openGraph,
      },
    });
    const updated = injectSeoBlock(html, block);
    if (updated === null) skipped.push(page);
    else if (await writeIfChanged(siteDir, page, updated)) written.push(page);
  }

  const siteFiles: Array<[string, string]> = [
    ['sitemap.xml', renderSitemap(entries.map((entry) => entry.url))],
    ['robots.txt', renderRobots(baseUrl)],
    ['llms.txt', renderLlmsTxt(brief, entries)],
  ];
  for (const [path, content] of siteFiles) {
    if (await writeIfChanged(siteDir, path, content)) written.push(path);
  }
  return { written: written.sort(), skipped };
}

/** True when the page carries `<meta name="robots" content="…noindex…">`. */
export function isNoindex(html: string): boolean {
  return /<meta\s+name=["']robots["']\s+content=["'][^"']*noindex/i.test(html);
}

async function writeIfChanged(siteDir: string, path: string, content: string): Promise<boolean> {
  const file = join(siteDir, path);
  const current = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
  if (current === content) return false;
  await writeFile(file, content);
  return true;
}
