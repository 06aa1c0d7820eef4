/**
 * The generated sites in real Chromium, through the same `runBrowserCheck` the coding agent uses:
 * every page at desktop and phone width loads without errors or outside requests, its links resolve,
 * axe finds nothing serious or critical, and nothing is wider than a phone screen.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBrowserCheck, VIEWPORTS, type ViewportName } from '../browser/check.ts';
import { type BrowserPool, createBrowserPool } from '../browser/pool.ts';
import type { BrowserAssertion } from '../browser/probes.ts';
import { serveSite } from '../browser/static-server.ts';
import { chromiumPath, noChromiumReason, tempDirs, writeSite } from '../browser/test-support.ts';
import { briefFixtures } from '../testing/briefs.ts';
import { generateSite } from './generate.ts';
import { deriveMockup } from './mockup.ts';

const suite = noChromiumReason ? describe.skip : describe;

const sites = briefFixtures.map(({ id, brief }) => {
  const files = generateSite(brief, deriveMockup(brief));
  const pages = files
    .filter((file) => file.path.endsWith('index.html'))
    .map((file) => `/${file.path.replace(/index\.html$/, '')}`);
  return { id, brief, files, pages };
});

suite(`generated sites in Chromium${noChromiumReason ? ` (${noChromiumReason})` : ''}`, () => {
  const dirs = tempDirs();
  const siteDirs = new Map<string, string>();
  let pool: BrowserPool;

  beforeAll(async () => {
    pool = createBrowserPool({ chromiumPath });
    for (const site of sites) {
      const files = Object.fromEntries(site.files.map((file) => [file.path, file.content]));
      siteDirs.set(site.id, await writeSite(await dirs.make('sitewright-site-'), files));
    }
  });
  afterAll(async () => {
    await pool?.close();
    await dirs.cleanup();
  });

  const cases = sites.flatMap((site) =>
    site.pages.flatMap((page) =>
      (['desktop', 'phone'] as ViewportName[]).map((viewport) => ({ ...site, page, viewport })),
    ),
  );

  it.each(cases)('$id $page passes the browser check at $viewport', async ({ id, brief, page, viewport }) => {
    const assertions: BrowserAssertion[] = [
      { selector: 'h1', count: 1 },
      { selector: 'footer address', visible: true },
      { selector: '.brand', text: brief.businessName },
    ];
    if (brief.contact.phone)
      assertions.push({ selector: 'footer a[href^="tel:"]', text: brief.contact.phone });
    const result = await runBrowserCheck(pool, { siteDir: siteDirs.get(id)!, page, viewport, assertions });
    expect(result.results.filter((entry) => !entry.passed)).toEqual([]);
    expect(result.axeViolations.map((v) => `${v.impact} ${v.id}: ${v.targets.join(', ')}`)).toEqual([]);
    expect(result.passed).toBe(true);
  });

  it.each(sites)('$id fits a phone screen without sideways scrolling', async ({ id, pages }) => {
    const server = await serveSite(siteDirs.get(id)!);
    const isolated = await pool.openContext({
      allowedOrigin: server.url,
      viewport: VIEWPORTS.phone,
      mobile: true,
    });
    try {
      const tab = await isolated.context.newPage();
      for (const page of pages) {
        await tab.goto(`${server.url}${page}`);
        const widths = await tab.evaluate('[document.documentElement.scrollWidth, window.innerWidth]');
        const [scroll, viewport] = widths as [number, number];
        expect(scroll, page).toBeLessThanOrEqual(viewport);
      }
    } finally {
      await isolated.close();
      await server.close();
    }
  });
});
