/**
 * The owner's whole journey in a real browser against the real server and its demo worker: sign in,
 * create a project, answer the brief in the chat, approve the brief and the mockup, watch the cards
 * reach Done without reloading (and a second browser see the same board), reload mid-build, see the
 * finished preview, download the ZIP, report a bug and see it resolved, and go back to an earlier
 * question. Screenshots of every step are kept as test artifacts.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { errors, type Locator, type Page, type TestInfo } from '@playwright/test';
import { seriousViolations } from './support/axe.ts';
import { expect, test } from './support/server.ts';
import { signIn } from './support/session.ts';

/** The owner's answers, by the start of the question the demo worker asks. */
const answers: Array<[RegExp, string]> = [
  [/^What is the name of your business/, "Maria's Pizzeria"],
  [/^What kind of business is it/, 'Restaurant'],
  [/^In a sentence or two/, 'Wood-fired Neapolitan pizza in the heart of Leeds.'],
  [/^Which services or products/, 'Margherita – £9\nDiavola – £11\nCalzone – £12'],
  [/^What phone number/, '0113 496 0000'],
  [/^Which email address/, 'hello@mariaspizzeria.example'],
  [/^Where do customers find you/, '12 Call Lane, Leeds, LS1 6DT, United Kingdom'],
  [/^When are you open/, 'Tu–Su 12:00–22:00'],
  [/^How should the site sound/, 'Friendly'],
  [/^Pick a brand colour/, '#c0392b'],
  [/^Any social media pages/, 'none'],
];
const XSS = '<img src=x onerror="window.__xss=1">';

function chat(page: Page): Locator {
  return page.getByRole('region', { name: 'Chat' });
}

async function shot(page: Page, testInfo: TestInfo, name: string) {
  await page.screenshot({ path: testInfo.outputPath(`journey-${name}.png`), fullPage: true });
}

/**
 * How long one step on a card may wait for it. A card answered or replaced meanwhile (a new question,
 * a rewind re-rendering the chat) is gone for good, so the step gives up quickly and the loop looks again.
 */
const CARD_STEP_TIMEOUT_MS = 2_000;

/**
 * Answers the newest open card in the chat, whatever it is; false when nothing is open or the card
 * went away meanwhile. Locators are lazy, so "the last card" could be another card by the time a step
 * runs: every step acts inside the card found by the exact heading that was read, and only there.
 */
async function answerOpenCard(page: Page): Promise<boolean> {
  const cards = chat(page).getByRole('article');
  // A snapshot that never waits: with no card open it is empty.
  const headings = await cards.getByRole('heading', { level: 3 }).allTextContents();
  const title = headings.at(-1)?.replace(/\s+/g, ' ').trim();
  if (!title) return false;
  // Each card is labelled by its heading.
  const card = chat(page).getByRole('article', { name: title, exact: true }).last();
  const step = { timeout: CARD_STEP_TIMEOUT_MS };
  try {
    const approve = card.getByRole('button', { name: 'Approve', exact: true });
    if (await approve.isVisible()) {
      await approve.click(step);
      return true;
    }
    const carryOn = card.getByRole('button', { name: /^Continue/ });
    if (await carryOn.isVisible()) {
      await carryOn.click(step);
      return true;
    }
    const match = answers.find(([question]) => question.test(title));
    const box = card.getByRole('textbox').first();
    if (!match || !(await box.isVisible())) return false;
    await box.fill(match[1], step);
    await box.press('Enter', step);
    return true;
  } catch (error) {
    if (error instanceof errors.TimeoutError) return false;
    throw error;
  }
}

/** Plays the owner until `done` holds: answers questions, approves, lets the agent continue. */
async function playOwnerUntil(page: Page, done: () => Promise<boolean>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await done()) return;
    const acted = await answerOpenCard(page).catch(() => false);
    await page.waitForTimeout(acted ? 400 : 700);
  }
  throw new Error('the journey did not get there in time');
}

const status = (page: Page) => page.getByTestId('run-status').first();

