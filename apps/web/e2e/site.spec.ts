/**
 * The project page's site and insights panels on a real run: the demo worker builds Maria's Pizzeria
 * while the page is open, the owner's answers go through the API like any external client's, and
 * the panels are checked in Chromium — preview at three widths, ZIP, history, snapshot and rollback,
 * gates, spend, model calls, timeline — for accessibility and at phone width.
 */
import { randomUUID } from 'node:crypto';
import { stat } from 'node:fs/promises';
import type { APIRequestContext, Locator, Page } from '@playwright/test';
import {
  type Alarm,
  EventPage,
  type LlmCall,
  type ModelSpend,
  ProjectDetail,
  type Spend,
} from '@sitewright/contracts';
import { seriousViolations } from './support/axe.ts';
import { expect, test } from './support/server.ts';
import { signIn } from './support/session.ts';

/**
 * The owner's answers to the demo worker's brief questions, matched on words of each question (a
 * question asked again after a rejected answer keeps its words).
 */
const answers: Array<[string, string]> = [
  ['name of your business', "Maria's Pizzeria"],
  ['kind of business', 'Restaurant'],
  [
    'what do you offer',
    'A family-run pizzeria on Call Lane baking wood-fired Neapolitan pizza for families.',
  ],
  ['services or products', 'Margherita – £9.50\nDiavola – £12.00\nTiramisu – £6.00'],
  ['phone number', '0113 496 0123'],
  ['email address', 'ciao@mariaspizzeria.co.uk'],
  ['find you', '14 Call Lane, Leeds, LS1 6DT, United Kingdom'],
  ['when are you open', 'Tue–Sun 12:00–22:00'],
  ['how should the site sound', 'Friendly'],
  ['brand colour', '#b3261e'],
  ['social media', 'none'],
];

function answerFor(question: string): string {
  const lower = question.toLowerCase();
  return answers.find(([words]) => lower.includes(words))?.[1] ?? 'none';
}

/** Answers whatever the agent waits for until the run completes; returns the completed project. */
async function playOwner(request: APIRequestContext, origin: string, projectId: string) {
  const deadline = Date.now() + 150_000;
  while (Date.now() < deadline) {
    const detail = ProjectDetail.parse(await (await request.get(`/api/projects/${projectId}`)).json());
    if (detail.project.status === 'completed') return detail;
    if (
      detail.project.status === 'failed' ||
      (detail.project.status === 'paused' && detail.pending.length === 0)
    ) {
      throw new Error(`the run stopped: ${detail.project.status} ${detail.project.pausedReason}`);
    }
    for (const pending of detail.pending) {
      const data =
        pending.kind === 'approval'
          ? { pendingId: pending.id, approved: true }
          : pending.kind === 'continuation'
            ? { pendingId: pending.id, answer: 'continue' }
            : { pendingId: pending.id, answer: answerFor(pending.question ?? '') };
      const response = await request.post(`/api/projects/${projectId}/answer`, { data, headers: { origin } });
      // 409: already answered (a race with the runner); the next round sees the fresh state.
      expect([200, 409]).toContain(response.status());
    }
    await new Promise((resolve) => setTimeout(resolve, 400));
  }
  throw new Error('the demo run did not complete in time');
}

function insightsTab(page: Page, name: string): Locator {
  return page.getByRole('tablist', { name: 'Insights' }).getByRole('tab', { name });
}

async function openInsights(page: Page, name: string): Promise<Locator> {
  await insightsTab(page, name).click();
  await expect(insightsTab(page, name)).toHaveAttribute('aria-selected', 'true');
  return page.getByRole('tabpanel', { name });
}

