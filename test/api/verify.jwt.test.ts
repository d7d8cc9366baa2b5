/** POST /api/v1/verify with a Tessera JWT: accepted as forward-auth accepts it, answering its parent (both lanes). */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { bearer, type Harness, startHarness } from '../helpers.js';
import { createToken } from './support.js';

let h: Harness;
let caller: Record<string, string>;
before(async () => {
  h = await startHarness();
  caller = bearer((await h.adminToken({ name: 'caller', access: 'read' })).token);
});
after(async () => { await h.close(); });

const verify = (payload: Record<string, unknown>) => h.req({ method: 'POST', url: '/api/v1/verify', headers: caller, payload });
const jwtOf = async (headers: Record<string, string>, body: object = {}) =>
  (await h.req({ method: 'POST', url: '/api/v1/auth/jwt', headers, payload: body })).json().token as string;

describe('verify accepts Tessera JWTs', () => {
  test('a JWT of a token: VALID, token = the parent with the JWT\'s access, jwt.parent names the token; forward-auth agrees', async () => {
    const parent = await createToken(h, { cookie: h.adminCookie }, { name: 'p', access: 'full' });
    const jwt = await jwtOf(bearer(parent.token), { access: 'write' });
    const fwd = await h.req({ method: 'GET', url: '/api/v1/auth/forward', headers: bearer(jwt) });
    assert.equal(fwd.statusCode, 204);
    const r = await verify({ token: jwt });
    assert.equal(r.statusCode, 200);
    const b = r.json();
    assert.equal(b.valid, true);
    assert.equal(b.code, 'VALID');
    assert.equal(b.token.id, parent.id);
    assert.equal(b.token.access, 'write');
    assert.equal(b.jwt.parent.type, 'token');
    assert.equal(b.jwt.parent.token_id, parent.id);
    assert.deepEqual(b.jwt.parent.user, { id: 1, username: 'admin' });
    const claims = JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8'));
    assert.equal(b.jwt.jti, claims.jti);
    assert.equal(b.jwt.expires_at, new Date(claims.exp * 1000).toISOString());
    assert.ok(!r.body.includes(jwt) && !r.body.includes(parent.token));
  });

  test('access above the JWT\'s level → INSUFFICIENT_ACCESS (even when the parent has it)', async () => {
    const parent = await createToken(h, { cookie: h.adminCookie }, { name: 'p2', access: 'full' });
    const jwt = await jwtOf(bearer(parent.token), { access: 'read' });
    const b = (await verify({ token: jwt, access: 'write' })).json();
    assert.equal(b.valid, false);
    assert.equal(b.code, 'INSUFFICIENT_ACCESS');
    assert.equal((await verify({ token: jwt, access: 'read' })).json().valid, true);
  });

  test('parent revoked → REVOKED; tampered or expired JWT → NOT_FOUND (never MALFORMED)', async () => {
    const parent = await createToken(h, { cookie: h.adminCookie }, { name: 'p3' });
    const jwt = await jwtOf(bearer(parent.token), { ttl_seconds: 60 });
    const bad = `${jwt.slice(0, -4)}${jwt.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`;
    assert.equal((await verify({ token: bad })).json().code, 'NOT_FOUND');
    const other = await jwtOf(bearer(parent.token), { ttl_seconds: 60 });
    assert.equal((await h.req({ method: 'DELETE', url: `/api/v1/tokens/${parent.id}`, headers: { cookie: h.adminCookie } })).statusCode, 200);
    const r = (await verify({ token: jwt })).json();
    assert.equal(r.code, 'REVOKED');
    assert.equal(r.jwt.parent.token_id, parent.id);
    h.clock.advance(61_000);
    assert.equal((await verify({ token: other })).json().code, 'NOT_FOUND');
  });

  test('a session JWT: VALID with token null and jwt.parent the session\'s user; after logout → EXPIRED', async () => {
    const u = await h.createUser('vj-carol');
    const jwt = await jwtOf({ cookie: u.cookie });
    const b = (await verify({ token: jwt })).json();
    assert.equal(b.valid, true);
    assert.equal(b.token, null);
    assert.deepEqual(b.jwt.parent, { type: 'session', token_id: null, user: { id: u.id, username: 'vj-carol' } });
    assert.equal((await h.req({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie: u.cookie, origin: 'http://localhost:80' } })).statusCode < 300, true);
    const after = (await verify({ token: jwt })).json();
    assert.equal(after.valid, false);
    assert.equal(after.code, 'EXPIRED');
  });

  test('a JWT of a usage-limited token spends one of its parent\'s uses, like forward-auth', async () => {
    const parent = await createToken(h, { cookie: h.adminCookie }, { name: 'p4', remaining: 2 });
    const jwt = await jwtOf(bearer(parent.token));
    const first = (await verify({ token: jwt })).json();
    assert.equal(first.valid, true);
    assert.equal(first.usage.remaining, 0);
    assert.equal((await verify({ token: jwt })).json().code, 'USAGE_EXCEEDED');
  });
});
