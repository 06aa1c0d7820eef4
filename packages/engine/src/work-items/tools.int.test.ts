import { projects, users } from '@sitewright/db';
import { createTestDb, resetTestDb, type TestDb } from '@sitewright/db/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DomainPack } from '../domain.ts';
import { createEngine } from '../engine.ts';
import { readEvents } from '../events/log.ts';
import type { StoredEvent } from '../events/types.ts';
import { acquireLease } from '../leases.ts';
import { verifyProjections } from '../projections/rebuild.ts';
import { memorySpendMeter, type Script, scriptedWorker } from '../testing/index.ts';
import type { ToolContext, ToolDefinition } from '../tools.ts';
import { getBoard, getItem, listItems } from './service.ts';
import { workItemToolNames, workItemTools } from './tools.ts';

let handle: TestDb;
let ownerId: string;

beforeAll(async () => {
  handle = await createTestDb();
});
afterAll(async () => {
  await handle.close();
});
beforeEach(async () => {
  await resetTestDb(handle);
  const [owner] = await handle.db.insert(users).values({ username: 'owner', passwordHash: 'x' }).returning();
  ownerId = owner!.id;
});

const evidence = { checks: [{ name: 'every step verified', passed: true }] };

/** One stage serving both roles (planning, then building); a project starts in `initializing`. */
function kanbanDomain(announced: StoredEvent[]): DomainPack {
  return {
    name: 'kanban',
    initialStage: 'build',
    stages: { build: { tools: [...workItemToolNames], role: 'code', lifecycle: 'initializing' } },
    tools: workItemTools(handle.db, { onEvents: (events) => announced.push(...events) }),
    systemPrompt: () => 'Build the items one by one.',
  };
}

/** Plans two items, then claims and verifies each; the first verification of each forgets the evidence. */
const buildScript: Script = (_context, { events }) => {
  const finished = events('tool_finished');
  if (!finished.some((event) => event.payload.tool === 'work_item_create_bulk')) {
    return {
      kind: 'tool_call',
      tool: 'work_item_create_bulk',
      args: {
        items: [
          { name: 'Home', steps: ['loads'] },
          { name: 'Menu', dependencies: ['Home'] },
        ],
      },
    };
  }
  const last = finished.at(-1)!;
  const claimed = finished
    .filter((event) => event.payload.tool === 'work_item_claim' && event.payload.ok)
    .at(-1);
  const held = (claimed?.payload.data as { item: { id: number } | null } | undefined)?.item;
  if (last.payload.tool === 'work_item_claim') {
    if (!held) return { kind: 'final', summary: 'Everything passes.' };
    return { kind: 'tool_call', tool: 'work_item_mark_passing', args: { itemId: held.id, evidence: {} } };
  }
  if (last.payload.tool === 'work_item_mark_passing' && !last.payload.ok && held) {
    return { kind: 'tool_call', tool: 'work_item_mark_passing', args: { itemId: held.id, evidence } };
  }
  return { kind: 'tool_call', tool: 'work_item_claim', args: {} };
};

describe('work-item tools in the engine', () => {
  it('let a worker plan, claim and verify items through the tool choke point', async () => {
    const announced: StoredEvent[] = [];
    const engine = createEngine({
      db: handle.db,
      domain: kanbanDomain(announced),
      workerFor: () => scriptedWorker(buildScript),
      limits: { spendCapUsd: null, turnCap: 100 },
    });
    const { id } = await engine.createProject({ ownerId, name: 'Kanban' });
    const outcome = await engine.runUntilPause(id);
    expect(outcome.status).toBe('completed');

    const board = await getBoard(handle.db, id);
    expect(board.lanes.done.map((item) => item.name)).toEqual(['Home', 'Menu']);
    expect(board.lanes.done.every((item) => item.evidence !== null)).toBe(true);
    const items = await listItems(handle.db, id);
    expect(items.map((item) => item.claimedBy)).toEqual([null, null]);

    // The refusals reached the worker as failed tool results it could act on.
    const log = await readEvents(handle.db, id);
    const refusals = log.filter(
      (event) =>
        event.type === 'tool_finished' &&
        event.payload.tool === 'work_item_mark_passing' &&
        !event.payload.ok,
    );
    expect(refusals).toHaveLength(2);
    expect(refusals[0]?.type === 'tool_finished' && refusals[0].payload.error).toContain(
      'needs verification evidence',
    );
    // Every work-item event was announced after its commit.
    const workItemEvents = log.filter((event) => event.type.startsWith('work_item_'));
    expect(announced.map((event) => event.seq)).toEqual(workItemEvents.map((event) => event.seq));
    expect(await verifyProjections(handle.db, id)).toEqual({ ok: true, differences: [] });
  });
});

