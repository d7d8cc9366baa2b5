/** Refused user requests: each bad field gets 400 VALIDATION_ERROR naming it, and no user is written. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type Harness, startHarness } from '../helpers.js';
import { expectError, lastAuditId } from './support.js';

let h: Harness;
let admin: Record<string, string>;
let userId: number;
before(async () => { h = await startHarness(); admin = { cookie: h.adminCookie }; userId = (await h.createUser('target')).id; });
after(async () => { await h.close(); });

const refused = async (method: 'POST' | 'PATCH', url: string, payload: Record<string, unknown>, names: RegExp) => {
  const [users, audit] = [await h.t.services.store.countUsers(), await lastAuditId(h)];
  expectError(await h.req({ method, url, headers: admin, payload }), 400, 'VALIDATION_ERROR', names);
  assert.equal(await h.t.services.store.countUsers(), users);
  assert.equal(await lastAuditId(h), audit);
};

test('POST /api/v1/users: bad fields → 400 naming the field', async () => {
  const ok = { username: 'newuser', password: 'long-enough' };
  const create = (patch: Record<string, unknown>, names: RegExp) => refused('POST', '/api/v1/users', { ...ok, ...patch }, names);
  await create({ username: undefined }, /username.*required/);
  await create({ password: undefined }, /password.*required/);
  await create({ username: 'has space' }, /username/);
  await create({ username: '-dash' }, /username/);
  await create({ username: 'u'.repeat(65) }, /username/);
  await create({ username: 42 }, /username.*string/);
  await create({ password: 'short' }, /password.*8/);
  await create({ password: 12345678 }, /password.*string/);
  await create({ email: 'not-an-email' }, /email/);
  await create({ role: 'root' }, /role/);
  await create({ groups: 'ops' }, /groups/);
  await create({ groups: ['bad group'] }, /groups/);
  await create({ disabled: 'no' }, /disabled/);
  await create({ is_admin: true }, /is_admin/);
});

test('PATCH /api/v1/users/{id}: bad fields → 400 naming the field', async () => {
  const url = `/api/v1/users/${userId}`;
  await refused('PATCH', url, {}, /body/);
  await refused('PATCH', url, { password: 'short' }, /password/);
  await refused('PATCH', url, { role: 'superuser' }, /role/);
  await refused('PATCH', url, { username: '../etc' }, /username/);
  await refused('PATCH', url, { id: 7 }, /id/);
  const u = (await h.req({ method: 'GET', url, headers: admin })).json();
  assert.equal(u.username, 'target');
});

test('PATCH and DELETE of an unknown user → 404 NOT_FOUND', async () => {
  expectError(await h.req({ method: 'PATCH', url: '/api/v1/users/9999', headers: admin, payload: { role: 'user' } }), 404, 'NOT_FOUND', /9999/);
  expectError(await h.req({ method: 'DELETE', url: '/api/v1/users/9999', headers: admin }), 404, 'NOT_FOUND', /9999/);
});
