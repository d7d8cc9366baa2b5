/**
 * Issue 12, item 11: forward-auth accepted cookie credentials from another origin (a cross-site POST carrying the
 * `token` cookie got 204). The API's rule now applies to cookie credentials on forward-auth: an unsafe method with a
 * foreign (or null) Origin is refused (403 CSRF_REJECTED); safe methods, no Origin, the same origin and header
 * credentials pass. The method is the request's own and, when a proxy reports it, X-Forwarded-Method /
 * X-Original-Method: an unsafe one in either place makes the request unsafe (they can only make the rule stricter).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { bearer, type Harness, startHarness } from '../helpers.js';
import { expectError } from '../api/support.js';
import { listen, overSocket } from './support.js';

const HOST = 'tessera.test';
const URL_ = '/api/v1/auth/forward';
let h: Harness;
let token: string;
before(async () => { h = await startHarness(); token = (await h.adminToken({ name: 'fwd' })).token; });
after(async () => { await h.close(); });

const fwd = (method: 'GET' | 'POST' | 'DELETE' | 'HEAD', headers: Record<string, string>) => h.req({ method, url: URL_, headers: { host: HOST, ...headers } });

describe('cookie credentials on forward-auth', () => {
  test('an unsafe method from a foreign (or null) Origin → 403 CSRF_REJECTED (token cookie and session cookie)', async () => {
    for (const cookie of [`token=${token}`, h.adminCookie]) {
      for (const origin of ['https://evil.example', 'null', `https://${HOST}`]) {
        for (const method of ['POST', 'DELETE'] as const) expectError(await fwd(method, { cookie, origin }), 403, 'CSRF_REJECTED', /origin/);
      }
    }
  });
  test('a GET forwarded for an unsafe original method (X-Forwarded-Method / X-Original-Method) is refused too', async () => {
    for (const name of ['x-forwarded-method', 'x-original-method']) {
      expectError(await fwd('GET', { cookie: `token=${token}`, origin: 'https://evil.example', [name]: 'post' }), 403, 'CSRF_REJECTED');
    }
  });
  test('safe methods, no Origin and the same origin pass (204)', async () => {
    const cookie = `token=${token}`;
    for (const [method, headers] of [['GET', { origin: 'https://evil.example' }], ['HEAD', { origin: 'https://evil.example' }],
      ['GET', { origin: 'https://evil.example', 'x-forwarded-method': 'GET' }], ['POST', {}], ['POST', { origin: `http://${HOST}` }]] as const) {
      const r = await fwd(method, { cookie, ...headers });
      assert.equal(r.statusCode, 204, `${method} ${JSON.stringify(headers)}: ${r.body}`);
    }
  });
  test('header credentials are not affected (a browser never adds them by itself)', async () => {
    assert.equal((await fwd('POST', { ...bearer(token), origin: 'https://evil.example' })).statusCode, 204);
  });
  test('over a real socket (the lane never takes cookies; fastify refuses)', async () => {
    const port = await listen(h);
    const r = await overSocket(port, { method: 'POST', path: URL_, headers: { cookie: `token=${token}`, origin: 'https://evil.example' } });
    assert.equal(r.status, 403);
    assert.equal(JSON.parse(r.body).error.code, 'CSRF_REJECTED');
  });
});
