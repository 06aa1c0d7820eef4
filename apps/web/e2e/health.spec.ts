import type { Page } from '@playwright/test';
import { HealthResponse } from '@sitewright/contracts';
import { testDriver } from '@sitewright/db/testing';
import { seriousViolations } from './support/axe.ts';
import { expect, test } from './support/server.ts';
import { signIn } from './support/session.ts';

// The server under test runs on Postgres exactly when the suite was given a database URL.
const expectedDriverLabel = testDriver() === 'postgres' ? 'PostgreSQL' : 'Embedded (PGlite)';

function healthCard(page: Page) {
  return page.getByRole('region', { name: 'System health' });
}

async function expectHealthy(page: Page) {
  const card = healthCard(page);
  await expect(card.getByTestId('health-status')).toHaveAttribute('data-status', 'ok');
  await expect(card.getByTestId('health-status')).toHaveText('OK');
  await expect(card.getByTestId('db-driver')).toHaveText(expectedDriverLabel);
  await expect(card.getByTestId('db-status')).toHaveText('Up');
  await expect(card.getByTestId('db-latency')).toHaveText(/^\d+(\.\d)? ms$/);
  await expect(card.getByTestId('app-version')).toHaveText(/\S/);
}

test('the status page shows the server and database as healthy', async ({ page }) => {
  await signIn(page, '/status');
  await expect(page).toHaveTitle('Sitewright');
  await expect(page.getByRole('banner')).toContainText('Sitewright');
  await expect(
    page.getByRole('main').getByRole('heading', { level: 1, name: 'System status' }),
  ).toBeVisible();
  await expectHealthy(page);
});

test('a deep link asks to sign in, then shows its page, also on reload', async ({ page }) => {
  const response = await page.goto('/status');
  expect(response?.status()).toBe(200);
  expect(response?.headers()['content-type']).toContain('text/html');
  await expect(page.getByRole('heading', { name: 'Sign in to Sitewright' })).toBeVisible();
  await signIn(page, '/status');
  await expectHealthy(page);
  await page.reload();
  await expectHealthy(page);
});

for (const colorScheme of ['light', 'dark'] as const) {
  test(`the dashboard has no serious or critical accessibility violations (${colorScheme})`, async ({
    page,
  }) => {
    await page.emulateMedia({ colorScheme });
    await signIn(page, '/status');
    await expectHealthy(page);
    expect(await seriousViolations(page)).toEqual([]);
  });
}

test('GET /api/health answers with the health contract', async ({ page }) => {
  const response = await page.request.get('/api/health');
  expect(response.status()).toBe(200);
  const health = HealthResponse.parse(await response.json());
  expect(health.status).toBe('ok');
  expect(health.db).toMatchObject({ driver: testDriver(), status: 'up' });
  expect(health.db.latencyMs).toEqual(expect.any(Number));
});

// The two failure modes are produced at the browser's network edge: the real server cannot be made to
// lose its database or vanish without breaking the other specs that share it.
test('a database outage (503 health report) is shown as data, not as a failure', async ({ page }) => {
  const down: HealthResponse = {
    status: 'error',
    db: { driver: 'postgres', status: 'down', latencyMs: null, error: 'connection refused' },
    version: '9.9.9',
  };
  await page.route('**/api/health', (route) => route.fulfill({ status: 503, json: down }));
  await signIn(page, '/status');
  const card = healthCard(page);
  await expect(card.getByTestId('health-status')).toHaveText('Error');
  await expect(card.getByTestId('db-status')).toHaveText('Down');
  await expect(card.getByTestId('db-driver')).toHaveText('PostgreSQL');
  await expect(card.getByTestId('db-latency')).toHaveText('Not measured');
  await expect(card.getByTestId('app-version')).toHaveText('9.9.9');
  await expect(card).toContainText('connection refused');
  await expect(card.getByRole('alert')).toHaveCount(0);
  expect(await seriousViolations(page)).toEqual([]);
});

test('an unreachable server shows a clear message and Retry recovers', async ({ page }) => {
  await page.route('**/api/health', (route) => route.abort('connectionrefused'));
  await signIn(page, '/status');
  const alert = healthCard(page).getByRole('alert');
  await expect(alert).toContainText('Can’t reach the Sitewright server');
  expect(await seriousViolations(page)).toEqual([]);
  await page.unrouteAll();
  await alert.getByRole('button', { name: 'Retry' }).click();
  await expectHealthy(page);
});
