/**
 * The production topology on plain processes — a private Postgres, two API processes and three
 * runners — seen from outside, through HTTP and the WebSocket: projects created on one API are
 * followed live on the other; a runner dies holding a lease and another takes its projects over;
 * Postgres restarts mid-build. In the end every project is complete, every event reached the other
 * API's WebSocket exactly once, the log holds each seq once, and no work item passed twice.
 *
 * The one look behind the curtain is `runner_leases`: a runner is frozen before it is killed, so the
 * test knows it died holding a lease rather than between two turns.
 */
import {
  ActionResult,
  EventPage,
  ProjectDetail,
  type ProjectEvent,
  ServerMessage,
} from '@sitewright/contracts';
import { createDb, type DbHandle, runnerLeases } from '@sitewright/db';
import { testDriver } from '@sitewright/db/testing';
import { verifyProjections } from '@sitewright/engine';
import { and, eq, gt, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type ApiClient, createClient } from './testing/api-harness.ts';
import { answerFor } from './testing/owner.ts';
import {
  postgresUnavailable,
  startTopology,
  type Topology,
  type TopologyProcess,
} from './testing/topology.ts';

const PROJECTS = 3;
const LEASE_TTL_MS = 4_000;
/** The build of all projects, with a runner killed and Postgres restarted, on a busy two-core machine. */
const BUILD_BUDGET_MS = 330_000;

const unavailable = testDriver() === 'postgres' ? postgresUnavailable() : 'the suite runs on PGlite';
const suite = unavailable ? describe.skip : describe;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let topology: Topology | undefined;
let db: DbHandle | undefined;
const followers: Follower[] = [];

beforeAll(async () => {
  if (unavailable) return;
  topology = await startTopology({ apis: 2, runners: 3, leaseTtlMs: LEASE_TTL_MS });
  db = await createDb({ databaseUrl: topology.postgres.url, migrate: false, maxConnections: 2 });
}, 180_000);

afterAll(async () => {
  for (const follower of followers) follower.stop();
  await db?.close().catch(() => {});
  await topology?.stop();
}, 60_000);

/** A WebSocket client that keeps every event seq it got, and reconnects with `after` = its last seq. */
interface Follower {
  seqs: number[];
  lastSeq(): number;
  reconnects: number;
  closeCodes: number[];
  /** Resolves at the next message or after `timeoutMs`. */
  next(timeoutMs: number): Promise<void>;
  stop(): void;
}

function follow(base: string, cookie: string, projectId: string): Follower {
  const seqs: number[] = [];
  let last = 0;
  let stopped = false;
  let socket: WebSocket | undefined;
  let wake: () => void = () => {};
  const follower: Follower = {
    seqs,
    lastSeq: () => last,
    reconnects: 0,
    closeCodes: [],
    next: (timeoutMs) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, timeoutMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      }),
    stop() {
      stopped = true;
      socket?.close();
    },
  };
  const connect = () => {
    const ws = new WebSocket(`${base.replace('http', 'ws')}/ws/projects/${projectId}?after=${last}`, {
      headers: { cookie, origin: base },
    });
    socket = ws;
    ws.on('message', (data) => {
      const message = ServerMessage.parse(JSON.parse(String(data)));
      if (message.type === 'event') {
        seqs.push(message.seq);
        last = Math.max(last, message.seq);
      }
      wake();
    });
    ws.on('error', () => {});
    ws.on('close', (code) => {
      follower.closeCodes.push(code);
      if (stopped) return;
      follower.reconnects++;
      setTimeout(connect, 500);
    });
  };
  connect();
  return follower;
}

/** Sums every sample of a metric (all label sets) in a process' `/metrics`. */
async function metric(proc: TopologyProcess, name: string): Promise<number> {
  const text = await (await fetch(`${proc.url}/metrics`, { signal: AbortSignal.timeout(5_000) })).text();
  let sum = 0;
  for (const line of text.split('\n')) {
    const match = /^([a-z_]+)(?:\{[^}]*\})? (\S+)$/.exec(line);
    if (match?.[1] === name) sum += Number(match[2]);
  }
  return sum;
}

async function sumMetric(procs: TopologyProcess[], name: string): Promise<number> {
  const values = await Promise.all(procs.map((proc) => metric(proc, name).catch(() => 0)));
  return values.reduce((a, b) => a + b, 0);
}

async function answersOk(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(3_000) });
    await response.body?.cancel();
    return response.status === 200;
  } catch {
    return false;
  }
}

/** Fails at once when a process died that nobody killed: waiting on would only hide why. */
function assertNoCrash(): void {
  const crashes = topology?.crashes() ?? [];
  if (crashes.length > 0) throw new Error(`a process crashed: ${crashes.join('; ')}`);
}

