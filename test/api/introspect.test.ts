import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as oauth from 'oauth4webapi';
import { bearer, type Harness, startHarness } from '../helpers.js';
import { createToken, expectError, unknownToken } from './support.js';

let h: Harness;
let base: string;
let service: { id: string; token: string };
before(async () => {
  h = await startHarness();
  await h.t.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(h.t.app.server.address() as { port: number }).port}`;
  service = await createToken(h, { cookie: h.adminCookie }, { name: 'rs', kind: 'service', access: 'read' });
});
after(async () => { await h.close(); });

const introspect = (headers: Record<string, string>, form: Record<string, string>) => h.req({
  method: 'POST', url: '/api/v1/introspect', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
  payload: new URLSearchParams(form).toString(),
});
const basic = (secret: string, id = 'rs') => ({ authorization: `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}` });

describe('RFC 7662 introspection', () => {
  test('an active API token: every member, scope = access level, exp/iat in seconds, Cache-Control no-store', async () => {
    const u = await h.createUser('intro-alice');
    const t = await createToken(h, { cookie: u.cookie }, { name: 'w', access: 'write', expires_in: 3600 });
    const r = await introspect(bearer(service.token), { token: t.token, token_type_hint: 'access_token' });
    assert.equal(r.statusCode, 200);
    assert.equal(r.headers['cache-control'], 'no-store');
    const b = r.json();
    assert.deepEqual(Object.keys(b).sort(), ['active', 'client_id', 'exp', 'iat', 'iss', 'jti', 'scope', 'sub', 'token_type', 'username']);
    assert.equal(b.active, true);
    assert.equal(b.scope, 'write');
    assert.equal(b.client_id, t.id);
    assert.equal(b.jti, t.id);
    assert.equal(b.username, 'intro-alice');
    assert.equal(b.sub, String(u.id));
    assert.equal(b.token_type, 'Bearer');
    assert.equal(b.iss, 'tessera');
    assert.equal(b.exp, Math.floor((h.clock.now() + 3600_000) / 1000));
    assert.ok(b.iat <= Math.floor(h.clock.now() / 1000) && b.iat > Math.floor(h.clock.now() / 1000) - 60);
    assert.ok(!r.body.includes(t.token), 'the token value is never echoed');
  });

  test('a token without expiry has no exp; a service token without owner has sub token:<id> and no username', async () => {
    const r = await introspect(bearer(service.token), { token: service.token });
    const b = r.json();
    assert.equal(b.active, true);
    assert.equal(b.exp, undefined);
    assert.equal(b.username, undefined);
    assert.equal(b.sub, `token:${service.id}`);
    assert.equal(b.scope, 'read');
  });

  test('inactive tokens answer {"active": false} and nothing else: unknown, malformed, revoked, expired, disabled, spent', async () => {
    const ac = { cookie: h.adminCookie };
    const revoked = await createToken(h, ac, { name: 'rv' });
    assert.equal((await h.req({ method: 'DELETE', url: `/api/v1/tokens/${revoked.id}`, headers: ac })).statusCode, 200);
    const inactive = await createToken(h, ac, { name: 'in', active: false });
    const spent = await createToken(h, ac, { name: 'sp', remaining: 1 });
    assert.equal((await h.req({ method: 'POST', url: '/api/v1/verify', headers: bearer(service.token), payload: { token: spent.token } })).json().valid, true);
    const expiring = await createToken(h, ac, { name: 'ex', expires_in: 60 });
    h.clock.advance(61_000);
    for (const token of [unknownToken(), 'garbage', revoked.token, inactive.token, spent.token, expiring.token]) {
      const r = await introspect(bearer(service.token), { token });
      assert.equal(r.statusCode, 200);
      assert.equal(r.body, '{"active":false}', token.slice(0, 6));
    }
  });

  test('a token whose uses were spent while it was cached is inactive (and a JWT of it too)', async () => {
    const t = await createToken(h, { cookie: h.adminCookie }, { name: 'lim-cached', remaining: 2 });
    const jwt = (await h.req({ method: 'POST', url: '/api/v1/auth/jwt', headers: bearer(t.token), payload: {} })).json().token as string;
    assert.equal((await introspect(bearer(service.token), { token: t.token })).json().active, true, 'read into the cache with 1 use left');
    const codes = [];
    for (let i = 0; i < 3; i++) codes.push((await h.req({ method: 'GET', url: '/api/v1/auth/forward', headers: bearer(t.token) })).statusCode);
    assert.deepEqual(codes, [204, 429, 429], 'asking for the JWT took the first use');
    assert.equal((await introspect(bearer(service.token), { token: t.token })).body, '{"active":false}');
    assert.equal((await introspect(bearer(service.token), { token: jwt })).body, '{"active":false}');
  });

  test('introspection spends no use of a limited token', async () => {
    const t = await createToken(h, { cookie: h.adminCookie }, { name: 'lim', remaining: 2 });
    for (let i = 0; i < 4; i++) assert.equal((await introspect(bearer(service.token), { token: t.token })).json().active, true);
    const v = await h.req({ method: 'POST', url: '/api/v1/verify', headers: bearer(service.token), payload: { token: t.token } });
    assert.equal(v.json().usage.remaining, 1);
  });

  test('a Tessera JWT: jti, exp, iat of the JWT; client_id = parent token; scope = the JWT\'s lower level; parent revoked → inactive', async () => {
    const parent = await createToken(h, { cookie: h.adminCookie }, { name: 'parent', access: 'full' });
    const jwt = (await h.req({ method: 'POST', url: '/api/v1/auth/jwt', headers: bearer(parent.token), payload: { access: 'read', ttl_seconds: 600 } })).json().token;
    const claims = JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8'));
    const b = (await introspect(bearer(service.token), { token: jwt, token_type_hint: 'access_token' })).json();
    assert.deepEqual(b, { active: true, scope: 'read', client_id: parent.id, username: 'admin', token_type: 'Bearer', exp: claims.exp, iat: claims.iat, sub: '1', iss: 'tessera', jti: claims.jti });
    assert.equal((await h.req({ method: 'DELETE', url: `/api/v1/tokens/${parent.id}`, headers: { cookie: h.adminCookie } })).statusCode, 200);
    assert.equal((await introspect(bearer(service.token), { token: jwt })).body, '{"active":false}');
  });

  test('a session JWT has no client_id; a tampered JWT is inactive', async () => {
    const jwt = (await h.req({ method: 'POST', url: '/api/v1/auth/jwt', headers: { cookie: h.adminCookie } })).json().token as string;
    const b = (await introspect(bearer(service.token), { token: jwt })).json();
    assert.equal(b.active, true);
    assert.equal(b.client_id, undefined);
    assert.equal(b.username, 'admin');
    assert.equal(b.scope, 'full');
    const bad = `${jwt.slice(0, -4)}${jwt.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`;
    assert.equal((await introspect(bearer(service.token), { token: bad })).body, '{"active":false}');
  });

  test('HTTP Basic with the token as password authenticates the caller', async () => {
    const t = await createToken(h, { cookie: h.adminCookie }, { name: 'b' });
    const r = await introspect(basic(service.token), { token: t.token });
    assert.equal(r.statusCode, 200);
    assert.equal(r.json().active, true);
  });

  test('oauth4webapi (a real RFC 7662 client) introspects against the running server', async () => {
    const t = await createToken(h, { cookie: h.adminCookie }, { name: 'o4w', access: 'write' });
    const as: oauth.AuthorizationServer = { issuer: base, introspection_endpoint: `${base}/api/v1/introspect` };
    const client: oauth.Client = { client_id: 'resource-server' };
    const opts = { [oauth.allowInsecureRequests]: true };
    const active = await oauth.processIntrospectionResponse(as, client,
      await oauth.introspectionRequest(as, client, oauth.ClientSecretBasic(service.token), t.token, opts));
    assert.equal(active.active, true);
    assert.equal(active.scope, 'write');
    assert.equal(active.client_id, t.id);
    assert.equal(active.token_type, 'Bearer');
    const inactive = await oauth.processIntrospectionResponse(as, client,
      await oauth.introspectionRequest(as, client, oauth.ClientSecretBasic(service.token), unknownToken(), opts));
    assert.deepEqual(inactive, { active: false });
    // The wrong client secret: the client sees the 401.
    await assert.rejects(async () => oauth.processIntrospectionResponse(as, client,
      await oauth.introspectionRequest(as, client, oauth.ClientSecretBasic(unknownToken()), t.token, opts)));
  });
});

describe('introspection callers (RFC 7662 §2.1: the caller must be authorized)', () => {
  test('no credential → 401 with WWW-Authenticate, before the body is looked at', async () => {
    const r = await introspect({}, {});
    expectError(r, 401, 'UNAUTHENTICATED');
    assert.match(String(r.headers['www-authenticate']), /^Bearer/);
  });

  test('an unknown, revoked or garbage caller token → 401; Basic without a colon → 401', async () => {
    const t = await createToken(h, { cookie: h.adminCookie }, { name: 'x' });
    for (const headers of [bearer(unknownToken()), basic(unknownToken()), { authorization: 'Basic Zm9v' }]) {
      const r = await introspect(headers, { token: t.token });
      assert.equal(r.statusCode, 401, JSON.stringify(headers));
      assert.ok(r.headers['www-authenticate']);
      assert.ok(!r.body.includes(t.token));
    }
  });

  test('a personal token below full, a session cookie, a session JWT → 403; a full personal token is allowed', async () => {
    const u = await h.createUser('intro-bob');
    const write = await createToken(h, { cookie: u.cookie }, { name: 'w', access: 'write' });
    const jwt = (await h.req({ method: 'POST', url: '/api/v1/auth/jwt', headers: { cookie: h.adminCookie } })).json().token;
    for (const headers of [bearer(write.token), { cookie: h.adminCookie }, bearer(jwt)]) {
      expectError(await introspect(headers, { token: write.token }), 403, 'INSUFFICIENT_ACCESS');
    }
    const ok = await introspect(bearer(u.token), { token: write.token });
    assert.equal(ok.statusCode, 200);
    assert.equal(ok.json().active, true);
  });

  test('a rate-limited caller gets 429', async () => {
    const c = await createToken(h, { cookie: h.adminCookie }, { name: 'rl', kind: 'service', rate_limit: { limit: 1, window_seconds: 60 } });
    assert.equal((await introspect(bearer(c.token), { token: service.token })).statusCode, 200);
    const r = await introspect(bearer(c.token), { token: service.token });
    assert.equal(r.statusCode, 429);
  });

  test('a missing token field → 400 VALIDATION_ERROR', async () => {
    expectError(await introspect(bearer(service.token), { token_type_hint: 'access_token' }), 400, 'VALIDATION_ERROR');
  });
});
