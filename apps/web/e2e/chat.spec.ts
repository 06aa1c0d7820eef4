/**
 * The owner's chat with the agent, against the real server and its demo worker: questions answered by
 * option or in words (rendered as text, never as HTML), live without reloading, going back to an
 * earlier answer, the brief and mockup approvals, and accessibility in both colour schemes.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { seriousViolations } from './support/axe.ts';
import { expect, test } from './support/server.ts';
import { signIn } from './support/session.ts';

const NAME_QUESTION = 'What is the name of your business, exactly as customers should see it?';
const INDUSTRY_QUESTION = 'What kind of business is it?';
const DESCRIPTION_QUESTION = /^In a sentence or two: what do you offer/;
const SERVICES_QUESTION = /^Which services or products should the site list\?/;
const PHONE_QUESTION = /^What phone number should customers call\?/;

/**
 * `seriousViolations` without the sandboxed mockup frame: axe cannot run inside a frame that forbids
 * scripts (the analysis hangs), and what the frame shows is the generated site, not the dashboard.
 */
async function seriousViolationsBesideMockup(page: Page) {
  const results = await new AxeBuilder({ page }).exclude('iframe[sandbox=""]').analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => ({
      id: violation.id,
      targets: violation.nodes.map((node) => node.target.join(' ')),
    }));
}

async function createProject(page: Page, name: string) {
  await signIn(page, '/');
  await page.getByLabel('Business name').fill(name);
  await page.getByRole('button', { name: 'Create' }).click();
  await expect(page).toHaveURL(/\/projects\/[0-9a-f-]{36}$/);
  return page.getByRole('region', { name: 'Chat' });
}

/** The open card asking `question` (a heading the card is named by). */
function card(page: Page, question: string | RegExp) {
  return page.getByRole('region', { name: 'Chat' }).getByRole('article', { name: question });
}

async function answerInWords(page: Page, question: string | RegExp, text: string) {
  const open = card(page, question);
  await expect(open).toBeVisible();
  const box = open.getByRole('textbox');
  await box.fill(text);
  await box.press('Enter');
  await expect(open).toHaveCount(0);
}

async function answerWithOption(page: Page, question: string | RegExp, option: string) {
  const open = card(page, question);
  await expect(open).toBeVisible();
  await open.getByRole('button', { name: option, exact: true }).click();
  await expect(open).toHaveCount(0);
}

