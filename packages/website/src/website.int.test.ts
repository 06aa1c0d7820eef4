/**
 * The whole journey on the demo worker, through the engine: an empty project to a completed site,
 * then a bug report reproduced, fixed and resolved — with the site checked against the quality bar.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gates, pendings, projects, users } from '@sitewright/db';
import { createTestDb, type TestDb } from '@sitewright/db/testing';
import { createEngine, createItems, type Engine, getStats, listItems, saveSpec } from '@sitewright/engine';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrowserPool, createBrowserPool } from './browser/pool.ts';
import { createDemoWorker } from './demo/worker.ts';
import { websiteDomain } from './domain.ts';
import { checkIntent } from './intent/check.ts';
import { projectPaths } from './paths.ts';
import { pizzeriaBrief } from './testing/briefs.ts';
import { ownerAnswer } from './testing/owner.ts';
import { validateSite } from './validate/index.ts';

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let handle: TestDb;
let dataDir: string;
let pool: BrowserPool;
let engine: Engine;
let ownerId: string;

beforeAll(async () => {
  handle = await createTestDb();
  dataDir = mkdtempSync(join(tmpdir(), 'sitewright-website-'));
  pool = createBrowserPool({ chromiumPath });
  const domain = websiteDomain({
    db: handle.db,
    dataDir,
    publicBaseUrl: (projectId) => `https://sites.sitewright.test/${projectId}`,
    browserPool: pool,
  });
  engine = createEngine({
    db: handle.db,
    domain,
    workerFor: () => createDemoWorker(),
    limits: { turnCap: 1_000, spendCapUsd: null },
  });
  const [owner] = await handle.db.insert(users).values({ username: 'maria', passwordHash: 'x' }).returning();
  ownerId = owner!.id;
});

afterAll(async () => {
  await pool?.close();
  await handle?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function openPendings(projectId: string) {
  return handle.db
    .select()
    .from(pendings)
    .where(and(eq(pendings.projectId, projectId), eq(pendings.status, 'open')));
}

/** Runs the project until it completes, answering as the owner of the pizzeria would. */
async function driveToCompletion(projectId: string): Promise<void> {
  for (let round = 0; round < 200; round++) {
    const outcome = await engine.runUntilPause(projectId);
    if (outcome.status === 'completed') return;
    if (outcome.status !== 'awaiting_human') {
      const [row] = await handle.db.select().from(projects).where(eq(projects.id, projectId));
      const alarms = await handle.db.query.alarms.findMany({
        where: (a, { eq: equals }) => equals(a.projectId, projectId),
      });
      throw new Error(
        `run stopped: ${outcome.status} (${row?.pausedReason}); alarms: ${alarms.map((a) => a.message).join(' | ')}`,
      );
    }
    for (const pending of await openPendings(projectId)) {
      if (pending.kind === 'approval') {
        await engine.answer(projectId, { pendingId: pending.id, approved: true });
        continue;
      }
      const answer = ownerAnswer(pizzeriaBrief, pending.question ?? '');
      if (answer === null) {
        const items = await listItems(handle.db, projectId);
        const failing = items
          .filter((item) => item.lastError)
          .map((item) => `${item.name}: ${item.lastError}`);
        throw new Error(`unexpected question: ${pending.question}\n${failing.join('\n')}`);
      }
      await engine.answer(projectId, { pendingId: pending.id, answer });
    }
  }
  throw new Error('the project did not complete');
}

function sitePages(siteDir: string, paths: string[]) {
  return paths.map((path) => ({ path, content: readFileSync(join(siteDir, path), 'utf8') }));
}

describe('a website built by the demo worker through the engine', () => {
  it('goes from an empty project to a completed, valid, honest site — and fixes a reported bug', async () => {
    const { id } = await engine.createProject({ ownerId, name: "Maria's Pizzeria" });
    await driveToCompletion(id);

    const siteDir = projectPaths(dataDir).siteDir(id);
    const validation = await validateSite(siteDir);
    expect(validation.problems.filter((problem) => problem.severity === 'error')).toEqual([]);
    const pages = sitePages(siteDir, validation.pages);
    expect(pages.length).toBeGreaterThanOrEqual(4);
    const [project] = await handle.db.select().from(projects).where(eq(projects.id, id));
    const intent = checkIntent(project!.brief as never, pages);
    expect(intent.criteria.filter((criterion) => !criterion.passed)).toEqual([]);
    const gateRows = await handle.db.select().from(gates).where(eq(gates.projectId, id));
    const gateStatus = Object.fromEntries(gateRows.map((gate) => [gate.name, gate.status]));
    expect(gateStatus).toMatchObject({
      business_brief_confirmed: 'passed',
      mockup_renders: 'passed',
      mockup_approved: 'passed',
      features_passing: 'passed',
      site_valid: 'passed',
      seo_artifacts_present: 'passed',
      intent_match: 'passed',
    });
    expect((await getStats(handle.db, id)).percent).toBe(100);

    // The owner spots a wrong phone number in the footer of the about page and reports it.
    const aboutFile = join(siteDir, 'about', 'index.html');
    const original = readFileSync(aboutFile, 'utf8');
    writeFileSync(aboutFile, original.replaceAll(pizzeriaBrief.contact.phone!, '0113 496 0999'));
    await handle.db.transaction((tx) =>
      createItems(tx, id, [
        {
          itemType: 'bug',
          name: 'The phone number in the footer is wrong',
          description: 'The about page shows a different number from ours.',
          stepsToReproduce: ['Open the about page', 'Look at the phone number in the footer'],
          page: '/about/',
        },
      ]),
    );
    await engine.start(id);
    await driveToCompletion(id);

    const items = await listItems(handle.db, id);
    const bug = items.find((item) => item.itemType === 'bug');
    const fixes = items.filter((item) => item.itemType === 'fix');
    expect(bug).toMatchObject({ bugStatus: 'resolved' });
    expect(fixes.length).toBeGreaterThan(0);
    expect(fixes.every((fix) => fix.status === 'passing' && fix.parentBugId === bug!.id)).toBe(true);
    expect(readFileSync(aboutFile, 'utf8')).toContain(pizzeriaBrief.contact.phone!);
    expect(readFileSync(aboutFile, 'utf8')).not.toContain('0113 496 0999');

    // A new spec re-enters the flow at planning; designing new content is beyond the demo worker,
    // and it says so plainly instead of pretending.
    await handle.db.transaction((tx) =>
      saveSpec(tx, id, {
        name: 'Catering',
        content: 'Add a catering page: we cater office lunches for 10 to 50 people.',
      }),
    );
    await engine.start(id);
    expect((await engine.runUntilPause(id)).status).toBe('awaiting_human');
    const [question] = await openPendings(id);
    expect(question?.question).toMatch(/“Catering” needs new content .* the demo worker cannot do honestly/);
    const catering = (await listItems(handle.db, id)).find((item) => item.name === 'Catering');
    expect(catering).toMatchObject({ sourceSpec: 'Catering', status: 'in_progress' });
  }, 240_000);
});
