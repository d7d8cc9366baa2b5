/**
 * Each middleware (Express and Hono through the examples, Fastify, the fetch wrapper) against a real Tessera server,
 * with the LocalVerifier: a valid token (principal on the request), a missing one, a revoked one (seen within 1 s),
 * too little access, a missing permission, a rate-limited token, X-API-Key and two different credentials.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { LocalVerifier } from '../../sdk/local.js';
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
