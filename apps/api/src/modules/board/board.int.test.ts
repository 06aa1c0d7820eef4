/**
 * The board and specs through HTTP: the contract's shapes, ownership, features split and chained,
 * dependency rules, bugs at the top that restart a finished project, skip, reprioritise and delete,
 * specs, and bad input that writes nothing.
 */
import {
  Board,
  CreatedCards,
  ErrorBody,
  ProjectDetail,
  ServerMessage,
  SpecList,
  SpecSummary,
  WorkItemCard,
} from '@sitewright/contracts';
import { events, pendings, specs, workItems } from '@sitewright/db';
import { ownerAnswer, pizzeriaBrief } from '@sitewright/website/testing';
import { and, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type ApiClient, type ApiHarness, startApi } from '../../testing/api-harness.ts';

let api: ApiHarness;
let maria: ApiClient;
let tom: ApiClient;
let admin: ApiClient;
let mariaId: string;

beforeAll(async () => {
  // The demo worker finishes a site without continuation gates in between.
  api = await startApi({ TURN_CAP: '1000' });
  mariaId = await api.createUser('maria');
  await api.createUser('tom');
  await api.createUser('root', 'admin');
  [maria, tom, admin] = await Promise.all([api.login('maria'), api.login('tom'), api.login('root')]);
});

afterAll(async () => {
  await api?.close();
});

/** A project of Maria's whose agent has asked its first question. */
async function newProject(name = "Maria's Pizzeria"): Promise<string> {
  const { id } = await api.deps.engine.createProject({ ownerId: mariaId, name });
  await api.deps.engine.runUntilPause(id);
  return id;
}

async function rows(projectId: string) {
  const [items] = await api.db.db
    .select({ n: count() })
    .from(workItems)
    .where(eq(workItems.projectId, projectId));
  const [log] = await api.db.db.select({ n: count() }).from(events).where(eq(events.projectId, projectId));
  const [specRows] = await api.db.db.select({ n: count() }).from(specs).where(eq(specs.projectId, projectId));
  return { items: Number(items?.n), events: Number(log?.n), specs: Number(specRows?.n) };
}

async function addFeature(projectId: string, body: Record<string, unknown>): Promise<WorkItemCard[]> {
  const response = await maria.post(`/api/projects/${projectId}/features`, body);
  expect(response.status).toBe(201);
  return CreatedCards.parse(response.body).items;
}

async function board(projectId: string, client = maria): Promise<Board> {
  const response = await client.get(`/api/projects/${projectId}/features`);
  expect(response.status).toBe(200);
  return Board.parse(response.body);
}

/** Runs the demo worker to a finished site, answering as the pizzeria's owner would. */
async function driveToCompletion(projectId: string): Promise<void> {
  for (let round = 0; round < 200; round++) {
    const outcome = await api.deps.engine.runUntilPause(projectId);
    if (outcome.status === 'completed') return;
    if (outcome.status !== 'awaiting_human') throw new Error(`the run stopped: ${outcome.status}`);
    const open = await api.db.db
      .select()
      .from(pendings)
      .where(and(eq(pendings.projectId, projectId), eq(pendings.status, 'open')));
    for (const pending of open) {
      await api.deps.engine.answer(
        projectId,
        pending.kind === 'question'
          ? { pendingId: pending.id, answer: ownerAnswer(pizzeriaBrief, pending.question ?? '') ?? 'none' }
          : { pendingId: pending.id, approved: true },
      );
    }
  }
  throw new Error('the project did not complete');
}