test('the owner builds a site, gets a bug fixed and answers a question again — all live', async ({
  page,
  browser,
  baseURL,
  server,
}, testInfo) => {
  test.setTimeout(420_000);

  // Sign in and create the project.
  await signIn(page, '/');
  expect(await seriousViolations(page)).toEqual([]);
  await shot(page, testInfo, '01-projects');
  await page.getByLabel('Business name').fill("Maria's Pizzeria");
  await page.getByRole('button', { name: 'Create' }).click();
  await expect(page).toHaveURL(/\/projects\/[0-9a-f-]{36}$/);
  const projectUrl = page.url();
  const projectId = projectUrl.split('/').at(-1) as string;

  // The first answer carries markup: it must show as text and never run.
  const first = chat(page).getByRole('article').last();
  await expect(first).toContainText('name of your business');
  await first.getByRole('textbox').first().fill(XSS);
  await first.getByRole('textbox').first().press('Enter');
  await expect(chat(page).getByRole('log').getByText(XSS)).toBeVisible();
  expect(await page.evaluate(() => (window as { __xss?: unknown }).__xss)).toBeUndefined();
  await shot(page, testInfo, '02-first-answer');

  // Go back to that question and answer it properly.
  await chat(page)
    .getByRole('button', { name: /^Answer differently: What is the name of your business/ })
    .click();
  await page.getByRole('dialog').getByRole('button', { name: 'Go back to this question' }).click();
  await expect(
    chat(page)
      .getByRole('log')
      .getByText(/^You went back to:/),
  ).toBeVisible();
  await shot(page, testInfo, '03-rewound');

  // Answer the brief, approve the brief and the mockup: the plan fills the board.
  const board = page.getByRole('region', { name: 'Board' });
  await playOwnerUntil(page, async () => (await board.locator('[data-lane] li').count()) > 0, 120_000);
  await shot(page, testInfo, '04-planned');
  expect(await seriousViolations(page)).toEqual([]);

  // A second browser follows the same board live.
  const other = await browser.newContext({ baseURL });
  const watcher = await other.newPage();
  await signIn(watcher, projectUrl.replace(baseURL as string, ''));
  const watcherDone = watcher.getByRole('region', { name: 'Board' }).locator('[data-lane="done"] li');

  // Mid-build, a reload resumes the stream where it was.
  await playOwnerUntil(
    page,
    async () => (await board.locator('[data-lane="done"] li').count()) >= 2,
    120_000,
  );
  await page.reload();
  await expect(page.getByRole('region', { name: 'Board' }).locator('[data-lane] li').first()).toBeVisible();
  await shot(page, testInfo, '05-mid-build-after-reload');

  // The cards reach Done without any further reload, in both browsers.
  await playOwnerUntil(
    page,
    async () => (await status(page).getAttribute('data-status')) === 'completed',
    240_000,
  );
  const total = await board.locator('[data-lane] li').count();
  await expect(board.locator('[data-lane="done"] li')).toHaveCount(total);
  await expect(watcherDone).toHaveCount(total);
  await expect(page.getByTestId('progress-text').first()).toHaveText(`${total}/${total} done`);
  await watcher.screenshot({ path: testInfo.outputPath('journey-06-second-browser.png'), fullPage: true });
  await other.close();
  await shot(page, testInfo, '06-completed');

  // The finished site in the preview, and its ZIP.
  const site = page.getByRole('region', { name: 'Site' });
  await expect(site.frameLocator('iframe').first().locator('body')).toContainText("Maria's Pizzeria");
  const download = page.waitForEvent('download');
  await site.getByRole('link', { name: /Download ZIP/ }).click();
  const zip = await download;
  expect(zip.suggestedFilename()).toMatch(/\.zip$/);
  expect(
    readFileSync((await zip.path()) as string)
      .subarray(0, 2)
      .toString(),
  ).toBe('PK');
  expect(await seriousViolations(page)).toEqual([]);
  await shot(page, testInfo, '07-preview');

  // The owner notices a wrong phone number (planted here) and reports it from the board.
  const aboutFile = join(server.dataDir, 'projects', projectId, 'site', 'about', 'index.html');
  writeFileSync(aboutFile, readFileSync(aboutFile, 'utf8').replaceAll('0113 496 0000', '0113 496 0999'));
  await board.getByRole('button', { name: /Report a bug/ }).click();
  const form = page.getByRole('dialog', { name: 'Report a bug' });
  await form.getByLabel('Title').fill('The phone number in the footer is wrong');
  await form.getByLabel('What happened').fill('The about page shows a different number from ours.');
  await form
    .getByLabel('Steps to see it')
    .fill('Open the about page\nLook at the phone number in the footer');
  await form.getByLabel('Which page (optional)').fill('/about/');
  await form.getByRole('button', { name: 'Report bug' }).click();
  const bug = board.locator('[data-bug-id]').first();
  await expect(bug).toContainText('The phone number in the footer is wrong');
  await shot(page, testInfo, '08-bug-reported');
  await playOwnerUntil(page, async () => (await board.locator('.bug-card-resolved').count()) === 1, 180_000);
  expect(readFileSync(aboutFile, 'utf8')).toContain('0113 496 0000');
  await shot(page, testInfo, '09-bug-resolved');
  expect(await seriousViolations(page)).toEqual([]);
});
