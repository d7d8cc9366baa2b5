/**
 * POST /api/v1/verify takes Tessera's JWTs as well as token values (issue 19: a JWT that forward-auth accepts is no
 * longer MALFORMED): the answer names the parent, and the parent's state, the JWT's access and its scope decide.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { bearer, type Harness, startHarness } from '../helpers.js';

let h: Harness;
let admin: Record<string, string>;
before(async () => { h = await startHarness(); admin = { cookie: h.adminCookie }; });
after(async () => { await h.close(); });

const verify = async (payload: Record<string, unknown>) => {
  const r = await h.req({ method: 'POST', url: '/api/v1/verify', headers: admin, payload });
  assert.equal(r.statusCode, 200, r.body);
  return r.json();
};
const jwtOf = async (headers: Record<string, string>, body: Record<string, unknown> = {}) =>
  (await h.req({ method: 'POST', url: '/api/v1/auth/jwt', headers, payload: body })).json().token as string;

describe('POST /api/v1/verify with a JWT', () => {
  test('a JWT from a token: VALID with its parent, its access and scope; the parent revoked → REVOKED', async () => {
    const t = (await h.req({ method: 'POST', url: '/api/v1/tokens', headers: admin, payload: { name: 'parent', access: 'write', permissions: ['deploy:write'] } })).json();
    const jwt = await jwtOf(bearer(t.token), { access: 'read', permissions: ['deploy:write'] });
    const ok = await verify({ token: jwt });
    assert.deepEqual([ok.valid, ok.code, ok.token.id, ok.jwt.parent, ok.jwt.access, ok.permissions], [true, 'VALID', t.id, 'token', 'read', ['deploy:write']]);
    assert.equal((await verify({ token: jwt, access: 'write' })).code, 'INSUFFICIENT_ACCESS', 'the JWT was issued with read');
    const q = await verify({ token: jwt, permissions: ['deploy:write', 'billing:read'] });
    assert.deepEqual([q.code, q.missing], ['INSUFFICIENT_PERMISSIONS', ['billing:read']]);
    await h.req({ method: 'DELETE', url: `/api/v1/tokens/${t.id}`, headers: admin });
    const gone = await verify({ token: jwt });
    assert.deepEqual([gone.valid, gone.code], [false, 'REVOKED']);
  });

  test('a JWT from a session names its user; a forged or garbage JWT is NOT_FOUND, never valid', async () => {
    const jwt = await jwtOf(admin);
    const ok = await verify({ token: jwt });
    assert.deepEqual([ok.valid, ok.token, ok.jwt.parent, ok.jwt.user.username], [true, null, 'session', 'admin']);
    const [head, body] = jwt.split('.');
    const forged = `${head}.${body}.${Buffer.from('x'.repeat(64)).toString('base64url')}`;
    assert.deepEqual([(await verify({ token: forged })).valid, (await verify({ token: forged })).code], [false, 'NOT_FOUND']);
    assert.equal((await verify({ token: 'eyJhbGciOiJFUzI1NiJ9.eyJ4IjoxfQ.c2ln' })).code, 'NOT_FOUND');
  });
});

describe('a JWT of a limited token carries its parent\'s limits', () => {
  test('/verify answers usage and rate_limit; forward-auth sends RateLimit-*; refusals too', async () => {
    const t = (await h.req({ method: 'POST', url: '/api/v1/tokens', headers: admin, payload: { name: 'limited-parent', remaining: 2, rate_limit: { limit: 5, window_seconds: 60 } } })).json();
    const jwt = await jwtOf(bearer(t.token)); // takes one use
    const ok = await verify({ token: jwt });
    assert.deepEqual([ok.code, ok.usage?.remaining, ok.rate_limit?.limit], ['VALID', 0, 5]);
    const spent = await verify({ token: jwt });
    assert.deepEqual([spent.code, spent.usage?.remaining], ['USAGE_EXCEEDED', 0]);
    const r = (await h.req({ method: 'POST', url: '/api/v1/tokens', headers: admin, payload: { name: 'rated-parent', rate_limit: { limit: 3, window_seconds: 60 } } })).json();
    const rjwt = await jwtOf(bearer(r.token)); // one request of the window
    const f = await h.req({ method: 'GET', url: '/api/v1/auth/forward', headers: bearer(rjwt) });
    assert.equal(f.statusCode, 204);
    assert.deepEqual([f.headers['ratelimit-limit'], f.headers['ratelimit-remaining']], ['3', '1']);
  });
});
