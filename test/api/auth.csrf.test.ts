/**
 * CSRF: a write authenticated by the session cookie must come from this server's own origin (or carry no Origin, as
 * curl does). Token-authenticated requests and reads are not affected: a browser never adds a token by itself.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ADMIN_PASSWORD, bearer, type Harness, startHarness } from '../helpers.js';
import { createToken, expectError, lastAuditId } from './support.js';

const HOST = 'tessera.test';
let h: Harness;
let cookie: string;
let token: string;
before(async () => {
  h = await startHarness();
  cookie = h.adminCookie;
  token = (await createToken(h, { cookie }, { name: 'csrf-token', access: 'full' })).token;
});
after(async () => { await h.close(); });

let n = 0;
const write = (headers: Record<string, string>) =>
  h.req({ method: 'POST', url: '/api/v1/tokens', headers: { host: HOST, ...headers }, payload: { name: `csrf-${n++}` } });

describe('cookie-authenticated writes', () => {
  test('from another site → 403 CSRF_REJECTED, and nothing is created', async () => {
    for (const origin of ['https://evil.example', `http://${HOST}.evil.example`, `https://${HOST}`, `http://${HOST}:8080`, 'null']) {
      const before = await lastAuditId(h);
      expectError(await write({ cookie, origin }), 403, 'CSRF_REJECTED', /origin/);
      assert.equal(await lastAuditId(h), before, origin);
    }
  });

  test('the same check guards every write route, logout included', async () => {
    const { id } = await createToken(h, { cookie }, { name: 'csrf-target' });
    const evil = { host: HOST, cookie, origin: 'https://evil.example' };
    for (const [method, url, payload] of [['PATCH', `/api/v1/tokens/${id}`, { comment: 'x' }], ['DELETE', `/api/v1/tokens/${id}`, undefined],
      ['POST', `/api/v1/tokens/${id}/rotate`, undefined], ['POST', '/api/v1/users', { username: 'csrfuser', password: 'csrf-password' }],
      ['POST', '/api/v1/auth/logout', undefined]] as const) {
      expectError(await h.req({ method, url, headers: evil, ...(payload ? { payload } : {}) }), 403, 'CSRF_REJECTED', undefined);
    }
    const t = (await h.req({ method: 'GET', url: `/api/v1/tokens/${id}`, headers: { cookie } })).json();
    assert.deepEqual([t.status, t.comment], ['active', '']);
    assert.equal((await h.req({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie } })).statusCode, 200, 'still logged in');
  });

  test('the token cookie (Meshplay) is a cookie too: a foreign Origin → 403 CSRF_REJECTED', async () => {
    const before = await lastAuditId(h);
    expectError(await write({ cookie: `token=${token}`, origin: 'https://evil.example' }), 403, 'CSRF_REJECTED');
    expectError(await write({ cookie: `token=${token}`, origin: 'null' }), 403, 'CSRF_REJECTED');
    assert.equal(await lastAuditId(h), before);
    assert.equal((await write({ cookie: `token=${token}`, origin: `http://${HOST}` })).statusCode, 201);
    assert.equal((await write({ cookie: `token=${token}` })).statusCode, 201);
  });

  test('the same value also in a header shows the sender knew it: not a forgery', async () => {
    assert.equal((await write({ cookie: `token=${token}`, ...bearer(token), origin: 'https://evil.example' })).statusCode, 201);
  });

  test('from the server\'s own origin → works', async () => {
    assert.equal((await write({ cookie, origin: `http://${HOST}` })).statusCode, 201);
  });

  test('with no Origin header (curl, scripts) → works', async () => {
    assert.equal((await write({ cookie })).statusCode, 201);
  });
});

describe('not affected', () => {
  test('token-authenticated writes with any Origin', async () => {
    assert.equal((await write({ ...bearer(token), origin: 'https://evil.example' })).statusCode, 201);
    assert.equal((await write({ 'x-api-key': token, origin: 'null' })).statusCode, 201);
  });

  test('cookie-authenticated reads with a foreign Origin', async () => {
    const r = await h.req({ method: 'GET', url: '/api/v1/tokens', headers: { host: HOST, cookie, origin: 'https://evil.example' } });
    assert.equal(r.statusCode, 200);
  });

  test('login from the server\'s own origin (a foreign one is login CSRF: test/security/login-csrf.test.ts)', async () => {
    const r = await h.req({ method: 'POST', url: '/api/v1/auth/login', headers: { host: HOST, origin: `http://${HOST}` }, payload: { username: 'admin', password: ADMIN_PASSWORD } });
    assert.equal(r.statusCode, 200);
  });
});

describe('behind a TLS proxy', () => {
  let p: Harness;
  before(async () => { p = await startHarness({ trust_proxy: true }); });
  after(async () => { await p.close(); });

  test('the own origin is https://<host> when X-Forwarded-Proto is https', async () => {
    const headers = { host: HOST, 'x-forwarded-proto': 'https', cookie: p.adminCookie };
    const ok = await p.req({ method: 'POST', url: '/api/v1/tokens', headers: { ...headers, origin: `https://${HOST}` }, payload: { name: 'tls' } });
    assert.equal(ok.statusCode, 201);
    expectError(await p.req({ method: 'POST', url: '/api/v1/tokens', headers: { ...headers, origin: `http://${HOST}` }, payload: { name: 'plain' } }), 403, 'CSRF_REJECTED');
  });
});
