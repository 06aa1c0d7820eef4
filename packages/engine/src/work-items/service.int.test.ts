import { events as eventsTable, projects, users } from '@sitewright/db';
import { createTestDb, resetTestDb, type TestDb } from '@sitewright/db/testing';
import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EngineError } from '../errors.ts';
import type { Tx } from '../events/log.ts';
import { acquireLease } from '../leases.ts';
import { rebuildProjections, verifyProjections } from '../projections/rebuild.ts';
import type { NewWorkItem, WorkItem } from './schemas.ts';
import {
  addDependency,
  claimItem,
  claimNext,
  createItems,
  deleteItem,
  getBoard,
  getBugStatus,
  getForRegression,
  getItem,
  getNext,
  getStats,
  listItems,
  listSpecs,
  markFailing,
  markNeedsReview,
  markPassing,
  reclaimStale,
  removeDependency,
  reprioritiseItem,
  resolveBug,
  saveSpec,
  skipItem,
  startBugAnalysis,
} from './service.ts';

let handle: TestDb;
let projectId: string;

beforeAll(async () => {
  handle = await createTestDb();
});
afterAll(async () => {
  await handle.close();
});
beforeEach(async () => {
  await resetTestDb(handle);
  const [owner] = await handle.db.insert(users).values({ username: 'owner', passwordHash: 'x' }).returning();
  const [project] = await handle.db
    .insert(projects)
    .values({ ownerId: owner!.id, name: 'Pizzeria' })
    .returning();
  projectId = project!.id;
});

const evidence = {
  checks: [{ name: 'page loads', passed: true }],
  screenshot: 'shots/home.png',
  commit: 'abc123',
};

function inTx<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
  return handle.db.transaction(work);
}

async function create(...items: NewWorkItem[]): Promise<WorkItem[]> {
  return (await inTx((tx) => createItems(tx, projectId, items))).items;
}

function named(items: WorkItem[], name: string): WorkItem {
  const item = items.find((candidate) => candidate.name === name);
  if (!item) throw new Error(`no item named ${name}`);
  return item;
}

async function pass(itemId: number) {
  return inTx((tx) => markPassing(tx, projectId, itemId, evidence));
}

async function nextName(): Promise<string | null> {
  return (await getNext(handle.db, projectId))?.name ?? null;
}

async function eventTypes(): Promise<string[]> {
  const rows = await handle.db
    .select({ type: eventsTable.type })
    .from(eventsTable)
    .where(eq(eventsTable.projectId, projectId))
    .orderBy(asc(eventsTable.seq));
  return rows.map((row) => row.type);
}

async function expectRule(promise: Promise<unknown>, message: string | RegExp) {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(EngineError);
  expect((error as EngineError).code).toBe('rule_violation');
  if (typeof message === 'string') expect((error as EngineError).message).toContain(message);
  else expect((error as EngineError).message).toMatch(message);
}

