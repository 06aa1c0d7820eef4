/** The dashboard's first load stays light: the JavaScript index.html pulls in, gzipped, under 200 KB. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { expect, repoRoot, test } from './support/server.ts';

const BUDGET_BYTES = 200 * 1024;

test('the initial JavaScript is under 200 KB gzipped', () => {
  const dist = join(repoRoot, 'apps/web/dist');
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const scripts = [
    ...html.matchAll(/<(?:script[^>]*src|link[^>]*rel="modulepreload"[^>]*href)="([^"]+\.js)"/g),
  ].map((match) => match[1] as string);
  expect(scripts.length).toBeGreaterThan(0);
  const gzipped = scripts.reduce(
    (total, src) => total + gzipSync(readFileSync(join(dist, src.replace(/^\//, '')))).length,
    0,
  );
  test
    .info()
    .annotations.push({ type: 'initial JS (gzip)', description: `${(gzipped / 1024).toFixed(1)} KB` });
  expect(gzipped).toBeLessThan(BUDGET_BYTES);
});