describe('work-item tools called directly', () => {
  let projectId: string;
  let context: ToolContext;
  let tools: Map<string, ToolDefinition<unknown>>;

  beforeEach(async () => {
    const [project] = await handle.db.insert(projects).values({ ownerId, name: 'Direct' }).returning();
    projectId = project!.id;
    context = {
      projectId,
      stage: 'build',
      signal: new AbortController().signal,
      spend: memorySpendMeter(),
    };
    const sequence = [0.99, 0];
    let index = 0;
    tools = new Map(
      workItemTools(handle.db, { random: () => sequence[index++ % sequence.length] as number }).map(
        (tool) => [tool.name, tool as ToolDefinition<unknown>],
      ),
    );
  });

  async function call(name: string, args: unknown = {}): Promise<Record<string, unknown>> {
    const tool = tools.get(name);
    if (!tool) throw new Error(`no tool ${name}`);
    return (await tool.run(context, tool.args.parse(args))).data as Record<string, unknown>;
  }

  it('registers one tool per name, with repeatability documented by behaviour', () => {
    expect([...tools.keys()].sort()).toEqual([...workItemToolNames].sort());
    const notRepeatable = [...tools.values()].filter((tool) => !tool.repeatable).map((tool) => tool.name);
    expect(notRepeatable.sort()).toEqual(['work_item_create_bulk', 'work_item_mark_failing']);
  });

  it('claims for the runner holding the lease, and a repeated claim returns the same item', async () => {
    await call('work_item_create_bulk', { items: [{ name: 'A' }, { name: 'B' }] });
    await acquireLease(handle.db, projectId, 'runner-7', 30_000);
    const first = await call('work_item_claim');
    const again = await call('work_item_claim');
    expect(first).toMatchObject({ item: { name: 'A' }, alreadyClaimed: false });
    expect(again).toMatchObject({ item: { name: 'A' }, alreadyClaimed: true });
    const a = (first.item as { id: number }).id;
    expect((await getItem(handle.db, projectId, a)).claimedBy).toBe('runner-7');
    expect(await call('work_item_claim', { itemId: a })).toMatchObject({ alreadyClaimed: true });
  });

  it('covers stats, next, skip, failing, dependencies, regression and the bug tools', async () => {
    const created = (await call('work_item_create_bulk', {
      items: [{ name: 'Home' }, { name: 'Menu' }, { name: 'Hours' }],
    })) as { created: Array<{ id: number; name: string }> };
    const [home, menu, hours] = created.created.map((item) => item.id);
    expect(await call('work_item_get_next')).toMatchObject({ item: { name: 'Home' } });
    await call('work_item_skip', { itemId: home });
    expect(await call('work_item_get_next')).toMatchObject({ item: { name: 'Menu' } });
    expect(await call('work_item_add_dependency', { itemId: menu, dependsOnId: hours })).toEqual({
      added: true,
    });
    expect(await call('work_item_get_next')).toMatchObject({ item: { name: 'Hours' } });
    expect(await call('work_item_remove_dependency', { itemId: menu, dependsOnId: hours })).toEqual({
      removed: true,
    });
    await call('work_item_mark_failing', { itemId: menu, error: 'menu prices missing' });
    expect(await call('work_item_mark_passing', { itemId: hours, evidence })).toMatchObject({
      item: { status: 'passing' },
    });
    await call('work_item_mark_passing', { itemId: home, evidence: { commit: 'abc' } });
    expect(await call('work_item_stats')).toMatchObject({
      total: 3,
      passing: 2,
      byStatus: { failing: 1, passing: 2 },
    });
    const sample = (await call('work_item_get_for_regression', { count: 1 })) as {
      items: Array<{ name: string }>;
    };
    expect(sample.items.map((item) => item.name)).toEqual(['Hours']);

    const bugBatch = (await call('work_item_create_bulk', {
      items: [{ itemType: 'bug', name: 'Wrong phone', stepsToReproduce: ['open /'] }],
    })) as { created: Array<{ id: number }> };
    const bugId = bugBatch.created[0]!.id;
    await call('work_item_claim', { itemId: bugId });
    const fixBatch = (await call('work_item_create_bulk', {
      items: [{ itemType: 'fix', name: 'Fix phone', parentBugId: bugId }],
    })) as { created: Array<{ id: number }> };
    const fixId = fixBatch.created[0]!.id;
    expect(await call('bug_get_status', { bugId })).toMatchObject({
      bug: { bugStatus: 'fixing' },
      waitingOn: [fixId],
    });
    await expect(call('bug_mark_resolved', { bugId })).rejects.toThrow(/cannot be resolved yet/);
    const passed = await call('work_item_mark_passing', { itemId: fixId, evidence });
    expect(passed.resolvedBugId).toBe(bugId);
    expect(await call('bug_mark_resolved', { bugId })).toMatchObject({ bug: { bugStatus: 'resolved' } });
    expect(await verifyProjections(handle.db, projectId)).toEqual({ ok: true, differences: [] });
  });
});
