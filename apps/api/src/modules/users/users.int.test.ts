import { UserList, UserResponse } from '@sitewright/contracts';
import { users } from '@sitewright/db';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, type ApiHarness, startApi, TEST_PASSWORD } from '../../testing/api-harness.ts';

let h: ApiHarness;
let admin: ApiClient;
let member: ApiClient;
let memberId: string;

beforeAll(async () => {
  h = await startApi();
  admin = await h.login('admin');
  memberId = await h.createUser('member');
  member = await h.login('member');
});
afterAll(async () => {
  await h.close();
});

const someId = '00000000-0000-4000-8000-000000000000';

describe('admin user management', () => {
  it.each([
    ['GET', '/api/users'],
    ['POST', '/api/users'],
    ['DELETE', `/api/users/${someId}`],
  ])('%s %s: 401 anonymous, 403 for a non-admin', async (method, path) => {
    const body = method === 'POST' ? { username: 'mallory', password: 'long enough' } : undefined;
    const anonymous = await h.anonymous().request(method, path, body);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.code).toBe('unauthenticated');
    const forbidden = await member.request(method, path, body);
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.error.code).toBe('forbidden');
    expect(await h.db.db.select().from(users).where(eq(users.username, 'mallory'))).toEqual([]);
  });

  it('lists users without secrets', async () => {
    const response = await admin.get('/api/users');
    expect(response.status).toBe(200);
    const list = UserList.parse(response.body);
    expect(list.users.map((user) => user.username)).toEqual(expect.arrayContaining(['admin', 'member']));
    expect(JSON.stringify(response.body)).not.toMatch(/passwordHash|tokenVersion|\$2[aby]\$/);
  });

  it('creates a user (lower-cased) who can sign in; a taken name is 409', async () => {
    const response = await admin.post('/api/users', {
      username: 'Grace.Hopper',
      password: 'compile me please',
    });
    expect(response.status).toBe(201);
    const { user } = UserResponse.parse(response.body);
    expect(user).toMatchObject({ username: 'grace.hopper', role: 'user' });
    await h.login('grace.hopper', 'compile me please');

    const duplicate = await admin.post('/api/users', { username: 'GRACE.hopper', password: 'another one!' });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.error.code).toBe('conflict');

    const promoted = await admin.post('/api/users', {
      username: 'ops',
      password: 'operations!',
      role: 'admin',
    });
    expect(promoted.status).toBe(201);
    expect(promoted.body.user.role).toBe('admin');
  });

  it.each([
    ['<script>alert(1)</script>'],
    ['"><img src=x onerror=alert(1)>'],
    ['a b'],
    ['ab'],
    ['x'.repeat(65)],
    ['émile'],
    [''],
  ])('rejects the username %j with 400 and creates nothing', async (username) => {
    const before = await h.db.db.select().from(users);
    const response = await admin.post('/api/users', { username, password: 'long enough' });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('invalid_request');
    expect(await h.db.db.select().from(users)).toHaveLength(before.length);
  });

  it('rejects a short password and an unknown role with 400', async () => {
    expect((await admin.post('/api/users', { username: 'shorty', password: 'short' })).status).toBe(400);
    expect(
      (await admin.post('/api/users', { username: 'rooty', password: 'long enough', role: 'root' })).status,
    ).toBe(400);
  });

  it('deletes a user, whose session ends at once', async () => {
    const id = await h.createUser('leaving');
    const leaving = await h.login('leaving');
    expect((await leaving.get('/api/auth/me')).status).toBe(200);

    const response = await admin.delete(`/api/users/${id}`);
    expect(response.status).toBe(204);
    expect((await leaving.get('/api/auth/me')).status).toBe(401);
    expect((await leaving.post('/api/auth/refresh')).status).toBe(401);
    expect(
      (await h.anonymous().post('/api/auth/login', { username: 'leaving', password: TEST_PASSWORD })).status,
    ).toBe(401);
  });

  it('refuses to delete yourself (422) and answers 404 for an unknown user', async () => {
    const me = (await admin.get('/api/auth/me')).body.user.id as string;
    const self = await admin.delete(`/api/users/${me}`);
    expect(self.status).toBe(422);
    expect(self.body.error.code).toBe('rule_violation');
    expect((await admin.delete(`/api/users/${someId}`)).status).toBe(404);
    expect((await admin.delete('/api/users/not-a-uuid')).status).toBe(404);
    expect((await member.get('/api/auth/me')).body.user.id).toBe(memberId);
  });
});
