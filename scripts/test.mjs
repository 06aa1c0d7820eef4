// `pnpm test`: every test — unit and integration (vitest, all packages) then the browser specs
// (Playwright on system Chromium) — and one closing line `N passed, N failed[, N skipped]`.
// The database is embedded PGlite unless DATABASE_URL (or TEST_DATABASE_URL) names a Postgres server.
// TEST_RESULTS_DIR picks where the JSON reports and summary.json go (default .test-results/).
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ensureChromium } from './ensure-chromium.mjs';
import { buildWeb, checkNode, localBin, root, run } from './lib.mjs';

checkNode();
const resultsDir = resolve(root, process.env.TEST_RESULTS_DIR ?? '.test-results');
rmSync(resultsDir, { recursive: true, force: true });
mkdirSync(resultsDir, { recursive: true });
const database = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL ? 'Postgres' : 'embedded PGlite';
console.log(`\n== Sitewright tests on ${database} ==\n`);

const totals = { passed: 0, failed: 0, skipped: 0 };
const problems = [];

// 1. Unit and integration tests of every package.
const vitestReport = join(resultsDir, 'vitest.json');
const vitestCode = await run(localBin('vitest'), [
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${vitestReport}`,
]);
if (existsSync(vitestReport)) {
  const report = JSON.parse(readFileSync(vitestReport, 'utf8'));
  totals.passed += report.numPassedTests;
  totals.failed += report.numFailedTests;
  totals.skipped += report.numPendingTests + report.numTodoTests;
  // A file that fails to load has no tests to count: count it as a failure, never as nothing.
  const brokenSuites = report.testResults.filter(
    (file) => file.status === 'failed' && file.assertionResults.length === 0,
  );
  totals.failed += brokenSuites.length;
  if (vitestCode !== 0 && report.numFailedTests === 0 && brokenSuites.length === 0) {
    totals.failed += 1;
    problems.push(`vitest exited with code ${vitestCode}`);
  }
} else {
  totals.failed += 1;
  problems.push(`vitest wrote no report (exit code ${vitestCode})`);
}

// 2. Browser specs against the real server.
if (process.env.SKIP_E2E === '1') {
  console.log('\nSKIP_E2E=1: browser specs skipped.');
} else {
  const chromium = await ensureChromium();
  if (!chromium) {
    totals.failed += 1;
    problems.push('browser specs could not run: Chromium is missing (see above)');
  } else {
    const built = await buildWeb();
    if (built !== 0) {
      totals.failed += 1;
      problems.push('the dashboard build failed, so the browser specs could not run');
    } else {
      const e2eReport = join(resultsDir, 'e2e.json');
      const e2eCode = await run(localBin('playwright', 'apps/web'), ['test'], {
        cwd: join(root, 'apps/web'),
        env: { ...process.env, CHROMIUM_PATH: chromium, E2E_JSON_REPORT: e2eReport },
      });
      if (existsSync(e2eReport)) {
        const { stats, errors = [] } = JSON.parse(readFileSync(e2eReport, 'utf8'));
        totals.passed += stats.expected + stats.flaky;
        totals.failed += stats.unexpected + errors.length;
        totals.skipped += stats.skipped;
        if (e2eCode !== 0 && stats.unexpected === 0 && errors.length === 0) {
          totals.failed += 1;
          problems.push(`playwright exited with code ${e2eCode}`);
        }
      } else {
        totals.failed += 1;
        problems.push(`playwright wrote no report (exit code ${e2eCode})`);
      }
    }
  }
}

writeFileSync(join(resultsDir, 'summary.json'), JSON.stringify({ database, ...totals, problems }, null, 2));
for (const problem of problems) console.error(`! ${problem}`);
const skipped = totals.skipped > 0 ? `, ${totals.skipped} skipped` : '';
console.log(`\n${totals.passed} passed, ${totals.failed} failed${skipped}`);
process.exit(totals.failed > 0 ? 1 : 0);
