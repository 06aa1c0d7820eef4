import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { memorySpendMeter } from '@sitewright/engine/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrowserPool, createBrowserPool } from '../browser/pool.ts';
import {
  chromiumPath,
  goodSite,
  noChromiumReason,
  page,
  tempDirs,
  writeSite,
} from '../browser/test-support.ts';
import { BrowserCheckArgs, browserCheckTool } from './browser-check.ts';

const suite = noChromiumReason ? describe.skip : describe;
const context = (projectId: string) => ({
  projectId,
  stage: 'build',
  signal: new AbortController().signal,
  spend: memorySpendMeter(),
});

suite(`browser_check tool with real Chromium${noChromiumReason ? ` (${noChromiumReason})` : ''}`, () => {
  const dirs = tempDirs();
  let pool: BrowserPool;
  const sites = new Map<string, string>();
  const evidence = new Map<string, string>();

  beforeAll(async () => {
    pool = createBrowserPool({ chromiumPath });
    sites.set('good', await writeSite(await dirs.make(), goodSite));
    sites.set(
      'broken',
      await writeSite(await dirs.make(), {
        ...goodSite,
        'index.html': page('Broken', `<h1>Broken</h1><script>console.error('boom')</script>`),
      }),
    );
    for (const id of sites.keys()) evidence.set(id, join(await dirs.make(), 'evidence'));
  });
  afterAll(async () => {
    await pool?.close();
    await dirs.cleanup();
  });

  const tool = () =>
    browserCheckTool({
      pool,
      siteDirOf: (projectId) => sites.get(projectId) ?? '/nonexistent',
      evidenceDirOf: (projectId) => evidence.get(projectId) ?? '/nonexistent',
    });

  it('is a repeatable engine tool named browser_check', () => {
    expect(tool()).toMatchObject({ name: 'browser_check', repeatable: true });
  });

  it('returns the result with the screenshot relative to the evidence dir, and loop-detector hints', async () => {
    const args = BrowserCheckArgs.parse({
      page: '/contact/',
      viewport: 'tablet',
      assertions: [{ selector: 'h1', text: 'Contact us' }],
    });
    const result = await tool().run(context('good'), args);
    expect(result.hints).toEqual({ target: '/contact/', check: { name: 'browser:/contact/', passed: true } });
    const data = result.data as { passed: boolean; screenshot: string; viewport: string; results: unknown[] };
    expect(data.passed).toBe(true);
    expect(data.viewport).toBe('tablet');
    expect(data.screenshot).toMatch(/^contact-tablet-[^/]+\.png$/);
    const png = await readFile(join(evidence.get('good') ?? '', data.screenshot));
    expect(png.subarray(1, 4).toString()).toBe('PNG');
  });

  it('returns a failed check as data, not as an error', async () => {
    const result = await tool().run(
      context('broken'),
      BrowserCheckArgs.parse({ page: '/', screenshot: false }),
    );
    expect(result.hints).toEqual({ target: '/', check: { name: 'browser:/', passed: false } });
    expect(result.data).toMatchObject({
      passed: false,
      consoleErrors: [expect.stringContaining('boom')],
      screenshot: null,
    });
  });
});
