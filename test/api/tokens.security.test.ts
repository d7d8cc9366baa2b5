/**
 * Token rules that protect users from each other, beyond the common matrix in routes.security.test.ts: ids of others'
 * tokens reveal nothing, values never come back except from create/rotate/reveal, and only admins reach past their own.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { bearer, type Harness, startHarness } from '../helpers.js';
import { createToken, expectError } from './support.js';

let h: Harness;
let admin: Record<string, string>;
let alice: Awaited<ReturnType<Harness['createUser']>>;
let bob: Awaited<ReturnType<Harness['createUser']>>;
before(async () => {
  h = await startHarness();
  admin = { cookie: h.adminCookie };
  alice = await h.createUser('alice');
  bob = await h.createUser('bob');
});
after(async () => { await h.close(); });

describe('isolation between users', () => {
  test('another user\'s token id answers exactly like an id that does not exist', async () => {
    const a = bearer(alice.token);
    const other = await h.req({ method: 'GET', url: `/api/v1/tokens/${bob.tokenId}`, headers: a });
    const none = await h.req({ method: 'GET', url: '/api/v1/tokens/tok_0000000000000000', headers: a });
    const e1 = expectError(other, 404, 'NOT_FOUND');
    const e2 = expectError(none, 404, 'NOT_FOUND');
    assert.equal(e1.message.replace(bob.tokenId, 'ID'), e2.message.replace('tok_0000000000000000', 'ID'));
  });

  test('another user\'s token is untouched after every attempt on it', async () => {
    const before = await h.t.services.store.getToken(bob.tokenId);
    const a = bearer(alice.token);
    for (const [method, url, payload] of [['PATCH', `/api/v1/tokens/${bob.tokenId}`, { active: false }], ['DELETE', `/api/v1/tokens/${bob.tokenId}`, undefined],
      ['POST', `/api/v1/tokens/${bob.tokenId}/rotate`, undefined], ['GET', `/api/v1/tokens/${bob.tokenId}/value`, undefined]] as const) {
      expectError(await h.req({ method, url, headers: a, ...(payload ? { payload } : {}) }), 404, 'NOT_FOUND');
    }
    assert.deepEqual(await h.t.services.store.getToken(bob.tokenId), before);
    assert.equal((await h.req({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(bob.token) })).statusCode, 200);
  });

  test('a user does not see service tokens, even by id', async () => {
    const svc = await createToken(h, admin, { kind: 'service', name: 'hidden-svc' });
    expectError(await h.req({ method: 'GET', url: `/api/v1/tokens/${svc.id}`, headers: { cookie: alice.cookie } }), 404, 'NOT_FOUND');
    const mine = (await h.req({ method: 'GET', url: '/api/v1/tokens', headers: { cookie: alice.cookie } })).json().items;
    assert.ok(mine.every((t: { kind: string }) => t.kind === 'personal'));
  });

  test('only admins create service tokens or purge', async () => {
    expectError(await h.req({ method: 'POST', url: '/api/v1/tokens', headers: { cookie: alice.cookie }, payload: { kind: 'service', name: 'mine' } }), 403, 'FORBIDDEN');
    const own = await createToken(h, { cookie: alice.cookie }, { name: 'not-purgeable' });
    expectError(await h.req({ method: 'DELETE', url: `/api/v1/tokens/${own.id}?purge=true`, headers: { cookie: alice.cookie } }), 403, 'FORBIDDEN');
    assert.equal((await h.req({ method: 'GET', url: `/api/v1/tokens/${own.id}`, headers: { cookie: alice.cookie } })).json().status, 'active');
  });

  test('admins reach every token: show, change, revoke a user\'s token and purge a service token', async () => {
    const t = await createToken(h, { cookie: alice.cookie }, { name: 'admin-reach' });
    assert.equal((await h.req({ method: 'GET', url: `/api/v1/tokens/${t.id}`, headers: admin })).json().owner.username, 'alice');
    assert.equal((await h.req({ method: 'PATCH', url: `/api/v1/tokens/${t.id}`, headers: admin, payload: { comment: 'by admin' } })).json().comment, 'by admin');
    assert.equal((await h.req({ method: 'DELETE', url: `/api/v1/tokens/${t.id}`, headers: admin })).json().status, 'revoked');
    const svc = await createToken(h, admin, { kind: 'service', name: 'purge-svc' });
    assert.equal((await h.req({ method: 'DELETE', url: `/api/v1/tokens/${svc.id}?purge=true`, headers: admin })).statusCode, 204);
  });
});

describe('values', () => {
  test('only create, rotate and reveal answer with a value', async () => {
    const t = await createToken(h, { cookie: alice.cookie }, { name: 'value-check', recoverable: true });
    const c = { cookie: alice.cookie };
    const responses = [
      await h.req({ method: 'GET', url: `/api/v1/tokens/${t.id}`, headers: c }),
      await h.req({ method: 'GET', url: '/api/v1/tokens', headers: c }),
      await h.req({ method: 'PATCH', url: `/api/v1/tokens/${t.id}`, headers: c, payload: { comment: 'x' } }),
      await h.req({ method: 'POST', url: '/api/v1/verify', headers: c, payload: { token: t.token } }),
      await h.req({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(t.token) }),
      await h.req({ method: 'DELETE', url: `/api/v1/tokens/${t.id}`, headers: c }),
    ];
    for (const r of responses) {
      assert.ok(r.statusCode < 300, r.body);
      assert.ok(!r.body.includes(t.token), `${r.raw.req.method} ${r.raw.req.url} shows the value`);
      assert.ok(!/"token":"tsr_/.test(r.body));
      assert.ok(!r.body.includes('v1.'), 'nor the encrypted copy');
    }
  });

  test('a personal token never has more rights than its owner has now', async () => {
    const t = await createToken(h, { cookie: alice.cookie }, { name: 'no-escalation', access: 'full' });
    expectError(await h.req({ method: 'GET', url: '/api/v1/users', headers: bearer(t.token) }), 403, 'FORBIDDEN');
    expectError(await h.req({ method: 'PATCH', url: `/api/v1/users/${alice.id}`, headers: bearer(t.token), payload: { role: 'admin' } }), 403, 'FORBIDDEN');
    const w = await createToken(h, { cookie: alice.cookie }, { name: 'write-only', access: 'write' });
    expectError(await h.req({ method: 'PATCH', url: `/api/v1/tokens/${w.id}`, headers: bearer(w.token), payload: { access: 'full' } }), 403, 'INSUFFICIENT_ACCESS');
    expectError(await h.req({ method: 'POST', url: '/api/v1/tokens', headers: bearer(w.token), payload: { access: 'full' } }), 403, 'INSUFFICIENT_ACCESS');
  });
});
