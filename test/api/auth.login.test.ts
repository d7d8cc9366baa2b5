/** Password login, the session cookie, logout, session expiry and failed-login throttling. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { ADMIN_PASSWORD, bearer, type Harness, startHarness } from '../helpers.js';
import { createToken, expectError } from './support.js';

let h: Harness;
before(async () => { h = await startHarness(); });
after(async () => { await h.close(); });

const login = (username: string, password: string, extra: { remoteAddress?: string; headers?: Record<string, string> } = {}) =>
  h.req({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password }, ...extra });
const sessionCookie = (r: LightMyRequestResponse) => r.cookies.find((c) => c.name === 'tessera_session');
const setCookie = (r: LightMyRequestResponse) => String(r.headers['set-cookie']);

describe('login', () => {
  test('200 with the user and an HttpOnly, SameSite=Lax session cookie (not Secure over plain http)', async () => {
    const r = await login('admin', ADMIN_PASSWORD);
    assert.equal(r.statusCode, 200);
    assert.equal(r.json().user.username, 'admin');
    assert.equal(r.json().user.role, 'admin');
    assert.deepEqual(Object.keys(r.json()), ['user']);
    const c = sessionCookie(r)!;
    assert.match(c.value, /^tss_[0-9A-Za-z]{43}$/);
    assert.equal(c.httpOnly, true);
    assert.equal(c.sameSite, 'Lax');
    assert.equal(c.path, '/');
    assert.equal(c.secure, undefined);
    assert.doesNotMatch(setCookie(r), /Secure/);
    const me = await h.req({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: `tessera_session=${c.value}` } });
    assert.deepEqual(me.json().credential, { type: 'session', access: 'full', token_id: null, jwt: false });
    assert.ok(!JSON.stringify(await h.t.services.store.listAudit({ limit: 100 })).includes(c.value), 'the session value is stored hashed');
  });

  test('X-Forwarded-Proto is ignored without trust_proxy', async () => {
    const r = await login('admin', ADMIN_PASSWORD, { headers: { 'x-forwarded-proto': 'https' } });
    assert.doesNotMatch(setCookie(r), /Secure/);
  });

  test('wrong password, unknown user and disabled user → the same 401 INVALID_LOGIN', async () => {
    const u = await h.createUser('lena');
    await h.req({ method: 'PATCH', url: `/api/v1/users/${u.id}`, headers: { cookie: h.adminCookie }, payload: { disabled: true } });
    const messages = new Set<string>();
    for (const [name, pw, ip] of [['admin', 'wrong-password', '10.1.0.1'], ['nobody', 'whatever-pw', '10.1.0.2'], ['lena', 'lena-password', '10.1.0.3']] as const) {
      const r = await login(name, pw, { remoteAddress: ip });
      messages.add(expectError(r, 401, 'INVALID_LOGIN').message);
      assert.equal(sessionCookie(r), undefined);
    }
    assert.equal(messages.size, 1, 'the message does not say which part was wrong');
  });

  test('missing or mistyped fields → 400 naming them', async () => {
    expectError(await h.req({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'admin' } }), 400, 'VALIDATION_ERROR', /password/);
    expectError(await h.req({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 1, password: 'x' } }), 400, 'VALIDATION_ERROR', /username/);
  });

  test('a urlencoded form logs in too', async () => {
    const r = await h.req({ method: 'POST', url: '/api/v1/auth/login', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `username=admin&password=${encodeURIComponent(ADMIN_PASSWORD)}` });
    assert.equal(r.statusCode, 200);
  });
});

describe('sessions', () => {
  test('logout → 204, clears the cookie and ends that session only', async () => {
    const a = await h.login('admin', ADMIN_PASSWORD);
    const b = await h.login('admin', ADMIN_PASSWORD);
    const r = await h.req({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie: a } });
    assert.equal(r.statusCode, 204);
    assert.match(setCookie(r), /tessera_session=;.*Expires=Thu, 01 Jan 1970/);
    expectError(await h.req({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: a } }), 401, 'SESSION_INVALID');
    expectError(await h.req({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie: a } }), 401, 'SESSION_INVALID');
    assert.equal((await h.req({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: b } })).statusCode, 200);
  });

  test('logout with a token (not a session) → 400', async () => {
    const { token } = await createToken(h, { cookie: h.adminCookie }, { access: 'full' });
    expectError(await h.req({ method: 'POST', url: '/api/v1/auth/logout', headers: bearer(token) }), 400, 'VALIDATION_ERROR');
  });

  test('a session ends after session_ttl_seconds', async () => {
    const c = await h.login('admin', ADMIN_PASSWORD);
    h.clock.advance(h.t.config.session_ttl_seconds * 1000 - 1);
    assert.equal((await h.req({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: c } })).statusCode, 200);
    h.clock.advance(1);
    expectError(await h.req({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: c } }), 401, 'SESSION_INVALID');
  });
});

describe('behind a TLS proxy (trust_proxy)', () => {
  let p: Harness;
  before(async () => { p = await startHarness({ trust_proxy: true }); });
  after(async () => { await p.close(); });

  test('the cookie is Secure when X-Forwarded-Proto is https, and not otherwise', async () => {
    const tls = await p.req({ method: 'POST', url: '/api/v1/auth/login', headers: { 'x-forwarded-proto': 'https' }, payload: { username: 'admin', password: ADMIN_PASSWORD } });
    assert.equal(tls.statusCode, 200);
    assert.equal(sessionCookie(tls)!.secure, true);
    assert.match(setCookie(tls), /; HttpOnly; Secure; SameSite=Lax/);
    const plain = await p.req({ method: 'POST', url: '/api/v1/auth/login', headers: { 'x-forwarded-proto': 'http' }, payload: { username: 'admin', password: ADMIN_PASSWORD } });
    assert.doesNotMatch(setCookie(plain), /Secure/);
  });

  test('the audit log records the client address from X-Forwarded-For', async () => {
    await p.req({ method: 'POST', url: '/api/v1/auth/login', headers: { 'x-forwarded-for': '203.0.113.7' }, payload: { username: 'admin', password: 'nope-nope' } });
    const e = (await p.t.services.store.listAudit({ limit: 1, action: 'auth.login_failed' })).items[0]!;
    assert.equal(e.ip, '203.0.113.7');
  });
});

describe('throttling failed logins', () => {
  const MAX = 3;
  let t: Harness;
  before(async () => { t = await startHarness({ login_throttle: { max_failures: MAX, window_seconds: 600, block_seconds: 120 } }); });
  after(async () => { await t.close(); });
  const attempt = (username: string, password: string, ip: string) =>
    t.req({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: ip, payload: { username, password } });
  const expectLimited = (r: LightMyRequestResponse, why?: string) => {
    assert.equal(r.statusCode, 429, why);
    expectError(r, 429, 'RATE_LIMITED');
    const wait = Number(r.headers['retry-after']);
    assert.ok(Number.isInteger(wait) && wait > 0 && wait <= 120, `Retry-After: ${r.headers['retry-after']}`);
  };

  test(`per username: after ${MAX} failures, an address with failures waits a growing delay; a clean address with the right password gets in`, async () => {
    await t.createUser('mia');
    for (let i = 0; i < MAX; i++) expectError(await attempt('mia', 'wrong-password', `10.2.0.${i}`), 401, 'INVALID_LOGIN');
    expectLimited(await attempt('MIA', 'mia-password', '10.2.0.0'), 'an address with failures waits, even with the right password');
    assert.equal((await attempt('mia', 'mia-password', '10.2.1.2')).statusCode, 200, 'nobody can lock mia out');
    const audit = (await t.t.services.store.listAudit({ limit: 10, action: 'auth.login_throttled' })).items;
    assert.equal(audit.length, 1);
    assert.equal((await attempt('admin', ADMIN_PASSWORD, '10.2.1.3')).statusCode, 200, 'other users are not affected');
  });

  test(`per address: after ${MAX} failures for any usernames → 429 with Retry-After`, async () => {
    for (let i = 0; i < MAX; i++) expectError(await attempt(`ghost${i}`, 'wrong-password', '10.3.0.1'), 401, 'INVALID_LOGIN');
    expectLimited(await attempt('admin', ADMIN_PASSWORD, '10.3.0.1'));
    assert.equal((await attempt('admin', ADMIN_PASSWORD, '10.3.0.2')).statusCode, 200, 'other addresses are not affected');
  });

  test('a successful login clears the username\'s failures', async () => {
    await t.createUser('noah');
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < MAX - 1; i++) expectError(await attempt('noah', 'wrong-password', `10.4.${round}.${i}`), 401, 'INVALID_LOGIN');
      assert.equal((await attempt('noah', 'noah-password', `10.4.${round}.9`)).statusCode, 200);
    }
  });

  test('concurrent guesses from one address cannot get past the limit: exactly max_failures are checked, the rest get 429', async () => {
    await t.createUser('olga');
    const rs = await Promise.all(Array.from({ length: 20 }, (_, i) => attempt('olga', `guess-${i}-wrong`, '10.6.0.1')));
    assert.equal(rs.filter((r) => r.statusCode === 401).length, MAX);
    for (const r of rs.filter((x) => x.statusCode !== 401)) expectLimited(r);
    expectLimited(await attempt('olga', 'olga-password', '10.6.0.1'));
  });

  test('a burst of successful logins from one address does not block it', async () => {
    await t.createUser('piet');
    const rs = await Promise.all(Array.from({ length: MAX + 2 }, () => attempt('piet', 'piet-password', '10.7.0.1')));
    assert.ok(rs.filter((r) => r.statusCode === 200).length >= MAX);
    assert.equal((await attempt('piet', 'piet-password', '10.7.0.1')).statusCode, 200);
  });

  test('the block ends after block_seconds', async () => {
    const s = await startHarness({ login_throttle: { max_failures: 2, window_seconds: 600, block_seconds: 1 } });
    try {
      for (let i = 0; i < 2; i++) await s.req({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: '10.5.0.1', payload: { username: 'admin', password: 'wrong-password' } });
      const blocked = await s.req({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: '10.5.0.1', payload: { username: 'admin', password: ADMIN_PASSWORD } });
      expectError(blocked, 429, 'RATE_LIMITED');
      assert.equal(blocked.headers['retry-after'], '1');
      s.clock.advance(1100);
      assert.equal((await s.req({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: '10.5.0.1', payload: { username: 'admin', password: ADMIN_PASSWORD } })).statusCode, 200);
    } finally {
      await s.close();
    }
  });
});
