import { ToolError } from '@sitewright/engine';
import { memorySpendMeter } from '@sitewright/engine/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { createBrowserPool } from '../browser/pool.ts';
import { goodSite, tempDirs, writeSite } from '../browser/test-support.ts';
import { BrowserCheckArgs, browserCheckTool } from './browser-check.ts';

describe('browser_check arguments', () => {
  it('fills the defaults', () => {
    expect(BrowserCheckArgs.parse({ page: '/' })).toEqual({
      page: '/',
      viewport: 'desktop',
      assertions: [],
      checkLinks: true,
      forms: true,
      axe: true,
      screenshot: true,
      timeoutMs: 15_000,
    });
  });

  it.each([
    ['a page that is not a site path', { page: 'contact' }],
    ['a page on another host', { page: '//evil.example/' }],
    ['a full URL', { page: 'https://evil.example/' }],
    ['a page path over 300 chars', { page: `/${'a'.repeat(300)}` }],
    ['31 assertions', { page: '/', assertions: Array.from({ length: 31 }, () => ({ selector: 'h1' })) }],
    ['a selector over 300 chars', { page: '/', assertions: [{ selector: `.${'a'.repeat(300)}` }] }],
    ['an empty selector', { page: '/', assertions: [{ selector: '  ' }] }],
    [
      'an unknown assertion key (a typo must not pass silently)',
      { page: '/', assertions: [{ selector: 'h1', contains: 'x' }] },
    ],
    ['an unknown viewport', { page: '/', viewport: 'watch' }],
    ['a timeout over a minute', { page: '/', timeoutMs: 120_000 }],
  ])('rejects %s', (_case, args) => {
    expect(BrowserCheckArgs.safeParse(args).success).toBe(false);
  });

  it('accepts 30 assertions of every kind', () => {
    const assertion = {
      selector: 'footer a.phone',
      exists: true,
      visible: true,
      text: '555-0100',
      count: 1,
      attribute: { name: 'href', value: 'tel:+15550100' },
    };
    expect(
      BrowserCheckArgs.safeParse({ page: '/contact/', assertions: Array(30).fill(assertion) }).success,
    ).toBe(true);
  });
});

describe('browser_check without Chromium', () => {
  const dirs = tempDirs();
  afterAll(() => dirs.cleanup());

  it('throws a ToolError that says how to fix it', async () => {
    const siteDir = await writeSite(await dirs.make(), goodSite);
    const evidenceDir = await dirs.make();
    const tool = browserCheckTool({
      pool: createBrowserPool({ chromiumPath: '/nonexistent/chromium' }),
      siteDirOf: () => siteDir,
      evidenceDirOf: () => evidenceDir,
    });
    const run = tool.run(
      { projectId: 'p1', stage: 'build', signal: new AbortController().signal, spend: memorySpendMeter() },
      BrowserCheckArgs.parse({ page: '/' }),
    );
    await expect(run).rejects.toThrow(ToolError);
    await expect(run).rejects.toThrow(
      'The browser check cannot run: Chromium not found at /nonexistent/chromium: install chromium or set CHROMIUM_PATH',
    );
  });
});