describe('creating items', () => {
  it('records the allocated id and the full item in the event, and projects it', async () => {
    const [home] = await create({
      name: 'Home',
      description: 'The home page',
      steps: ['loads', 'has a hero'],
    });
    const [menu] = await create({
      name: 'Menu',
      dependencies: [home!.id],
      category: 'page',
      layer: 1,
      priority: 5,
    });
    expect(menu).toMatchObject({
      itemType: 'feature',
      status: 'pending',
      dependencies: [home!.id],
      category: 'page',
      layer: 1,
      priority: 5,
      queueOrder: 0,
      attempts: 0,
    });
    const [event] = await handle.db
      .select()
      .from(eventsTable)
      .where(and(eq(eventsTable.projectId, projectId), eq(eventsTable.seq, 2)));
    expect(event?.type).toBe('work_item_created');
    expect(event?.payload).toMatchObject({
      id: menu!.id,
      name: 'Menu',
      dependencies: [home!.id],
      bugStatus: null,
    });
    expect(home!.id).toBeLessThan(menu!.id);
  });

  it('resolves dependencies by name within the batch and on stored items, creating dependencies first', async () => {
    const [home] = await create({ name: 'Home' });
    const batch = await create(
      { name: 'Order online', dependencies: ['Menu', 'Contact'] },
      { name: 'Menu', dependencies: ['Home'] },
      { name: 'Contact', dependencies: [home!.id] },
    );
    const menu = named(batch, 'Menu');
    const contact = named(batch, 'Contact');
    const order = named(batch, 'Order online');
    expect(menu.dependencies).toEqual([home!.id]);
    expect(order.dependencies.sort()).toEqual([menu.id, contact.id].sort());
    // Ids follow the dependency order, so "Order online" (listed first) gets the last id.
    expect(order.id).toBeGreaterThan(menu.id);
    expect(order.id).toBeGreaterThan(contact.id);
  });

  it('rejects a cycle in a batch, naming it, and writes nothing', async () => {
    await expectRule(
      create(
        { name: 'Home', dependencies: ['Menu'] },
        { name: 'Menu', dependencies: ['Home'] },
        { name: 'Contact' },
      ),
      'These dependencies form a cycle: Home → Menu → Home.',
    );
    await expectRule(create({ name: 'Home', dependencies: ['Home'] }), '"Home" cannot depend on itself.');
    expect(await listItems(handle.db, projectId)).toEqual([]);
    expect(await eventTypes()).toEqual([]);
  });

  it('rejects unknown dependencies, ambiguous names, duplicate names and more than 20 dependencies', async () => {
    await expectRule(
      create({ name: 'Menu', dependencies: [999] }),
      '"Menu" depends on #999, which does not exist',
    );
    await expectRule(
      create({ name: 'Menu', dependencies: ['Hero'] }),
      '"Menu" depends on "Hero", which is neither in this batch nor in the project.',
    );
    await expectRule(create({ name: 'A' }, { name: 'A' }), 'Two items in this batch are named "A"');
    await create({ name: 'Twin' });
    await create({ name: 'Twin' });
    await expectRule(create({ name: 'Menu', dependencies: ['Twin'] }), 'several items have that name');

    const many = await create(...Array.from({ length: 21 }, (_, i) => ({ name: `Section ${i + 1}` })));
    const ids = many.map((item) => item.id);
    await expectRule(
      create({ name: 'Page', dependencies: ids }),
      '"Page" has 21 dependencies; at most 20 are allowed.',
    );
    const [page] = await create({ name: 'Page', dependencies: ids.slice(0, 20) });
    expect(page!.dependencies).toHaveLength(20);
    await expectRule(
      inTx((tx) => addDependency(tx, projectId, page!.id, ids[20]!)),
      'already has 20 dependencies; at most 20 are allowed.',
    );
  });

  it('splits items with 10 or more steps into chained parts of at most 9 steps', async () => {
    const steps = (n: number) => Array.from({ length: n }, (_, i) => `step ${i + 1}`);
    const [base] = await create({ name: 'Base' });
    const batch = await create(
      { name: 'Menu', steps: steps(19), dependencies: [base!.id] },
      { name: 'Order', dependencies: ['Menu'] },
      { name: 'Footer', steps: steps(9) },
      { name: 'Hours', steps: steps(10) },
    );
    expect(batch.map((item) => item.name)).toEqual([
      'Menu (part 1/3)',
      'Menu (part 2/3)',
      'Menu (part 3/3)',
      'Order',
      'Footer',
      'Hours (part 1/2)',
      'Hours (part 2/2)',
    ]);
    const part = (name: string) => named(batch, name);
    expect(part('Menu (part 1/3)').steps).toEqual(steps(7));
    expect(part('Menu (part 3/3)').steps).toEqual(steps(19).slice(14));
    expect(part('Hours (part 1/2)').steps).toHaveLength(5);
    expect(part('Footer').steps).toHaveLength(9);
    expect(part('Menu (part 1/3)').dependencies).toEqual([base!.id]);
    expect(part('Menu (part 2/3)').dependencies).toEqual([part('Menu (part 1/3)').id]);
    expect(part('Menu (part 3/3)').dependencies).toEqual([part('Menu (part 2/3)').id]);
    expect(part('Order').dependencies).toEqual([part('Menu (part 3/3)').id]);
    expect(part('Hours (part 2/2)').dependencies).toEqual([part('Hours (part 1/2)').id]);
    // Later batches refer to a split item by its name too, meaning its last part.
    const [checkout] = await create({ name: 'Checkout', dependencies: ['Menu', 'Hours'] });
    expect(checkout!.dependencies).toEqual([part('Menu (part 3/3)').id, part('Hours (part 2/2)').id]);
  });

  it('validates item kinds: fixes need a bug, only fixes link to one, specs must exist', async () => {
    const [feature] = await create({ name: 'Home' });
    await expectRule(create({ itemType: 'fix', name: 'Fix' }), 'needs parentBugId');
    await expectRule(
      create({ itemType: 'fix', name: 'Fix', parentBugId: feature!.id }),
      'there is no such bug',
    );
    await expectRule(create({ name: 'Menu', parentBugId: feature!.id }), 'only fixes link to a bug');
    await expectRule(create({ name: 'Menu', sourceSpec: 'catering' }), 'names the spec "catering"');
    await expectRule(create({ name: '  ' }), /Invalid work items: 0\.name/);
  });
});