test('questions are answered by option or in words, shown as text, and can be answered again', async ({
  page,
}, testInfo) => {
  test.setTimeout(90_000);
  const chat = await createProject(page, 'Trattoria Test');
  const log = chat.getByRole('log');

  // The first question arrives with its suggested answer.
  const first = card(page, NAME_QUESTION);
  await expect(first).toBeVisible();
  await expect(first.getByRole('button', { name: 'Trattoria Test', exact: true })).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('chat-first-question.png'), fullPage: true });

  // Markup typed by the owner is text: it shows literally and never runs.
  const payload = '<img src=x onerror=window.__xss=1>';
  await answerInWords(page, NAME_QUESTION, payload);
  await expect(log.getByText(payload)).toBeVisible();
  await expect(log.locator('img')).toHaveCount(0);
  expect(await page.evaluate(() => (window as { __xss?: unknown }).__xss)).toBeUndefined();

  // The next questions arrive live, without a reload.
  await answerWithOption(page, INDUSTRY_QUESTION, 'Restaurant');
  await answerInWords(page, DESCRIPTION_QUESTION, 'Wood-fired pizza in the old town.');
  // Shift+Enter adds a line; Enter sends.
  const services = card(page, SERVICES_QUESTION);
  await expect(services).toBeVisible();
  const box = services.getByRole('textbox', { name: 'Your answer' });
  await box.fill('Margherita – €9');
  await box.press('Shift+Enter');
  await box.pressSequentially('Calzone – €11');
  await expect(box).toHaveValue('Margherita – €9\nCalzone – €11');
  await box.press('Enter');
  await expect(card(page, PHONE_QUESTION)).toBeVisible();
  await expect(log.getByText('You: Restaurant', { exact: true })).toBeVisible();
  expect(await page.evaluate(() => (window as { __xss?: unknown }).__xss)).toBeUndefined();
  await page.screenshot({ path: testInfo.outputPath('chat-answers.png'), fullPage: true });

  // Go back to the first question: later work is set aside, and the question is open again.
  await chat.getByRole('button', { name: `Answer differently: ${NAME_QUESTION}` }).click();
  const dialog = page.getByRole('dialog', { name: 'Answer this question again?' });
  await expect(dialog).toContainText('set aside');
  await expect(dialog).toContainText(payload);
  await page.screenshot({ path: testInfo.outputPath('chat-rewind-dialog.png'), fullPage: true });
  await dialog.getByRole('button', { name: 'Go back to this question' }).click();
  await expect(dialog).toBeHidden();
  await expect(first).toBeVisible();
  await expect(first.getByRole('heading', { name: NAME_QUESTION })).toBeFocused();
  await expect(card(page, PHONE_QUESTION)).toHaveCount(0);
  await expect(log.getByText(`You went back to: ${NAME_QUESTION}`)).toBeVisible();
  const setAside = log.getByText(/messages set aside by going back/);
  await expect(setAside).toBeVisible();
  await expect(chat.getByRole('button', { name: /^Answer differently/ })).toHaveCount(0);
  await page.screenshot({ path: testInfo.outputPath('chat-after-rewind.png'), fullPage: true });

  // The agent carries on from the new answer.
  await answerWithOption(page, NAME_QUESTION, 'Trattoria Test');
  await expect(card(page, INDUSTRY_QUESTION)).toBeVisible();
  await expect(chat.getByRole('button', { name: `Answer differently: ${NAME_QUESTION}` })).toBeVisible();

  await setAside.click();
  expect(await seriousViolations(page)).toEqual([]);
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: testInfo.outputPath('chat-dark.png'), fullPage: true });
  expect(await seriousViolations(page)).toEqual([]);

  // On a phone the chat is the first tab.
  await page.setViewportSize({ width: 390, height: 844 });
  await expect(page.getByRole('tab', { name: 'Chat' })).toHaveAttribute('aria-selected', 'true');
  await card(page, INDUSTRY_QUESTION).scrollIntoViewIfNeeded();
  await expect(card(page, INDUSTRY_QUESTION)).toBeInViewport();
  await page.screenshot({ path: testInfo.outputPath('chat-phone-dark.png') });
});

