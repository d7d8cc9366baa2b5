/**
 * What the verification hot path changed must keep working: cookies are parsed only where credentials are read
 * (@fastify/cookie without its onRequest hook), request ids come from a per-server tag and a counter, and routes
 * without authentication use a callback-style hook.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { bearer, type Harness, startHarness } from '../helpers.js';
import { hashValue } from '../../src/core/tokens/format.js';
import { expectError, unknownToken } from './support.js';

describe('hot path: cookies, request ids, anonymous routes', () => {
  let h: Harness;
  let other: Harness;
  before(async () => { h = await startHarness(); other = await startHarness(); });
  after(async () => { await h.close(); await other.close(); });

  test('a session cookie among other cookies authenticates; so does a token cookie on forward-auth', async () => {
    const me = await h.req({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: `theme=dark; ${h.adminCookie}; lang=en` } });
    assert.equal(me.statusCode, 200, me.body);
    assert.equal(me.json().credential.type, 'session');
    const { token } = await h.adminToken({ access: 'read' });
    const fwd = await h.req({ method: 'GET', url: '/api/v1/auth/forward', headers: { cookie: `a=1; token=${token}` } });
    assert.equal(fwd.statusCode, 204, fwd.body);
    assert.equal(fwd.headers['x-tessera-access'], 'read');
  });

  test('a Cookie header without credentials is no credential; a different token in a cookie and a header is refused', async () => {
    expectError(await h.req({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: 'theme=dark; lang=en' } }), 401, 'UNAUTHENTICATED');
    const a = await h.adminToken();
    const b = await h.adminToken();
    expectError(await h.req({ method: 'GET', url: '/api/v1/auth/me', headers: { ...bearer(a.token), cookie: `token=${b.token}` } }), 400, 'AMBIGUOUS_CREDENTIALS');
  });

  test('login still sets its cookie (the onSend writer of @fastify/cookie stays)', async () => {
    const r = await h.req({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'admin', password: 'admin-password-1' } });
    assert.equal(r.statusCode, 200);
    assert.ok(r.cookies.some((c) => c.name === 'tessera_session' && c.value.length > 20 && c.httpOnly));
  });

  test('request ids are distinct within a server and between servers', async () => {
    const ids = new Set<string>();
    for (const x of [h, h, h, other, other]) {
      const e = expectError(await x.req({ method: 'GET', url: '/api/v1/auth/me' }), 401, 'UNAUTHENTICATED');
      assert.match(e.request_id, /^req_[0-9a-z]{9,}$/);
      ids.add(e.request_id);
    }
    assert.equal(ids.size, 5);
    const tag = (id: string): string => id.slice(0, 12);
    const [first] = [...ids];
    assert.notEqual(tag([...ids][3]!), tag(first!), 'each server has its own tag');
  });
});

describe('hot path: what a verification reads', () => {
  let h: Harness;
  before(async () => { h = await startHarness(); });
  after(async () => { await h.close(); });

  test('a malformed value never reaches the store; an unknown one is refused by the secret filter, or looked up once, then negatively cached', async () => {
    const store = h.t.services.store;
    const real = store.findBySecretHash.bind(store);
    let lookups = 0;
    store.findBySecretHash = async (hash: string) => { lookups++; return real(hash); };
    // SQLite also reads at once when it can (`false`, "ask findBySecretHash", is not a read).
    const realNow = store.findBySecretHashNow;
    if (realNow) store.findBySecretHashNow = (hash: string) => { const r = realNow.call(store, hash); if (r !== false) lookups++; return r; };
    try {
      const caller = await h.adminToken({ name: 'reader', access: 'read' });
      const verify = (token: string) => h.req({ method: 'POST', url: '/api/v1/verify', headers: bearer(caller.token), payload: { token } });
      await verify(caller.token); // the caller and the body token are now cached
      lookups = 0;
      for (const bad of ['tsr_definitely-not-valid', `${caller.token.slice(0, -1)}${caller.token.endsWith('A') ? 'B' : 'A'}`, '', 'ctl\u0001char', 'x'.repeat(1025)]) {
        assert.equal((await verify(bad)).json().code, 'MALFORMED');
      }
      assert.equal(lookups, 0, 'no lookup for malformed values (values of other formats are looked up: tokens-formats.test.ts)');
      // SQLite keeps an in-memory filter of every secret hash (store/sqlite/secret-filter.ts): an unknown value is
      // refused without a lookup once it is built. PostgreSQL has none.
      const filter = (store as { secrets?: { settled(): Promise<void> } }).secrets;
      if (filter) {
        await filter.settled();
        const u = unknownToken();
        assert.equal(store.mayHaveSecret?.(hashValue(u)), false);
        assert.equal((await verify(u)).json().code, 'NOT_FOUND');
        assert.equal(lookups, 0, 'the filter refuses an unknown value without a lookup');
      } else {
        assert.equal(store.mayHaveSecret?.(hashValue(unknownToken())) ?? true, true, 'a store without a filter cannot rule a value out');
      }
      // Without a filter (or when it cannot tell): one lookup, then the negative cache.
      const may = store.mayHaveSecret;
      store.mayHaveSecret = () => true;
      try {
        const u = unknownToken();
        assert.equal((await verify(u)).json().code, 'NOT_FOUND');
        assert.equal((await verify(u)).json().code, 'NOT_FOUND');
        assert.equal(lookups, 1, 'one lookup for an unknown value, then the negative cache');
      } finally {
        if (may) store.mayHaveSecret = may; else delete store.mayHaveSecret;
      }
    } finally {
      store.findBySecretHash = real;
      if (realNow) store.findBySecretHashNow = realNow;
    }
  });
});