test('the site and insights panels follow a demo run from empty to a built, downloadable site', async ({
  page,
  baseURL,
}, testInfo) => {
  test.setTimeout(180_000);
  const origin = baseURL as string;
  await page.setViewportSize({ width: 1440, height: 960 });
  await signIn(page, '/');

  const created = await page.request.post('/api/projects', {
    data: { name: "Maria's Pizzeria" },
    headers: { origin },
  });
  expect(created.status()).toBe(201);
  const projectId = ProjectDetail.parse(await created.json()).project.id;
  await page.goto(`/projects/${projectId}`);

  const preview = page.getByRole('region', { name: 'Preview' });
  const versions = page.getByRole('region', { name: 'Versions' });
  const frame = preview.locator('iframe[title="Preview of the site"]');

  await test.step('before anything is built, the preview says when it will appear', async () => {
    await expect(preview.getByText('The preview appears once the first page is built.')).toBeVisible();
    await expect(preview.getByRole('link', { name: 'Download ZIP' })).toHaveCount(0);
    await expect(page.getByText('Live', { exact: true })).toBeVisible();
  });

  const completed = await playOwner(page.request, origin, projectId);
  expect(completed.gates.every((gate) => gate.status === 'passed')).toBe(true);

  await test.step('the preview shows the built home page, reloaded live after the commits', async () => {
    await expect(frame).toBeVisible();
    const site = page.frameLocator('iframe[title="Preview of the site"]');
    await expect(site.locator('h1').first()).toContainText("Maria's Pizzeria", { timeout: 20_000 });
    // The frame asked for /preview/:id/ and was sent on to a token link, which the page never keeps.
    await expect(frame).toHaveAttribute('src', `/preview/${projectId}/`);
    await expect(preview.getByRole('status')).toHaveCount(0);
    await preview.screenshot({ path: testInfo.outputPath('panel-preview.png') });
    await page.screenshot({ path: testInfo.outputPath('site-desktop.png'), fullPage: true });
  });

  await test.step('the width switcher sets the framed page to tablet and phone widths', async () => {
    const widths = preview.getByRole('group', { name: 'Preview width' });
    await expect(widths.getByRole('button', { name: /Desktop/ })).toHaveAttribute('aria-pressed', 'true');
    await expect(frame).toHaveCSS('width', '1280px');
    for (const [name, width] of [
      ['Tablet', 768],
      ['Phone', 390],
    ] as const) {
      await widths.getByRole('button', { name: new RegExp(name) }).click();
      await expect(widths.getByRole('button', { name: new RegExp(name) })).toHaveAttribute(
        'aria-pressed',
        'true',
      );
      await expect(frame).toHaveCSS('width', `${width}px`);
      const framed = page.frames().find((candidate) => candidate.url().includes(`/preview/${projectId}/~`));
      expect(await framed?.evaluate(() => window.innerWidth)).toBe(width);
    }
    await preview.screenshot({ path: testInfo.outputPath('preview-phone.png') });
    await widths.getByRole('button', { name: /Desktop/ }).click();
  });

  await test.step('the site downloads as a ZIP', async () => {
    const downloading = page.waitForEvent('download');
    await preview.getByRole('link', { name: 'Download ZIP' }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toMatch(/\.zip$/);
    expect((await stat(await download.path())).size).toBeGreaterThan(0);
  });

  await test.step('the history lists the commits, newest first', async () => {
    const history = versions.getByRole('list', { name: 'Versions of the site, newest first' });
    await expect(history.getByRole('listitem').first()).toBeVisible();
    expect(await history.getByRole('listitem').count()).toBeGreaterThan(1);
  });

  await test.step('a snapshot is saved, then rolled back to after confirming', async () => {
    await versions.getByLabel('Snapshot name').fill('Launch version');
    await versions.getByRole('button', { name: 'Save a snapshot' }).click();
    const snapshots = versions.getByRole('list', { name: 'Snapshots, newest first' });
    await expect(snapshots.getByText('Launch version', { exact: true })).toBeVisible();
    await expect(versions.getByLabel('Snapshot name')).toHaveValue('');

    await snapshots.getByRole('button', { name: 'Roll back to Launch version' }).click();
    const dialog = page.getByRole('dialog', { name: 'Roll back to this snapshot?' });
    await expect(dialog).toBeVisible();
    await expect(dialog).toContainText('The site files and the board go back to how they were');
    await expect(dialog).toContainText('saved first as an automatic snapshot');
    await page.screenshot({ path: testInfo.outputPath('rollback-dialog.png') });
    expect(await seriousViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Roll back to Launch version' }).click();
    await expect(dialog).toBeHidden();
    await expect(versions.getByRole('status')).toContainText('Rolled back to “Launch version”');
    // The state before the rollback is the newest snapshot now, an automatic one.
    await expect(snapshots.getByRole('listitem').first()).toContainText('Automatic');
    // The rollback rewrote the files: the preview loads again and still shows the site.
    const site = page.frameLocator('iframe[title="Preview of the site"]');
    await expect(site.locator('h1').first()).toContainText("Maria's Pizzeria");
  });

  await test.step('gates show their criteria, passed', async () => {
    const panel = await openInsights(page, 'Gates');
    const brief = panel.getByTestId('gate').filter({ hasText: 'Business brief confirmed' });
    await expect(brief).toHaveAttribute('data-status', 'passed');
    await expect(brief).toContainText('Passed');
    await expect(brief.locator('.criterion-passed').first()).toContainText('✓');
    await expect(panel.locator('.criterion-failed')).toHaveCount(0);
    const gates = panel.getByTestId('gate');
    expect(await gates.count()).toBe(completed.gates.length);
  });

  await test.step('the tabs follow the keyboard', async () => {
    await insightsTab(page, 'Gates').focus();
    await page.keyboard.press('ArrowRight');
    await expect(insightsTab(page, 'Alarms')).toBeFocused();
    await expect(insightsTab(page, 'Alarms')).toHaveAttribute('aria-selected', 'true');
    await page.keyboard.press('End');
    await expect(insightsTab(page, 'Timeline')).toHaveAttribute('aria-selected', 'true');
    await page.keyboard.press('ArrowRight');
    await expect(insightsTab(page, 'Gates')).toHaveAttribute('aria-selected', 'true');
  });

  await test.step('spend shows $0 of the $1 cap and the demo worker per model', async () => {
    const panel = await openInsights(page, 'Spend');
    await expect(panel.getByTestId('spend-total')).toHaveText('$0.00 of $1.00');
    await expect(panel.getByRole('progressbar', { name: 'Spending cap used' })).toHaveAttribute(
      'aria-valuenow',
      '0',
    );
    const demoRow = panel.getByTestId('spend-model').filter({ hasText: 'demo' });
    await expect(demoRow).toHaveCount(1);
    await expect(demoRow.locator('td').first()).toHaveText(/^[1-9]\d*$/);
    await page.screenshot({ path: testInfo.outputPath('insights-spend.png'), fullPage: true });
    await page
      .getByRole('region', { name: 'Insights' })
      .screenshot({ path: testInfo.outputPath('panel-spend.png') });
    expect(await seriousViolations(page)).toEqual([]);
  });

  await test.step('LLM calls: none, since the demo worker runs without a model', async () => {
    const panel = await openInsights(page, 'LLM calls');
    await expect(panel.getByText('No model calls yet — the demo worker runs without a model')).toBeVisible();
  });

  await test.step('the timeline lists the events newest first, and the activity lines', async () => {
    const panel = await openInsights(page, 'Timeline');
    const events = panel.getByTestId('timeline-event');
    expect(await events.count()).toBeGreaterThan(20);
    await expect(events.first()).not.toContainText('Project created');
    await expect(panel.getByTestId('timeline-event').filter({ hasText: 'Project created' })).toHaveCount(
      (await events.count()) >= 200 ? 0 : 1,
    );
    await expect(panel.getByText('Rolled back', { exact: true })).toBeVisible();
    await page.screenshot({ path: testInfo.outputPath('insights-timeline.png'), fullPage: true });
    await page
      .getByRole('region', { name: 'Insights' })
      .screenshot({ path: testInfo.outputPath('panel-timeline.png') });
    expect(await seriousViolations(page)).toEqual([]);
  });

  await test.step('dark mode has no serious accessibility violations either', async () => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await openInsights(page, 'Gates');
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await page.screenshot({ path: testInfo.outputPath('site-dark.png'), fullPage: true });
    await page
      .getByRole('region', { name: 'Insights' })
      .screenshot({ path: testInfo.outputPath('panel-gates-dark.png') });
    await versions.screenshot({ path: testInfo.outputPath('panel-versions-dark.png') });
    expect(await seriousViolations(page)).toEqual([]);
    await page.emulateMedia({ colorScheme: 'light' });
  });

  await test.step('at 360 px the site tab fits the screen without sideways scrolling', async () => {
    await page.setViewportSize({ width: 360, height: 780 });
    await page.getByRole('tab', { name: 'Site' }).click();
    await expect(preview).toBeVisible();
    await openInsights(page, 'Spend');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: testInfo.outputPath('site-360.png'), fullPage: true });
    await preview.screenshot({ path: testInfo.outputPath('panel-preview-360.png') });
    await page
      .getByRole('region', { name: 'Insights' })
      .screenshot({ path: testInfo.outputPath('panel-spend-360.png') });
    expect(await seriousViolations(page)).toEqual([]);
  });

  await test.step('a rewind to the mockup approval marks later events rewound and empties the preview', async () => {
    const log = EventPage.parse(
      await (await page.request.get(`/api/projects/${projectId}/events?limit=1000`)).json(),
    );
    const approval = log.events.findLast((event) => {
      const payload = event.payload as { kind?: string; subject?: string };
      return event.type === 'pending_opened' && payload.kind === 'approval' && payload.subject === 'mockup';
    });
    expect(approval).toBeDefined();
    const rewound = await page.request.post(`/api/projects/${projectId}/rewind`, {
      data: { seq: approval?.seq },
      headers: { origin },
    });
    expect(rewound.status()).toBe(200);
    await expect(preview.getByText('The preview appears once the first page is built.')).toBeVisible();
    await expect(preview.getByRole('link', { name: 'Download ZIP' })).toHaveCount(0);
    const panel = await openInsights(page, 'Timeline');
    await expect(panel.getByTestId('timeline-event').first()).toContainText('Rewound');
    await expect(panel.getByTestId('timeline-event').filter({ hasText: 'rewound' }).first()).toBeVisible();
    await panel.screenshot({ path: testInfo.outputPath('panel-timeline-rewound.png') });
  });
});

