/**
 * The site quality bar on the demo worker's output, for every fixture brief (industries, with and
 * without an address, "Zoë's Café & Bar", Japanese text): the generated pages after the hook chain's
 * SEO step validate with zero errors, carry the SEO artifacts in the right shape, state the brief's
 * facts identically everywhere, invent nothing, need no external request, and stay under 100 KB.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkIntent } from './intent/check.ts';
import { checkSeoArtifacts, generateSeoArtifacts, schemaTypeFor } from './seo/index.ts';
import { generateSite } from './site/generate.ts';
import { deriveMockup } from './site/mockup.ts';
import { briefFixtures } from './testing/briefs.ts';
import { validateSite } from './validate/index.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const baseUrl = 'https://sites.sitewright.test/shop';

describe.each(briefFixtures.map((fixture) => [fixture.id, fixture.brief] as const))(
  'the demo site for %s',
  (_id, brief) => {
    it('meets the quality bar after the SEO step', async () => {
      expect(briefFixtures.length).toBeGreaterThanOrEqual(5);
      const siteDir = mkdtempSync(join(tmpdir(), 'sitewright-quality-'));
      dirs.push(siteDir);
      for (const file of generateSite(brief, deriveMockup(brief))) {
        mkdirSync(dirname(join(siteDir, file.path)), { recursive: true });
        writeFileSync(join(siteDir, file.path), file.content);
      }
      await generateSeoArtifacts({ siteDir, brief, baseUrl });

      const validation = await validateSite(siteDir);
      expect(validation.problems.filter((problem) => problem.severity === 'error')).toEqual([]);
      expect(validation.pages.length).toBeGreaterThanOrEqual(4);

      const seo = await checkSeoArtifacts({ siteDir, brief, baseUrl });
      expect(seo.filter((criterion) => !criterion.passed)).toEqual([]);
      const sitemap = readFileSync(join(siteDir, 'sitemap.xml'), 'utf8');
      expect(sitemap).toMatch(/<urlset xmlns="http:\/\/www\.sitemaps\.org\/schemas\/sitemap\/0\.9">/);
      expect(sitemap).not.toContain('404.html');
      expect(readFileSync(join(siteDir, 'robots.txt'), 'utf8')).toContain(`Sitemap: ${baseUrl}/sitemap.xml`);
      expect(readFileSync(join(siteDir, 'llms.txt'), 'utf8')).toMatch(/^# .+\n\n> .+/);

      const pages = validation.pages.map((path) => ({
        path,
        content: readFileSync(join(siteDir, path), 'utf8'),
      }));
      for (const page of pages) {
        expect(Buffer.byteLength(page.content), page.path).toBeLessThan(100 * 1024);
        // No external resource is needed to render: links to the owner's profiles and a map are fine.
        expect(page.content, page.path).not.toMatch(
          /<(?:script|img|iframe|source|video|audio)\b[^>]*\bsrc="https?:/i,
        );
        expect(page.content, page.path).not.toMatch(
          /<link\b[^>]*\brel="(?:stylesheet|icon|preload|modulepreload|manifest)"[^>]*\bhref="https?:/i,
        );
        const jsonLd = /<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(page.content)?.[1];
        expect(jsonLd, page.path).toBeTruthy();
        const data = JSON.parse(jsonLd as string) as { '@type': string; name: string };
        expect(data['@type']).toBe(schemaTypeFor(brief.industry));
        expect(data.name).toBe(brief.businessName);
      }
      const intent = checkIntent(brief, pages);
      expect(intent.criteria.filter((criterion) => !criterion.passed)).toEqual([]);
    });
  },
);
