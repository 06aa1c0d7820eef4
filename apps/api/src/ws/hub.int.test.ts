/**
 * The WebSocket hub through real sockets on a real server: who may connect, replay then live without
 * gaps or duplicates under concurrent writes, the typed messages, liveness, back-pressure and shutdown.
 */
import { once } from 'node:events';
import { createServer } from 'node:http';
import { ServerMessage, type ServerMessageOf, WS_PROTOCOL_VERSION, WsCloseCode } from '@sitewright/contracts';
import { createDb, projects } from '@sitewright/db';
import { testDriver } from '@sitewright/db/testing';
import {
  alarmEvent,
  appendEvents,
  createItems,
  type EventBus,
  markPassing,
  type StoredEvent,
} from '@sitewright/engine';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { closeDeps, wireDeps } from '../deps.ts';
import { createLogger } from '../logger.ts';
import { type ApiClient, type ApiHarness, startApi } from '../testing/api-harness.ts';
import { attachWsHub } from './hub.ts';

const ALLOWED_ORIGIN = 'https://dash.example.org';

let api: ApiHarness;
let maria: ApiClient;
let tom: ApiClient;
let admin: ApiClient;
let mariaId: string;

beforeAll(async () => {
  api = await startApi({ CORS_ORIGINS: ALLOWED_ORIGIN, WS_PING_INTERVAL_MS: '200' });
  mariaId = await api.createUser('maria');
  await api.createUser('tom');
  await api.createUser('root', 'admin');
  [maria, tom, admin] = await Promise.all([api.login('maria'), api.login('tom'), api.login('root')]);
});

afterAll(async () => {
  await api?.close();
});

/** A test client: every parsed message in order, the close code, and waits on both. */
interface Watcher {
  ws: WebSocket;
  messages: ServerMessage[];
  opened: Promise<void>;
  closed: Promise<{ code: number; reason: string }>;
  /** Resolves with the first message (from the start) matching, or rejects after `timeoutMs`. */
  waitFor<T extends ServerMessage>(match: (m: ServerMessage) => m is T, timeoutMs?: number): Promise<T>;
  waitFor(match: (m: ServerMessage) => boolean, timeoutMs?: number): Promise<ServerMessage>;
  events(): number[];
  of<T extends ServerMessage['type']>(type: T): ServerMessageOf<T>[];
}

function watch(
  base: string,
  path: string,
  options: { client?: ApiClient; origin?: string | null; autoPong?: boolean } = {},
): Watcher {
  const headers: Record<string, string> = {};
  if (options.client) headers.cookie = options.client.cookieHeader();
  if (options.origin !== null) headers.origin = options.origin ?? base;
  const ws = new WebSocket(`${base.replace('http', 'ws')}${path}`, {
    headers,
    autoPong: options.autoPong ?? true,
  });
  const messages: ServerMessage[] = [];
  const waiters = new Set<() => void>();
  ws.on('message', (data) => {
    messages.push(ServerMessage.parse(JSON.parse(data.toString())));
    for (const wake of waiters) wake();
  });
  ws.on('error', () => {});
  const opened = new Promise<void>((resolve) => ws.once('open', () => resolve()));
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.once('close', (code, reason) => {
      for (const wake of waiters) wake();
      resolve({ code, reason: reason.toString() });
    }),
  );
  function waitFor(match: (m: ServerMessage) => boolean, timeoutMs = 10_000): Promise<ServerMessage> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = messages.find(match);
        if (found) {
          waiters.delete(check);
          clearTimeout(timer);
          resolve(found);
        }
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`no matching message; got ${messages.map((m) => m.type).join(',')}`));
      }, timeoutMs);
      waiters.add(check);
      check();
    });
  }
  return {
    ws,
    messages,
    opened,
    closed,
    waitFor: waitFor as Watcher['waitFor'],
    events: () => messages.flatMap((m) => (m.type === 'event' ? [m.seq] : [])),
    of: <T extends ServerMessage['type']>(type: T) =>
      messages.filter((m): m is ServerMessageOf<T> => m.type === type),
  };
}

const wsPath = (projectId: string, after?: number | string) =>
  `/ws/projects/${projectId}${after === undefined ? '' : `?after=${after}`}`;

async function newProject(name = 'Bakery'): Promise<string> {
  return (await api.deps.engine.createProject({ ownerId: mariaId, name })).id;
}