// A demo run makes no model calls and raises no alarms: the API's answers for those two views are
// produced at the browser's network edge, in the contract's shapes, to see how the panel shows them.
test('model calls open a readable request and response; unpriced spend and alarms read plainly', async ({
  page,
  baseURL,
}, testInfo) => {
  const origin = baseURL as string;
  await signIn(page, '/');
  const created = await page.request.post('/api/projects', {
    data: { name: 'Operator view' },
    headers: { origin },
  });
  const projectId = ProjectDetail.parse(await created.json()).project.id;
  const now = new Date().toISOString();
  const call: LlmCall = {
    id: randomUUID(),
    provider: 'openrouter',
    model: 'anthropic/claude-sonnet-4',
    role: 'code',
    attempt: 2,
    isFallback: true,
    status: 'ok',
    request: {
      system: 'You build small-business websites.',
      messages: [{ role: 'user', content: 'Build the menu page' }],
    },
    response: { content: [{ type: 'text', text: 'Writing menu/index.html' }] },
    error: null,
    inputTokens: 12_400,
    outputTokens: 830,
    cacheReadTokens: 9_000,
    cacheWriteTokens: 0,
    costUsd: null,
    latencyMs: 2_340,
    atSeq: 12,
    createdAt: now,
  };
  const spend: Spend = {
    spentUsd: 0.21,
    reservedUsd: 0,
    capUsd: 1,
    remainingUsd: 0.79,
    capPercent: 21,
    calls: 4,
    fallbackCalls: 1,
    unpricedCalls: 1,
    byModel: [
      { ...modelSpend('anthropic', 'claude-sonnet-4'), costUsd: 0.21, calls: 3 },
      {
        ...modelSpend('openrouter', 'anthropic/claude-sonnet-4'),
        calls: 1,
        fallbackCalls: 1,
        unpricedCalls: 1,
      },
    ],
    loops: { detected: 1, costUsd: 0.04 },
    daily: { spentUsd: 0.5, capUsd: 5 },
  };
  const alarm = (severity: Alarm['severity'], message: string, status: Alarm['status']): Alarm => ({
    id: randomUUID(),
    type: 'test',
    severity,
    status,
    message,
    context: {},
    recommendedAction: `Recommended for ${message}`,
    raisedSeq: 3,
    resolvedSeq: status === 'resolved' ? 4 : null,
    createdAt: now,
    resolvedAt: status === 'resolved' ? now : null,
  });
  const alarms = [
    alarm('warning', 'Slow model answers', 'open'),
    alarm('critical', 'Spending cap reached', 'open'),
    alarm('error', 'Old failure', 'resolved'),
  ];
  await page.route(`**/api/projects/${projectId}/llm-calls*`, (route) =>
    route.fulfill({ json: { calls: [call] } }),
  );
  await page.route(`**/api/projects/${projectId}/spend`, (route) => route.fulfill({ json: spend }));
  await page.route(`**/api/projects/${projectId}/alarms*`, (route) => route.fulfill({ json: { alarms } }));
  await page.goto(`/projects/${projectId}`);

  const calls = await openInsights(page, 'LLM calls');
  const row = calls.getByTestId('llm-call');
  await expect(row).toContainText('anthropic/claude-sonnet-4');
  await expect(row).toContainText('fallback');
  await expect(row).toContainText('unknown price');
  await row.getByRole('button', { name: 'View the anthropic/claude-sonnet-4 call' }).click();
  const dialog = page.getByRole('dialog', { name: 'Model call: anthropic/claude-sonnet-4' });
  await expect(dialog).toContainText('"content": "Build the menu page"');
  await expect(dialog).toContainText('"text": "Writing menu/index.html"');
  await expect(dialog).toContainText('12,400 in');
  await page.screenshot({ path: testInfo.outputPath('llm-call-dialog.png') });
  expect(await seriousViolations(page)).toEqual([]);
  await dialog.getByRole('button', { name: 'Close' }).click();

  const spendPanel = await openInsights(page, 'Spend');
  await expect(spendPanel.getByTestId('spend-total')).toHaveText('$0.21 of $1.00');
  const unpriced = spendPanel.getByTestId('spend-model').filter({ hasText: 'openrouter' });
  await expect(unpriced.locator('td').last()).toHaveText('unknown price');
  await expect(unpriced).toContainText('fallback ×1');
  await expect(spendPanel).toContainText('1, costing $0.04');
  await expect(spendPanel).toContainText('$0.50 of $5.00');

  const alarmPanel = await openInsights(page, 'Alarms');
  const headings = alarmPanel.getByRole('heading', { level: 3 });
  await expect(headings).toHaveText(['Critical (1)', 'Warnings (1)']);
  await expect(alarmPanel.getByTestId('alarm').first()).toContainText('Recommended for Spending cap reached');
  const resolved = alarmPanel.getByTestId('alarm').filter({ hasText: 'Old failure' });
  await expect(resolved).toBeHidden();
  await alarmPanel.getByText('Resolved (1)').click();
  await expect(resolved).toBeVisible();
  await expect(resolved).toContainText('resolved');
  await page.screenshot({ path: testInfo.outputPath('insights-alarms.png'), fullPage: true });
  expect(await seriousViolations(page)).toEqual([]);
});

function modelSpend(provider: string, model: string): ModelSpend {
  return {
    provider,
    model,
    costUsd: 0,
    calls: 0,
    fallbackCalls: 0,
    unpricedCalls: 0,
    inputTokens: 1000,
    outputTokens: 200,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
  };
}