describe('the queue', () => {
  it('orders open bugs, then fixes, then features by layer, priority and id, honouring dependencies', async () => {
    await create(
      { name: 'Polish', layer: 2, priority: 1 },
      { name: 'Home', priority: 50 },
      { name: 'Menu', priority: 1, dependencies: ['Home'] },
      { name: 'Header', priority: 50 },
      { name: 'About', layer: 1, priority: 1 },
    );
    expect(await nextName()).toBe('Home');

    const [bug] = await create({
      itemType: 'bug',
      name: 'Phone number wrong',
      stepsToReproduce: ['open the footer'],
      page: '/',
    });
    expect(bug).toMatchObject({ priority: 0, bugStatus: 'open' });
    expect(await nextName()).toBe('Phone number wrong');
    await inTx((tx) => claimItem(tx, projectId, bug!.id, 'runner-a'));
    expect((await getItem(handle.db, projectId, bug!.id)).bugStatus).toBe('analyzing');
    expect(await nextName()).toBe('Home');

    const [fix] = await create({
      itemType: 'fix',
      name: 'Correct the phone',
      parentBugId: bug!.id,
      steps: ['footer'],
    });
    expect(await nextName()).toBe('Correct the phone');
    await pass(fix!.id);

    const order: string[] = [];
    for (let name = await nextName(); name; name = await nextName()) {
      order.push(name);
      const items = await listItems(handle.db, projectId);
      await pass(named(items, name).id);
    }
    expect(order).toEqual(['Home', 'Menu', 'Header', 'About', 'Polish']);
  });

  it('leaves in-progress, needs-review and blocked items, and retries failing ones until blocked', async () => {
    const [a, b, c] = await create({ name: 'A' }, { name: 'B' }, { name: 'C' });
    await inTx((tx) => claimItem(tx, projectId, a!.id, 'runner-a'));
    await inTx((tx) =>
      markNeedsReview(tx, projectId, b!.id, { evidence: { checks: [{ name: 'x', passed: true }] } }),
    );
    expect(await nextName()).toBe('C');
    await inTx((tx) => claimItem(tx, projectId, c!.id, 'runner-a'));
    await inTx((tx) => markFailing(tx, projectId, c!.id, 'the button does nothing'));
    expect(await getItem(handle.db, projectId, c!.id)).toMatchObject({
      status: 'failing',
      attempts: 1,
      claimedBy: null,
    });
    expect(await nextName()).toBe('C');
    await inTx((tx) => markFailing(tx, projectId, c!.id, 'still nothing'));
    await inTx((tx) => markFailing(tx, projectId, c!.id, 'still nothing'));
    expect(await getItem(handle.db, projectId, c!.id)).toMatchObject({
      attempts: 3,
      lastError: 'still nothing',
    });
    expect(await nextName()).toBeNull();
    expect((await getNext(handle.db, projectId, { maxAttempts: 5 }))?.name).toBe('C');
  });

  it('skips an item to the end of the queue, releasing its claim; repeating the skip changes nothing', async () => {
    const [a, b] = await create({ name: 'A', layer: 0 }, { name: 'B', layer: 3, priority: 900 });
    await inTx((tx) => claimItem(tx, projectId, a!.id, 'runner-a'));
    const skipped = await inTx((tx) => skipItem(tx, projectId, a!.id));
    expect(skipped.item).toMatchObject({ status: 'pending', claimedBy: null, queueOrder: 1 });
    expect(await nextName()).toBe('B');
    const again = await inTx((tx) => skipItem(tx, projectId, a!.id));
    expect(again.events).toEqual([]);
    await inTx((tx) => skipItem(tx, projectId, b!.id));
    expect((await getItem(handle.db, projectId, b!.id)).queueOrder).toBe(2);
    expect(await nextName()).toBe('A');
    await pass(a!.id);
    await expectRule(
      inTx((tx) => skipItem(tx, projectId, a!.id)),
      'already passing',
    );
  });
});

