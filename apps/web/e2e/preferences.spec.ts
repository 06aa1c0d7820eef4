import type { Page } from '@playwright/test';
import { seriousViolations } from './support/axe.ts';
import { expect, test } from './support/server.ts';
import { signIn } from './support/session.ts';

type Choice = 'System' | 'Light' | 'Dark';
const choices: readonly Choice[] = ['System', 'Light', 'Dark'];

/** `--color-bg` of each palette in styles.css, as the browser computes it. */
const pageBackground = { light: 'rgb(245, 246, 248)', dark: 'rgb(15, 17, 21)' } as const;

const STORAGE_KEY = 'sitewright.preferences';

function themeSwitch(page: Page) {
  return page.getByRole('banner').getByRole('group', { name: 'Colour theme' });
}

function themeButton(page: Page, choice: Choice) {
  return themeSwitch(page).getByRole('button', { name: choice, exact: true });
}

/** Exactly `choice` is pressed. */
async function expectChoice(page: Page, choice: Choice) {
  for (const other of choices) {
    await expect(themeButton(page, other)).toHaveAttribute('aria-pressed', String(other === choice));
  }
}

/** The page is painted with `palette`, judged by what the browser computes for the body. */
async function expectPalette(page: Page, palette: 'light' | 'dark') {
  await expect(page.locator('html')).toHaveAttribute('data-theme', palette);
  await expect(page.locator('body')).toHaveCSS('background-color', pageBackground[palette]);
}

test('Dark overrides a light system setting and survives a reload', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto('/');
  await expectChoice(page, 'System');
  await expectPalette(page, 'light');

  await themeButton(page, 'Dark').click();
  await expectChoice(page, 'Dark');
  await expectPalette(page, 'dark');
  expect(
    JSON.parse((await page.evaluate((key) => localStorage.getItem(key), STORAGE_KEY)) ?? 'null'),
  ).toEqual({
    state: { theme: 'dark' },
    version: 1,
  });

  await page.reload();
  await expectChoice(page, 'Dark');
  await expectPalette(page, 'dark');
});

test('Light overrides a dark system setting', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto('/');
  await expectPalette(page, 'dark');

  await themeButton(page, 'Light').click();
  await expectChoice(page, 'Light');
  await expectPalette(page, 'light');
  await page.reload();
  await expectChoice(page, 'Light');
  await expectPalette(page, 'light');
});

test('System follows the device colour scheme as it changes, also after an explicit choice', async ({
  page,
}) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto('/');
  await themeButton(page, 'Dark').click();
  await expectPalette(page, 'dark');

  await themeButton(page, 'System').click();
  await expectChoice(page, 'System');
  await expectPalette(page, 'light');
  await page.emulateMedia({ colorScheme: 'dark' });
  await expectPalette(page, 'dark');
  await page.emulateMedia({ colorScheme: 'light' });
  await expectPalette(page, 'light');

  await page.emulateMedia({ colorScheme: 'dark' });
  await page.reload();
  await expectChoice(page, 'System');
  await expectPalette(page, 'dark');
});

test('a stored choice is painted before the app bundle runs (no flash of the other palette)', async ({
  page,
}) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto('/');
  await themeButton(page, 'Dark').click();
  await expectPalette(page, 'dark');

  // Without the app bundle only public/theme-init.js can have set the theme.
  await page.route('**/assets/*.js', (route) => route.abort());
  await page.reload();
  await expect(themeSwitch(page)).toHaveCount(0);
  await expectPalette(page, 'dark');
});

for (const stored of ['{"state":{"theme":"purple"},"version":1}', '{"theme":"dark"}', 'not json']) {
  test(`an invalid stored preference falls back to System: ${stored}`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto('/');
    await page.evaluate(([key, value]) => localStorage.setItem(key, value), [STORAGE_KEY, stored] as const);
    await page.reload();
    await expectChoice(page, 'System');
    await expectPalette(page, 'dark');
  });
}

test('the switch works from the keyboard, with a visible focus ring', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto('/');
  await expect(themeSwitch(page)).toBeVisible();

  // Start from the element before the switch: where the very first Tab of a fresh page lands depends
  // on whether the browser has given the page focus yet.
  await page.getByRole('link', { name: 'Sitewright' }).focus();
  await page.keyboard.press('Tab');
  const system = themeButton(page, 'System');
  await expect(system).toBeFocused();
  await expect(system).toHaveCSS('outline-style', 'solid');
  await expect(system).toHaveCSS('outline-width', '3px');

  await page.keyboard.press('Tab');
  await expect(themeButton(page, 'Light')).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(themeButton(page, 'Dark')).toBeFocused();
  await page.keyboard.press('Enter');
  await expectChoice(page, 'Dark');
  await expectPalette(page, 'dark');

  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Shift+Tab');
  await expect(system).toBeFocused();
  await page.keyboard.press('Space');
  await expectChoice(page, 'System');
  await expectPalette(page, 'light');
  await expect(system).toBeFocused();
});

for (const palette of ['light', 'dark'] as const) {
  test(`no serious or critical accessibility violations with the switch on the ${palette} theme`, async ({
    page,
  }) => {
    // The system says the opposite, so the explicit choice is what is being checked.
    await page.emulateMedia({ colorScheme: palette === 'dark' ? 'light' : 'dark' });
    await signIn(page, '/status');
    await themeButton(page, palette === 'dark' ? 'Dark' : 'Light').click();
    await expectPalette(page, palette);
    await expect(page.getByTestId('health-status')).toHaveAttribute('data-status', 'ok');
    await expect(themeSwitch(page)).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
  });
}

test('on a 360 px phone the header fits and every button keeps its name', async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await signIn(page, '/status');
  await expect(page.getByTestId('health-status')).toHaveAttribute('data-status', 'ok');

  for (const choice of choices) {
    const box = await themeButton(page, choice).boundingBox();
    expect(box, `${choice} button is laid out`).not.toBeNull();
    expect(box!.x).toBeGreaterThanOrEqual(0);
    expect(box!.x + box!.width).toBeLessThanOrEqual(360);
    expect(box!.height, `${choice} is a usable touch target`).toBeGreaterThanOrEqual(24);
  }
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  expect(await seriousViolations(page)).toEqual([]);
});
