/**
 * The SDK's verify() and LocalVerifier against a real server: answers as the server gives them, the cache (keyed by
 * SHA-256, positive answers only, not for limited tokens), revocation seen within 1 s, and the fall-back to remote
 * checks while the invalidation stream is lost.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { ApiError, RemoteVerifier, verify } from '../../sdk/index.js';
import { LocalVerifier, tokenHash } from '../../sdk/local.js';
import { startSdkServer, type SdkServer, within } from './server.js';

let s: SdkServer;
before(async () => { s = await startSdkServer(); });
after(async () => { await s.close(); });

describe('verify()', () => {
  test('one call: the verify answer, permissions passed through', async () => {
    const t = await s.token({ name: 'v-one', permissions: ['deploy:write'] });
    const a = await verify(t.token, { baseUrl: s.baseUrl, credential: s.service, permissions: 'deploy:write' });
    assert.equal(a.valid, true);
    assert.equal(a.token?.id, t.id);
    assert.ok(a.permissions?.includes('deploy:write'));
    const b = await verify(t.token, { baseUrl: s.baseUrl, credential: s.service, permissions: 'deploy:admin' });
    assert.deepEqual([b.valid, b.code], [false, 'INSUFFICIENT_PERMISSIONS']);
    const c = await verify('tsr_nothing', { baseUrl: s.baseUrl, credential: s.service });
    assert.deepEqual([c.valid, c.code], [false, 'MALFORMED']);
  });

  test('the caller\'s own credential refused: ApiError with the server\'s code; no server: NETWORK_ERROR', async () => {
    await assert.rejects(new RemoteVerifier({ baseUrl: s.baseUrl }).verify('tsr_x'), (e: ApiError) => e.status === 401 && e.code === 'UNAUTHENTICATED');
    await assert.rejects(new RemoteVerifier({ baseUrl: 'http://127.0.0.1:1' }).verify('tsr_x'), (e: ApiError) => e.code === 'NETWORK_ERROR');
  });
});

describe('LocalVerifier', () => {
  test('the key is SHA-256(value), hex, as the server stores it', () => {
    assert.equal(tokenHash('tsr_abc'), createHash('sha256').update('tsr_abc').digest('hex'));
  });

  test('caches positive answers per question, not negative ones; revocation seen within 1 s', async () => {
    const v = new LocalVerifier({ baseUrl: s.baseUrl, credential: s.service });
    await v.start();
    try {
      assert.equal(v.caching, true);
      const t = await s.token({ name: 'l-cache', access: 'read' });
      for (let i = 0; i < 5; i++) assert.equal((await v.verify(t.token)).valid, true);
      assert.equal(v.remoteChecks, 1);
      assert.equal(v.cached(t.token)?.token?.id, t.id);
      // another question is asked once too; a refusal is asked every time
      assert.equal((await v.verify(t.token, { access: 'read' })).valid, true);
      assert.equal((await v.verify(t.token, { access: 'read' })).valid, true);
      assert.equal(v.remoteChecks, 2);
      for (let i = 0; i < 2; i++) assert.equal((await v.verify(t.token, { access: 'write' })).code, 'INSUFFICIENT_ACCESS');
      assert.equal(v.remoteChecks, 4);
      await s.revoke(t.id);
      const ms = await within(1000, async () => (await v.verify(t.token)).code === 'REVOKED', 'revocation seen by the local verifier');
      assert.ok(ms <= 1000, `revocation took ${ms} ms`);
    } finally { v.close(); }
  });

  test('a token with a rate limit is never cached: every use reaches the server', async () => {
    const v = new LocalVerifier({ baseUrl: s.baseUrl, credential: s.service });
    await v.start();
    try {
      const t = await s.token({ name: 'l-rate', rate_limit: { limit: 2, window_seconds: 60 } });
      const codes = [];
      for (let i = 0; i < 3; i++) codes.push((await v.verify(t.token)).code);
      assert.deepEqual(codes, ['VALID', 'VALID', 'RATE_LIMITED']);
      assert.equal(v.remoteChecks, 3);
    } finally { v.close(); }
  });

  test('a JWT of a limited token is never cached either: its uses are counted on the server', async () => {
    const v = new LocalVerifier({ baseUrl: s.baseUrl, credential: s.service });
    await v.start();
    try {
      const t = await s.token({ name: 'l-jwt-uses', remaining: 3 });
      const jwt = (await s.h.req({ method: 'POST', url: '/api/v1/auth/jwt', headers: { authorization: `Bearer ${t.token}` }, payload: {} })).json().token as string;
      const answers = [];
      for (let i = 0; i < 4; i++) answers.push(await v.verify(jwt));
      // Asking for the JWT took the first use; then 2 more, then none.
      assert.deepEqual(answers.map((a) => a.code), ['VALID', 'VALID', 'USAGE_EXCEEDED', 'USAGE_EXCEEDED']);
      assert.deepEqual(answers.map((a) => a.usage?.remaining), [1, 0, 0, 0]);
      assert.equal(v.remoteChecks, 4);
    } finally { v.close(); }
  });

  test('disabling the owner drops the entries of every token of theirs', async () => {
    const v = new LocalVerifier({ baseUrl: s.baseUrl, credential: s.service });
    await v.start();
    try {
      const carol = await s.h.createUser('l-carol');
      assert.equal((await v.verify(carol.token)).valid, true);
      assert.ok(v.cached(carol.token));
      const r = await s.h.req({ method: 'PATCH', url: `/api/v1/users/${carol.id}`, headers: { cookie: s.h.adminCookie }, payload: { disabled: true } });
      assert.equal(r.statusCode, 200, r.body);
      await within(1000, () => v.cached(carol.token) === undefined, 'user invalidation');
      assert.equal((await v.verify(carol.token)).code, 'DISABLED');
    } finally { v.close(); }
  });

  test('stream lost: cache off, checks go to the server; back: cache on again', async () => {
    // The test's fetch lets it cut the stream's connection (the server stays up).
    let cut: (() => void) | null = null;
    const fetcher: typeof fetch = async (input, init) => {
      if (!String(input).endsWith('/verify/events')) return fetch(input, init);
      const ac = new AbortController();
      init?.signal?.addEventListener('abort', () => ac.abort());
      cut = () => ac.abort();
      return fetch(input, { ...init, signal: ac.signal });
    };
    const states: boolean[] = [];
    const v = new LocalVerifier({ baseUrl: s.baseUrl, credential: s.service, fetch: fetcher, reconnectMs: 300, onState: (x) => states.push(x.caching) });
    await v.start();
    try {
      const t = await s.token({ name: 'l-lost' });
      await v.verify(t.token);
      await v.verify(t.token);
      assert.equal(v.remoteChecks, 1);
      cut!();
      await within(1000, () => !v.caching, 'cache off after the stream was cut');
      assert.equal(v.size, 0);
      await v.verify(t.token);
      await v.verify(t.token);
      assert.equal(v.remoteChecks, 3, 'both checks went to the server');
      await within(3000, () => v.caching, 'stream back');
      await v.verify(t.token);
      await v.verify(t.token);
      assert.equal(v.remoteChecks, 4);
      assert.deepEqual(states, [true, false, true]);
    } finally { v.close(); }
  });

  test('a credential that may not subscribe: no caching, remote checks still answer', async () => {
    const alice = await s.h.createUser('l-alice');
    const states: { caching: boolean; reason: string }[] = [];
    const v = new LocalVerifier({ baseUrl: s.baseUrl, credential: alice.token, maxReconnectMs: 100, onState: (x) => states.push(x) });
    await v.start();
    try {
      assert.equal(v.caching, false);
      // told once, although the cache was never on: a misconfigured credential must not go unnoticed
      assert.deepEqual(states.map((x) => x.caching), [false]);
      assert.match(states[0]!.reason, /FORBIDDEN/);
      assert.match(v.lastError ?? '', /^FORBIDDEN: /);
      assert.equal((await v.verify(alice.token)).valid, true);
      assert.equal((await v.verify(alice.token)).valid, true);
      assert.equal(v.remoteChecks, 2);
    } finally { v.close(); }
  });
});
