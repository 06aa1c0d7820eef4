/**
 * The Models view in the insights panel: the real server runs without a model key, so the demo
 * explanation is shown for real; the form is exercised with the two model requests answered at the
 * browser's network edge, in the contract's shapes (a save that works, a save the server refuses).
 */
import type { Page } from '@playwright/test';
import { ProjectModels, type UpdateProjectModels } from '@sitewright/contracts';
import { seriousViolations } from './support/axe.ts';
import { expect, test } from './support/server.ts';
import { openNewProject } from './support/session.ts';

const DEMO_TEXT = 'The offline demo worker answers; set a model key on the server to choose models.';
const REFUSED = 'openai:o3 needs OPENROUTER_API_KEY, OPENAI_API_KEY or OPENAI_BASE_URL, which is not set.';

async function openModels(page: Page) {
  const tab = page.getByRole('tablist', { name: 'Insights' }).getByRole('tab', { name: 'Models' });
  await tab.click();
  await expect(tab).toHaveAttribute('aria-selected', 'true');
  return page.getByRole('tabpanel', { name: 'Models' });
}

function insights(page: Page) {
  return page.getByRole('region', { name: 'Insights' });
}

/** The insights panel alone; the page's sticky bars would otherwise cover its top in the picture. */
async function shootInsights(page: Page, path: string) {
  await insights(page).screenshot({
    path,
    style: '.status-bar, .project-tabs { position: static !important; }',
  });
}

async function pageOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}

/** What a server with an Anthropic key answers, with this project's conversation override. */
function modelsWith(chatOverride: string | null): ProjectModels {
  return ProjectModels.parse({
    demo: false,
    roles: [
      {
        role: 'chat',
        provider: chatOverride ? 'openai' : 'anthropic',
        model: chatOverride ? chatOverride.replace(/^openai:/, '') : 'claude-sonnet-4-5',
        configured: 'claude-sonnet-4-5',
        override: chatOverride,
        fallback: 'claude-haiku-4-5',
      },
      {
        role: 'code',
        provider: 'anthropic',
        model: 'claude-sonnet-4-5',
        configured: 'claude-sonnet-4-5',
        override: null,
        fallback: null,
      },
    ],
  });
}

/**
 * Answers GET and PATCH of the project's models like the server would: a conversation model is
 * saved, and any building model is refused with the reason in `details.fields`. Returns the PATCH
 * bodies in the order they were sent.
 */
async function fakeModelsApi(page: Page, projectId: string): Promise<UpdateProjectModels[]> {
  const patches: UpdateProjectModels[] = [];
  let chatOverride: string | null = null;
  await page.route(`**/api/projects/${projectId}/models`, async (route) => {
    const request = route.request();
    if (request.method() === 'GET') return route.fulfill({ json: modelsWith(chatOverride) });
    const body = request.postDataJSON() as UpdateProjectModels;
    patches.push(body);
    if (body.code !== undefined) {
      return route.fulfill({
        status: 400,
        json: {
          error: { code: 'invalid_request', message: REFUSED, details: { fields: { code: REFUSED } } },
        },
      });
    }
    if (body.chat !== undefined) chatOverride = body.chat;
    return route.fulfill({ json: modelsWith(chatOverride) });
  });
  return patches;
}

test('without a model key the Models view explains the demo worker and offers no form', async ({
  page,
  baseURL,
}, testInfo) => {
  await page.setViewportSize({ width: 1440, height: 960 });
  const projectId = await openNewProject(page, baseURL ?? '', 'Demo Deli', 'Site');
  const answered = page.waitForResponse(
    (response) => response.url().endsWith(`/api/projects/${projectId}/models`) && response.ok(),
  );
  const panel = await openModels(page);
  expect(ProjectModels.parse(await (await answered).json()).demo).toBe(true);
  await expect(panel.getByText(DEMO_TEXT)).toBeVisible();
  await expect(panel.getByRole('textbox')).toHaveCount(0);
  await expect(panel.getByRole('button')).toHaveCount(0);

  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await expect(page.locator('html')).toHaveAttribute('data-theme', colorScheme);
    expect(await seriousViolations(page)).toEqual([]);
    await shootInsights(page, testInfo.outputPath(`models-demo-${colorScheme}.png`));
  }

  await page.setViewportSize({ width: 360, height: 780 });
  await page.getByRole('tab', { name: 'Site' }).click();
  await expect(panel.getByText(DEMO_TEXT)).toBeVisible();
  expect(await pageOverflow(page)).toBeLessThanOrEqual(0);
  await shootInsights(page, testInfo.outputPath('models-demo-360-dark.png'));
});

