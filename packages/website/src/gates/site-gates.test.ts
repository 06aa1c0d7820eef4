import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { GateDefinition } from '@sitewright/engine';
import { afterEach, describe, expect, it } from 'vitest';
import type { Brief } from '../brief.ts';
import type { SiteOptions } from '../hooks/index.ts';
import { generateSeoArtifacts, seoCriteria } from '../seo/index.ts';
import { fixtureBrief, fixturePage, fixtureSite, writeSite } from '../validate/fixtures.ts';
import { briefSavedCriterion, siteGateNames, siteGates, siteValidCriteria } from './site-gates.ts';

const PROJECT = '6f1c2f3e-0000-4000-8000-000000000002';
const BASE = 'https://marias.example';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function site(files: Record<string, string>): Promise<string> {
  const dir = await writeSite(files);
  dirs.push(dir);
  return dir;
}

function gatesFor(siteDir: string, brief: Brief | null = fixtureBrief()): Record<string, GateDefinition> {
  const options: SiteOptions = {
    siteDirOf: () => siteDir,
    publicBaseUrl: () => BASE,
    loadBrief: async () => brief,
  };
  return Object.fromEntries(siteGates(options).map((gate) => [gate.name, gate]));
}

const evaluate = (gate: GateDefinition | undefined) =>
  gate!.evaluate({ db: undefined as never, projectId: PROJECT, stage: 'build', events: [] });

describe('siteGates', () => {
  it('defines site_valid and seo_artifacts_present', () => {
    expect(Object.keys(gatesFor('/nowhere'))).toEqual(['site_valid', 'seo_artifacts_present']);
  });

  it('does not apply while the site has no pages', async () => {
    const empty = await site({ 'styles.css': 'body { margin: 0; }\n' });
    const gates = gatesFor(empty);
    expect(await evaluate(gates[siteGateNames.valid])).toBeNull();
    expect(await evaluate(gates[siteGateNames.seo])).toBeNull();
    const missing = gatesFor(join(empty, 'not-created'));
    expect(await evaluate(missing[siteGateNames.valid])).toBeNull();
    expect(await evaluate(missing[siteGateNames.seo])).toBeNull();
  });

  describe('site_valid', () => {
    it('passes a valid site with one criterion per part of the bar', async () => {
      const result = await evaluate(gatesFor(await site(fixtureSite()))[siteGateNames.valid]);
      expect(result).toEqual({
        passed: true,
        criteria: Object.values(siteValidCriteria).map((name) => ({
          name,
          passed: true,
          detail: '3 pages checked',
        })),
      });
    });

    it('fails exactly the criteria that are broken, naming the problems', async () => {
      const page = fixturePage({
        title: 'Broken',
        heading: 'Broken',
        main: '      <img src="/styles.css">\n      <a href="/gallery/">Gallery</a>',
      }).replace('<html lang="en">', '<html>');
      const result = await evaluate(
        gatesFor(await site({ ...fixtureSite(), 'index.html': page, 'styles.css': 'main { color: red;\n' }))[
          siteGateNames.valid
        ],
      );
      expect(result?.passed).toBe(false);
      const byName = Object.fromEntries(result!.criteria.map((c) => [c.name, c]));
      expect(byName[siteValidCriteria.html]).toMatchObject({ passed: false });
      expect(byName[siteValidCriteria.html]?.detail).toContain(
        'index.html:19 <img> is missing required "alt"',
      );
      expect(byName[siteValidCriteria.css]).toEqual({
        name: siteValidCriteria.css,
        passed: false,
        detail: 'styles.css:1 "{" is never closed',
      });
      expect(byName[siteValidCriteria.page]).toEqual({
        name: siteValidCriteria.page,
        passed: false,
        detail: 'index.html:2 <html> needs a lang attribute naming the language of the page',
      });
      expect(byName[siteValidCriteria.links]).toEqual({
        name: siteValidCriteria.links,
        passed: false,
        detail: 'index.html:20 "/gallery/" points at gallery/index.html, which does not exist',
      });
    });

    it('does not fail on CSS warnings', async () => {
      const result = await evaluate(
        gatesFor(await site({ ...fixtureSite(), 'styles.css': 'h1 { colr: red; }\n' }))[siteGateNames.valid],
      );
      expect(result?.passed).toBe(true);
    });
  });

  describe('seo_artifacts_present', () => {
    it('passes once the artifacts are generated for every page', async () => {
      const dir = await site(fixtureSite());
      const gate = gatesFor(dir)[siteGateNames.seo];
      const before = await evaluate(gate);
      expect(before?.passed).toBe(false);
      expect(before?.criteria.every((c) => !c.passed)).toBe(true);

      await generateSeoArtifacts({ siteDir: dir, brief: fixtureBrief(), baseUrl: BASE });
      const after = await evaluate(gate);
      expect(after?.passed).toBe(true);
      expect(after?.criteria.map((c) => c.name)).toEqual(Object.values(seoCriteria));
    });

    it('fails again when a page is added without regenerating', async () => {
      const dir = await site(fixtureSite());
      await generateSeoArtifacts({ siteDir: dir, brief: fixtureBrief(), baseUrl: BASE });
      await writeFile(
        join(dir, 'gallery.html'),
        fixturePage({ title: 'Gallery', heading: 'Gallery', main: '' }),
      );
      const result = await evaluate(gatesFor(dir)[siteGateNames.seo]);
      expect(result?.passed).toBe(false);
      expect(result?.criteria.filter((c) => !c.passed).map((c) => c.name)).toEqual([
        seoCriteria.sitemap,
        seoCriteria.llms,
        seoCriteria.canonical,
        seoCriteria.description,
        seoCriteria.jsonLd,
      ]);
    });

    it('fails when the JSON-LD type no longer matches the brief’s industry', async () => {
      const dir = await site(fixtureSite());
      await generateSeoArtifacts({ siteDir: dir, brief: fixtureBrief(), baseUrl: BASE });
      const result = await evaluate(gatesFor(dir, fixtureBrief({ industry: 'salon' }))[siteGateNames.seo]);
      expect(result?.criteria.find((c) => !c.passed)).toMatchObject({
        name: seoCriteria.jsonLd,
        detail: expect.stringContaining('JSON-LD @type is Restaurant, expected HairSalon'),
      });
    });

    it('fails with a clear criterion while there is no brief', async () => {
      const result = await evaluate(gatesFor(await site(fixtureSite()), null)[siteGateNames.seo]);
      expect(result).toEqual({
        passed: false,
        criteria: [
          {
            name: briefSavedCriterion,
            passed: false,
            detail: 'the SEO artifacts are generated from the brief',
          },
        ],
      });
    });
  });
});
