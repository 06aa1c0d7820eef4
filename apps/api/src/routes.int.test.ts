/**
 * Every route of the contract × every kind of caller: anonymous, another user, the owner, an admin.
 * The table comes from `apiRoutes` (the same one the OpenAPI document is generated from), so a new
 * route is covered the moment it is declared — and a declared route that is not served fails here.
 */
import { type ApiRoute, apiRoutes, ErrorBody } from '@sitewright/contracts';
import { createItems } from '@sitewright/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, type ApiHarness, startApi, TEST_PASSWORD } from './testing/api-harness.ts';

let api: ApiHarness;
let owner: ApiClient;
let other: ApiClient;
let admin: ApiClient;

beforeAll(async () => {
  // Every caller signs in as the owner once in the matrix; the rate limit has its own tests.
  api = await startApi({ LOGIN_RATE_LIMIT: '1000' });
  await api.createUser('owner');
  await api.createUser('other');
  await api.createUser('boss', 'admin');
  [owner, other, admin] = await Promise.all([api.login('owner'), api.login('other'), api.login('boss')]);
});

afterAll(async () => {
  await api?.close();
});

interface Fixture {
  id: string;
  fid: number;
  sid: string;
  pendingId: string;
  askedSeq: number;
  userId: string;
}

let counter = 0;

/** A fresh project of `owner` with an open question, a card and a snapshot; a fresh spare user. */
async function fixture(): Promise<Fixture> {
  const ownerId = (await owner.get('/api/auth/me')).body.user.id as string;
  const { id } = await api.deps.engine.createProject({ ownerId, name: 'Matrix' });
  await api.deps.engine.runUntilPause(id);
  const detail = (await owner.get(`/api/projects/${id}`)).body;
  const { items } = await api.db.db.transaction((tx) =>
    createItems(tx, id, [{ name: 'Menu page', description: 'The menu', steps: ['Open /menu/'] }]),
  );
  const snapshot = await api.deps.engine.createSnapshot(id, 'before');
  const userId = await api.createUser(`spare${++counter}`);
  return {
    id,
    fid: (items[0] as { id: number }).id,
    sid: snapshot.id,
    pendingId: detail.pending[0].id,
    askedSeq: detail.pending[0].askedSeq,
    userId,
  };
}

function pathOf(route: ApiRoute, f: Fixture): string {
  return route.path
    .replace('{id}', f.id)
    .replace('{fid}', String(f.fid))
    .replace('{sid}', f.sid)
    .replace('{userId}', f.userId)
    .replace('{file}', 'home-desktop-shot.png');
}

/** A valid body for each route that takes one. */
function bodyOf(route: ApiRoute, f: Fixture, caller: string): unknown {
  switch (`${route.method} ${route.path}`) {
    case 'post /api/auth/login':
      return { username: 'owner', password: TEST_PASSWORD };
    case 'post /api/auth/change-password':
      return { current: TEST_PASSWORD, next: 'another long password' };
    case 'post /api/users':
      return { username: `made-by-${caller}-${++counter}`, password: 'a long enough password' };
    case 'post /api/projects':
      return { name: 'From the matrix' };
    case 'patch /api/projects/{id}/models':
      // Without a provider key only a no-op (or clearing) is possible; the models test covers the rest.
      return {};
    case 'post /api/projects/{id}/answer':
      return { pendingId: f.pendingId, answer: 'Matrix Bakery' };
    case 'post /api/projects/{id}/messages':
      return { text: 'hello' };
    case 'post /api/projects/{id}/rewind':
      return { seq: f.askedSeq };
    case 'post /api/projects/{id}/features':
      return { name: 'Gallery', description: 'Photos', steps: ['Open /gallery/'] };
    case 'post /api/projects/{id}/features/bug':
      return { name: 'Wrong phone', description: 'Footer', stepsToReproduce: ['Open /'], page: '/' };
    case 'patch /api/projects/{id}/features/{fid}':
      return { priority: 5 };
    case 'post /api/projects/{id}/specs':
      return { name: 'Catering', content: 'Add a catering page.' };
    case 'post /api/projects/{id}/snapshots':
      return { name: 'manual' };
    default:
      return route.method === 'get' || route.method === 'delete' ? undefined : {};
  }
}

/** Statuses the owner may also see because of the project's state (not because of access). */
const stateful: Record<string, number[]> = {
  'post /api/projects/{id}/agent/start': [409],
  'post /api/projects/{id}/agent/resume': [409],
  'post /api/projects/{id}/rewind': [422],
  'get /api/projects/{id}/site.zip': [404],
  // The fixture's project has run no browser check: it has no screenshots.
  'get /api/projects/{id}/evidence/{file}': [404],
};

/**
 * Routes that change who the client is signed in as, or as whom it can sign in, run on a throwaway
 * client so the shared callers keep their sessions.
 */
async function clientFor(route: ApiRoute, client: ApiClient, caller: string): Promise<ApiClient> {
  if (route.path === '/api/auth/login') return api.anonymous();
  if (route.path === '/api/auth/change-password' && caller !== 'anonymous') {
    const username = `pw-${caller}-${++counter}`;
    await api.createUser(username, caller === 'admin' ? 'admin' : 'user');
    return api.login(username);
  }
  return client;
}

async function call(client: ApiClient, route: ApiRoute, caller: string) {
  const f = await fixture();
  const body = bodyOf(route, f, caller);
  const actor = await clientFor(route, client, caller);
  return actor.request(route.method.toUpperCase(), pathOf(route, f), body);
}

// Logging out would end the callers' sessions mid-matrix; the auth tests cover it.
const routes = apiRoutes.filter((route) => route.path !== '/api/auth/logout');

describe.each(routes.map((route) => [`${route.method.toUpperCase()} ${route.path}`, route] as const))(
  '%s',
  (_name, route) => {
    const key = `${route.method} ${route.path}`;
    const allowed = [route.status, ...(stateful[key] ?? [])];

    it('anonymous', async () => {
      const response = await call(api.anonymous(), route, 'anonymous');
      if (key === 'post /api/auth/refresh') {
        expect(response.status).toBe(401); // public, but there is no refresh cookie to rotate
      } else if (route.access === 'public') {
        expect(response.status).not.toBe(401);
      } else {
        expect(response.status).toBe(401);
        expect(ErrorBody.parse(response.body).error.code).toBe('unauthenticated');
      }
    });

    it('another user', async () => {
      const response = await call(other, route, 'other');
      if (route.access === 'owner') {
        expect(response.status).toBe(404);
        expect(JSON.stringify(response.body)).not.toContain('Matrix');
      } else if (route.access === 'admin') {
        expect(response.status).toBe(403);
      } else {
        expect(allowed).toContain(response.status);
      }
    });

    it('the owner', async () => {
      const response = await call(owner, route, 'owner');
      if (route.access === 'admin') expect(response.status).toBe(403);
      else expect(allowed).toContain(response.status);
    });

    it('an admin', async () => {
      const response = await call(admin, route, 'admin');
      expect(allowed).toContain(response.status);
    });
  },
);
