import { readFile, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBrowserCheck } from './check.ts';
import { type BrowserPool, createBrowserPool } from './pool.ts';
import { chromiumPath, goodSite, noChromiumReason, page, tempDirs, writeSite } from './test-support.ts';

const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const suite = noChromiumReason ? describe.skip : describe;

suite(`runBrowserCheck with real Chromium${noChromiumReason ? ` (${noChromiumReason})` : ''}`, () => {
  const dirs = tempDirs();
  let pool: BrowserPool;
  let goodDir: string;

  beforeAll(async () => {
    pool = createBrowserPool({ chromiumPath });
    goodDir = await writeSite(await dirs.make(), goodSite);
  });
  afterAll(async () => {
    await pool?.close();
    await dirs.cleanup();
  });

  /** A one-page site whose home page has `main` (and `head`) and the shared good assets. */
  async function siteWith(main: string, head = '', extra: Record<string, string> = {}) {
    return writeSite(await dirs.make(), {
      ...goodSite,
      'index.html': page('Test page', main, head),
      ...extra,
    });
  }

  it('passes a good accessible page: assertions, links, axe, screenshot', async () => {
    const shots = await dirs.make();
    const result = await runBrowserCheck(pool, {
      siteDir: goodDir,
      page: '/',
      assertions: [
        { selector: 'h1', text: "Maria's Pizzeria", visible: true },
        { selector: 'nav a', count: 2 },
        { selector: 'footer .phone', attribute: { name: 'href', value: 'tel:+15550100' }, text: '555-0100' },
        { selector: '.does-not-exist', exists: false },
        { selector: 'main' },
      ],
      screenshot: { dir: shots },
    });

    expect(result.results.filter((entry) => !entry.passed)).toEqual([]);
    expect(result.passed).toBe(true);
    expect(result.results.map((entry) => entry.name)).toEqual([
      'page loads',
      'no console errors',
      'no uncaught page errors',
      'no external requests',
      'assert h1',
      'assert nav a',
      'assert footer .phone',
      'assert .does-not-exist',
      'assert main',
      'internal links resolve',
      'accessibility (axe)',
    ]);
    expect(result.results.find((entry) => entry.name === 'internal links resolve')?.detail).toMatch(
      /^\d+ internal links ok$/,
    );
    expect(result).toMatchObject({
      page: '/',
      viewport: 'desktop',
      consoleErrors: [],
      pageErrors: [],
      brokenLinks: [],
      externalRequests: [],
    });
    expect(
      result.axeViolations.filter((violation) => ['serious', 'critical'].includes(violation.impact ?? '')),
    ).toEqual([]);
    expect(result.screenshot).not.toBeNull();
    const screenshot = result.screenshot ?? '';
    expect(screenshot.startsWith(shots)).toBe(true);
    expect(screenshot).toMatch(/home-desktop-.*\.png$/);
    expect((await readFile(screenshot)).subarray(0, 8).equals(PNG_MAGIC)).toBe(true);
    expect(result.durationMs).toBeGreaterThan(0);
  });

  it('passes the contact page with its labelled mailto form on a phone', async () => {
    const shots = await dirs.make();
    const result = await runBrowserCheck(pool, {
      siteDir: goodDir,
      page: '/contact/',
      viewport: 'phone',
      assertions: [{ selector: 'form#enquiry button[type=submit]', visible: true }],
      screenshot: { dir: shots },
    });
    expect(result.results.filter((entry) => !entry.passed)).toEqual([]);
    expect(result.results.find((entry) => entry.name === 'forms usable')).toEqual({
      name: 'forms usable',
      passed: true,
      detail: '1 form, 2 labelled controls',
    });
    expect(result.screenshot).toMatch(/contact-phone-.*\.png$/);
    expect((await stat(result.screenshot ?? '')).size).toBeGreaterThan(1_000);
  });

  it('fails serious axe violations: an image without alt and low-contrast text', async () => {
    const siteDir = await siteWith(
      `<h1>Welcome</h1>
<img src="/logo.svg" width="120" height="60">
<p style="color:#bbbbbb;background:#ffffff">Opening hours are posted here</p>`,
    );
    const result = await runBrowserCheck(pool, { siteDir, page: '/' });
    expect(result.passed).toBe(false);
    const ids = result.axeViolations.map((violation) => violation.id);
    expect(ids).toEqual(expect.arrayContaining(['image-alt', 'color-contrast']));
    const imageAlt = result.axeViolations.find((violation) => violation.id === 'image-alt');
    expect(imageAlt).toMatchObject({ impact: 'critical', targets: ['img'] });
    expect(imageAlt?.help).toMatch(/alternative text/i);
    expect(result.axeViolations.find((violation) => violation.id === 'color-contrast')?.impact).toBe(
      'serious',
    );
    const axeEntry = result.results.find((entry) => entry.name === 'accessibility (axe)');
    expect(axeEntry?.passed).toBe(false);
    expect(axeEntry?.detail).toContain('image-alt (critical, 1 element)');
    expect(axeEntry?.detail).toContain('color-contrast (serious');
    // Everything else about the page is fine: axe alone fails it.
    expect(result.results.filter((entry) => !entry.passed).map((entry) => entry.name)).toEqual([
      'accessibility (axe)',
    ]);
  });

  it('fails on console.error and on uncaught exceptions in inline scripts', async () => {
    const siteDir = await siteWith(
      `<h1>Scripts</h1>
<script>console.error('menu data missing');</script>
<script>undefinedFunction();</script>
<script>console.warn('only a warning');</script>`,
    );
    const result = await runBrowserCheck(pool, { siteDir, page: '/', axe: false });
    expect(result.passed).toBe(false);
    expect(result.consoleErrors).toEqual([expect.stringMatching(/^menu data missing \(\/:\d+\)$/)]);
    expect(result.pageErrors).toEqual([
      expect.stringMatching(/^ReferenceError: undefinedFunction is not defined/),
    ]);
    expect(result.results.filter((entry) => !entry.passed).map((entry) => entry.name)).toEqual([
      'no console errors',
      'no uncaught page errors',
    ]);
  });

  it('reports broken internal links and missing fragments, not external or mailto links', async () => {
    const siteDir = await siteWith(
      `<h1>Links</h1>
<a href="/contact/">ok</a> <a href="contact">ok via redirect</a> <a href="/styles.css?v=2">ok</a>
<a href="/menu/">missing page</a> <a href="gallery.html">missing file</a> <a href="#nowhere">missing anchor</a>
<a href="#top">top</a> <a href="https://facebook.com/marias">social</a> <a href="mailto:a@example.com">mail</a>`,
    );
    const result = await runBrowserCheck(pool, { siteDir, page: '/', axe: false });
    expect(result.passed).toBe(false);
    expect([...result.brokenLinks].sort()).toEqual(['/#nowhere', '/gallery.html', '/menu/']);
    const entry = result.results.find((item) => item.name === 'internal links resolve');
    expect(entry?.passed).toBe(false);
    expect(entry?.detail).toContain('"/menu/" → /menu/ (HTTP 404)');
    expect(entry?.detail).toContain('"#nowhere": no element with id "nowhere"');
    // External links are never fetched, so nothing left the machine.
    expect(result.externalRequests).toEqual([]);
  });

  it('aborts and records requests outside the site, without touching the network', async () => {
    let hits = 0;
    const external: Server = createServer((_request, response) => {
      hits += 1;
      response.end('window.loaded = true;');
    });
    await new Promise<void>((resolve) => external.listen(0, '127.0.0.1', resolve));
    const otherOrigin = `http://127.0.0.1:${(external.address() as AddressInfo).port}`;
    try {
      const siteDir = await siteWith(
        `<h1>External</h1>
<script src="https://example.com/x.js"></script>
<script src="${otherOrigin}/tracker.js"></script>
<img src="https://cdn.example.net/photo.jpg" alt="A photo">`,
      );
      const started = performance.now();
      const result = await runBrowserCheck(pool, {
        siteDir,
        page: '/',
        axe: false,
        assertions: [{ selector: 'h1', text: 'External' }],
      });
      expect(performance.now() - started).toBeLessThan(5_000);
      expect(result.externalRequests).toEqual(
        expect.arrayContaining([
          'https://example.com/x.js',
          `${otherOrigin}/tracker.js`,
          'https://cdn.example.net/photo.jpg',
        ]),
      );
      expect(result.externalRequests).toHaveLength(3);
      // Another port on the same host is another origin: aborted, never reached.
      expect(hits).toBe(0);
      expect(result.passed).toBe(false);
      const entry = result.results.find((item) => item.name === 'no external requests');
      expect(entry?.passed).toBe(false);
      expect(entry?.detail).toMatch(/^3: .*self-host/);
      // The aborts are ours: they are not reported as the page's console errors.
      expect(result.consoleErrors).toEqual([]);
    } finally {
      await new Promise((resolve) => external.close(resolve));
    }
  });

  it('ends a page that never finishes loading as a failed result within the timeout', async () => {
    const siteDir = await siteWith(`<h1>Forever</h1><script>for (;;) {}</script>`);
    const started = performance.now();
    const result = await runBrowserCheck(pool, { siteDir, page: '/', timeoutMs: 2_500 });
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(2_400);
    expect(elapsed).toBeLessThan(5_000);
    expect(result.passed).toBe(false);
    expect(result.screenshot).toBeNull();
    expect(result.results.find((entry) => entry.name === 'check completes')?.detail).toMatch(
      /^timed out after 2500 ms while loading the page: the page never finished loading/,
    );
    // The pool is unharmed: the next check runs normally.
    expect(pool.status().openContexts).toBe(0);
    const next = await runBrowserCheck(pool, { siteDir: goodDir, page: '/', axe: false });
    expect(next.passed).toBe(true);
  });

  it('runs 4 checks in parallel on one browser, each in its own context', async () => {
    // Each page reads and then sets a cookie: a shared context would let one check see another's.
    const siteDir = await siteWith(
      `<h1>Visits</h1><p id="visit">?</p>
<script>
  document.getElementById('visit').textContent = document.cookie.includes('seen=1') ? 'returning' : 'first';
  document.cookie = 'seen=1; path=/; max-age=3600';
  localStorage.setItem('seen', '1');
</script>`,
    );
    const launchesBefore = pool.status().launches;
    const results = await Promise.all(
      (['desktop', 'tablet', 'phone', 'desktop'] as const).map((viewport) =>
        runBrowserCheck(pool, {
          siteDir,
          page: '/',
          viewport,
          axe: false,
          assertions: [{ selector: '#visit', text: 'first' }],
        }),
      ),
    );
    expect(results.map((result) => result.passed)).toEqual([true, true, true, true]);
    expect(results.map((result) => result.viewport)).toEqual(['desktop', 'tablet', 'phone', 'desktop']);
    // And again afterwards on the same site: nothing persisted between checks.
    const again = await runBrowserCheck(pool, {
      siteDir,
      page: '/',
      axe: false,
      assertions: [{ selector: '#visit', text: 'first' }],
    });
    expect(again.passed).toBe(true);
    expect(pool.status()).toEqual({
      connected: true,
      launches: Math.max(launchesBefore, 1),
      openContexts: 0,
    });
  });

  it('reports a missing page as a failed load with the file it expected', async () => {
    const result = await runBrowserCheck(pool, { siteDir: goodDir, page: '/menu/' });
    expect(result.passed).toBe(false);
    expect(result.results[0]).toEqual({
      name: 'page loads',
      passed: false,
      detail: 'HTTP 404 for /menu/ — is there a menu/index.html?',
    });
  });

  it('explains failed assertions', async () => {
    const result = await runBrowserCheck(pool, {
      siteDir: goodDir,
      page: '/',
      axe: false,
      checkLinks: false,
      assertions: [
        { selector: 'h1', text: 'Luigi' },
        { selector: 'nav a', count: 3 },
        { selector: '.phone', attribute: { name: 'href', value: 'tel:+1999' } },
        { selector: 'h1', exists: false },
        { selector: 'head title', visible: true },
        { selector: '[[bad' },
      ],
    });
    expect(result.passed).toBe(false);
    expect(
      result.results.filter((entry) => entry.name.startsWith('assert ')).map((entry) => entry.detail),
    ).toEqual([
      `no match contains "Luigi" (first reads "Maria's Pizzeria")`,
      '2 matches, expected 3',
      'no match has href="tel:+1999" (found "tel:+15550100")',
      '1 match, expected none',
      'none of 1 is visible',
      '"[[bad" is not a valid CSS selector',
    ]);
  });

  it('fails forms that lose enquiries or lack labels', async () => {
    const siteDir = await writeSite(await dirs.make(), {
      ...goodSite,
      'index.html': `<!doctype html><html lang="en"><head><title>Form</title></head><body><main>
<h1>Book a table</h1>
<form action="/book"><input name="email" placeholder="Email" aria-label=""><select name="size"><option>2</option></select></form>
</main></body></html>`,
    });
    const result = await runBrowserCheck(pool, { siteDir, page: '/', axe: false });
    const entry = result.results.find((item) => item.name === 'forms usable');
    expect(entry?.passed).toBe(false);
    expect(entry?.detail).toContain('unlabeled: input[name=email], select[name=size]');
    expect(entry?.detail).toContain('form 1 has no submit button');
    expect(entry?.detail).toContain('form 1 goes nowhere (action "/book")');
  });

  it('relaunches the browser after it died', async () => {
    const launches = pool.status().launches;
    const isolated = await pool.openContext({
      allowedOrigin: 'http://127.0.0.1:1',
      viewport: { width: 800, height: 600 },
    });
    await isolated.context.browser()?.close();
    await isolated.close();
    expect(pool.status().connected).toBe(false);
    const result = await runBrowserCheck(pool, { siteDir: goodDir, page: '/', axe: false });
    expect(result.passed).toBe(true);
    expect(pool.status()).toMatchObject({ connected: true, launches: launches + 1 });
  });

  it('stops when aborted and rejects with the reason', async () => {
    const siteDir = await siteWith(`<h1>Forever</h1><script>for (;;) {}</script>`);
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('run paused')), 300);
    const started = performance.now();
    await expect(
      runBrowserCheck(pool, { siteDir, page: '/', signal: controller.signal, timeoutMs: 10_000 }),
    ).rejects.toThrow('run paused');
    expect(performance.now() - started).toBeLessThan(3_000);
  });

  it('reports a site directory that does not exist yet as a failed check', async () => {
    const result = await runBrowserCheck(pool, { siteDir: join(goodDir, 'not-built'), page: '/' });
    expect(result.passed).toBe(false);
    expect(result.results.find((entry) => entry.name === 'check completes')?.detail).toMatch(
      /^failed while starting the site server: The site directory .*not-built does not exist yet/,
    );
  });

  it('rejects page paths that are not site paths', async () => {
    for (const bad of ['contact', '//evil.example/', 'http://evil.example/', '/a b']) {
      await expect(runBrowserCheck(pool, { siteDir: goodDir, page: bad })).rejects.toThrow(RangeError);
    }
  });

  it('writes screenshots under the given directory, creating it', async () => {
    const dir = join(await dirs.make(), 'evidence', 'nested');
    const result = await runBrowserCheck(pool, {
      siteDir: goodDir,
      page: '/',
      axe: false,
      screenshot: { dir },
    });
    expect(result.screenshot?.startsWith(dir)).toBe(true);
  });
});