test('a free-form message reaches the agent, and the brief and mockup are approved from readable cards', async ({
  page,
}, testInfo) => {
  test.setTimeout(180_000);
  const chat = await createProject(page, 'Pizzeria Aperta');
  const log = chat.getByRole('log');

  // An empty message cannot be sent; a message is sent with Enter and shows as the owner's.
  const composer = chat.getByRole('textbox', { name: 'Message the agent' });
  await expect(chat.getByRole('button', { name: 'Send', exact: true })).toHaveAttribute(
    'aria-disabled',
    'true',
  );
  await composer.fill('Please keep it simple.');
  await composer.press('Enter');
  await expect(log.getByText('You: Please keep it simple.', { exact: true })).toBeVisible();
  await expect(composer).toHaveValue('');

  await answerWithOption(page, NAME_QUESTION, 'Pizzeria Aperta');
  await expect(log.getByText(/^Agent: Thanks for your message/)).toBeVisible();
  await answerWithOption(page, INDUSTRY_QUESTION, 'Restaurant');
  await answerInWords(page, DESCRIPTION_QUESTION, 'Wood-fired pizza for families.');
  await answerInWords(page, SERVICES_QUESTION, 'Margherita – €9; Calzone – €11');
  await answerInWords(page, PHONE_QUESTION, '+39 055 123 4567');
  await answerWithOption(page, /^Which email address/, 'none');
  await answerInWords(page, /^Where do customers find you\?/, 'Via Roma 1, Florence, 50123, Italy');
  await answerWithOption(page, /^When are you open\?/, 'Tue–Sun 12:00–22:00');
  await answerWithOption(page, 'How should the site sound?', 'Friendly');
  await answerWithOption(page, /^Pick a brand colour/, 'Tomato red (#c0392b)');
  await answerWithOption(page, /^Any social media pages/, 'none');

  // The brief, as facts in words.
  const brief = card(page, 'Please review the brief');
  await expect(brief).toBeVisible();
  await expect(brief.getByRole('definition').filter({ hasText: 'Pizzeria Aperta' })).toBeVisible();
  await expect(brief).toContainText('Tue–Sun 12:00–22:00');
  await expect(brief).toContainText('Via Roma 1, Florence, 50123, Italy');
  await expect(brief).toContainText('#c0392b');
  await expect(brief).not.toContainText('{');
  await page.screenshot({ path: testInfo.outputPath('chat-brief.png'), fullPage: true });

  // Asking for changes needs a word about what should change.
  await brief.getByRole('button', { name: 'Request changes' }).click();
  const notes = brief.getByRole('textbox', { name: 'What should change?' });
  await expect(notes).toBeFocused();
  await brief.getByRole('button', { name: 'Send the changes' }).click();
  await expect(brief.getByText('Say what should change')).toBeVisible();
  await brief.getByRole('button', { name: 'Cancel' }).click();
  await brief.getByRole('button', { name: 'Approve' }).click();
  await expect(log.getByText('You: Approved', { exact: true })).toBeVisible();

  // The mockup: a sandboxed preview and the wireframe.
  const mockup = card(page, 'Please review the mockup');
  await expect(mockup).toBeVisible({ timeout: 20_000 });
  const frame = mockup.locator('iframe');
  await expect(frame).toHaveAttribute('sandbox', '');
  await expect(frame).toHaveAttribute('title', 'Mockup preview');
  await expect(mockup.frameLocator('iframe').locator('body')).toContainText('Pizzeria Aperta');
  await mockup.getByText('Wireframe (the layout as text)').click();
  await expect(mockup.locator('pre')).toBeVisible();
  await expect(log.getByText('Designing the layout')).toBeVisible();
  await page.setViewportSize({ width: 1280, height: 1300 });
  await mockup.evaluate((element) => {
    const scroller = element.closest('.chat-scroll');
    if (scroller && element instanceof HTMLElement) scroller.scrollTop = element.offsetTop - 8;
  });
  await page.screenshot({ path: testInfo.outputPath('chat-mockup.png') });
  await mockup.getByRole('button', { name: 'View the mockup larger' }).click();
  const large = page.getByRole('dialog', { name: 'Mockup preview' });
  await expect(large.locator('iframe')).toHaveAttribute('sandbox', '');
  await page.screenshot({ path: testInfo.outputPath('chat-mockup-large.png') });
  await large.getByRole('button', { name: 'Close' }).click();
  await expect(large).toBeHidden();
  expect(await seriousViolationsBesideMockup(page)).toEqual([]);

  await mockup.getByRole('button', { name: 'Approve' }).click();
  await expect(log.getByText('Planning the site')).toBeVisible({ timeout: 20_000 });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: testInfo.outputPath('chat-approved-dark.png'), fullPage: true });
  expect(await seriousViolationsBesideMockup(page)).toEqual([]);

  // After TURN_CAP steps without the owner, the run pauses with a plain-language continuation card.
  const pause = card(page, 'I’ve worked for a while without hearing from you');
  await expect(pause).toBeVisible({ timeout: 60_000 });
  await expect(pause.getByRole('button', { name: 'Continue' })).toBeVisible();
  await expect(pause.getByRole('button', { name: 'Stop' })).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('chat-continuation-dark.png') });
  // "Rewind" leads to the way back: the newest "Answer differently".
  await pause.getByRole('button', { name: 'Rewind to an earlier answer' }).click();
  await expect(
    chat.getByRole('button', { name: 'Answer differently: Please review the mockup' }),
  ).toBeFocused();
  await pause.getByRole('button', { name: 'Continue' }).click();
  await expect(pause).toHaveCount(0);
  await expect(log.getByText('You: Continue', { exact: true })).toBeVisible();
});