describe('reprioritising', () => {
  it('reorders the queue by the new priority, records it as an event, and repeats harmlessly', async () => {
    const [a, b, c] = await create({ name: 'A' }, { name: 'B' }, { name: 'C', layer: 1, priority: 0 });
    expect(await nextName()).toBe('A');
    const { item, events } = await inTx((tx) => reprioritiseItem(tx, projectId, b!.id, 5));
    expect(item).toMatchObject({ id: b!.id, priority: 5, status: 'pending' });
    expect(events.map((event) => [event.type, event.payload])).toEqual([
      ['work_item_reprioritised', { itemId: b!.id, priority: 5 }],
    ]);
    expect(await nextName()).toBe('B');
    expect((await getBoard(handle.db, projectId)).lanes.ready.map((i) => i.name)).toEqual(['B', 'A', 'C']);

    // Priority ranks inside a layer: a later layer stays later however urgent.
    await inTx((tx) => reprioritiseItem(tx, projectId, a!.id, 0));
    await inTx((tx) => reprioritiseItem(tx, projectId, c!.id, 0));
    expect((await getBoard(handle.db, projectId)).lanes.ready.map((i) => i.name)).toEqual(['A', 'B', 'C']);

    const again = await inTx((tx) => reprioritiseItem(tx, projectId, a!.id, 0));
    expect(again.events).toEqual([]);
    expect(await verifyProjections(handle.db, projectId)).toEqual({ ok: true, differences: [] });
  });

  it('refuses priorities out of range, bugs and unknown items, writing nothing', async () => {
    const [item] = await create({ name: 'Home' });
    const [bug] = await create({ itemType: 'bug', name: 'Wrong phone' });
    const before = await eventTypes();
    for (const priority of [-1, 10_001, 1.5, Number.NaN]) {
      await expectRule(
        inTx((tx) => reprioritiseItem(tx, projectId, item!.id, priority)),
        'whole number from 0 (first) to 10000',
      );
    }
    await expectRule(
      inTx((tx) => reprioritiseItem(tx, projectId, bug!.id, 3)),
      'always goes first',
    );
    const missing = await inTx((tx) => reprioritiseItem(tx, projectId, 999_999, 3)).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(EngineError);
    expect((missing as EngineError).code).toBe('not_found');
    expect(await eventTypes()).toEqual(before);
    expect((await getItem(handle.db, projectId, item!.id)).priority).toBe(100);
  });
});

describe('claiming', () => {
  it('lets exactly one of two concurrent claims of the same item win', async () => {
    const [item] = await create({ name: 'Home' });
    const results = await Promise.allSettled([
      inTx((tx) => claimItem(tx, projectId, item!.id, 'runner-a')),
      inTx((tx) => claimItem(tx, projectId, item!.id, 'runner-b')),
    ]);
    const won = results.filter((result) => result.status === 'fulfilled');
    const lost = results.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0]!.reason).toMatchObject({ code: 'conflict' });
    expect((await eventTypes()).filter((type) => type === 'work_item_claimed')).toHaveLength(1);
    const stored = await getItem(handle.db, projectId, item!.id);
    expect(stored.status).toBe('in_progress');
    expect(['runner-a', 'runner-b']).toContain(stored.claimedBy);
  });

  it('never hands the same item to two concurrent claimNext calls', async () => {
    await create({ name: 'A' }, { name: 'B' });
    const results = await Promise.all(
      ['runner-a', 'runner-b', 'runner-c'].map((runner) => inTx((tx) => claimNext(tx, projectId, runner))),
    );
    const claimed = results.flatMap((result) => (result.item ? [result.item.name] : []));
    expect(claimed.sort()).toEqual(['A', 'B']);
    expect(results.filter((result) => result.item === null)).toHaveLength(1);
  });

  it('is idempotent for the same claimant, who holds one item at a time', async () => {
    const [a] = await create({ name: 'A' }, { name: 'B' });
    const first = await inTx((tx) => claimNext(tx, projectId, 'runner-a'));
    expect(first).toMatchObject({ alreadyClaimed: false, item: { id: a!.id, claimedBy: 'runner-a' } });
    const second = await inTx((tx) => claimNext(tx, projectId, 'runner-a'));
    expect(second).toMatchObject({ alreadyClaimed: true, item: { id: a!.id }, events: [] });
    const explicit = await inTx((tx) => claimItem(tx, projectId, a!.id, 'runner-a'));
    expect(explicit.alreadyClaimed).toBe(true);
    expect((await eventTypes()).filter((type) => type === 'work_item_claimed')).toHaveLength(1);
  });

  it('refuses items whose dependencies have not passed, and items that are done', async () => {
    const [home, menu] = await create({ name: 'Home' }, { name: 'Menu', dependencies: ['Home'] });
    await expectRule(
      inTx((tx) => claimItem(tx, projectId, menu!.id, 'runner-a')),
      `"Menu" (#${menu!.id}) is waiting for "Home" (#${home!.id}) (pending).`,
    );
    await pass(home!.id);
    await expectRule(
      inTx((tx) => claimItem(tx, projectId, home!.id, 'runner-a')),
      'is already passing',
    );
    await expect(inTx((tx) => claimItem(tx, projectId, 12345, 'runner-a'))).rejects.toMatchObject({
      code: 'not_found',
    });
  });

  it('reclaims items whose runner lost the lease, or claimed before a cutoff, keeping attempts', async () => {
    const [a, b] = await create({ name: 'A' }, { name: 'B' });
    await inTx((tx) => claimItem(tx, projectId, a!.id, 'runner-a'));
    await inTx((tx) => markFailing(tx, projectId, a!.id, 'timeout'));
    await inTx((tx) => claimItem(tx, projectId, a!.id, 'runner-a'));
    const lease = await acquireLease(handle.db, projectId, 'runner-b', 30_000);
    expect(lease).not.toBeNull();
    await inTx((tx) => claimItem(tx, projectId, b!.id, 'runner-b', { fencingToken: lease!.token }));

    const first = await inTx((tx) => reclaimStale(tx, projectId, { fencingToken: lease!.token }));
    expect(first.reclaimed.map((item) => item.name)).toEqual(['A']);
    expect(await getItem(handle.db, projectId, a!.id)).toMatchObject({
      status: 'pending',
      attempts: 1,
      claimedBy: null,
      lastError: 'timeout',
    });
    expect((await getItem(handle.db, projectId, b!.id)).status).toBe('in_progress');

    const later = new Date(Date.now() + 60_000);
    const second = await inTx((tx) =>
      reclaimStale(tx, projectId, { claimedBefore: later, whenRunnerLost: false }),
    );
    expect(second.reclaimed.map((item) => item.name)).toEqual(['B']);
    expect(await verifyProjections(handle.db, projectId)).toEqual({ ok: true, differences: [] });
  });

  it('refuses writes with a fencing token the runner no longer holds, writing nothing', async () => {
    const old = await acquireLease(handle.db, projectId, 'runner-a', 1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const current = await acquireLease(handle.db, projectId, 'runner-b', 30_000);
    expect(current!.token).toBeGreaterThan(old!.token);
    await expect(
      inTx((tx) => createItems(tx, projectId, [{ name: 'Home' }], { fencingToken: old!.token })),
    ).rejects.toMatchObject({ code: 'lease_lost' });
    expect(await listItems(handle.db, projectId)).toEqual([]);
    await inTx((tx) => createItems(tx, projectId, [{ name: 'Home' }], { fencingToken: current!.token }));
    expect(await listItems(handle.db, projectId)).toHaveLength(1);
  });
});