async function lastSeqOf(projectId: string): Promise<number> {
  const page = await maria.get(`/api/projects/${projectId}/events?limit=1000`);
  return page.body.lastSeq as number;
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

const isType =
  <T extends ServerMessage['type']>(type: T) =>
  (m: ServerMessage): m is ServerMessageOf<T> =>
    m.type === type;

describe('who may connect', () => {
  it('refuses a connection without a session with 4401 and sends nothing else', async () => {
    const id = await newProject();
    const anonymous = watch(api.base, wsPath(id));
    expect((await anonymous.closed).code).toBe(WsCloseCode.unauthenticated);
    expect(anonymous.messages).toEqual([]);
  });

  it("refuses another user's project with 4404, exactly like a missing or malformed one", async () => {
    const id = await newProject();
    const foreign = watch(api.base, wsPath(id), { client: tom });
    const missing = watch(api.base, wsPath('00000000-0000-4000-8000-000000000000'), { client: tom });
    const malformed = watch(api.base, wsPath('not-a-project'), { client: tom });
    const closes = await Promise.all([foreign.closed, missing.closed, malformed.closed]);
    expect(closes.map((c) => c.code)).toEqual([
      WsCloseCode.notFound,
      WsCloseCode.notFound,
      WsCloseCode.notFound,
    ]);
    expect(new Set(closes.map((c) => c.reason)).size).toBe(1);
    expect([...foreign.messages, ...missing.messages, ...malformed.messages]).toEqual([]);
  });

  it('accepts the owner and an admin with a hello carrying the version and the newest seq', async () => {
    const id = await newProject();
    const head = await lastSeqOf(id);
    for (const client of [maria, admin]) {
      const watcher = watch(api.base, wsPath(id, head), { client });
      const hello = await watcher.waitFor(isType('hello'));
      expect(hello).toEqual({ type: 'hello', version: WS_PROTOCOL_VERSION, projectId: id, lastSeq: head });
      await watcher.waitFor(isType('replay_done'));
      watcher.ws.close();
    }
  });

  it('refuses a page on a foreign origin (cross-site WebSocket hijacking) with 4403', async () => {
    const id = await newProject();
    for (const origin of ['https://evil.example.com', 'null', 'http://127.0.0.1:1']) {
      const hijack = watch(api.base, wsPath(id), { client: maria, origin });
      expect((await hijack.closed).code).toBe(WsCloseCode.forbidden);
      expect(hijack.messages).toEqual([]);
    }
    // The dashboard's own origin, an allowed one, and a non-browser client without Origin get in.
    for (const origin of [api.base, ALLOWED_ORIGIN, null]) {
      const watcher = watch(api.base, wsPath(id), { client: maria, origin });
      await watcher.waitFor(isType('replay_done'));
      watcher.ws.close();
    }
  });

  it('refuses a malformed after with 4400 and other paths with HTTP 404 before the upgrade', async () => {
    const id = await newProject();
    for (const after of ['-1', 'abc', '1.5', '1e3']) {
      const watcher = watch(api.base, wsPath(id, after), { client: maria });
      expect((await watcher.closed).code).toBe(WsCloseCode.badRequest);
    }
    const status = await new Promise<number>((resolve) => {
      const ws = new WebSocket(`${api.base.replace('http', 'ws')}/ws/elsewhere/${id}`);
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('error', () => {});
    });
    expect(status).toBe(404);
  });
});

describe('admission that ends', () => {
  it('closes with 4401 once the session is signed out and with 4404 once the project is deleted', async () => {
    const id = await newProject();
    const session = await api.login('maria');
    const signedOut = watch(api.base, wsPath(id), { client: session });
    const staying = watch(api.base, wsPath(id), { client: maria });
    await Promise.all([signedOut.waitFor(isType('replay_done')), staying.waitFor(isType('replay_done'))]);
    expect((await session.post('/api/auth/logout')).status).toBeLessThan(300);
    await api.hub.recheckSessions();
    expect((await signedOut.closed).code).toBe(WsCloseCode.unauthenticated);
    expect(staying.ws.readyState).toBe(WebSocket.OPEN);

    expect((await maria.delete(`/api/projects/${id}`)).status).toBeLessThan(300);
    await api.hub.recheckSessions();
    expect((await staying.closed).code).toBe(WsCloseCode.notFound);
  });
});

describe('replay then live', () => {
  it('replays exactly the events after N, marks replay_done, then streams live', async () => {
    const id = await newProject();
    for (let i = 0; i < 5; i++) await api.deps.engine.sendMessage(id, `note ${i}`);
    const head = await lastSeqOf(id);
    const watcher = watch(api.base, wsPath(id, 3), { client: maria });
    const done = await watcher.waitFor(isType('replay_done'));
    expect(done.lastSeq).toBe(head);
    expect(watcher.events()).toEqual(range(4, head));
    // Only events before replay_done, hello first.
    const doneAt = watcher.messages.indexOf(done);
    expect(watcher.messages[0]?.type).toBe('hello');
    expect(watcher.messages.slice(1, doneAt).every((m) => m.type === 'event')).toBe(true);

    const [live] = await api.deps.engine.sendMessage(id, 'live one');
    const message = await watcher.waitFor((m) => m.type === 'event' && m.seq === live?.seq);
    expect(message).toMatchObject({ event: { type: 'owner_message', payload: { text: 'live one' } } });
    expect(watcher.events()).toEqual(range(4, head + 1));
    watcher.ws.close();
  });

  it('loses and repeats nothing while 200 messages race the connections', async () => {
    const id = await newProject();
    const start = await lastSeqOf(id);
    // Writers yield to the event loop between commits, as requests do, so connections interleave.
    const tick = () => new Promise((resolve) => setImmediate(resolve));
    const writer = async (count: number, label: string) => {
      for (let i = 0; i < count; i++) {
        await api.deps.engine.sendMessage(id, `${label} ${i}`);
        await tick();
      }
    };
    const writes = Promise.all([writer(150, 'first writer'), writer(50, 'second writer')]);
    // Clients join at different moments of the burst, each from a different point of the log.
    const watchers: { after: number; watcher: Watcher }[] = [];
    for (let i = 0; i < 10; i++) {
      for (let wait = 0; wait < 3 + i * 2; wait++) await tick();
      const after = i % 2 === 0 ? 0 : Math.max(0, (await lastSeqOf(id)) - 7);
      watchers.push({ after, watcher: watch(api.base, wsPath(id, after), { client: maria }) });
    }
    await writes;
    const last = await lastSeqOf(id);
    expect(last).toBe(start + 200);
    for (const { after, watcher } of watchers) {
      await watcher.waitFor((m) => m.type === 'event' && m.seq === last);
      expect(watcher.events()).toEqual(range(after + 1, last));
      watcher.ws.close();
    }
    // The race was real: some clients switched to live in the middle of the burst.
    const switchedAt = watchers.map(({ watcher }) => watcher.of('replay_done')[0]?.lastSeq ?? 0);
    expect(switchedAt.filter((seq) => seq > start && seq < last).length).toBeGreaterThan(2);
  });

  it('replays a history longer than one page and events hidden by a rewind, marked superseded', async () => {
    const id = await newProject();
    await api.deps.engine.runUntilPause(id);
    const question = (await maria.get(`/api/projects/${id}`)).body.pending[0];
    await maria.post(`/api/projects/${id}/answer`, { pendingId: question.id, answer: 'Luigi’s Trattoria' });
    await api.deps.engine.runUntilPause(id);
    const cut = await lastSeqOf(id);
    await api.deps.engine.rewind(id, question.askedSeq);
    for (let i = 0; i < 520; i++) await api.deps.engine.sendMessage(id, `filler ${i}`);
    const head = await lastSeqOf(id);

    const watcher = watch(api.base, wsPath(id), { client: maria });
    await watcher.waitFor(isType('replay_done'));
    expect(watcher.events()).toEqual(range(1, head));
    const events = watcher.of('event');
    const rewound = events.find((m) => m.event.type === 'rewound');
    expect(rewound?.event.superseded).toBe(false);
    const hidden = events.filter((m) => m.event.superseded).map((m) => m.seq);
    expect(hidden.length).toBeGreaterThan(0);
    expect(hidden.every((seq) => seq > question.askedSeq && seq <= cut)).toBe(true);
    watcher.ws.close();
  });
});

describe('the switch from replay to live, step by step', () => {
  /** A second hub over the same deps whose bus lets a test act between subscribing and replaying. */
  async function hubWith(subscribe: EventBus['subscribe']) {
    const server = createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const hub = attachWsHub(server, { ...api.deps, bus: { ...api.deps.bus, subscribe } });
    const address = server.address();
    const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    return {
      base,
      close: async () => {
        await hub.close();
        await new Promise((resolve) => server.close(resolve));
      },
    };
  }

  it('skips live events the replay already sent (committed after subscribing, before reading)', async () => {
    const id = await newProject();
    const start = await lastSeqOf(id);
    const hub = await hubWith(async (projectId, listener) => {
      const unsubscribe = await api.deps.bus.subscribe(projectId, listener);
      for (let i = 0; i < 5; i++) await api.deps.engine.sendMessage(projectId, `in the window ${i}`);
      return unsubscribe;
    });
    const watcher = watch(hub.base, wsPath(id, start), { client: maria });
    const done = await watcher.waitFor(isType('replay_done'));
    expect(done.lastSeq).toBe(start + 5);
    const [live] = await api.deps.engine.sendMessage(id, 'live');
    await watcher.waitFor((m) => m.type === 'event' && m.seq === live?.seq);
    expect(watcher.events()).toEqual(range(start + 1, start + 6));
    watcher.ws.close();
    await hub.close();
  });

  it('holds live events that arrive during the replay and sends only the ones it did not replay', async () => {
    const id = await newProject();
    const start = await lastSeqOf(id);
    let release: () => void = () => {};
    const hub = await hubWith(async (projectId, listener) => {
      // The bus hands events over late: they reach the hub after the replay read them from the log.
      const late: StoredEvent[] = [];
      let holding = true;
      release = () => {
        holding = false;
        for (const event of late.splice(0)) listener(event);
      };
      const unsubscribe = await api.deps.bus.subscribe(projectId, (event) =>
        holding ? late.push(event) : listener(event),
      );
      for (let i = 0; i < 3; i++) await api.deps.engine.sendMessage(projectId, `committed early ${i}`);
      return unsubscribe;
    });
    const watcher = watch(hub.base, wsPath(id, start), { client: maria });
    await watcher.waitFor(isType('replay_done'));
    await api.deps.engine.sendMessage(id, 'committed after the replay');
    release();
    await watcher.waitFor((m) => m.type === 'event' && m.seq === start + 4);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(watcher.events()).toEqual(range(start + 1, start + 4));
    watcher.ws.close();
    await hub.close();
  });
});

describe('typed messages', () => {
  it('sends agent_status when the owner pauses and resumes', async () => {
    const id = await newProject();
    const watcher = watch(api.base, wsPath(id, await lastSeqOf(id)), { client: maria });
    await watcher.waitFor(isType('replay_done'));
    const [paused] = await api.deps.engine.pause(id);
    const pause = await watcher.waitFor((m) => m.type === 'agent_status' && m.status === 'paused');
    expect(pause).toMatchObject({ seq: paused?.seq, pausedReason: 'user', stage: 'bootstrap' });
    await api.deps.engine.resume(id);
    const resume = await watcher.waitFor((m) => m.type === 'agent_status' && m.status === 'running');
    expect(resume).toMatchObject({ pausedReason: null, resumeAt: null });
    // The typed message follows the event it derives from.
    const eventAt = watcher.messages.findIndex((m) => m.type === 'event' && m.seq === paused?.seq);
    expect(eventAt).toBeGreaterThan(-1);
    expect(eventAt).toBeLessThan(watcher.messages.indexOf(pause));
    watcher.ws.close();
  });

  it('sends pending when the agent asks and when the owner answers, and log lines for its tools', async () => {
    const id = await newProject();
    const watcher = watch(api.base, wsPath(id, await lastSeqOf(id)), { client: maria });
    await watcher.waitFor(isType('replay_done'));
    await api.deps.engine.runUntilPause(id);
    const asked = await watcher.waitFor((m) => m.type === 'pending' && m.status === 'open');
    expect(asked.type === 'pending' && asked.pending).toMatchObject({ kind: 'question' });
    expect(asked.type === 'pending' && asked.pending.question).toMatch(/name of your business/);
    expect(watcher.of('log').map((m) => m.message)).toContain('Running ask_user.');
    await watcher.waitFor((m) => m.type === 'agent_status' && m.status === 'awaiting_human');

    const pendingId = asked.type === 'pending' ? asked.pending.id : '';
    await api.deps.engine.answer(id, { pendingId, answer: 'Rosa’s Bakery' });
    const answered = await watcher.waitFor((m) => m.type === 'pending' && m.status === 'answered');
    expect(answered).toMatchObject({ pending: { id: pendingId } });
    watcher.ws.close();
  });

  it('sends alarm, feature_update with dependents, and progress for board changes', async () => {
    const id = await newProject();
    const watcher = watch(api.base, wsPath(id, await lastSeqOf(id)), { client: maria });
    await watcher.waitFor(isType('replay_done'));
    const db = api.db.db;
    const publish = (stored: Awaited<ReturnType<typeof appendEvents>>) => api.deps.bus.publish(stored);

    const alarm = await db.transaction((tx) =>
      appendEvents(tx, id, [
        alarmEvent({
          type: 'loop_detected',
          severity: 'error',
          message: 'Looping.',
          recommendedAction: 'Rewind.',
        }),
      ]),
    );
    publish(alarm);
    const raised = await watcher.waitFor(isType('alarm'));
    expect(raised).toMatchObject({ seq: alarm[0]?.seq, alarm: { type: 'loop_detected', status: 'open' } });

    const created = await db.transaction((tx) =>
      createItems(tx, id, [
        { name: 'Home page', steps: ['Write it'] },
        { name: 'Menu page', steps: ['Write it'], dependencies: ['Home page'] },
      ]),
    );
    publish(created.events);
    const [home, menu] = created.items;
    await watcher.waitFor((m) => m.type === 'feature_update' && m.itemId === menu?.id);
    expect(watcher.of('feature_update').find((m) => m.itemId === menu?.id)?.item).toMatchObject({
      name: 'Menu page',
      lane: 'backlog',
      waitingFor: [{ id: home?.id, name: 'Home page' }],
    });
    expect((await watcher.waitFor(isType('progress'))).progress).toMatchObject({ total: 2, passing: 0 });

    const passed = await db.transaction((tx) =>
      markPassing(tx, id, home?.id ?? 0, { checks: [{ name: 'renders', passed: true }] }),
    );
    publish(passed.events);
    await watcher.waitFor((m) => m.type === 'progress' && m.progress.passing === 1);
    // The dependent moved out of the backlog, so its card is sent too.
    const menuCards = watcher.of('feature_update').filter((m) => m.itemId === menu?.id);
    expect(menuCards.at(-1)?.item).toMatchObject({ lane: 'ready', waitingFor: [] });
    expect(watcher.of('progress').at(-1)?.progress).toMatchObject({ total: 2, passing: 1, percent: 50 });
    watcher.ws.close();
  });
});

describe('liveness', () => {
  it('answers ping with pong and a malformed message with an error, staying open', async () => {
    const id = await newProject();
    const watcher = watch(api.base, wsPath(id), { client: maria });
    await watcher.waitFor(isType('replay_done'));
    watcher.ws.send(JSON.stringify({ type: 'ping', id: 'abc' }));
    expect(await watcher.waitFor(isType('pong'))).toEqual({ type: 'pong', id: 'abc' });
    for (const bad of ['not json', '{"type":"dance"}', '[]']) watcher.ws.send(bad);
    watcher.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(watcher.of('error')).toHaveLength(4);
    expect(watcher.of('error')[0]).toMatchObject({ code: 'bad_message' });
    watcher.ws.send(JSON.stringify({ type: 'ping' }));
    await watcher.waitFor((m) => m.type === 'pong' && m.id === undefined);
    expect(watcher.ws.readyState).toBe(WebSocket.OPEN);
    watcher.ws.close();
  });

  it('terminates a client that stops answering pings, and keeps one that answers', async () => {
    const id = await newProject();
    const dead = watch(api.base, wsPath(id), { client: maria, autoPong: false });
    const alive = watch(api.base, wsPath(id), { client: maria });
    await Promise.all([dead.waitFor(isType('replay_done')), alive.waitFor(isType('replay_done'))]);
    const closed = await dead.closed;
    // Terminated without a close frame: the client sees an abnormal closure.
    expect(closed.code).toBe(1006);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(alive.ws.readyState).toBe(WebSocket.OPEN);
    alive.ws.close();
  });
});

describe('more than one engine on the database', () => {
  it('delivers events another engine committed, caught up from the log', async () => {
    const id = await newProject();
    const watcher = watch(api.base, wsPath(id, await lastSeqOf(id)), { client: maria });
    await watcher.waitFor(isType('replay_done'));
    const before = await lastSeqOf(id);
    // A second composition root on its own connection to the same database: its commits reach this
    // process by NOTIFY on Postgres, and by the gap the next local event reveals on PGlite.
    const other = api.db.url ? await createDb({ databaseUrl: api.db.url, maxConnections: 2 }) : api.db;
    const deps = await wireDeps({ ...api.deps.env, RUNNER_ENABLED: false }, other, createLogger('silent'));
    try {
      for (let i = 0; i < 3; i++) await deps.engine.sendMessage(id, `from elsewhere ${i}`);
      if (testDriver() === 'pglite') await api.deps.engine.sendMessage(id, 'from here');
      const last = await lastSeqOf(id);
      await watcher.waitFor((m) => m.type === 'event' && m.seq === last);
      expect(watcher.events()).toEqual(range(before + 1, last));
      expect(watcher.of('event').filter((m) => m.event.type === 'owner_message')).toHaveLength(
        testDriver() === 'pglite' ? 4 : 3,
      );
    } finally {
      if (other === api.db) await deps.bus.close();
      else await closeDeps(deps);
    }
    watcher.ws.close();
  });
});

describe('back-pressure and shutdown', () => {
  let small: ApiHarness;
  let owner: ApiClient;
  let ownerId: string;

  beforeAll(async () => {
    small = await startApi({ WS_MAX_BUFFERED_BYTES: String(256 * 1024) });
    ownerId = await small.createUser('owner');
    owner = await small.login('owner');
  });

  afterAll(async () => {
    await small?.close();
  });

  it('drops a client that stops reading with reconnect + 4408; the others get everything', async () => {
    const { id } = await small.deps.engine.createProject({ ownerId, name: 'Big' });
    const slow = watch(small.base, wsPath(id), { client: owner });
    const normal = watch(small.base, wsPath(id), { client: owner });
    await Promise.all([slow.waitFor(isType('replay_done')), normal.waitFor(isType('replay_done'))]);
    expect(small.hub.clients()).toBe(2);
    (slow.ws as unknown as { _socket: { pause(): void } })._socket.pause();

    const text = 'x'.repeat(100_000);
    let sent = 0;
    // Enough to fill both kernel buffers of the paused connection, then the hub's budget.
    while (small.hub.clients() === 2 && sent < 600) {
      await small.deps.engine.sendMessage(id, `${sent} ${text}`);
      sent++;
      // PGlite answers without returning to the event loop: let the sockets move data between commits.
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    expect(small.hub.clients()).toBe(1);
    for (let i = 0; i < 5; i++) await small.deps.engine.sendMessage(id, `after the drop ${i}`);
    const [row] = await small.db.db
      .select({ lastSeq: projects.lastSeq })
      .from(projects)
      .where(eq(projects.id, id));
    const last = row?.lastSeq ?? 0;
    await normal.waitFor((m) => m.type === 'event' && m.seq === last, 20_000);
    expect(normal.events()).toEqual(range(1, last));

    // The slow client, once it reads again, finds a contiguous prefix, the reconnect note and 4408.
    (slow.ws as unknown as { _socket: { resume(): void } })._socket.resume();
    const closed = await slow.closed;
    expect(closed.code).toBe(WsCloseCode.slowConsumer);
    const reconnect = slow.of('reconnect')[0];
    expect(reconnect?.lastSeq).toBeGreaterThan(0);
    expect(slow.events()).toEqual(range(1, reconnect?.lastSeq ?? 0));
    expect(slow.messages.at(-1)?.type).toBe('reconnect');

    // Reconnecting from there fills the rest.
    const again = watch(small.base, wsPath(id, reconnect?.lastSeq), { client: owner });
    await again.waitFor((m) => m.type === 'event' && m.seq === last, 20_000);
    expect(again.events()).toEqual(range((reconnect?.lastSeq ?? 0) + 1, last));
    again.ws.close();
    normal.ws.close();
  });

  it('closes every client with 1001 on close()', async () => {
    const { id } = await small.deps.engine.createProject({ ownerId, name: 'Closing' });
    const watchers = [
      watch(small.base, wsPath(id), { client: owner }),
      watch(small.base, wsPath(id), { client: owner }),
    ];
    await Promise.all(watchers.map((w) => w.waitFor(isType('replay_done'))));
    await small.hub.close();
    const closes = await Promise.all(watchers.map((w) => w.closed));
    expect(closes.map((c) => c.code)).toEqual([WsCloseCode.goingAway, WsCloseCode.goingAway]);
    expect(small.hub.clients()).toBe(0);
  });
});
