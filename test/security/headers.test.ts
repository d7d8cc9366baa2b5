/**
 * Issue 12, item 12 (part): response headers. Every API answer (native and compat, secrets or not) carries
 * `Cache-Control: no-store` unless the route chose its own caching (the JWKS), and `X-Content-Type-Options: nosniff`;
 * the hot lane's answers carry the same (test/api/hot-lane.test.ts compares them). Swagger UI at /docs gets a CSP with
 * `frame-ancestors 'none'` and still serves its page and assets.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ADMIN_PASSWORD, bearer, type Harness, startHarness } from '../helpers.js';
import { listen, overSocket } from './support.js';

let h: Harness;
let admin: string;
before(async () => { h = await startHarness(); admin = (await h.adminToken({ name: 'hdr-admin' })).token; });
after(async () => { await h.close(); });

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const noStore = (r: { statusCode: number; headers: Record<string, unknown>; body: string }, what: string): void => {
  assert.ok(r.statusCode < 300, `${what}: ${r.statusCode} ${r.body}`);
  assert.equal(r.headers['cache-control'], 'no-store', what);
  assert.equal(r.headers['x-content-type-options'], 'nosniff', what);
};

describe('answers that carry a secret are never stored', () => {
  test('native: token create, rotate, reveal, JWT, login', async () => {
    const c = await h.req({ method: 'POST', url: '/api/v1/tokens', headers: bearer(admin), payload: { name: 'h1', access: 'read', recoverable: true } });
    noStore(c, 'create');
    const id = c.json().id as string;
    noStore(await h.req({ method: 'GET', url: `/api/v1/tokens/${id}/value`, headers: bearer(admin) }), 'reveal');
    noStore(await h.req({ method: 'POST', url: `/api/v1/tokens/${id}/rotate`, headers: bearer(admin) }), 'rotate');
    noStore(await h.req({ method: 'POST', url: '/api/v1/auth/jwt', headers: bearer(admin) }), 'jwt');
    noStore(await h.req({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'admin', password: ADMIN_PASSWORD } }), 'login');
  });
  test('compat: Meshplay Get Token, Semaphore login and token create, FileBin create_apikey and apikeys, Query create and value', async () => {
    noStore(await h.req({ method: 'GET', url: '/api/token', headers: { cookie: h.adminCookie } }), 'meshplay /api/token');
    noStore(await h.req({ method: 'POST', url: '/api/auth/login', payload: { auth: 'admin', password: ADMIN_PASSWORD } }), 'semaphore login');
    noStore(await h.req({ method: 'POST', url: '/api/user/tokens', headers: bearer(admin) }), 'semaphore token create');
    noStore(await h.req({ method: 'POST', url: '/api/v2.0.0/user/create_apikey', headers: FORM, payload: `apikey=${admin}&access_level=full` }), 'filebin create_apikey');
    noStore(await h.req({ method: 'POST', url: '/api/v2.0.0/user/apikeys', headers: FORM, payload: `apikey=${admin}` }), 'filebin apikeys');
    const future = h.clock.now() + 86_400_000;
    noStore(await h.req({ method: 'POST', url: '/_/token', headers: bearer(admin), payload: { name: 'qh', expiration_date: future, active: true, write: true } }), 'query create');
    noStore(await h.req({ method: 'GET', url: '/_/token/value?name=qh', headers: bearer(admin) }), 'query value');
  });
  test('errors and other API answers too; the JWKS keeps its own caching', async () => {
    const e = await h.req({ method: 'GET', url: '/api/v1/tokens' });
    assert.equal(e.statusCode, 401);
    assert.equal(e.headers['cache-control'], 'no-store');
    assert.equal(e.headers['x-content-type-options'], 'nosniff');
    assert.equal((await h.req({ method: 'GET', url: '/api/v1/nothing-here' })).headers['cache-control'], 'no-store');
    assert.equal((await h.req({ method: 'GET', url: '/.well-known/jwks.json' })).headers['cache-control'], 'public, max-age=300');
  });
  test('the hot lane\'s answers carry the same headers (verify and forward-auth)', async () => {
    const port = await listen(h);
    const served = h.t.app.hotLane.served;
    const v = await overSocket(port, { method: 'POST', path: '/api/v1/verify', headers: { 'content-type': 'application/json', ...bearer(admin) }, body: JSON.stringify({ token: admin }) });
    const f = await overSocket(port, { method: 'GET', path: '/api/v1/auth/forward', headers: bearer(admin) });
    const u = await overSocket(port, { method: 'GET', path: '/api/v1/auth/forward' });
    assert.equal(h.t.app.hotLane.served, served + 3, 'the lane answered');
    for (const [r, status] of [[v, 200], [f, 204], [u, 401]] as const) {
      assert.equal(r.status, status);
      assert.equal(r.headers['cache-control'], 'no-store');
      assert.equal(r.headers['x-content-type-options'], 'nosniff');
    }
  });
});

describe('/docs (Swagger UI)', () => {
  test('the page has a CSP that forbids framing, and still loads its own assets', async () => {
    const page = await h.req({ method: 'GET', url: '/docs/' });
    assert.equal(page.statusCode, 200);
    assert.match(String(page.headers['content-type']), /^text\/html/);
    const csp = String(page.headers['content-security-policy']);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.match(csp, /default-src 'self'/);
    assert.doesNotMatch(csp, /upgrade-insecure-requests/, 'the docs work over plain http on localhost');
    const assets = [...page.body.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!).filter((u) => !/^(https?:|data:|#)/.test(u));
    assert.ok(assets.length >= 3, `assets: ${assets.join(', ')}`);
    for (const a of assets) {
      const url = a.startsWith('/') ? a : `/docs/${a.replace(/^\.\//, '')}`;
      const r = await h.req({ method: 'GET', url });
      assert.equal(r.statusCode, 200, url);
    }
  });
});
