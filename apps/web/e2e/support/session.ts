/** Signing in through the real sign-in page, and making users through the admin API. */
import type { APIRequestContext, Page } from '@playwright/test';
import { ProjectDetail } from '@sitewright/contracts';
import { ADMIN_PASSWORD, expect } from './server.ts';

export const OWNER_PASSWORD = 'owner password 123';

/** Opens `path` and signs in on the page it shows; waits until the signed-in shell is there. */
export async function signIn(page: Page, path = '/', username = 'admin', password = ADMIN_PASSWORD) {
  await page.goto(path);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('navigation', { name: 'Account' })).toBeVisible();
}

/** Creates an owner account as the admin (through the API, with the dashboard's own origin). */
export async function createOwner(request: APIRequestContext, baseURL: string, username: string) {
  const headers = { origin: baseURL };
  const login = await request.post('/api/auth/login', {
    data: { username: 'admin', password: ADMIN_PASSWORD },
    headers,
  });
  expect(login.status()).toBe(200);
  const created = await request.post('/api/users', {
    data: { username, password: OWNER_PASSWORD, role: 'user' },
    headers,
  });
  expect([201, 409]).toContain(created.status());
}

/**
 * Signs in, creates a project through the API and opens its page; on a phone, on the given panel's
 * tab. Returns the project's id.
 */
export async function openNewProject(
  page: Page,
  baseURL: string,
  name: string,
  panel: 'Board' | 'Site',
): Promise<string> {
  await signIn(page, '/');
  const created = await page.request.post('/api/projects', { data: { name }, headers: { origin: baseURL } });
  expect(created.status()).toBe(201);
  const { project } = ProjectDetail.parse(await created.json());
  await page.goto(`/projects/${project.id}`);
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  const tab = page.getByRole('tab', { name: panel });
  if (await tab.isVisible()) await tab.click();
  return project.id;
}
