import { afterAll, describe, expect, it } from 'vitest';
import { runBrowserCheck } from './check.ts';
import { BrowserUnavailableError, createBrowserPool } from './pool.ts';
import { goodSite, tempDirs, writeSite } from './test-support.ts';

describe('createBrowserPool without Chromium', () => {
  const dirs = tempDirs();
  afterAll(() => dirs.cleanup());

  it('launches nothing until used', () => {
    const pool = createBrowserPool({ chromiumPath: '/nonexistent/chromium' });
    expect(pool.status()).toEqual({ connected: false, launches: 0, openContexts: 0 });
  });

  it('says where it looked and what to do when the executable is missing', async () => {
    const pool = createBrowserPool({ chromiumPath: '/nonexistent/chromium' });
    const open = pool.openContext({
      allowedOrigin: 'http://127.0.0.1:1',
      viewport: { width: 800, height: 600 },
    });
    await expect(open).rejects.toThrow(BrowserUnavailableError);
    await expect(open).rejects.toThrow(
      'Chromium not found at /nonexistent/chromium: install chromium or set CHROMIUM_PATH',
    );
    // Not cached: a later call looks again (the operator may have installed it meanwhile).
    await expect(
      pool.openContext({ allowedOrigin: 'http://127.0.0.1:1', viewport: { width: 800, height: 600 } }),
    ).rejects.toThrow(BrowserUnavailableError);
  });

  it('makes a check throw instead of reporting a failed page', async () => {
    const pool = createBrowserPool({ chromiumPath: '/nonexistent/chromium' });
    const siteDir = await writeSite(await dirs.make(), goodSite);
    await expect(runBrowserCheck(pool, { siteDir, page: '/' })).rejects.toThrow(BrowserUnavailableError);
  });

  it('refuses to open contexts once closed', async () => {
    const pool = createBrowserPool({ chromiumPath: '/nonexistent/chromium' });
    await pool.close();
    await expect(
      pool.openContext({ allowedOrigin: 'http://127.0.0.1:1', viewport: { width: 800, height: 600 } }),
    ).rejects.toThrow('The browser pool is closed');
  });
});
