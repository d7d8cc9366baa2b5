/**
 * Token lifecycle through the native API: create, show, list, update, revoke, purge, rotate, reveal, as the owner
 * of the token would use them.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { bearer, type Harness, startHarness } from '../helpers.js';
import { createToken, expectError } from './support.js';

let h: Harness;
let admin: Record<string, string>;
before(async () => { h = await startHarness(); admin = { cookie: h.adminCookie }; });
after(async () => { await h.close(); });

const get = (url: string, headers = admin) => h.req({ method: 'GET', url, headers });
const verify = async (token: string): Promise<string> =>
  (await h.req({ method: 'POST', url: '/api/v1/verify', headers: admin, payload: { token } })).json().code;

describe('create', () => {
  test('201 with every field and the value, which is never shown again', async () => {
    const r = await h.req({ method: 'POST', url: '/api/v1/tokens', headers: admin,
      payload: { name: 'deploy', comment: 'for CI', access: 'read', metadata: { team: 'ops' }, expires_in: 3600 } });
    assert.equal(r.statusCode, 201);
    const b = r.json();
    assert.match(b.id, /^tok_/);
    assert.match(b.token, /^tsr_[0-9A-Za-z]{33}$/);
    assert.equal(b.prefix, b.token.slice(0, 10));
    assert.deepEqual({ name: b.name, comment: b.comment, kind: b.kind, access: b.access, status: b.status, active: b.active, recoverable: b.recoverable, metadata: b.metadata, use_count: b.use_count, last_used_at: b.last_used_at, revoked_at: b.revoked_at },
      { name: 'deploy', comment: 'for CI', kind: 'personal', access: 'read', status: 'active', active: true, recoverable: false, metadata: { team: 'ops' }, use_count: 0, last_used_at: null, revoked_at: null });
    assert.deepEqual(b.owner, { id: 1, username: 'admin' });
    assert.equal(Date.parse(b.expires_at), h.clock.now() + 3600_000);
    assert.equal(Date.parse(b.created_at), h.clock.now());

    const shown = await get(`/api/v1/tokens/${b.id}`);
    assert.equal(shown.statusCode, 200);
    const { token: _value, ...withoutValue } = b;
    assert.deepEqual(shown.json(), { ...withoutValue, last_used_from: [] }, 'show adds the last-used addresses (none yet)');
    assert.ok(!shown.body.includes(b.token));
    const list = await get('/api/v1/tokens?limit=200');
    assert.ok(list.json().items.some((t: { id: string }) => t.id === b.id));
    assert.ok(!list.body.includes(b.token), 'the value is not in the listing');
    assert.ok(list.json().items.every((t: Record<string, unknown>) => !('token' in t)));
  });

  test('defaults: access write, active, not recoverable, no name, no expiry', async () => {
    const { body } = await createToken(h, admin);
    assert.deepEqual([body.access, body.active, body.recoverable, body.name, body.expires_at, body.comment, body.metadata], ['write', true, false, null, null, '', null]);
    assert.equal(await verify(body.token), 'VALID');
  });

  test('expires_at in the future is kept to the millisecond', async () => {
    const at = new Date(h.clock.now() + 86_400_000).toISOString();
    const { body } = await createToken(h, admin, { expires_at: at });
    assert.equal(body.expires_at, at);
  });

  test('expires_in: valid until then, EXPIRED after, listed as expired', async () => {
    const { id, token } = await createToken(h, admin, { name: 'short-lived', expires_in: 30 });
    h.clock.advance(29_000);
    assert.equal(await verify(token), 'VALID');
    h.clock.advance(1_000);
    assert.equal(await verify(token), 'EXPIRED');
    expectError(await get('/api/v1/auth/me', bearer(token)), 401, 'TOKEN_EXPIRED');
    assert.equal((await get(`/api/v1/tokens/${id}`)).json().status, 'expired');
  });

  test('a name is unique per owner among live tokens only; another user may reuse it', async () => {
    const first = await createToken(h, admin, { name: 'unique-name' });
    expectError(await h.req({ method: 'POST', url: '/api/v1/tokens', headers: admin, payload: { name: 'unique-name' } }), 409, 'CONFLICT', /unique-name/);
    const bob = await h.createUser('bob-names');
    await createToken(h, { cookie: bob.cookie }, { name: 'unique-name' });
    await h.req({ method: 'DELETE', url: `/api/v1/tokens/${first.id}`, headers: admin });
    await createToken(h, admin, { name: 'unique-name' });
  });

  test('service tokens: admin-made, named, no owner, and verify', async () => {
    const { body } = await createToken(h, admin, { kind: 'service', name: 'svc-reports', access: 'read' });
    assert.equal(body.kind, 'service');
    assert.equal(body.owner, null);
    assert.equal(await verify(body.token), 'VALID');
    const me = await get('/api/v1/auth/me', bearer(body.token));
    assert.deepEqual(me.json(), { user: null, credential: { type: 'token', access: 'read', token_id: body.id, jwt: false } });
  });
});

describe('update', () => {
  test('PATCH changes name, comment, access, active, expiry and metadata, and they apply at once', async () => {
    const { id, token } = await createToken(h, admin, { name: 'patch-me', access: 'full' });
    const at = new Date(h.clock.now() + 7_200_000).toISOString();
    const r = await h.req({ method: 'PATCH', url: `/api/v1/tokens/${id}`, headers: admin,
      payload: { name: 'patched', comment: 'new comment', access: 'read', active: false, expires_at: at, metadata: { k: 1 } } });
    assert.equal(r.statusCode, 200);
    const b = r.json();
    assert.deepEqual([b.name, b.comment, b.access, b.active, b.status, b.expires_at, b.metadata], ['patched', 'new comment', 'read', false, 'inactive', at, { k: 1 }]);
    assert.equal(await verify(token), 'DISABLED');
    await h.req({ method: 'PATCH', url: `/api/v1/tokens/${id}`, headers: admin, payload: { active: true, expires_at: null, metadata: null, name: null } });
    const again = (await get(`/api/v1/tokens/${id}`)).json();
    assert.deepEqual([again.active, again.expires_at, again.metadata, again.name], [true, null, null, null]);
    assert.equal(await verify(token), 'VALID');
    expectError(await get('/api/v1/tokens', bearer(token)), 403, 'INSUFFICIENT_ACCESS');
  });

  test('PATCH to a name another live token has → 409', async () => {
    await createToken(h, admin, { name: 'taken' });
    const { id } = await createToken(h, admin, { name: 'other' });
    expectError(await h.req({ method: 'PATCH', url: `/api/v1/tokens/${id}`, headers: admin, payload: { name: 'taken' } }), 409, 'CONFLICT');
    assert.equal((await get(`/api/v1/tokens/${id}`)).json().name, 'other');
  });
});

describe('revoke and purge', () => {
  test('DELETE revokes: the token stops at once and stays listed as revoked; a second DELETE is harmless', async () => {
    const { id, token } = await createToken(h, admin, { name: 'to-revoke' });
    assert.equal(await verify(token), 'VALID'); // now in the verifier's cache
    const r = await h.req({ method: 'DELETE', url: `/api/v1/tokens/${id}`, headers: admin });
    assert.equal(r.statusCode, 200);
    assert.equal(r.json().status, 'revoked');
    assert.equal(Date.parse(r.json().revoked_at), h.clock.now());
    assert.equal(await verify(token), 'REVOKED');
    expectError(await get('/api/v1/auth/me', bearer(token)), 401, 'TOKEN_REVOKED');
    const listed = (await get('/api/v1/tokens?status=revoked&limit=200')).json().items;
    assert.ok(listed.some((t: { id: string; status: string }) => t.id === id && t.status === 'revoked'));
    const again = await h.req({ method: 'DELETE', url: `/api/v1/tokens/${id}`, headers: admin });
    assert.equal(again.statusCode, 200);
    assert.equal(again.json().revoked_at, r.json().revoked_at);
    expectError(await h.req({ method: 'PATCH', url: `/api/v1/tokens/${id}`, headers: admin, payload: { comment: 'x' } }), 409, 'CONFLICT');
    expectError(await h.req({ method: 'POST', url: `/api/v1/tokens/${id}/rotate`, headers: admin }), 409, 'CONFLICT');
  });

  test('DELETE ?purge=true (admin) removes the token for good', async () => {
    const { id, token } = await createToken(h, admin, { name: 'to-purge' });
    const r = await h.req({ method: 'DELETE', url: `/api/v1/tokens/${id}?purge=true`, headers: admin });
    assert.equal(r.statusCode, 204);
    assert.equal(r.body, '');
    expectError(await get(`/api/v1/tokens/${id}`), 404, 'NOT_FOUND');
    assert.equal(await h.t.services.store.getToken(id), null);
    assert.equal(await verify(token), 'NOT_FOUND');
  });
});

describe('rotate', () => {
  test('grace_seconds: the old value works inside the grace period and not after; the new one works', async () => {
    const { id, token: old } = await createToken(h, admin, { name: 'rotating', access: 'full' });
    const r = await h.req({ method: 'POST', url: `/api/v1/tokens/${id}/rotate`, headers: admin, payload: { grace_seconds: 60 } });
    assert.equal(r.statusCode, 200);
    const fresh = r.json().token as string;
    assert.notEqual(fresh, old);
    assert.equal(r.json().id, id);
    assert.equal(r.json().prefix, fresh.slice(0, 10));
    assert.equal(await verify(old), 'VALID');
    assert.equal(await verify(fresh), 'VALID');
    h.clock.advance(59_000);
    assert.equal((await get('/api/v1/auth/me', bearer(old))).statusCode, 200);
    h.clock.advance(1_000);
    assert.equal(await verify(old), 'ROTATED');
    expectError(await get('/api/v1/auth/me', bearer(old)), 401, 'TOKEN_ROTATED');
    assert.equal(await verify(fresh), 'VALID');
    assert.equal((await get(`/api/v1/tokens/${id}`)).json().status, 'active');
  });

  test('without a body (or with an empty JSON body) the old value stops at once', async () => {
    const { id, token: old } = await createToken(h, admin, { name: 'rotate-now' });
    const r = await h.req({ method: 'POST', url: `/api/v1/tokens/${id}/rotate`, headers: admin });
    assert.equal(r.statusCode, 200, r.body);
    assert.equal(await verify(old), 'ROTATED');
    assert.equal(await verify(r.json().token), 'VALID');
    const r2 = await h.req({ method: 'POST', url: `/api/v1/tokens/${id}/rotate`, headers: { ...admin, 'content-type': 'application/json' } });
    assert.equal(r2.statusCode, 200, r2.body);
    assert.equal(await verify(r.json().token), 'ROTATED');
  });

  test('a token can rotate itself and keep working through the new value', async () => {
    const { id, token } = await createToken(h, admin, { name: 'self-rotate', access: 'full' });
    const r = await h.req({ method: 'POST', url: `/api/v1/tokens/${id}/rotate`, headers: bearer(token), payload: { grace_seconds: 0 } });
    assert.equal(r.statusCode, 200);
    assert.equal((await get('/api/v1/auth/me', bearer(r.json().token))).json().credential.token_id, id);
  });
});

describe('reveal', () => {
  test('a recoverable token shows its current value again, also after rotation; each reveal is audited', async () => {
    const { id, token } = await createToken(h, admin, { name: 'recoverable', recoverable: true });
    const r = await get(`/api/v1/tokens/${id}/value`);
    assert.equal(r.statusCode, 200);
    assert.deepEqual(r.json(), { id, token });
    const rotated = (await h.req({ method: 'POST', url: `/api/v1/tokens/${id}/rotate`, headers: admin })).json().token;
    assert.equal((await get(`/api/v1/tokens/${id}/value`)).json().token, rotated);
    const audit = (await get(`/api/v1/audit?action=token.reveal&target=${id}`)).json().items;
    assert.equal(audit.length, 2);
    assert.deepEqual(audit[0].actor, { type: 'user', id: '1', name: 'admin' });
  });

  test('a token that is not recoverable → 404 TOKEN_NOT_RECOVERABLE, and nothing is audited', async () => {
    const { id } = await createToken(h, admin, { name: 'not-recoverable' });
    expectError(await get(`/api/v1/tokens/${id}/value`), 404, 'TOKEN_NOT_RECOVERABLE');
    assert.equal((await get(`/api/v1/audit?action=token.reveal&target=${id}`)).json().items.length, 0);
  });
});
