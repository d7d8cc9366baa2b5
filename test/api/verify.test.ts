/**
 * Verification for other services: POST /api/v1/verify (always 200 with a result) under each `verify_policy`, and
 * the forward-auth endpoint for reverse proxies (204 with identity headers, 401 or 403).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { bearer, type Harness, startHarness } from '../helpers.js';
import { buildFixture, createToken, expectError, type Fixture, unknownToken } from './support.js';

let h: Harness;
let f: Fixture;
let caller: Record<string, string>;
before(async () => {
  h = await startHarness();
  f = await buildFixture(h);
  caller = bearer(f.alice.read); // any valid credential may verify under the default policy
});
after(async () => { await h.close(); });

const verify = (payload: Record<string, unknown>, headers = caller) => h.req({ method: 'POST', url: '/api/v1/verify', headers, payload });

describe('POST /api/v1/verify', () => {
  test('VALID: 200 with the token\'s public fields and nothing secret', async () => {
    const r = await verify({ token: f.alice.write });
    assert.equal(r.statusCode, 200);
    const b = r.json();
    assert.deepEqual({ ...b, token: { ...b.token, id: 'x' } },
      { valid: true, code: 'VALID', token: { id: 'x', name: 'fx-write', kind: 'personal', owner: { id: f.alice.id, username: 'alice' }, access: 'write', expires_at: null },
        permissions: ['tessera:read', 'tessera:write'], roles: ['write'], metadata: null });
    assert.ok(!r.body.includes(f.alice.write));
  });

  test('a cached answer follows a change: renamed, re-scoped and given metadata, the next answer says so', async () => {
    const t = await h.adminToken({ name: 'memo-before', access: 'write' });
    for (let i = 0; i < 3; i++) assert.equal((await verify({ token: t.token })).json().token.name, 'memo-before'); // cached by now
    const p = await h.req({ method: 'PATCH', url: `/api/v1/tokens/${t.id}`, headers: { cookie: h.adminCookie },
      payload: { name: 'memo-after', access: 'read', metadata: { env: 'prod' } } });
    assert.equal(p.statusCode, 200);
    const b = (await verify({ token: t.token })).json();
    assert.deepEqual([b.token.name, b.token.access, b.roles, b.metadata], ['memo-after', 'read', ['read'], { env: 'prod' }]);
  });

  const cases: [string, (f: Fixture) => string, string, boolean][] = [
    ['MALFORMED', () => 'tsr_definitely-not-valid', 'MALFORMED', false],
    ['MALFORMED (bad checksum)', (x) => x.alice.write.slice(0, -1) + (x.alice.write.endsWith('A') ? 'B' : 'A'), 'MALFORMED', false],
    ['MALFORMED (empty)', () => '', 'MALFORMED', false],
    ['NOT_FOUND', () => unknownToken(), 'NOT_FOUND', false],
    ['EXPIRED', (x) => x.alice.expired, 'EXPIRED', true],
    ['REVOKED', (x) => x.alice.revoked, 'REVOKED', true],
    ['DISABLED (inactive token)', (x) => x.alice.inactive, 'DISABLED', true],
    ['DISABLED (owner disabled)', (x) => x.disabledOwner, 'DISABLED', true],
  ];
  for (const [name, value, code, hasToken] of cases) {
    test(`${name}: 200 {valid:false, code:${code}}`, async () => {
      const r = await verify({ token: value(f) });
      assert.equal(r.statusCode, 200);
      assert.equal(r.json().valid, false);
      assert.equal(r.json().code, code);
      assert.equal(r.json().token === null, !hasToken);
    });
  }

  test('access: INSUFFICIENT_ACCESS below the level asked for, VALID at or above it', async () => {
    const at = async (token: string, access: string) => (await verify({ token, access })).json().code;
    assert.equal(await at(f.alice.read, 'write'), 'INSUFFICIENT_ACCESS');
    assert.equal(await at(f.alice.write, 'full'), 'INSUFFICIENT_ACCESS');
    assert.equal(await at(f.alice.read, 'read'), 'VALID');
    assert.equal(await at(f.alice.write, 'write'), 'VALID');
    assert.equal(await at(f.alice.full, 'read'), 'VALID');
    const r = await verify({ token: f.alice.read, access: 'full' });
    assert.equal(r.json().valid, false);
    assert.equal(r.json().token.access, 'read');
  });

  test('service tokens verify with owner null', async () => {
    const b = (await verify({ token: f.service })).json();
    assert.deepEqual([b.valid, b.token.kind, b.token.owner], [true, 'service', null]);
  });

  test('bad requests are 400 (not a result): missing token, unknown access level, extra fields', async () => {
    expectError(await verify({}), 400, 'VALIDATION_ERROR', /token/);
    expectError(await verify({ token: 5 }), 400, 'VALIDATION_ERROR', /token/);
    expectError(await verify({ token: 'x', access: 'admin' }), 400, 'VALIDATION_ERROR', /access/);
    expectError(await verify({ token: 'x', extra: 1 }), 400, 'VALIDATION_ERROR', /extra/);
  });
});

describe('verify_policy', () => {
  test('public: anyone may verify, with no credential', async () => {
    const p = await startHarness({ verify_policy: 'public' });
    try {
      const { token } = await createToken(p, { cookie: p.adminCookie });
      const r = await p.req({ method: 'POST', url: '/api/v1/verify', payload: { token } });
      assert.deepEqual([r.statusCode, r.json().code], [200, 'VALID']);
      // No caller needed: an unreadable body gets its own error.
      expectError(await p.req({ method: 'POST', url: '/api/v1/verify', headers: { 'content-type': 'application/json' }, payload: '{bad' }), 400, 'INVALID_JSON');
    } finally { await p.close(); }
  });
  test('any (the default): no credential and a body that cannot be read → 401, not the body\'s error; a caller gets the body\'s', async () => {
    const post = (headers: Record<string, string>, payload: string) => h.req({ method: 'POST', url: '/api/v1/verify', headers, payload });
    expectError(await post({ 'content-type': 'application/json' }, '{bad'), 401, 'UNAUTHENTICATED');
    expectError(await post({ 'content-type': 'text/csv' }, 'a,b'), 401, 'UNAUTHENTICATED');
    expectError(await post({ 'content-type': 'application/json' }, JSON.stringify({ token: 'x'.repeat(2_000_000) })), 401, 'UNAUTHENTICATED');
    expectError(await post({ 'content-type': 'application/json', ...bearer(f.alice.write) }, '{bad'), 400, 'INVALID_JSON');
    // A readable body without a caller: 401 as before; with one: its result.
    expectError(await post({ 'content-type': 'application/json' }, JSON.stringify({ token: f.alice.write })), 401, 'UNAUTHENTICATED');
    const ok = await post({ 'content-type': 'application/json', ...bearer(f.alice.write) }, JSON.stringify({ token: f.alice.write }));
    assert.deepEqual([ok.statusCode, ok.json().code], [200, 'VALID']);
  });
  test('admin: only admins may verify', async () => {
    const p = await startHarness({ verify_policy: 'admin' });
    try {
      const u = await p.createUser('user1');
      expectError(await p.req({ method: 'POST', url: '/api/v1/verify', headers: bearer(u.token), payload: { token: u.token } }), 403, 'FORBIDDEN');
      expectError(await p.req({ method: 'POST', url: '/api/v1/verify', payload: { token: u.token } }), 401, 'UNAUTHENTICATED');
      const r = await p.req({ method: 'POST', url: '/api/v1/verify', headers: { cookie: p.adminCookie }, payload: { token: u.token } });
      assert.deepEqual([r.statusCode, r.json().code], [200, 'VALID']);
    } finally { await p.close(); }
  });
});

describe('forward-auth /api/v1/auth/forward', () => {
  const fwd = (headers: Record<string, string>, query = '', method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'HEAD' | 'OPTIONS' | 'PATCH' = 'GET') =>
    h.req({ method, url: `/api/v1/auth/forward${query}`, headers });

  test('204 with X-Tessera-User, -User-Id, -Token-Id and -Access, for any method', async () => {
    for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const) {
      const r = await fwd(bearer(f.alice.write), '', method);
      assert.equal(r.statusCode, 204, `${method}: ${r.body}`);
      assert.equal(r.body, '');
      assert.equal(r.headers['x-tessera-user'], 'alice');
      assert.equal(r.headers['x-tessera-user-id'], String(f.alice.id));
      assert.match(String(r.headers['x-tessera-token-id']), /^tok_/);
      assert.equal(r.headers['x-tessera-access'], 'write');
    }
  });

  test('a session: user headers, no token id; a service token: token id, no user', async () => {
    const s = await fwd({ cookie: f.alice.cookie });
    assert.deepEqual([s.statusCode, s.headers['x-tessera-user'], s.headers['x-tessera-token-id'], s.headers['x-tessera-access']], [204, 'alice', undefined, 'full']);
    const svc = await fwd(bearer(f.service));
    assert.deepEqual([svc.statusCode, svc.headers['x-tessera-user'], svc.headers['x-tessera-access']], [204, undefined, 'full']);
    assert.match(String(svc.headers['x-tessera-token-id']), /^tok_/);
  });

  test('401 with WWW-Authenticate for a missing or bad credential, and no identity headers', async () => {
    const bad: [Record<string, string>, string][] = [[{}, 'UNAUTHENTICATED'], [bearer('tsr_x'), 'TOKEN_MALFORMED'], [bearer(unknownToken()), 'TOKEN_NOT_FOUND'],
      [bearer(f.alice.expired), 'TOKEN_EXPIRED'], [bearer(f.alice.revoked), 'TOKEN_REVOKED'], [bearer(f.alice.inactive), 'TOKEN_DISABLED'], [bearer(f.disabledOwner), 'TOKEN_DISABLED']];
    for (const [headers, code] of bad) {
      const r = await fwd(headers);
      expectError(r, 401, code);
      assert.equal(r.headers['www-authenticate'], code === 'UNAUTHENTICATED' ? 'Bearer realm="tessera"' : 'Bearer realm="tessera", error="invalid_token"');
      assert.equal(r.headers['x-tessera-user'], undefined);
    }
  });

  test('?access=full: 403 INSUFFICIENT_ACCESS for a read token, 204 for a full one', async () => {
    expectError(await fwd(bearer(f.alice.read), '?access=full'), 403, 'INSUFFICIENT_ACCESS');
    expectError(await fwd(bearer(f.alice.read), '?access=write'), 403, 'INSUFFICIENT_ACCESS');
    assert.equal((await fwd(bearer(f.alice.read), '?access=read')).statusCode, 204);
    assert.equal((await fwd(bearer(f.alice.full), '?access=full')).statusCode, 204);
    expectError(await fwd(bearer(f.alice.full), '?access=root'), 400, 'VALIDATION_ERROR', /access/);
  });

  test('two different credentials → 400 AMBIGUOUS_CREDENTIALS', async () => {
    expectError(await fwd({ ...bearer(f.alice.full), 'x-api-key': f.alice.read }), 400, 'AMBIGUOUS_CREDENTIALS');
  });
});
