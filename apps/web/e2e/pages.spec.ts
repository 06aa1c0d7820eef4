/**
 * The pages around the project: signing in and out, a session that outlives its access token, the
 * account's password change, the admin's users page, and accessibility of each.
 */
import { seriousViolations } from './support/axe.ts';
import { ADMIN_PASSWORD, expect, test } from './support/server.ts';
import { createOwner, OWNER_PASSWORD, signIn } from './support/session.ts';

test('the sign-in page explains a wrong password and has no accessibility violations', async ({
  page,
}, testInfo) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Sign in to Sitewright' })).toBeVisible();
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    expect(await seriousViolations(page)).toEqual([]);
  }
  await page.getByLabel('Username').fill('admin');
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toHaveText('That username and password do not match an account.');
  await page.screenshot({ path: testInfo.outputPath('sign-in-error.png'), fullPage: true });
  await page.getByLabel('Password').fill(ADMIN_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Your websites' })).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
});

test('a session outlives its access token without losing the page, and signing out ends it', async ({
  page,
  context,
}) => {
  await signIn(page, '/status');
  await expect(page.getByRole('heading', { name: 'System status' })).toBeVisible();
  // The access token expires (here: is dropped); the next request refreshes the session silently.
  const cookies = await context.cookies();
  await context.clearCookies();
  await context.addCookies(cookies.filter((cookie) => cookie.name !== 'access_token'));
  await page.getByRole('navigation', { name: 'Account' }).getByRole('link', { name: 'Projects' }).click();
  // The list (or its empty state) loaded: the request behind it was answered after a refresh.
  await expect(page.locator('.project-list, .empty').first()).toBeVisible();
  await expect
    .poll(async () => (await context.cookies()).some((cookie) => cookie.name === 'access_token'))
    .toBe(true);
  await expect(page.getByRole('heading', { name: 'Sign in to Sitewright' })).toHaveCount(0);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in to Sitewright' })).toBeVisible();
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Sign in to Sitewright' })).toBeVisible();
});

test('an admin adds and removes a user; owners see only their own projects', async ({
  page,
  browser,
  baseURL,
}, testInfo) => {
  await signIn(page, '/admin/users');
  await expect(page.getByRole('heading', { name: 'Users', level: 1 })).toBeVisible();
  await page.getByLabel('Username').fill('luigi');
  await page.getByLabel('Password').fill(OWNER_PASSWORD);
  await page.getByRole('button', { name: 'Add user' }).click();
  const luigiRow = page.getByRole('listitem').filter({ hasText: 'luigi' });
  await expect(luigiRow).toBeVisible();
  await page.getByLabel('Username').fill('luigi');
  await page.getByLabel('Password').fill(OWNER_PASSWORD);
  await page.getByRole('button', { name: 'Add user' }).click();
  await expect(page.getByRole('alert')).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  await page.screenshot({ path: testInfo.outputPath('users.png'), fullPage: true });

  // Luigi signs in elsewhere and sees no one else's projects; no Users link for him.
  const other = await browser.newContext({ baseURL });
  const luigi = await other.newPage();
  await signIn(luigi, '/', 'luigi', OWNER_PASSWORD);
  await expect(luigi.getByText('No websites yet.')).toBeVisible();
  await expect(luigi.getByRole('link', { name: 'Users' })).toHaveCount(0);
  await luigi.goto('/admin/users');
  await expect(luigi.getByRole('heading', { name: 'Page not found' })).toBeVisible();
  await other.close();

  await page.getByRole('button', { name: 'Remove luigi' }).click();
  const dialog = page.getByRole('dialog', { name: 'Remove this user?' });
  await expect(dialog).toContainText('cannot be undone');
  expect(await seriousViolations(page)).toEqual([]);
  await dialog.getByRole('button', { name: 'Remove luigi' }).click();
  await expect(luigiRow).toHaveCount(0);
});

test('changing the password keeps this session, refuses a wrong current password, and works for the next sign-in', async ({
  page,
  request,
  baseURL,
}) => {
  await createOwner(request, baseURL as string, 'paola');
  await signIn(page, '/account', 'paola', OWNER_PASSWORD);
  await expect(page.getByRole('heading', { name: 'Your account' })).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  await page.getByLabel('Current password').fill('wrong password');
  await page.getByLabel('New password', { exact: true }).fill('a brand new password');
  await page.getByLabel('New password again').fill('a brand new password');
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByRole('alert')).toContainText('current password');
  await page.getByLabel('Current password').fill(OWNER_PASSWORD);
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Your password was changed.' })).toBeVisible();
  await page.getByRole('navigation', { name: 'Account' }).getByRole('link', { name: 'Projects' }).click();
  await expect(page.getByRole('heading', { name: 'Your websites' })).toBeVisible();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await signIn(page, '/', 'paola', 'a brand new password');
});

test('the projects page lists, opens and deletes a project after confirming', async ({ page }, testInfo) => {
  await signIn(page, '/');
  await page.getByLabel('Business name').fill('Delete Me Bakery');
  await page.getByRole('button', { name: 'Create' }).click();
  await expect(page).toHaveURL(/\/projects\/[0-9a-f-]{36}$/);
  await page.getByRole('navigation', { name: 'Account' }).getByRole('link', { name: 'Projects' }).click();
  const row = page.getByRole('listitem').filter({ hasText: 'Delete Me Bakery' });
  await expect(row).toBeVisible();
  await expect(row.getByRole('progressbar')).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('projects.png'), fullPage: true });
  await row.getByRole('button', { name: 'Delete Delete Me Bakery' }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete this website?' });
  await dialog.getByRole('button', { name: 'Keep it' }).click();
  await expect(row).toBeVisible();
  await row.getByRole('button', { name: 'Delete Delete Me Bakery' }).click();
  await dialog.getByRole('button', { name: 'Delete Delete Me Bakery' }).click();
  await expect(page.getByRole('listitem').filter({ hasText: 'Delete Me Bakery' })).toHaveCount(0);
});
