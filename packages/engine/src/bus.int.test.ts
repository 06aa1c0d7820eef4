import { createDb } from '@sitewright/db';
import { type TestDb, testDriver } from '@sitewright/db/testing';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createEventBus, type EventBus } from './bus.ts';
import { createEngine } from './engine.ts';
import type { StoredEvent } from './events/types.ts';
import { LIVE_TEXT_MAX_CHARS, type LiveText } from './live.ts';
import { notesDomain, notesJourney, scriptedWorker } from './testing/index.ts';
import { useEngineTestEnv } from './testing/test-env.ts';

let handle: TestDb;
let dir: string;
let ownerId: string;

useEngineTestEnv('bus', (env) => {
  ({ handle, dir, ownerId } = env);
});

function engineWith(bus: EventBus) {
  const worker = scriptedWorker(notesJourney);
  return createEngine({
    db: handle.db,
    domain: notesDomain({ dir }),
    workerFor: () => worker,
    limits: { spendCapUsd: null },
    onEvents: (events) => bus.publish(events),
  });
}

async function waitFor(check: () => boolean, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('the event bus', () => {
  it('delivers every committed event of a project once, in seq order, after commit', async () => {
    const bus = await createEventBus({ db: handle.db });
    const engine = engineWith(bus);
    const { id } = await engine.createProject({ ownerId, name: 'Live' });
    const seen: StoredEvent[] = [];
    const unsubscribe = await bus.subscribe(id, (event) => seen.push(event));
    await engine.runUntilPause(id);
    await waitFor(() => seen.at(-1)?.type === 'run_status_changed');
    const seqs = seen.map((event) => event.seq);
    expect(seqs[0]).toBe(4); // three events were committed before subscribing
    expect(seqs).toEqual(seqs.map((_, index) => 4 + index));
    unsubscribe();
    await bus.close();
  });

  it('fills a gap from the log when events were committed elsewhere', async () => {
    const bus = await createEventBus({ db: handle.db });
    const silent = createEngine({
      db: handle.db,
      domain: notesDomain({ dir }),
      workerFor: () => scriptedWorker(notesJourney),
      limits: { spendCapUsd: null },
    });
    const { id } = await silent.createProject({ ownerId, name: 'Gap' });
    const seen: number[] = [];
    await bus.subscribe(id, (event) => seen.push(event.seq));
    await silent.runUntilPause(id); // committed without publishing: the run now waits for an answer
    const loud = engineWith(bus);
    const [question] = await handle.db.query.pendings.findMany({ where: (p, { eq }) => eq(p.projectId, id) });
    await loud.answer(id, { pendingId: question?.id ?? '', answer: 'Cats' });
    await loud.runUntilPause(id);
    await waitFor(() => seen.length > 0 && seen.at(-1) === Number(seen.length + 3));
    expect(seen).toEqual(seen.map((_, index) => index + 4));
    await bus.close();
  });

  it.runIf(testDriver() === 'postgres')('reaches another process through LISTEN/NOTIFY', async () => {
    const other = await createDb({ databaseUrl: handle.url, migrate: false });
    const sender = await createEventBus({ db: handle.db, notifications: handle });
    const receiver = await createEventBus({ db: other.db, notifications: other });
    const engine = engineWith(sender);
    const { id } = await engine.createProject({ ownerId, name: 'Remote' });
    const seen: number[] = [];
    await receiver.subscribe(id, (event) => seen.push(event.seq));
    await engine.runUntilPause(id);
    const [row] = await handle.db.query.projects.findMany({ where: (p, { eq }) => eq(p.id, id) });
    await waitFor(() => seen.at(-1) === row!.lastSeq);
    expect(seen).toEqual(seen.map((_, index) => index + 4));
    await sender.close();
    await receiver.close();
    await other.close();
  });

  it.runIf(testDriver() === 'postgres')('catches up once its lost LISTEN connection is back', async () => {
    const other = await createDb({ databaseUrl: handle.url, migrate: false });
    const receiver = await createEventBus({ db: other.db, notifications: other });
    const silent = createEngine({
      db: handle.db,
      domain: notesDomain({ dir }),
      workerFor: () => scriptedWorker(notesJourney),
      limits: { spendCapUsd: null },
    });
    const { id } = await silent.createProject({ ownerId, name: 'Restart' });
    const seen: number[] = [];
    await receiver.subscribe(id, (event) => seen.push(event.seq));
    // Committed while nobody could have been notified (as during a database restart), and the project
    // commits nothing more: only listening again can bring these events to the subscriber.
    await silent.runUntilPause(id, { maxSteps: 1 });
    await handle.db.execute(
      sql`select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and query ilike 'listen %'`,
    );
    const [row] = await handle.db.query.projects.findMany({ where: (p, { eq }) => eq(p.id, id) });
    await waitFor(() => seen.at(-1) === row!.lastSeq);
    expect(seen).toEqual(seen.map((_, index) => index + 4));
    await receiver.close();
    await other.close();
  });

  it('hands live text to the project’s live subscribers in this process', async () => {
    const bus = await createEventBus({ db: handle.db });
    const seen: LiveText[] = [];
    const unsubscribe = bus.subscribeLive('p1', (text) => seen.push(text));
    bus.publishLive({ projectId: 'p1', turn: 2, text: 'Writing', done: false });
    bus.publishLive({ projectId: 'p2', turn: 1, text: 'elsewhere', done: false });
    unsubscribe();
    bus.publishLive({ projectId: 'p1', turn: 2, text: 'Writing the menu', done: true });
    expect(seen).toEqual([{ projectId: 'p1', turn: 2, text: 'Writing', done: false }]);
    await bus.close();
  });

  it.runIf(testDriver() === 'postgres')('carries live text to another process, once', async () => {
    const other = await createDb({ databaseUrl: handle.url, migrate: false });
    const sender = await createEventBus({ db: handle.db, notifications: handle });
    const receiver = await createEventBus({ db: other.db, notifications: other });
    const local: LiveText[] = [];
    const remote: LiveText[] = [];
    sender.subscribeLive('p1', (text) => local.push(text));
    receiver.subscribeLive('p1', (text) => remote.push(text));
    const text = { projectId: 'p1', turn: 1, text: 'é'.repeat(LIVE_TEXT_MAX_CHARS), done: true };
    sender.publishLive(text);
    await waitFor(() => remote.length === 1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(remote).toEqual([text]);
    expect(local).toEqual([text]);
    await sender.close();
    await receiver.close();
    await other.close();
  });
});