describe('passing and failing', () => {
  it('refuses to mark passing without evidence, with empty evidence, or with a failed check', async () => {
    const [item] = await create({ name: 'Home' });
    for (const bad of [
      undefined,
      null,
      'it works',
      [],
      {},
      { checks: [] },
      { screenshot: '' },
      { notes: null },
    ]) {
      await expectRule(
        inTx((tx) => markPassing(tx, projectId, item!.id, bad)),
        `"Home" (#${item!.id}) needs verification evidence`,
      );
    }
    await expectRule(
      inTx((tx) =>
        markPassing(tx, projectId, item!.id, {
          checks: [
            { name: 'loads', passed: true },
            { name: 'contrast', passed: false },
          ],
        }),
      ),
      'shows failing checks (contrast); mark it failing instead.',
    );
    expect((await getItem(handle.db, projectId, item!.id)).status).toBe('pending');
    expect(await eventTypes()).toEqual(['work_item_created']);

    const passed = await pass(item!.id);
    expect(passed.item).toMatchObject({ status: 'passing', evidence });
    expect(passed.item.passedAt).toBeInstanceOf(Date);
    const again = await pass(item!.id);
    expect(again.events).toEqual([]);
  });

  it('requires an error to mark failing', async () => {
    const [item] = await create({ name: 'Home' });
    await expectRule(
      inTx((tx) => markFailing(tx, projectId, item!.id, '  ')),
      'Say what failed',
    );
  });
});