describe('the board', () => {
  it('adds a feature and shows it on the board as a card of the contract', async () => {
    const id = await newProject();
    const [card] = await addFeature(id, {
      name: 'Gallery',
      description: 'Photos of the restaurant',
      steps: ['Open /gallery/', 'See six photos'],
      category: 'pages',
      priority: 5,
    });
    expect(card).toMatchObject({
      itemType: 'feature',
      name: 'Gallery',
      description: 'Photos of the restaurant',
      category: 'pages',
      priority: 5,
      status: 'pending',
      lane: 'ready',
      steps: ['Open /gallery/', 'See six photos'],
      dependencies: [],
      waitingFor: [],
      attempts: 0,
      bugStatus: null,
    });

    const shown = await board(id);
    expect(shown.lanes.ready?.map((c) => c.id)).toEqual([card!.id]);
    expect(shown.bugs).toEqual([]);
    expect(shown.progress).toMatchObject({ total: 1, passing: 0, percent: 0 });

    const one = await maria.get(`/api/projects/${id}/features/${card!.id}`);
    expect(one.status).toBe(200);
    expect(WorkItemCard.parse(one.body)).toEqual(card);
  });

  it('splits a feature of ten steps or more into chained parts', async () => {
    const id = await newProject();
    const steps = Array.from({ length: 12 }, (_, i) => `Check item ${i + 1} of the menu`);
    const parts = await addFeature(id, { name: 'Full menu', description: 'Every dish', steps });
    expect(parts.map((p) => p.name)).toEqual(['Full menu (part 1/2)', 'Full menu (part 2/2)']);
    expect(parts.map((p) => p.steps.length)).toEqual([6, 6]);
    expect(parts[1]).toMatchObject({
      dependencies: [parts[0]!.id],
      lane: 'backlog',
      waitingFor: [{ id: parts[0]!.id, name: 'Full menu (part 1/2)', status: 'pending' }],
    });

    // A later feature may name the split one: it waits for its last part.
    const [reviews] = await addFeature(id, {
      name: 'Dish photos',
      steps: ['Open /menu/'],
      dependencies: ['Full menu'],
    });
    expect(reviews?.dependencies).toEqual([parts[1]!.id]);
  });

  it('refuses unknown dependencies and cycles with a clear message, writing nothing', async () => {
    const id = await newProject();
    const [home] = await addFeature(id, { name: 'Home', steps: ['Open /'] });
    const before = await rows(id);

    const unknownId = await maria.post(`/api/projects/${id}/features`, {
      name: 'Menu',
      dependencies: [9999],
    });
    expect(unknownId.status).toBe(422);
    expect(ErrorBody.parse(unknownId.body).error.message).toMatch(/depends on #9999, which does not exist/);

    const unknownName = await maria.post(`/api/projects/${id}/features`, {
      name: 'Menu',
      dependencies: ['Nope'],
    });
    expect(unknownName.status).toBe(422);
    expect(unknownName.body.error.message).toMatch(
      /"Nope", which is neither in this batch nor in the project/,
    );

    // With one feature per request, the only cycle it can close is on itself (its parts included).
    const selfCycle = await maria.post(`/api/projects/${id}/features`, {
      name: 'Contact',
      steps: Array.from({ length: 10 }, (_, i) => `Step ${i + 1}`),
      dependencies: ['Contact', home!.id],
    });
    expect(selfCycle.status).toBe(422);
    expect(selfCycle.body.error.message).toMatch(/"Contact" cannot depend on itself/);

    expect(await rows(id)).toEqual(before);
  });

  it('answers 400 for invalid bodies, naming the field, and writes nothing', async () => {
    const id = await newProject();
    const before = await rows(id);
    const cases: Array<[string, unknown]> = [
      [`/api/projects/${id}/features`, { description: 'no name' }],
      [`/api/projects/${id}/features`, { name: '   ' }],
      [`/api/projects/${id}/features`, { name: 'Menu', steps: 'one step' }],
      [`/api/projects/${id}/features`, { name: 'Menu', priority: -1 }],
      [`/api/projects/${id}/features`, { name: 'Menu', dependencies: [0] }],
      [`/api/projects/${id}/features`, { name: 'x'.repeat(201) }],
      [`/api/projects/${id}/features/bug`, { name: 'Broken', stepsToReproduce: [''] }],
      [`/api/projects/${id}/features/bug`, {}],
      [`/api/projects/${id}/specs`, { name: 'Catering' }],
      [`/api/projects/${id}/specs`, { name: '', content: 'text' }],
    ];
    for (const [path, body] of cases) {
      const response = await maria.post(path, body);
      expect(response.status, `${path} ${JSON.stringify(body)}`).toBe(400);
      expect(ErrorBody.parse(response.body).error.code).toBe('invalid_request');
    }
    const notJson = await maria.request('POST', `/api/projects/${id}/features`, '{"name":', {
      'content-type': 'application/json',
    });
    expect(notJson.status).toBe(400);
    const invalid = await maria.post(`/api/projects/${id}/features`, { name: 'Menu', steps: 'one step' });
    expect(invalid.body.error.message).toMatch(/steps/);
    expect(await rows(id)).toEqual(before);
  });

  it('skips an item to the end of the queue and deletes another', async () => {
    const id = await newProject();
    const [first] = await addFeature(id, { name: 'Home', steps: ['Open /'] });
    const [second] = await addFeature(id, { name: 'Menu', steps: ['Open /menu/'] });
    const [third] = await addFeature(id, { name: 'Contact', steps: ['Open /contact/'] });
    expect((await board(id)).lanes.ready?.map((c) => c.name)).toEqual(['Home', 'Menu', 'Contact']);

    const skipped = await maria.patch(`/api/projects/${id}/features/${first!.id}/skip`);
    expect(skipped.status).toBe(200);
    expect(WorkItemCard.parse(skipped.body)).toMatchObject({ id: first!.id, status: 'pending' });
    expect((await board(id)).lanes.ready?.map((c) => c.name)).toEqual(['Menu', 'Contact', 'Home']);

    const deleted = await maria.delete(`/api/projects/${id}/features/${second!.id}`);
    expect(deleted.status).toBe(204);
    expect(deleted.body).toBe('');
    expect((await board(id)).lanes.ready?.map((c) => c.id)).toEqual([third!.id, first!.id]);
    expect((await maria.get(`/api/projects/${id}/features/${second!.id}`)).status).toBe(404);
  });

  it('answers 404 for cards that do not exist, whatever the id looks like', async () => {
    const id = await newProject();
    for (const fid of ['999999', 'abc', '0', '-1', '1.5', '99999999999']) {
      const read = await maria.get(`/api/projects/${id}/features/${fid}`);
      expect(read.status, fid).toBe(404);
      expect(ErrorBody.parse(read.body).error.code).toBe('not_found');
      expect((await maria.delete(`/api/projects/${id}/features/${fid}`)).status).toBe(404);
      expect((await maria.patch(`/api/projects/${id}/features/${fid}/skip`)).status).toBe(404);
    }
  });
});

describe('reprioritising', () => {
  it('moves a card within the queue and tells watching dashboards over the WebSocket', async () => {
    const id = await newProject();
    await addFeature(id, { name: 'Home', steps: ['Open /'] });
    await addFeature(id, { name: 'Menu', steps: ['Open /menu/'] });
    const [contact] = await addFeature(id, { name: 'Contact', steps: ['Open /contact/'] });
    const socket = await watchBoard(id);

    const moved = await maria.patch(`/api/projects/${id}/features/${contact!.id}`, { priority: 1 });
    expect(moved.status).toBe(200);
    expect(WorkItemCard.parse(moved.body)).toMatchObject({ id: contact!.id, priority: 1, lane: 'ready' });
    expect((await board(id)).lanes.ready?.map((c) => c.name)).toEqual(['Contact', 'Home', 'Menu']);
    const update = await socket.next(
      (m) => m.type === 'feature_update' && m.itemId === contact!.id && m.item?.priority === 1,
    );
    expect(update).toBeDefined();
    socket.close();

    // The same priority again is harmless.
    const again = await maria.patch(`/api/projects/${id}/features/${contact!.id}`, { priority: 1 });
    expect(again.status).toBe(200);
    expect(again.body.updatedAt).toBe(moved.body.updatedAt);
  });

  it('answers 400 for bad priorities, 422 for a bug, 404 for unknown cards, writing nothing', async () => {
    const id = await newProject();
    const [home] = await addFeature(id, { name: 'Home', steps: ['Open /'] });
    const filed = await maria.post(`/api/projects/${id}/features/bug`, { name: 'Wrong phone' });
    const [bug] = CreatedCards.parse(filed.body).items;
    const before = await rows(id);
    for (const body of [{}, { priority: -1 }, { priority: 10_001 }, { priority: 2.5 }, { priority: '3' }]) {
      const response = await maria.patch(`/api/projects/${id}/features/${home!.id}`, body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(ErrorBody.parse(response.body).error.message).toMatch(/priority/);
    }
    const onBug = await maria.patch(`/api/projects/${id}/features/${bug!.id}`, { priority: 5 });
    expect(onBug.status).toBe(422);
    expect(ErrorBody.parse(onBug.body).error.message).toMatch(/always goes first/);
    for (const fid of ['999999', 'abc', '0']) {
      expect((await maria.patch(`/api/projects/${id}/features/${fid}`, { priority: 5 })).status).toBe(404);
    }
    expect(await rows(id)).toEqual(before);
  });
});

/** The project's WebSocket as the dashboard opens it, live once the replay is done. */
async function watchBoard(projectId: string) {
  const ws = new WebSocket(`${api.base.replace('http', 'ws')}/ws/projects/${projectId}`, {
    headers: { cookie: maria.cookieHeader(), origin: api.base },
  });
  const messages: ServerMessage[] = [];
  ws.on('message', (data) => messages.push(ServerMessage.parse(JSON.parse(data.toString()))));
  const next = async (match: (m: ServerMessage) => boolean, timeoutMs = 10_000) => {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const found = messages.find(match);
      if (found) return found;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`no matching message; got ${messages.map((m) => m.type).join(',')}`);
  };
  await next((m) => m.type === 'replay_done');
  return { next, close: () => ws.close() };
}

describe('access', () => {
  it('answers 401 without a session and 404 for projects of others or none; admins see every board', async () => {
    const id = await newProject();
    const [card] = await addFeature(id, { name: 'Home', steps: ['Open /'] });
    const anonymous = api.anonymous();
    const paths = [
      ['GET', `/api/projects/${id}/features`],
      ['POST', `/api/projects/${id}/features`],
      ['POST', `/api/projects/${id}/features/bug`],
      ['GET', `/api/projects/${id}/features/${card!.id}`],
      ['DELETE', `/api/projects/${id}/features/${card!.id}`],
      ['PATCH', `/api/projects/${id}/features/${card!.id}/skip`],
      ['PATCH', `/api/projects/${id}/features/${card!.id}`],
      ['GET', `/api/projects/${id}/specs`],
      ['POST', `/api/projects/${id}/specs`],
    ] as const;
    const before = await rows(id);
    for (const [method, path] of paths) {
      const body = method === 'POST' ? { name: 'X', content: 'Y', stepsToReproduce: [] } : undefined;
      const noSession = await anonymous.request(method, path, body);
      expect(noSession.status, `${method} ${path}`).toBe(401);
      expect(ErrorBody.parse(noSession.body).error.code).toBe('unauthenticated');
      const other = await tom.request(method, path, body);
      expect(other.status, `${method} ${path}`).toBe(404);
      expect(JSON.stringify(other.body)).not.toContain('Home');
      const missing = await maria.request(
        method,
        path.replace(id, '00000000-0000-4000-8000-000000000000'),
        body,
      );
      expect(missing.status).toBe(404);
    }
    expect(await rows(id)).toEqual(before);

    const seen = await board(id, admin);
    expect(seen.lanes.ready?.map((c) => c.name)).toEqual(['Home']);
  });
});

describe('bugs', () => {
  it('files a bug at priority 0 at the top of the board, and starts a stopped project again', async () => {
    const id = await newProject();
    await addFeature(id, { name: 'Home', steps: ['Open /'] });
    await api.deps.engine.stop(id);
    expect((await api.deps.engine.peek(id)).runStatus).toBe('idle');

    const filed = await maria.post(`/api/projects/${id}/features/bug`, {
      name: 'The phone number in the footer is wrong',
      description: 'It shows 0113 496 0999.',
      stepsToReproduce: ['Open the about page', 'Look at the footer'],
      page: '/about/',
    });
    expect(filed.status).toBe(201);
    const [bug] = CreatedCards.parse(filed.body).items;
    expect(bug).toMatchObject({
      itemType: 'bug',
      priority: 0,
      status: 'pending',
      bugStatus: 'open',
      lane: null,
      stepsToReproduce: ['Open the about page', 'Look at the footer'],
      page: '/about/',
    });
    const shown = await board(id);
    expect(shown.bugs[0]?.bug).toMatchObject({ id: bug!.id, bugStatus: 'open' });
    expect(shown.bugs[0]?.fixes).toEqual([]);
    expect(shown.progress.bugs).toMatchObject({ open: 1 });
    // The stopped agent was started again: with a question open it waits for the owner.
    expect((await api.deps.engine.peek(id)).runStatus).toBe('awaiting_human');
  });

  it('keeps a paused project paused: the bug waits for the owner to resume', async () => {
    const id = await newProject();
    await api.deps.engine.answer(id, {
      pendingId: (await api.db.db.select().from(pendings).where(eq(pendings.projectId, id)))[0]!.id,
      answer: "Maria's Pizzeria",
    });
    await api.deps.engine.pause(id);
    const filed = await maria.post(`/api/projects/${id}/features/bug`, { name: 'Typo on the menu' });
    expect(filed.status).toBe(201);
    expect((await api.deps.engine.peek(id)).runStatus).toBe('paused');
  });

  it('stores a bug title with markup verbatim and returns it only as JSON data', async () => {
    const id = await newProject();
    const title = '<img src=x onerror=alert(1)>';
    const filed = await maria.post(`/api/projects/${id}/features/bug`, {
      name: title,
      description: '<script>alert("x")</script>',
    });
    expect(filed.status).toBe(201);
    expect(filed.headers.get('content-type')).toMatch(/^application\/json/);
    const [bug] = CreatedCards.parse(filed.body).items;
    expect(bug?.name).toBe(title);
    const [row] = await api.db.db.select().from(workItems).where(eq(workItems.id, bug!.id));
    expect(row?.name).toBe(title);
    const read = await maria.get(`/api/projects/${id}/features/${bug!.id}`);
    expect(read.headers.get('content-type')).toMatch(/^application\/json/);
    expect(read.headers.get('x-content-type-options')).toBe('nosniff');
    expect(read.body.name).toBe(title);
    expect(read.body.description).toBe('<script>alert("x")</script>');
  });

  it('sends a completed project back to work when a bug is filed', async () => {
    const id = await newProject();
    await driveToCompletion(id);
    const done = ProjectDetail.parse((await maria.get(`/api/projects/${id}`)).body);
    expect(done.project.status).toBe('completed');

    const filed = await maria.post(`/api/projects/${id}/features/bug`, {
      name: 'The opening hours are missing on Sunday',
      stepsToReproduce: ['Open the home page'],
      page: '/',
    });
    expect(filed.status).toBe(201);
    const after = ProjectDetail.parse((await maria.get(`/api/projects/${id}`)).body);
    expect(after.project.status).toBe('running');
    const shown = await board(id);
    expect(shown.bugs.map((b) => b.bug.name)).toEqual(['The opening hours are missing on Sunday']);
    expect(shown.lanes.done?.length).toBe(done.progress.total);
  }, 240_000);
});

describe('specs', () => {
  it('adds specs, lists them by name, replaces one by name, and restarts a stopped project', async () => {
    const id = await newProject();
    await api.deps.engine.stop(id);
    const created = await maria.post(`/api/projects/${id}/specs`, {
      name: 'Catering',
      content: 'Add a catering page: office lunches for 10 to 50 people.',
    });
    expect(created.status).toBe(201);
    const spec = SpecSummary.parse(created.body);
    expect(spec).toMatchObject({
      name: 'Catering',
      content: 'Add a catering page: office lunches for 10 to 50 people.',
    });
    expect((await api.deps.engine.peek(id)).runStatus).not.toBe('idle');

    await maria.post(`/api/projects/${id}/specs`, { name: 'Allergens', content: 'List allergens per dish.' });
    const replaced = await maria.post(`/api/projects/${id}/specs`, {
      name: 'Catering',
      content: 'Up to 80 people.',
    });
    expect(replaced.status).toBe(201);
    expect(SpecSummary.parse(replaced.body)).toMatchObject({ id: spec.id, content: 'Up to 80 people.' });

    const listed = await maria.get(`/api/projects/${id}/specs`);
    expect(listed.status).toBe(200);
    const { specs: all } = SpecList.parse(listed.body);
    expect(all.map((s) => [s.name, s.content])).toEqual([
      ['Allergens', 'List allergens per dish.'],
      ['Catering', 'Up to 80 people.'],
    ]);
  });
});
