/**
 * Each middleware (Express and Hono through the examples, Fastify, the fetch wrapper) against a real Tessera server,
 * with the LocalVerifier: a valid token (principal on the request), a missing one, a revoked one (seen within 1 s),
 * too little access, a missing permission, a rate-limited token, X-API-Key and two different credentials.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { LocalVerifier } from '../../sdk/local.js';
import { Hono } from 'hono';
import { withTessera } from '../../sdk/fetch.js';
import { tessera as honoTessera } from '../../sdk/hono.js';
import { RemoteVerifier } from '../../sdk/verify.js';
import { APPS, type App, handlerErrors } from './apps.js';
import { startSdkServer, type SdkServer, within } from './server.js';

let s: SdkServer;
let v: LocalVerifier;
before(async () => {
  s = await startSdkServer();
  v = new LocalVerifier({ baseUrl: s.baseUrl, credential: s.service });
  await v.start();
  assert.equal(v.caching, true);
});
after(async () => { v.close(); await s.close(); assert.deepEqual(handlerErrors, [], 'a refused request reached a handler'); });

const bearer = (t: string) => ({ authorization: `Bearer ${t}` });
const envelope = async (r: Response, status: number, code: string) => {
  const body = await r.json() as { error: { code: string; message: string; request_id: string } };
  assert.equal(r.status, status, JSON.stringify(body));
  assert.equal(body.error.code, code);
  assert.equal(typeof body.error.message, 'string');
  assert.ok(body.error.request_id, 'request_id');
  return body;
};

for (const [name, make] of Object.entries(APPS)) {
  describe(`${name} middleware`, () => {
    let app: App;
    before(async () => { app = await make(v); });
    after(async () => { await app.close(); });

    test('valid token: 200, the principal on the request', async () => {
      const t = await s.token({ name: `${name}-ok`, permissions: ['deploy:write'] });
      const r = await app.get('/whoami', bearer(t.token));
      assert.equal(r.status, 200);
      assert.deepEqual(await r.json(), { token: t.id, owner: { id: 1, username: 'admin' } });
      const d = await app.get('/deploy', { 'x-api-key': t.token });
      assert.equal(d.status, 200);
      assert.deepEqual(await d.json(), { deployed: true, by: t.id });
    });

    test('missing credential: 401 UNAUTHENTICATED; malformed: 401 TOKEN_MALFORMED; two different: 400 AMBIGUOUS_CREDENTIALS', async () => {
      const r = await app.get('/whoami');
      await envelope(r, 401, 'UNAUTHENTICATED');
      assert.equal(r.headers.get('www-authenticate'), 'Bearer');
      await envelope(await app.get('/whoami', bearer('tsr_garbage')), 401, 'TOKEN_MALFORMED');
      const a = await s.token({ name: `${name}-a` });
      const b = await s.token({ name: `${name}-b` });
      await envelope(await app.get('/whoami', { ...bearer(a.token), 'x-api-key': b.token }), 400, 'AMBIGUOUS_CREDENTIALS');
      await s.revoke(b.id);
    });

    test('revoked: refused within 1 s by the local verifier (401 TOKEN_REVOKED)', async () => {
      const t = await s.token({ name: `${name}-rev` });
      assert.equal((await app.get('/whoami', bearer(t.token))).status, 200);
      assert.ok(v.cached(t.token), 'the answer is cached');
      await s.revoke(t.id);
      const ms = await within(1000, async () => (await app.get('/whoami', bearer(t.token))).status === 401, 'revocation');
      assert.ok(ms <= 1000);
      await envelope(await app.get('/whoami', bearer(t.token)), 401, 'TOKEN_REVOKED');
    });

    test('too little access: 403 INSUFFICIENT_ACCESS; missing permission: 403 INSUFFICIENT_PERMISSIONS', async () => {
      const t = await s.token({ name: `${name}-read`, access: 'read' });
      await envelope(await app.get('/write', bearer(t.token)), 403, 'INSUFFICIENT_ACCESS');
      const body = await envelope(await app.get('/deploy', bearer(t.token)), 403, 'INSUFFICIENT_PERMISSIONS');
      assert.match(body.error.message, /deploy:write/);
      assert.equal((await app.get('/whoami', bearer(t.token))).status, 200);
    });

    test('rate-limited: 429 RATE_LIMITED with Retry-After', async () => {
      const t = await s.token({ name: `${name}-rate`, rate_limit: { limit: 2, window_seconds: 60 } });
      assert.equal((await app.get('/whoami', bearer(t.token))).status, 200);
      assert.equal((await app.get('/whoami', bearer(t.token))).status, 200);
      const r = await app.get('/whoami', bearer(t.token));
      await envelope(r, 429, 'RATE_LIMITED');
      const ra = Number(r.headers.get('retry-after'));
      assert.ok(ra >= 1 && ra <= 60, `retry-after ${ra}`);
    });
  });
}

describe('without the local cache', () => {
  test('RemoteVerifier behind a middleware sees a revocation on the next request; Tessera unreachable: 503', async () => {
    const app = await APPS.hono!(new RemoteVerifier({ baseUrl: s.baseUrl, credential: s.service }));
    const t = await s.token({ name: 'remote-rev' });
    assert.equal((await app.get('/whoami', bearer(t.token))).status, 200);
    await s.revoke(t.id);
    await envelope(await app.get('/whoami', bearer(t.token)), 401, 'TOKEN_REVOKED');
    const down = await APPS.hono!(new RemoteVerifier({ baseUrl: 'http://127.0.0.1:1', credential: s.service }));
    const r = await down.get('/whoami', bearer(t.token));
    await envelope(r, 503, 'VERIFIER_UNAVAILABLE');
  });
});

describe('clientIp: the client address for tokens with allowed_cidrs (Hono and fetch have no address of their own)', () => {
  const ipOf = (h: { header(n: string): string | null | undefined }) => h.header('x-test-client') ?? undefined;
  const hono = (withIp: boolean) => {
    const app = new Hono();
    app.get('/whoami', honoTessera({ verifier: v, ...(withIp ? { clientIp: (c) => ipOf({ header: (n) => c.req.header(n) }) } : {}) }), (c) => c.json({ token: c.get('tessera').token.id }));
    return (headers: Record<string, string>) => app.fetch(new Request('http://app.test/whoami', { headers }));
  };
  const fetchApp = (withIp: boolean) => {
    const handler = withTessera({ verifier: v, ...(withIp ? { clientIp: (req: Request) => ipOf({ header: (n) => req.headers.get(n) }) } : {}) },
      async (_req, p) => Response.json({ token: p.token.id }));
    return (headers: Record<string, string>) => handler(new Request('http://app.test/whoami', { headers }));
  };
  for (const [name, make] of [['hono', hono], ['fetch', fetchApp]] as const) {
    test(`${name}: inside the allowlist 200, outside 403 IP_NOT_ALLOWED; without clientIp the address is unknown (403)`, async () => {
      const t = await s.token({ name: `${name}-cidr`, allowed_cidrs: ['10.1.0.0/16'] });
      const get = make(true);
      const ok = await get({ ...bearer(t.token), 'x-test-client': '10.1.2.3' });
      assert.equal(ok.status, 200);
      assert.deepEqual(await ok.json(), { token: t.id });
      await envelope(await get({ ...bearer(t.token), 'x-test-client': '192.0.2.7' }), 403, 'IP_NOT_ALLOWED');
      // A second address for the same (now cached) token is judged again, not answered from the cache.
      assert.equal((await get({ ...bearer(t.token), 'x-test-client': '10.1.9.9' })).status, 200);
      await envelope(await make(false)({ ...bearer(t.token), 'x-test-client': '10.1.2.3' }), 403, 'IP_NOT_ALLOWED');
    });
  }
});
