/**
 * The owner's chat with the agent, against the real server and its demo worker: questions answered by
 * option or in words (rendered as text, never as HTML), live without reloading, going back to an
 * earlier answer, the brief and mockup approvals, the agent's words while it writes them, and
 * accessibility in both colour schemes.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { ServerMessage, type ServerMessageOf } from '@sitewright/contracts';
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

/** The bubble the agent is writing in, found by its status line. */
function typingBubble(page: Page) {
  const status = page.getByRole('status').filter({ hasText: 'The agent is writing…' });
  return page.getByRole('region', { name: 'Chat' }).locator('.chat-bubble', { has: status });
}

/**
 * Carries the page's view of the project — its WebSocket and its reads of the project — to the real
 * server. From a chosen server message on, the server's news is held back: later messages wait, and
 * so do reads of the project (they would tell the page what those messages say), so the page stays as
 * that message left it for as long as the test looks. `release` then delivers everything in order.
 */
async function holdableProject(page: Page) {
  let holdAfter: ((message: ServerMessage) => boolean) | null = null;
  let onHold: (message: ServerMessage) => void = () => {};
  let held: Array<() => void> | null = null;
  let reads = Promise.resolve();
  let releaseReads = () => {};
  await page.route(/\/api\/projects\/[0-9a-f-]{36}$/, async (route) => {
    if (route.request().method() === 'GET') await reads;
    await route.continue();
  });
  await page.routeWebSocket(/\/ws\/projects\//, (ws) => {
    const server = ws.connectToServer();
    ws.onMessage((data) => server.send(data));
    server.onMessage((data) => {
      if (held) {
        held.push(() => ws.send(data));
        return;
      }
      ws.send(data);
      const message = ServerMessage.parse(JSON.parse(String(data)));
      if (holdAfter?.(message)) {
        holdAfter = null;
        held = [];
        reads = new Promise((resolve) => {
          releaseReads = resolve;
        });
        onHold(message);
      }
    });
  });
  return {
    /** Resolves with the first server message that matches; the news after it waits for `release`. */
    holdAfter<Held extends ServerMessage>(
      predicate: (message: ServerMessage) => message is Held,
    ): Promise<Held> {
      return new Promise((resolve) => {
        holdAfter = predicate;
        onHold = (message) => resolve(message as Held);
      });
    },
    release() {
      const queued = held ?? [];
      held = null;
      for (const send of queued) send();
      releaseReads();
    },
  };
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
  // Written once the first question is out: the demo worker answers a message in its next turn, and
  // takes one that arrives while it is still writing a question as already seen by that turn.
  await expect(card(page, NAME_QUESTION)).toBeVisible();
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

test('the owner watches the agent write its next question, and the card takes the bubble’s place', async ({
  page,
}, testInfo) => {
  test.setTimeout(60_000);
  const project = await holdableProject(page);
  const chat = await createProject(page, 'Bottega Viva');
  await answerWithOption(page, NAME_QUESTION, 'Bottega Viva');

  // Stop the stream at the first words of the next question: the page shows what the agent has
  // written so far, as the server sent it.
  const description = 'In a sentence or two: what do you offer, and who are your customers?';
  const partial = project.holdAfter((message): message is ServerMessageOf<'agent_typing'> => {
    if (message.type !== 'agent_typing' || message.done) return false;
    const text = message.text.trim();
    return text !== '' && text !== description && description.startsWith(text);
  });
  await answerWithOption(page, INDUSTRY_QUESTION, 'Restaurant');
  const typed = await partial;
  const bubble = typingBubble(page);
  await expect(bubble).toBeVisible();
  await expect(bubble).toContainText(typed.text.trim());
  await expect(bubble).not.toContainText(description);
  await expect(card(page, DESCRIPTION_QUESTION)).toHaveCount(0);
  // The bubble replaces "waiting": one sign of the agent at work at a time.
  await expect(chat.getByText('Waiting for the agent…')).toHaveCount(0);
  await bubble.scrollIntoViewIfNeeded();
  await page.screenshot({ path: testInfo.outputPath('chat-typing.png'), animations: 'disabled' });
  expect(await seriousViolations(page)).toEqual([]);
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: testInfo.outputPath('chat-typing-dark.png'), animations: 'disabled' });
  expect(await seriousViolations(page)).toEqual([]);
  // The caret blinks, unless the owner asked for less motion.
  const caret = bubble.locator('.chat-caret');
  await expect(caret).not.toHaveCSS('animation-name', 'none');
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await expect(caret).toHaveCSS('animation-name', 'none');

  // The rest of the turn arrives: the question opens as a card, and the bubble is gone.
  project.release();
  await expect(card(page, DESCRIPTION_QUESTION)).toBeVisible();
  await expect(bubble).toHaveCount(0);
  await answerInWords(page, DESCRIPTION_QUESTION, 'Wood-fired pizza for families.');
  await expect(card(page, SERVICES_QUESTION)).toBeVisible();
  await expect(bubble).toHaveCount(0);
});