describe('regression sample', () => {
  it('samples passing features and fixes only, deterministically for a given randomness', async () => {
    const items = await create(...Array.from({ length: 6 }, (_, i) => ({ name: `F${i + 1}` })));
    for (const item of items.slice(0, 5)) await pass(item.id);
    const [bug] = await create({ itemType: 'bug', name: 'Bug' });
    await inTx((tx) => resolveBug(tx, projectId, bug!.id, { evidence: { notes: 'not reproducible' } }));

    const sequence = (values: number[]) => {
      let index = 0;
      return () => values[index++ % values.length] as number;
    };
    const sample = await getForRegression(handle.db, projectId, 3, sequence([0.99, 0, 0.5]));
    // Fisher–Yates over [F1..F5]: 0.99 picks F5, 0 picks F2 (now at index 1), 0.5 picks among the last three.
    expect(sample.map((item) => item.name)).toEqual(['F5', 'F2', 'F4']);
    expect(await getForRegression(handle.db, projectId, 3, sequence([0.99, 0, 0.5]))).toEqual(sample);
    expect(await getForRegression(handle.db, projectId, 50)).toHaveLength(5);
    expect(await getForRegression(handle.db, projectId, 0)).toEqual([]);
  });
});

describe('the board', () => {
  it('puts items in lanes and bugs with their fixes', async () => {
    const batch = await create(
      { name: 'Done' },
      { name: 'Ready' },
      { name: 'Waiting', dependencies: ['Ready'] },
      { name: 'Building' },
      { name: 'Review' },
      { name: 'Broken' },
      { name: 'Behind broken', dependencies: ['Broken'] },
      { name: 'Exhausted' },
    );
    const id = (name: string) => named(batch, name).id;
    await pass(id('Done'));
    await inTx((tx) => claimItem(tx, projectId, id('Building'), 'runner-a'));
    await inTx((tx) => markNeedsReview(tx, projectId, id('Review')));
    await inTx((tx) => markFailing(tx, projectId, id('Broken'), 'layout breaks'));
    for (let i = 0; i < 3; i++) await inTx((tx) => markFailing(tx, projectId, id('Exhausted'), 'no'));
    const [bug] = await create({ itemType: 'bug', name: 'Phone wrong' });
    await create({ itemType: 'fix', name: 'Fix phone', parentBugId: bug!.id });

    const board = await getBoard(handle.db, projectId);
    const lanes = Object.fromEntries(
      Object.entries(board.lanes).map(([lane, items]) => [lane, items.map((item) => item.name)]),
    );
    expect(lanes).toEqual({
      backlog: ['Waiting'],
      ready: ['Fix phone', 'Ready', 'Broken'],
      in_progress: ['Building'],
      needs_review: ['Review'],
      done: ['Done'],
      blocked: ['Behind broken', 'Exhausted'],
    });
    expect(board.bugs).toHaveLength(1);
    expect(board.bugs[0]!.bug).toMatchObject({ name: 'Phone wrong', bugStatus: 'fixing' });
    expect(board.bugs[0]!.fixes.map((fix) => fix.name)).toEqual(['Fix phone']);

    const stats = await getStats(handle.db, projectId);
    expect(stats).toEqual({
      total: 9,
      passing: 1,
      percent: 11,
      byStatus: { pending: 4, in_progress: 1, needs_review: 1, passing: 1, failing: 2, skipped: 0 },
      bugs: { open: 0, analyzing: 0, fixing: 1, resolved: 0, total: 1 },
    });
  });
});

describe('dependencies', () => {
  it('adds and removes edges, idempotently, and rejects cycles naming them', async () => {
    const [home, menu, order] = await create(
      { name: 'Home' },
      { name: 'Menu', dependencies: ['Home'] },
      { name: 'Order', dependencies: ['Menu'] },
    );
    await expectRule(
      inTx((tx) => addDependency(tx, projectId, home!.id, order!.id)),
      'that would form a cycle Home → Order → Menu → Home.',
    );
    await expectRule(
      inTx((tx) => addDependency(tx, projectId, home!.id, home!.id)),
      'cannot depend on itself',
    );
    await expect(inTx((tx) => addDependency(tx, projectId, home!.id, 4242))).rejects.toMatchObject({
      code: 'not_found',
    });

    expect((await inTx((tx) => addDependency(tx, projectId, order!.id, home!.id))).added).toBe(true);
    expect((await inTx((tx) => addDependency(tx, projectId, order!.id, home!.id))).added).toBe(false);
    expect((await getItem(handle.db, projectId, order!.id)).dependencies).toEqual([home!.id, menu!.id]);
    expect((await inTx((tx) => removeDependency(tx, projectId, order!.id, menu!.id))).removed).toBe(true);
    expect((await inTx((tx) => removeDependency(tx, projectId, order!.id, menu!.id))).removed).toBe(false);
    expect((await getItem(handle.db, projectId, order!.id)).dependencies).toEqual([home!.id]);
  });

  it('two concurrent additions cannot close a cycle neither saw', async () => {
    const [a, b] = await create({ name: 'A' }, { name: 'B' });
    const results = await Promise.allSettled([
      inTx((tx) => addDependency(tx, projectId, a!.id, b!.id)),
      inTx((tx) => addDependency(tx, projectId, b!.id, a!.id)),
    ]);
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    const items = await listItems(handle.db, projectId);
    expect(items.flatMap((item) => item.dependencies)).toHaveLength(1);
  });
});

