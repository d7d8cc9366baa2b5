/** User administration: CRUD, and how disabling, demoting and deleting a user affect their credentials at once. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ADMIN_PASSWORD, bearer, type Harness, startHarness } from '../helpers.js';
import { createToken, expectError } from './support.js';

let h: Harness;
let admin: Record<string, string>;
before(async () => { h = await startHarness(); admin = { cookie: h.adminCookie }; });
after(async () => { await h.close(); });

const patchUser = (id: number, payload: Record<string, unknown>) => h.req({ method: 'PATCH', url: `/api/v1/users/${id}`, headers: admin, payload });
const verify = async (token: string): Promise<string> =>
  (await h.req({ method: 'POST', url: '/api/v1/verify', headers: admin, payload: { token } })).json().code;

describe('CRUD', () => {
  test('create → 201 with the user and no password; the user can log in', async () => {
    const r = await h.req({ method: 'POST', url: '/api/v1/users', headers: admin,
      payload: { username: 'dana', password: 'dana-password', email: 'dana@example.com', groups: ['ops', 'dev', 'ops'] } });
    assert.equal(r.statusCode, 201);
    const u = r.json();
    assert.deepEqual({ ...u, id: 0, created_at: '', updated_at: '' },
      { id: 0, username: 'dana', email: 'dana@example.com', role: 'user', groups: ['dev', 'ops'], roles: [], permissions: [], disabled: false, created_at: '', updated_at: '' });
    assert.ok(!r.body.includes('dana-password') && !r.body.includes('argon2'));
    await h.login('dana', 'dana-password');
    await h.login('DANA@example.com', 'dana-password'); // the e-mail, case-insensitive, also works
    const shown = await h.req({ method: 'GET', url: `/api/v1/users/${u.id}`, headers: admin });
    assert.deepEqual(shown.json(), u);
  });

  test('list pages through every user', async () => {
    for (const n of ['l1', 'l2', 'l3']) await h.req({ method: 'POST', url: '/api/v1/users', headers: admin, payload: { username: n, password: `${n}-password` } });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const r = await h.req({ method: 'GET', url: `/api/v1/users?limit=2${cursor ? `&cursor=${cursor}` : ''}`, headers: admin });
      assert.equal(r.statusCode, 200);
      seen.push(...r.json().items.map((u: { username: string }) => u.username));
      cursor = r.json().next_cursor;
    } while (cursor);
    assert.equal(new Set(seen).size, seen.length);
    for (const n of ['admin', 'dana', 'l1', 'l2', 'l3']) assert.ok(seen.includes(n), n);
  });

  test('update username, e-mail, groups and password; the old password stops working and sessions end', async () => {
    const u = await h.createUser('erin');
    const r = await patchUser(u.id, { username: 'erin2', email: null, groups: ['g1'], password: 'erin-new-password' });
    assert.equal(r.statusCode, 200);
    assert.deepEqual([r.json().username, r.json().email, r.json().groups], ['erin2', null, ['g1']]);
    expectError(await h.req({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: '10.9.0.1', payload: { username: 'erin2', password: 'erin-password' } }), 401, 'INVALID_LOGIN');
    await h.login('erin2', 'erin-new-password');
    expectError(await h.req({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: u.cookie } }), 401, 'SESSION_INVALID');
    assert.equal(await verify(u.token), 'VALID', 'a password change leaves tokens alone');
  });

  test('a username is unique, case-insensitively → 409', async () => {
    await h.createUser('frank');
    expectError(await h.req({ method: 'POST', url: '/api/v1/users', headers: admin, payload: { username: 'FRANK', password: 'frank-password' } }), 409, 'CONFLICT', /FRANK/);
    const g = await h.createUser('gina');
    expectError(await patchUser(g.id, { username: 'Frank' }), 409, 'CONFLICT');
  });

  test('delete → 204; the user\'s tokens and sessions go with them', async () => {
    const u = await h.createUser('harry');
    const r = await h.req({ method: 'DELETE', url: `/api/v1/users/${u.id}`, headers: admin });
    assert.equal(r.statusCode, 204);
    expectError(await h.req({ method: 'GET', url: `/api/v1/users/${u.id}`, headers: admin }), 404, 'NOT_FOUND');
    assert.equal(await verify(u.token), 'NOT_FOUND');
    assert.equal(await h.t.services.store.getToken(u.tokenId), null);
    expectError(await h.req({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: u.cookie } }), 401, 'SESSION_INVALID');
    expectError(await h.req({ method: 'DELETE', url: `/api/v1/users/${u.id}`, headers: admin }), 404, 'NOT_FOUND');
  });
});

describe('effects on credentials', () => {
  test('disabling a user stops all their tokens at once without touching them; re-enabling restores them', async () => {
    const u = await h.createUser('ivy');
    const second = await createToken(h, { cookie: u.cookie }, { name: 'second', access: 'read' });
    assert.equal(await verify(u.token), 'VALID'); // cached by the verifier
    const before = await h.t.services.store.getToken(u.tokenId);

    assert.equal((await patchUser(u.id, { disabled: true })).json().disabled, true);
    for (const t of [u.token, second.token]) {
      assert.equal(await verify(t), 'DISABLED');
      expectError(await h.req({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(t) }), 401, 'TOKEN_DISABLED');
    }
    expectError(await h.req({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: u.cookie } }), 401, 'SESSION_INVALID');
    expectError(await h.req({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: '10.9.0.2', payload: { username: 'ivy', password: 'ivy-password' } }), 401, 'INVALID_LOGIN');
    const during = await h.t.services.store.getToken(u.tokenId);
    assert.deepEqual({ ...during, useCount: 0, lastUsedAt: null }, { ...before, useCount: 0, lastUsedAt: null }, 'the token rows are untouched');
    const listed = (await h.req({ method: 'GET', url: `/api/v1/tokens?owner=ivy`, headers: admin })).json().items;
    assert.ok(listed.every((t: { status: string }) => t.status === 'active'));

    await patchUser(u.id, { disabled: false });
    assert.equal(await verify(u.token), 'VALID');
    assert.equal((await h.req({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(second.token) })).statusCode, 200);
  });

  test('demoting an admin takes admin rights from their tokens at once; promoting gives them back', async () => {
    const u = await h.createUser('jack', { role: 'admin' });
    assert.equal((await h.req({ method: 'GET', url: '/api/v1/users', headers: bearer(u.token) })).statusCode, 200);
    await patchUser(u.id, { role: 'user' });
    expectError(await h.req({ method: 'GET', url: '/api/v1/users', headers: bearer(u.token) }), 403, 'FORBIDDEN');
    expectError(await h.req({ method: 'GET', url: '/api/v1/audit', headers: { cookie: u.cookie } }), 403, 'FORBIDDEN');
    await patchUser(u.id, { role: 'admin' });
    assert.equal((await h.req({ method: 'GET', url: '/api/v1/users', headers: bearer(u.token) })).statusCode, 200);
  });

  test('the last active admin cannot be demoted, disabled or deleted (409); with a second admin they can', async () => {
    const list = (await h.req({ method: 'GET', url: '/api/v1/users?limit=200', headers: admin })).json().items as { id: number; role: string; disabled: boolean }[];
    for (const x of list.filter((x) => x.role === 'admin' && x.id !== 1)) await patchUser(x.id, { role: 'user' });
    expectError(await patchUser(1, { role: 'user' }), 409, 'CONFLICT', /admin/);
    expectError(await patchUser(1, { disabled: true }), 409, 'CONFLICT', /admin/);
    expectError(await h.req({ method: 'DELETE', url: '/api/v1/users/1', headers: admin }), 409, 'CONFLICT', /admin/);
    const disabledAdmin = await h.createUser('kim', { role: 'admin' });
    await patchUser(disabledAdmin.id, { disabled: true });
    expectError(await patchUser(1, { role: 'user' }), 409, 'CONFLICT'); // a disabled admin does not count
    await patchUser(disabledAdmin.id, { disabled: false });
    const demoted = await patchUser(1, { role: 'user' });
    assert.equal(demoted.statusCode, 200);
    assert.equal(demoted.json().role, 'user');
    const kim = await h.login('kim', 'kim-password'); // disabling ended her sessions
    assert.equal((await h.req({ method: 'PATCH', url: '/api/v1/users/1', headers: { cookie: kim }, payload: { role: 'admin' } })).statusCode, 200);
    assert.equal((await h.req({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: await h.login('admin', ADMIN_PASSWORD) } })).json().user.role, 'admin');
  });
});
