/**
 * `pnpm bench` (API part), on PGlite and — when TEST_DATABASE_URL / DATABASE_URL is set — Postgres, with
 * the server and its clients in this one process over loopback:
 *
 * - WebSocket fan-out: 1, 100 and 1000 clients follow one project; the owner sends messages one at a
 *   time and each waits until every client has it. Latency = the client's receipt minus the moment the
 *   engine announced the committed event (the bus hands it to its first listener, before the hub sees
 *   it — a little earlier than the engine call resolving), per client and event; p50/p99/max.
 * - REST under load: `GET /api/projects/:id/features` (the board, 60 items) from 50 concurrent
 *   requesters with keep-alive, 2000 requests; p50/p99 and requests per second — and, for scale, the
 *   same request one at a time (its service time without queueing).
 *
 * The clients share the server's thread, so their own message handling counts in the latency — the
 * numbers are an upper bound for clients on other machines. 1000 clients hold 2000 descriptors here (both
 * ends of each socket): the bench checks `ulimit -n` first and skips levels that would not fit.
 *
 * Prints a table and writes bench/results/api.json at the repository root.
 */
import { execSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { users } from '@sitewright/db';
import {
  createPgliteTestDb,
  createPostgresTestDb,
  type TestDb,
  testDatabaseUrl,
} from '@sitewright/db/testing';
import { createItems, type NewWorkItem } from '@sitewright/engine';
import bcrypt from 'bcrypt';
import WebSocket from 'ws';
import { createApp } from '../src/app.ts';
import { closeDeps, type Deps, wireDeps } from '../src/deps.ts';
import { parseEnv } from '../src/env.ts';
import { createLogger } from '../src/logger.ts';
import { createClient } from '../src/testing/api-harness.ts';
import { attachWsHub, type WsHub } from '../src/ws/hub.ts';

const CLIENT_LEVELS = [1, 100, 1000];
const EVENTS_PER_LEVEL = 200;
const WARMUP_EVENTS = 20;
const CONNECT_BATCH = 50;
const BOARD_ITEMS = 60;
const REST_CONCURRENCY = 50;
const REST_REQUESTS = 2000;
const REST_WARMUP = 100;
const REST_SEQUENTIAL = 200;
const PASSWORD = 'bench password 1234';

function percentile(sorted: ArrayLike<number>, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

/** The soft descriptor limit this process runs under (a child shell inherits it). */
function openFileLimit(): number {
  try {
    const value = execSync('ulimit -n', { shell: '/bin/sh', encoding: 'utf8' }).trim();
    return value === 'unlimited' ? Number.POSITIVE_INFINITY : Number(value);
  } catch {
    return 1024;
  }
}

interface Server {
  base: string;
  deps: Deps;
  hub: WsHub;
  cookie: string;
  ownerId: string;
  close(): Promise<void>;
}

/** The API as main.ts runs it (app + hub on one HTTP server), without a runner, signed in as one owner. */
async function startServer(db: TestDb): Promise<Server> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sitewright-api-bench-'));
  const env = parseEnv({
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    RUNNER_ENABLED: 'false',
    BCRYPT_ROUNDS: '4',
    JWT_SECRET_KEY: 'bench-secret-bench-secret-bench-secret-0123',
    DEFAULT_ADMIN_PASSWORD: PASSWORD,
    WEB_DIST_DIR: join(dataDir, 'no-dashboard'),
  });
  const deps = await wireDeps(env, db, createLogger('silent'));
  const server = createApp(deps).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const hub = attachWsHub(server, deps);
  const address = server.address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const [owner] = await db.db
    .insert(users)
    .values({ username: 'owner', role: 'user', passwordHash: await bcrypt.hash(PASSWORD, 4) })
    .returning({ id: users.id });
  const client = createClient(base);
  const login = await client.post('/api/auth/login', { username: 'owner', password: PASSWORD });
  if (login.status !== 200) throw new Error(`login failed: ${login.status}`);
  return {
    base,
    deps,
    hub,
    cookie: client.cookieHeader(),
    ownerId: owner?.id ?? '',
    async close() {
      await hub.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await closeDeps(deps);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Opens `count` clients on a project from its current head. Each records when an `event` frame
 * arrives; the seq is read from the frame's fixed prefix so the client's own cost stays small.
 */
async function connectClients(
  server: Server,
  projectId: string,
  after: number,
  count: number,
  onEvent: (seq: number, at: number) => void,
): Promise<WebSocket[]> {
  const url = `${server.base.replace('http', 'ws')}/ws/projects/${projectId}?after=${after}`;
  const sockets: WebSocket[] = [];
  const open = () =>
    new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(url, { headers: { cookie: server.cookie, origin: server.base } });
      ws.on('message', (data: Buffer) => {
        const at = performance.now();
        // Frames start `{"type":"event","seq":N,` (the encoder writes `type` and `seq` first).
        if (data[9] === 0x65 /* e */) {
          onEvent(Number(/^\{"type":"event","seq":(\d+)/.exec(data.toString('latin1', 0, 40))?.[1]), at);
        } else if (data.toString('latin1', 0, 22) === '{"type":"replay_done",') resolve(ws);
      });
      ws.once('close', (code) => reject(new Error(`client closed with ${code} while connecting`)));
      ws.once('error', reject);
    });
  for (let started = 0; started < count; started += CONNECT_BATCH) {
    const batch = Math.min(CONNECT_BATCH, count - started);
    sockets.push(...(await Promise.all(Array.from({ length: batch }, open))));
  }
  return sockets;
}

async function closeClients(server: Server, sockets: WebSocket[]): Promise<void> {
  await Promise.all(
    sockets.map(
      (ws) =>
        new Promise<void>((resolve) => {
          if (ws.readyState === WebSocket.CLOSED) return resolve();
          ws.once('close', () => resolve());
          ws.close();
        }),
    ),
  );
  while (server.hub.clients() > 0) await new Promise((resolve) => setTimeout(resolve, 10));
}

/** One level: `clients` followers, EVENTS_PER_LEVEL events each awaited by all of them. */
async function measureFanOut(server: Server, clients: number) {
  const { id } = await server.deps.engine.createProject({
    ownerId: server.ownerId,
    name: `fan-out ${clients}`,
  });
  const committedAt = new Map<number, number>();
  // Subscribed before any client, so this listener runs first when the engine announces a commit.
  const unsubscribe = await server.deps.bus.subscribe(id, (event) =>
    committedAt.set(event.seq, performance.now()),
  );
  const head = (await server.deps.engine.sendMessage(id, 'start')).at(-1)?.seq ?? 0;
  const measured = new Float64Array(EVENTS_PER_LEVEL * clients);
  let filled = 0;
  const lastArrival: number[] = [];
  let measuring = false;
  let waiting: { seq: number; left: number; resolve: () => void } | null = null;
  const onEvent = (seq: number, at: number) => {
    if (!waiting || seq !== waiting.seq) return;
    if (measuring) measured[filled++] = at - (committedAt.get(seq) ?? at);
    waiting.left--;
    if (waiting.left === 0) {
      if (measuring) lastArrival.push(at - (committedAt.get(seq) ?? at));
      waiting.resolve();
    }
  };

  const connectStarted = performance.now();
  const sockets = await connectClients(server, id, head, clients, onEvent);
  const connectMs = performance.now() - connectStarted;

  for (let i = 0; i < WARMUP_EVENTS + EVENTS_PER_LEVEL; i++) {
    measuring = i >= WARMUP_EVENTS;
    const seq = head + 1 + i;
    const received = new Promise<void>((resolve) => {
      waiting = { seq, left: clients, resolve };
    });
    const [event] = await server.deps.engine.sendMessage(id, `Please make the header blue (${i}).`);
    if (event?.seq !== seq) throw new Error(`expected seq ${seq}, got ${event?.seq}`);
    await received;
  }
  unsubscribe();
  await closeClients(server, sockets);

  const samples = measured.slice(0, filled).sort();
  lastArrival.sort((a, b) => a - b);
  return {
    clients,
    events: EVENTS_PER_LEVEL,
    samples: samples.length,
    p50Ms: round(percentile(samples, 50), 3),
    p99Ms: round(percentile(samples, 99), 3),
    maxMs: round(samples[samples.length - 1] ?? 0, 3),
    /** Until the last client of an event had it. */
    allReceivedP99Ms: round(percentile(lastArrival, 99), 3),
    connectMs: Math.round(connectMs),
  };
}

/** The board of a project with BOARD_ITEMS items, read by REST_CONCURRENCY requesters at once. */
async function measureBoard(server: Server) {
  const { id } = await server.deps.engine.createProject({ ownerId: server.ownerId, name: 'board' });
  const items: NewWorkItem[] = Array.from({ length: BOARD_ITEMS }, (_, i) => ({
    name: `Feature ${i + 1}`,
    description: `Section ${i + 1} of the site, as the brief describes it.`,
    category: ['pages', 'content', 'seo', 'polish'][i % 4],
    layer: Math.floor(i / 20),
    steps: ['Write the copy', 'Build the section', 'Check it in the browser'],
    // Chains of five, so lanes and `waitingFor` have work to do.
    dependencies: i % 5 === 0 ? [] : [`Feature ${i}`],
  }));
  await server.deps.db.db.transaction((tx) => createItems(tx, id, items));

  const url = `${server.base}/api/projects/${id}/features`;
  const headers = { cookie: server.cookie };
  const get = async () => {
    const at = performance.now();
    const response = await fetch(url, { headers });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`GET ${url} answered ${response.status}`);
    return performance.now() - at;
  };

  // One at a time first: the service time, without queueing behind other requests.
  const alone: number[] = [];
  for (let i = 0; i < REST_WARMUP + REST_SEQUENTIAL; i++) {
    const ms = await get();
    if (i >= REST_WARMUP) alone.push(ms);
  }
  alone.sort((a, b) => a - b);

  const samples: number[] = [];
  let issued = 0;
  let measuredFrom = performance.now();
  const requester = async () => {
    while (issued < REST_WARMUP + REST_REQUESTS) {
      const index = issued++;
      if (index === REST_WARMUP) measuredFrom = performance.now();
      const ms = await get();
      if (index >= REST_WARMUP) samples.push(ms);
    }
  };
  await Promise.all(Array.from({ length: REST_CONCURRENCY }, requester));
  const seconds = (performance.now() - measuredFrom) / 1000;
  samples.sort((a, b) => a - b);
  return {
    route: 'GET /api/projects/:id/features',
    items: BOARD_ITEMS,
    concurrency: REST_CONCURRENCY,
    requests: samples.length,
    p50Ms: round(percentile(samples, 50), 3),
    p99Ms: round(percentile(samples, 99), 3),
    requestsPerSecond: Math.round(samples.length / seconds),
    alone: {
      requests: alone.length,
      p50Ms: round(percentile(alone, 50), 3),
      p99Ms: round(percentile(alone, 99), 3),
    },
  };
}

const limit = openFileLimit();
// Both ends of every client socket live here, plus the database, the HTTP pool and some headroom.
const levels = CLIENT_LEVELS.filter((clients) => clients * 2 + 256 <= limit);
const skipped = CLIENT_LEVELS.filter((clients) => !levels.includes(clients));
if (skipped.length > 0) {
  process.stderr.write(
    `ulimit -n is ${limit}: skipping ${skipped.join(', ')} clients (raise it to run them)\n`,
  );
}

const databases: { name: string; open: () => Promise<TestDb> }[] = [
  { name: 'pglite', open: createPgliteTestDb },
];
const url = testDatabaseUrl();
if (url) databases.push({ name: 'postgres', open: () => createPostgresTestDb(url) });

const results = [];
const table = [];
for (const database of databases) {
  const db = await database.open();
  const server = await startServer(db);
  try {
    const fanOut = [];
    for (const clients of levels) {
      const level = await measureFanOut(server, clients);
      fanOut.push(level);
      table.push({
        database: database.name,
        measure: `ws fan-out, ${clients} client${clients === 1 ? '' : 's'}`,
        p50Ms: level.p50Ms,
        p99Ms: level.p99Ms,
        extra: `all clients p99 ${level.allReceivedP99Ms} ms; connect ${level.connectMs} ms`,
      });
    }
    const rest = await measureBoard(server);
    table.push({
      database: database.name,
      measure: `REST board, ${rest.concurrency} concurrent`,
      p50Ms: rest.p50Ms,
      p99Ms: rest.p99Ms,
      extra: `${rest.requestsPerSecond} req/s; alone p50 ${rest.alone.p50Ms} ms, p99 ${rest.alone.p99Ms} ms`,
    });
    results.push({ database: database.name, fanOut, rest });
  } finally {
    await server.close();
    await db.close();
  }
}

console.table(table);

const out = new URL('../../../bench/results/', import.meta.url);
mkdirSync(out, { recursive: true });
writeFileSync(
  new URL('api.json', out),
  `${JSON.stringify(
    {
      benchmark: 'api websocket fan-out and REST',
      config: {
        clientLevels: CLIENT_LEVELS,
        eventsPerLevel: EVENTS_PER_LEVEL,
        warmupEvents: WARMUP_EVENTS,
        boardItems: BOARD_ITEMS,
        restConcurrency: REST_CONCURRENCY,
        restRequests: REST_REQUESTS,
        restSequentialRequests: REST_SEQUENTIAL,
        openFileLimit: Number.isFinite(limit) ? limit : 'unlimited',
        skippedClientLevels: skipped,
        sameProcessClients: true,
      },
      results,
    },
    null,
    2,
  )}\n`,
);