describe('the bug flow', () => {
  it('open → analyzing → fixing → resolved, refusing early resolution and resolving with the last fix', async () => {
    const [bug] = await create({
      itemType: 'bug',
      name: 'Phone wrong',
      stepsToReproduce: ['look at footer'],
    });
    await inTx((tx) => startBugAnalysis(tx, projectId, bug!.id));
    expect((await getItem(handle.db, projectId, bug!.id)).bugStatus).toBe('analyzing');
    expect((await inTx((tx) => startBugAnalysis(tx, projectId, bug!.id))).events).toEqual([]);
    await inTx((tx) => claimItem(tx, projectId, bug!.id, 'runner-a'));

    const fixes = await create(
      { itemType: 'fix', name: 'Fix footer phone', parentBugId: bug!.id },
      { itemType: 'fix', name: 'Fix contact phone', parentBugId: bug!.id },
    );
    expect(await getItem(handle.db, projectId, bug!.id)).toMatchObject({
      bugStatus: 'fixing',
      status: 'pending',
      claimedBy: null,
    });
    await expectRule(
      inTx((tx) => startBugAnalysis(tx, projectId, bug!.id)),
      'its analysis is over',
    );
    await expectRule(
      inTx((tx) => claimItem(tx, projectId, bug!.id, 'runner-a')),
      'work on its fixes instead',
    );
    await expectRule(
      inTx((tx) => markPassing(tx, projectId, bug!.id, evidence)),
      'is a bug',
    );

    const [footer, contact] = fixes;
    await pass(footer!.id);
    await expectRule(
      inTx((tx) => resolveBug(tx, projectId, bug!.id)),
      `Bug "Phone wrong" (#${bug!.id}) cannot be resolved yet: "Fix contact phone" (#${contact!.id}) is pending.`,
    );
    expect((await getBugStatus(handle.db, projectId, bug!.id)).waitingOn.map((fix) => fix.id)).toEqual([
      contact!.id,
    ]);

    const last = await pass(contact!.id);
    expect(last.resolvedBugId).toBe(bug!.id);
    // The fix passing and the bug resolving are events of the same append sequence, in one transaction.
    expect(last.events.map((event) => event.type)).toEqual([
      'work_item_status_changed',
      'bug_status_changed',
      'work_item_status_changed',
    ]);
    expect(await getItem(handle.db, projectId, bug!.id)).toMatchObject({
      bugStatus: 'resolved',
      status: 'passing',
      evidence: { fixes: [footer!.id, contact!.id] },
    });
    expect((await inTx((tx) => resolveBug(tx, projectId, bug!.id))).events).toEqual([]);

    // A fix that regresses reopens its bug; passing again resolves it again.
    await inTx((tx) => markFailing(tx, projectId, footer!.id, 'phone wrong again'));
    expect(await getItem(handle.db, projectId, bug!.id)).toMatchObject({
      bugStatus: 'fixing',
      status: 'pending',
    });
    await pass(footer!.id);
    expect((await getItem(handle.db, projectId, bug!.id)).bugStatus).toBe('resolved');
    expect(await verifyProjections(handle.db, projectId)).toEqual({ ok: true, differences: [] });
  });

  it('resolves a bug without fixes only with evidence, and re-evaluates a bug when a fix is deleted', async () => {
    const [first, second] = await create(
      { itemType: 'bug', name: 'Not a bug' },
      { itemType: 'bug', name: 'Typo' },
    );
    await expectRule(
      inTx((tx) => resolveBug(tx, projectId, first!.id)),
      'needs verification evidence',
    );
    await inTx((tx) => resolveBug(tx, projectId, first!.id, { evidence: { notes: 'works as designed' } }));
    expect((await getItem(handle.db, projectId, first!.id)).bugStatus).toBe('resolved');

    const [done, doomed] = await create(
      { itemType: 'fix', name: 'Fix typo', parentBugId: second!.id },
      { itemType: 'fix', name: 'Rewrite page', parentBugId: second!.id },
    );
    await pass(done!.id);
    expect((await getItem(handle.db, projectId, second!.id)).bugStatus).toBe('fixing');
    await inTx((tx) => deleteItem(tx, projectId, doomed!.id));
    expect((await getItem(handle.db, projectId, second!.id)).bugStatus).toBe('resolved');
    await inTx((tx) => deleteItem(tx, projectId, done!.id));
    // Resolved stays resolved: deleting a passing fix changes nothing the owner was told.
    expect((await getItem(handle.db, projectId, second!.id)).bugStatus).toBe('resolved');
  });
});

