import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { bearer, type Harness, startHarness } from '../helpers.js';

let h: Harness;
before(async () => { h = await startHarness(); });
after(async () => { await h.close(); });

const exchange = async (headers: Record<string, string>, body?: object) => {
  const r = await h.req({ method: 'POST', url: '/api/v1/auth/jwt', headers, ...(body ? { payload: body } : {}) });
  return r;
};
const me = (headers: Record<string, string>) => h.req({ method: 'GET', url: '/api/v1/auth/me', headers });
const claims = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8'));

describe('JWT access tokens', () => {
  test('a session is exchanged for an ES256 JWT with kid, sub, exp, iat, iss, jti, access and its source', async () => {
    const r = await exchange({ cookie: h.adminCookie });
    assert.equal(r.statusCode, 200);
    const { token, token_type, access, expires_at } = r.json();
    assert.equal(token_type, 'Bearer');
    assert.equal(access, 'full');
    const header = JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString('utf8'));
    assert.equal(header.alg, 'ES256');
    assert.ok(header.kid);
    const c = claims(token);
    assert.equal(c.iss, 'tessera');
    assert.equal(c.sub, '1');
    assert.equal(c.src_type, 'session');
    assert.equal(c.exp - c.iat, 900);
    assert.ok(c.jti.startsWith('jwt_'));
    assert.equal(new Date(expires_at).getTime(), c.exp * 1000);
    const jwks = await h.req({ method: 'GET', url: '/.well-known/jwks.json' });
    assert.equal(jwks.statusCode, 200);
    assert.ok(jwks.json().keys.some((k: { kid: string; alg: string; d?: string }) => k.kid === header.kid && k.alg === 'ES256' && k.d === undefined));
  });

  test('Tessera accepts its JWT wherever a token is accepted: Bearer, meshplay-token header, token cookie', async () => {
    const { token: jwt } = (await exchange({ cookie: h.adminCookie })).json();
    const sources: Record<string, string>[] = [bearer(jwt), { 'meshplay-token': jwt }, { cookie: `meshplay-provider=Meshplay; token=${jwt}` }];
    for (const headers of sources) {
      const r = await me(headers);
      assert.equal(r.statusCode, 200, JSON.stringify(headers));
      assert.equal(r.json().credential.jwt, true);
      assert.equal(r.json().user.username, 'admin');
    }
    const list = await h.req({ method: 'GET', url: '/api/v1/tokens', headers: bearer(jwt) });
    assert.equal(list.statusCode, 200);
  });

  test('a JWT never has more access than its parent, and may ask for less', async () => {
    const parent = await h.adminToken({ access: 'write', name: 'jwt-write-parent' });
    const up = await exchange(bearer(parent.token), { access: 'full' });
    assert.equal(up.json().access, 'write');
    const down = await exchange({ cookie: h.adminCookie }, { access: 'read' });
    assert.equal(down.json().access, 'read');
    const r = await h.req({ method: 'GET', url: '/api/v1/tokens', headers: bearer(down.json().token) });
    assert.equal(r.statusCode, 403);
    assert.equal(r.json().error.code, 'INSUFFICIENT_ACCESS');
  });

  test('revoking the parent token stops its JWTs at once', async () => {
    const parent = await h.adminToken({ name: 'jwt-parent' });
    const { token: jwt } = (await exchange(bearer(parent.token))).json();
    assert.equal(claims(jwt).src_id, parent.id);
    assert.equal((await me(bearer(jwt))).statusCode, 200);
    await h.req({ method: 'DELETE', url: `/api/v1/tokens/${parent.id}`, headers: { cookie: h.adminCookie } });
    const r = await me(bearer(jwt));
    assert.equal(r.statusCode, 401);
    assert.equal(r.json().error.code, 'TOKEN_REVOKED');
  });

  test('disabling the user stops their JWTs at once; logging out stops session-derived ones', async () => {
    const u = await h.createUser('jwtuser');
    const fromToken = (await exchange(bearer(u.token))).json().token;
    const fromSession = (await exchange({ cookie: u.cookie })).json().token;
    await h.req({ method: 'PATCH', url: `/api/v1/users/${u.id}`, headers: { cookie: h.adminCookie }, payload: { disabled: true } });
    assert.equal((await me(bearer(fromToken))).json().error.code, 'TOKEN_DISABLED');
    assert.equal((await me(bearer(fromSession))).statusCode, 401);
    await h.req({ method: 'PATCH', url: `/api/v1/users/${u.id}`, headers: { cookie: h.adminCookie }, payload: { disabled: false } });
    assert.equal((await me(bearer(fromToken))).statusCode, 200);
    const cookie = await h.login('jwtuser', 'jwtuser-password');
    const jwt = (await exchange({ cookie })).json().token;
    assert.equal((await me(bearer(jwt))).statusCode, 200);
    await h.req({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie } });
    assert.equal((await me(bearer(jwt))).json().error.code, 'SESSION_INVALID');
  });

  test('an expired or tampered JWT is refused', async () => {
    const { token: jwt } = (await exchange({ cookie: h.adminCookie }, { ttl_seconds: 60 })).json();
    const [head, body, sig] = jwt.split('.');
    const forged = Buffer.from(JSON.stringify({ ...claims(jwt), access: 'full', sub: '2' })).toString('base64url');
    assert.equal((await me(bearer(`${head}.${forged}.${sig}`))).json().error.code, 'TOKEN_NOT_FOUND');
    assert.equal((await me(bearer(`${head}.${body}.${sig!.slice(0, -4)}AAAA`))).statusCode, 401);
    h.clock.advance(61_000);
    assert.equal((await me(bearer(jwt))).statusCode, 401);
  });

  test('lifetime and access are validated', async () => {
    for (const body of [{ ttl_seconds: 0 }, { ttl_seconds: 86_401 }, { access: 'root' }, { ttl: 5 }]) {
      const r = await exchange({ cookie: h.adminCookie }, body);
      assert.equal(r.statusCode, 400, JSON.stringify(body));
      assert.equal(r.json().error.code, 'VALIDATION_ERROR');
    }
    assert.equal((await exchange({})).statusCode, 401);
  });

  test('issuing a JWT is audited, without the JWT', async () => {
    const { token: jwt } = (await exchange({ cookie: h.adminCookie })).json();
    const r = await h.req({ method: 'GET', url: '/api/v1/audit?action=jwt.issue', headers: { cookie: h.adminCookie } });
    assert.ok(r.json().items.length >= 1);
    assert.ok(!r.body.includes(jwt) && !r.body.includes(jwt.split('.')[2]));
  });
});