async function waitUntil(what: string, check: () => Promise<boolean> | boolean, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    assertNoCrash();
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/** Every event of a project from `GET /events`, page by page. */
async function eventLog(client: ApiClient, projectId: string): Promise<ProjectEvent[]> {
  const events: ProjectEvent[] = [];
  for (let after = 0; ; ) {
    const page = EventPage.parse(
      (await client.get(`/api/projects/${projectId}/events?after=${after}&limit=1000`)).body,
    );
    events.push(...page.events);
    if (!page.hasMore || page.events.length === 0) return events;
    after = page.events.at(-1)?.seq ?? after;
  }
}

/** Items that went to `passing` while already passing (a step applied twice). */
function doublePasses(events: ProjectEvent[]): string[] {
  const passing = new Set<string>();
  const doubled: string[] = [];
  for (const event of events) {
    if (event.type !== 'work_item_status_changed' || event.superseded) continue;
    const { itemId, from, to } = event.payload as { itemId: string; from: string; to: string };
    if (to === 'passing') {
      if (passing.has(itemId)) doubled.push(`${itemId} at seq ${event.seq}`);
      passing.add(itemId);
    } else if (from === 'passing') passing.delete(itemId);
  }
  return doubled;
}

suite('the multi-process topology (2 APIs, 3 runners, one Postgres)', () => {
  it('builds every project through a runner death and a Postgres restart, losing and repeating nothing', async () => {
    const t = topology as Topology;
    const leases = (db as DbHandle).db;
    const [api1, api2] = t.apis as [TopologyProcess, TopologyProcess];
    const timings: Record<string, number | string> = {};
    const failures: string[] = [];

    try {
      // Signed in on API 1; the cookie works on API 2, which signs with the same JWT_SECRET_KEY.
      const owner1 = createClient(api1.url);
      const login = await owner1.post('/api/auth/login', { username: 'admin', password: t.adminPassword });
      expect(login.status, JSON.stringify(login.body)).toBe(200);
      const owner2 = createClient(api2.url);
      for (const [name, value] of owner1.cookies) owner2.cookies.set(name, value);
      expect((await owner2.get('/api/auth/me')).status).toBe(200);

      const projectIds: string[] = [];
      for (let i = 0; i < PROJECTS; i++) {
        const created = await owner1.post('/api/projects', { name: `Pizzeria ${i + 1}` });
        expect(created.status).toBe(201);
        const id = ProjectDetail.parse(created.body).project.id;
        projectIds.push(id);
        followers.push(follow(api2.url, owner1.cookieHeader(), id));
      }

      // The owner answers through both APIs in turn; requests failing while Postgres is down are retried.
      const statuses = new Map<string, string>();
      /** Every answer the owner got that was not a success, by status: 503s during the restart are fine. */
      const refusals = new Map<number, number>();
      const count = (status: number | undefined) => {
        if (status === undefined || status >= 400)
          refusals.set(status ?? 0, (refusals.get(status ?? 0) ?? 0) + 1);
      };
      const deadline = Date.now() + BUILD_BUDGET_MS;
      const playOwner = async (projectId: string, follower: Follower) => {
        let turn = 0;
        while (Date.now() < deadline) {
          assertNoCrash();
          const client = turn++ % 2 === 0 ? owner1 : owner2;
          const response = await client.get(`/api/projects/${projectId}`).catch(() => null);
          count(response?.status);
          if (response?.status !== 200) {
            await sleep(500);
            continue;
          }
          const detail = ProjectDetail.parse(response.body);
          statuses.set(projectId, detail.project.status);
          if (detail.project.status === 'completed') return detail;
          if (
            detail.project.status === 'failed' ||
            (detail.project.status === 'paused' && detail.pending.length === 0)
          ) {
            throw new Error(
              `project ${projectId} stopped: ${detail.project.status} ${detail.project.pausedReason} ${JSON.stringify(detail.alarms)}`,
            );
          }
          for (const pending of detail.pending) {
            const answered = await client
              .post(`/api/projects/${projectId}/answer`, answerFor(pending))
              .catch(() => null);
            if (answered?.status !== 409) count(answered?.status);
            // 409: another answer won (a retry after a lost response); 5xx: the database is restarting.
            if (answered?.status === 200) ActionResult.parse(answered.body);
          }
          await follower.next(2_000);
        }
        throw new Error(`project ${projectId} did not complete in time (last: ${statuses.get(projectId)})`);
      };
      const owners = Promise.all(projectIds.map((id, i) => playOwner(id, followers[i] as Follower)));
      owners.catch(() => {}); // awaited below; a rejection must not go unhandled meanwhile

      // ----------------------------------------------------------------- a runner dies holding a lease
      let killed: { runner: TopologyProcess; projects: string[]; at: number } | undefined;
      await waitUntil(
        'a runner driving a project',
        async () => {
          for (const runner of t.runners) {
            if ((await metric(runner, 'sitewright_active_runs').catch(() => 0)) === 0) continue;
            // Frozen, it can neither finish its turn nor release: what the table says now holds at the kill.
            runner.child.kill('SIGSTOP');
            const held = await leases
              .select({ projectId: runnerLeases.projectId })
              .from(runnerLeases)
              .where(and(eq(runnerLeases.runnerId, runner.runnerId), gt(runnerLeases.expiresAt, sql`now()`)));
            if (held.length === 0) {
              runner.child.kill('SIGCONT');
              continue;
            }
            await t.killRunner(t.runners.indexOf(runner), 'SIGKILL');
            killed = { runner, projects: held.map((row) => row.projectId), at: Date.now() };
            return true;
          }
          return false;
        },
        120_000,
      );
      const victim = killed as NonNullable<typeof killed>;
      const survivors = t.runners.filter((runner) => runner !== victim.runner);
      timings.killedRunner = `${victim.runner.name} holding ${victim.projects.length} lease(s)`;

      await waitUntil(
        "another runner taking the dead runner's projects over",
        async () => {
          const rows = await leases
            .select({ runnerId: runnerLeases.runnerId })
            .from(runnerLeases)
            .where(inArray(runnerLeases.projectId, victim.projects));
          return rows.every((row) => row.runnerId !== victim.runner.runnerId);
        },
        LEASE_TTL_MS + 60_000,
      );
      timings.takeoverMs = Date.now() - victim.at;
      await waitUntil(
        'a lease takeover counted in /metrics',
        async () => (await sumMetric(survivors, 'sitewright_lease_takeovers_total')) > 0,
        10_000,
      );

      // ----------------------------------------------------------------- Postgres restarts mid-build
      const unfinished = projectIds.filter((id) => statuses.get(id) !== 'completed');
      expect(unfinished.length, 'a project still building when Postgres restarts').toBeGreaterThan(0);
      const stepsBefore = await sumMetric(survivors, 'sitewright_steps_total');
      const restartAt = Date.now();
      await t.restartPostgres({ downMs: 2_000 });
      const upAt = Date.now();
      timings.postgresRestartMs = upAt - restartAt;
      await waitUntil(
        'both APIs healthy and ready again',
        async () =>
          (
            await Promise.all(
              t.apis.flatMap((api) => [
                answersOk(`${api.url}/api/health`),
                answersOk(`${api.url}/api/ready`),
              ]),
            )
          ).every(Boolean),
        60_000,
      );
      timings.apisReadyAfterRestartMs = Date.now() - upAt;
      await waitUntil(
        'the surviving runners ready again',
        async () => (await Promise.all(survivors.map((r) => answersOk(`${r.url}/api/ready`)))).every(Boolean),
        60_000,
      );
      timings.runnersReadyAfterRestartMs = Date.now() - upAt;
      for (const runner of survivors)
        expect(runner.alive(), `${runner.name} survived the restart`).toBe(true);
      await waitUntil(
        'runners stepping again after the restart',
        async () => (await sumMetric(survivors, 'sitewright_steps_total')) > stepsBefore,
        90_000,
      );
      timings.firstStepAfterRestartMs = Date.now() - upAt;

      // ----------------------------------------------------------------- everything completes, once
      const completed = await owners;
      timings.allCompletedMs = Date.now() - restartAt;
      for (const detail of completed) {
        expect(detail.project.status).toBe('completed');
        expect(detail.progress.percent).toBe(100);
      }

      for (const [i, projectId] of projectIds.entries()) {
        const follower = followers[i] as Follower;
        const detail = ProjectDetail.parse((await owner2.get(`/api/projects/${projectId}`)).body);
        const lastSeq = detail.project.lastSeq;
        await waitUntil(
          `API 2's WebSocket delivering project ${i + 1} up to seq ${lastSeq}`,
          () => follower.lastSeq() >= lastSeq,
          30_000,
        ).catch((error: Error) => failures.push(`${error.message} (got up to ${follower.lastSeq()})`));
        // Live on the other API: every event once, in order, across reconnects.
        expect(follower.seqs, `WebSocket seqs of project ${i + 1}`).toEqual(
          Array.from({ length: lastSeq }, (_, k) => k + 1),
        );
        const log = await eventLog(owner1, projectId);
        expect(
          log.map((event) => event.seq),
          `log seqs of project ${i + 1}`,
        ).toEqual(Array.from({ length: lastSeq }, (_, k) => k + 1));
        expect(doublePasses(log), `items passed twice in project ${i + 1}`).toEqual([]);
        expect(await verifyProjections(leases, projectId), `projections of project ${i + 1}`).toEqual({
          ok: true,
          differences: [],
        });
        timings[`project${i + 1}`] =
          `${lastSeq} events, ${follower.reconnects} reconnect(s) ${JSON.stringify(follower.closeCodes)}`;
      }
      timings.refusedRequests = JSON.stringify(Object.fromEntries(refusals));
      // A database restart is an outage, never a sign-out.
      expect(refusals.get(401) ?? 0, 'requests answered 401').toBe(0);
      expect(failures).toEqual([]);
      expect(t.crashes()).toEqual([]);
      console.info(`topology timings: ${JSON.stringify(timings, null, 2)}`);
    } catch (error) {
      console.info(`topology timings so far: ${JSON.stringify(timings, null, 2)}`);
      const message = error instanceof Error ? error.message : String(error);
      throw new Error(`${message}\n${t.describe()}`, { cause: error });
    }
  }, 480_000);
});