describe('specs', () => {
  it('saves, replaces by name, lists with item counts, and tags items', async () => {
    const first = await inTx((tx) => saveSpec(tx, projectId, { name: 'main', content: 'A pizzeria site' }));
    expect(first.spec).toMatchObject({ name: 'main', content: 'A pizzeria site' });
    expect(
      (await inTx((tx) => saveSpec(tx, projectId, { name: 'main', content: 'A pizzeria site' }))).events,
    ).toEqual([]);
    const updated = await inTx((tx) =>
      saveSpec(tx, projectId, { name: 'main', content: 'A pizzeria website' }),
    );
    expect(updated.spec.id).toBe(first.spec.id);
    await inTx((tx) => saveSpec(tx, projectId, { name: 'catering', content: 'Add a catering page' }));
    const [home] = await create({ name: 'Home', sourceSpec: 'main' }, { name: 'Menu', sourceSpec: 'main' });
    await create({ name: 'Catering', sourceSpec: 'catering' });
    await pass(home!.id);
    const specs = await listSpecs(handle.db, projectId);
    expect(specs.map(({ name, content, items, passing }) => ({ name, content, items, passing }))).toEqual([
      { name: 'catering', content: 'Add a catering page', items: 1, passing: 0 },
      { name: 'main', content: 'A pizzeria website', items: 2, passing: 1 },
    ]);
    await expectRule(
      inTx((tx) => saveSpec(tx, projectId, { name: '', content: 'x' })),
      'Invalid spec',
    );
  });
});

describe('projections', () => {
  it('equal a fold of the log after a busy sequence, and a rebuild restores them exactly', async () => {
    await inTx((tx) => saveSpec(tx, projectId, { name: 'main', content: 'v1' }));
    const batch = await create(
      { name: 'Home', sourceSpec: 'main', steps: Array.from({ length: 12 }, (_, i) => `s${i}`) },
      { name: 'Menu', dependencies: ['Home'], category: 'page' },
      { name: 'Contact', layer: 1 },
      { name: 'Gallery', priority: 3 },
    );
    const id = (name: string) => named(batch, name).id;
    await inTx((tx) => saveSpec(tx, projectId, { name: 'main', content: 'v2' }));
    await inTx((tx) => addDependency(tx, projectId, id('Contact'), id('Gallery')));
    await inTx((tx) => removeDependency(tx, projectId, id('Contact'), id('Gallery')));
    const claimed = await inTx((tx) => claimNext(tx, projectId, 'runner-a'));
    await inTx((tx) =>
      markFailing(tx, projectId, claimed.item!.id, 'broken', { evidence: { screenshot: 'fail.png' } }),
    );
    await inTx((tx) => skipItem(tx, projectId, claimed.item!.id));
    await inTx((tx) => reprioritiseItem(tx, projectId, id('Menu'), 7));
    const [bug] = await create({ itemType: 'bug', name: 'Bug', page: '/menu' });
    await inTx((tx) => claimNext(tx, projectId, 'runner-b'));
    const [fix] = await create({ itemType: 'fix', name: 'Fix', parentBugId: bug!.id });
    await inTx((tx) => claimNext(tx, projectId, 'runner-b'));
    await pass(fix!.id);
    await inTx((tx) => claimItem(tx, projectId, id('Gallery'), 'runner-c'));
    await inTx((tx) => reclaimStale(tx, projectId));
    await inTx((tx) => markNeedsReview(tx, projectId, id('Contact')));
    await inTx((tx) => deleteItem(tx, projectId, id('Contact')));
    await inTx(async (tx) => {
      // Several operations composed in one transaction.
      const [extra] = (await createItems(tx, projectId, [{ name: 'Extra' }])).items;
      await claimItem(tx, projectId, extra!.id, 'runner-d');
      await markPassing(tx, projectId, extra!.id, evidence);
    });

    expect(await verifyProjections(handle.db, projectId)).toEqual({ ok: true, differences: [] });
    const before = await listItems(handle.db, projectId);
    await inTx((tx) => rebuildProjections(tx, projectId));
    expect(await listItems(handle.db, projectId)).toEqual(before);
    expect(before.find((item) => item.name === 'Bug')).toMatchObject({
      bugStatus: 'resolved',
      status: 'passing',
    });
  });
});