test('an owner chooses a model per role, sees a refusal next to its field, and goes back to the default', async ({
  page,
  baseURL,
}, testInfo) => {
  await page.setViewportSize({ width: 1440, height: 960 });
  const projectId = await openNewProject(page, baseURL ?? '', 'Model Muffins', 'Site');
  const patches = await fakeModelsApi(page, projectId);
  const panel = await openModels(page);

  const conversation = panel.getByRole('region', { name: 'Conversation' });
  const building = panel.getByRole('region', { name: 'Building' });
  const chatField = panel.getByRole('textbox', { name: 'Conversation model' });
  const codeField = panel.getByRole('textbox', { name: 'Building model' });

  await test.step('each role shows its model, where it comes from, and its fallback', async () => {
    await expect(conversation.getByTestId('model-source')).toHaveText('Server default');
    await expect(conversation.getByTestId('model-in-use')).toHaveText(/claude-sonnet-4-5\s*Anthropic/);
    await expect(conversation.getByTestId('model-fallback')).toHaveText(/^claude-haiku-4-5/);
    await expect(building.getByTestId('model-fallback')).toHaveText(/^None/);
    await expect(chatField).toHaveAttribute('placeholder', 'claude-sonnet-4-5');
    await expect(chatField).toHaveValue('');
    await expect(panel.getByRole('button', { name: /^Use default/ })).toHaveCount(0);
  });

  await test.step('a model id with a space is refused before anything is sent', async () => {
    await chatField.fill('gpt 4');
    await conversation.getByRole('button', { name: 'Save the conversation model' }).click();
    await expect(chatField).toHaveAttribute('aria-invalid', 'true');
    await expect(chatField).toHaveAccessibleDescription(/A model id has no spaces or quotes/);
    await expect(chatField).toBeFocused();
    expect(patches).toEqual([]);
  });

  await test.step('a saved choice shows as this project’s, in use from the next call', async () => {
    await chatField.fill('openai:gpt-4.1');
    await conversation.getByRole('button', { name: 'Save the conversation model' }).click();
    await expect(conversation.getByRole('status')).toHaveText(
      'Saved. From the next model call, Conversation uses gpt-4.1.',
    );
    expect(patches).toEqual([{ chat: 'openai:gpt-4.1' }]);
    await expect(conversation.getByTestId('model-source')).toHaveText('This project’s choice');
    await expect(conversation.getByTestId('model-in-use')).toHaveText(/gpt-4\.1\s*OpenAI-compatible API/);
    await expect(conversation.getByText('Server default', { exact: true })).toBeVisible();
    await expect(chatField).toHaveValue('openai:gpt-4.1');
    await expect(chatField).not.toHaveAttribute('aria-invalid', 'true');
    await expect(conversation.getByRole('button', { name: 'Use default for conversation' })).toBeVisible();
  });

  await test.step('a refused choice keeps what was typed and says why next to the field', async () => {
    await codeField.fill('openai:o3');
    await codeField.press('Enter');
    await expect(codeField).toHaveAttribute('aria-invalid', 'true');
    await expect(codeField).toHaveAccessibleDescription(new RegExp(REFUSED.replaceAll('.', '\\.')));
    await expect(building.locator('.field-error')).toHaveText(REFUSED);
    await expect(codeField).toBeFocused();
    await expect(codeField).toHaveValue('openai:o3');
    expect(patches.at(-1)).toEqual({ code: 'openai:o3' });
    // The other role's saved choice is untouched.
    await expect(building.getByTestId('model-source')).toHaveText('Server default');
    await expect(conversation.getByTestId('model-source')).toHaveText('This project’s choice');
  });

  await test.step('light, dark and phone views are readable and accessible', async () => {
    // Tall enough for the whole panel to be in view when it is photographed.
    await page.setViewportSize({ width: 1440, height: 1800 });
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme });
      await expect(page.locator('html')).toHaveAttribute('data-theme', colorScheme);
      expect(await seriousViolations(page)).toEqual([]);
      await insights(page).screenshot({ path: testInfo.outputPath(`models-form-${colorScheme}.png`) });
      await page.screenshot({
        path: testInfo.outputPath(`models-form-${colorScheme}-page.png`),
        fullPage: true,
      });
    }
    await page.setViewportSize({ width: 360, height: 780 });
    await page.getByRole('tab', { name: 'Site' }).click();
    await expect(codeField).toBeVisible();
    expect(await pageOverflow(page)).toBeLessThanOrEqual(0);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: testInfo.outputPath('models-form-360-dark-page.png'), fullPage: true });
    await shootInsights(page, testInfo.outputPath('models-form-360-dark.png'));
    await page.emulateMedia({ colorScheme: 'light' });
    await shootInsights(page, testInfo.outputPath('models-form-360-light.png'));
  });

  await test.step('"Use default" clears the choice and keeps the keyboard in the form', async () => {
    await conversation.getByRole('button', { name: 'Use default for conversation' }).click();
    await expect(conversation.getByRole('status')).toHaveText(
      'Saved. From the next model call, Conversation uses the server default, claude-sonnet-4-5.',
    );
    expect(patches.at(-1)).toEqual({ chat: null });
    await expect(conversation.getByTestId('model-source')).toHaveText('Server default');
    await expect(chatField).toHaveValue('');
    await expect(chatField).toBeFocused();
    await expect(panel.getByRole('button', { name: /^Use default/ })).toHaveCount(0);
  });
});
