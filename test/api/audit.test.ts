/**
 * The audit log: every change to a user or token, every reveal, rotation, login and failed login is recorded with
 * who, when, from where and the request id; GET /api/v1/audit filters and pages it; no token value ever appears.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ADMIN_PASSWORD, bearer, type Harness, startHarness } from '../helpers.js';
import { createToken, expectError } from './support.js';

interface Event { id: number; at: string; actor: { type: string; id: string | null; name: string | null }; action: string; target: { type: string; id: string } | null; ip: string | null; request_id: string | null; details: Record<string, unknown> | null }

let h: Harness;
let admin: Record<string, string>;
const values: string[] = []; // every token value this file saw
const IP = '198.51.100.20';

before(async () => { h = await startHarness(); admin = { cookie: h.adminCookie }; });
after(async () => { await h.close(); });

/** Sends a request (as the admin by default) from IP, remembering any token value it answers with. */
const act = async (method: 'POST' | 'PATCH' | 'DELETE' | 'GET', url: string, payload?: Record<string, unknown>, headers = admin) => {
  const r = await h.req({ method, url, headers, remoteAddress: IP, ...(payload ? { payload } : {}) });
  if (r.headers['content-type']?.toString().startsWith('application/json') && typeof r.json().token === 'string') values.push(r.json().token);
  return r;
};
const audit = async (query = ''): Promise<{ items: Event[]; next_cursor: string | null }> => {
  const r = await h.req({ method: 'GET', url: `/api/v1/audit${query}`, headers: admin });
  assert.equal(r.statusCode, 200, r.body);
  return r.json();
};
const newest = async (action: string): Promise<Event> => (await audit(`?action=${action}&limit=1`)).items[0]!;
const allEvents = async (): Promise<Event[]> => {
  const out: Event[] = [];
  let cursor: string | null = null;
  do {
    const p = await audit(`?limit=7${cursor ? `&cursor=${cursor}` : ''}`);
    out.push(...p.items);
    cursor = p.next_cursor;
  } while (cursor);
  return out;
};

describe('what is recorded', () => {
  test('token create, update, rotate, reveal, revoke and purge: actor, time, ip, request id, target', async () => {
    const c = await act('POST', '/api/v1/tokens', { name: 'audited', recoverable: true, access: 'full' });
    const id = c.json().id as string;
    const steps: [string, () => Promise<unknown>][] = [
      ['token.create', async () => undefined],
      ['token.update', () => act('PATCH', `/api/v1/tokens/${id}`, { comment: 'new' })],
      ['token.rotate', () => act('POST', `/api/v1/tokens/${id}/rotate`, { grace_seconds: 10 })],
      ['token.reveal', () => act('GET', `/api/v1/tokens/${id}/value`)],
      ['token.revoke', () => act('DELETE', `/api/v1/tokens/${id}`)],
      ['token.purge', () => act('DELETE', `/api/v1/tokens/${id}?purge=true`)],
    ];
    const requestIds = new Set<string>();
    for (const [action, run] of steps) {
      h.clock.advance(1000);
      await run();
      const e = await newest(action);
      assert.ok(e, action);
      assert.deepEqual(e.actor, { type: 'user', id: '1', name: 'admin' }, action);
      assert.deepEqual(e.target, { type: 'token', id }, action);
      assert.equal(e.ip, IP, action);
      assert.match(e.request_id ?? '', /^req_/, action);
      requestIds.add(e.request_id!);
      if (action !== 'token.create') assert.equal(e.at, new Date(h.clock.now()).toISOString(), action);
    }
    assert.equal(requestIds.size, steps.length, 'one request id per request');
    assert.deepEqual((await newest('token.update')).details, { fields: ['comment'] });
    assert.deepEqual((await newest('token.rotate')).details, { grace_seconds: 10 });
    assert.equal((await newest('token.create')).details?.name, 'audited');
  });

  test('a token acting is recorded as that token, with its owner\'s name', async () => {
    const { id, token } = await createToken(h, admin, { name: 'actor', access: 'full' });
    values.push(token);
    await act('POST', '/api/v1/tokens', { name: 'made-by-token' }, bearer(token));
    assert.deepEqual((await newest('token.create')).actor, { type: 'token', id, name: 'admin' });
  });

  test('user create, update (password named, never shown) and delete', async () => {
    const c = await act('POST', '/api/v1/users', { username: 'quinn', password: 'quinn-password', groups: ['ops'] });
    const uid = String(c.json().id);
    await act('PATCH', `/api/v1/users/${uid}`, { password: 'quinn-password-2', role: 'admin' });
    await act('DELETE', `/api/v1/users/${uid}`);
    const [create, update, del] = [await newest('user.create'), await newest('user.update'), await newest('user.delete')];
    for (const e of [create, update, del]) {
      assert.deepEqual(e.target, { type: 'user', id: uid });
      assert.equal(e.ip, IP);
      assert.deepEqual(e.actor, { type: 'user', id: '1', name: 'admin' });
    }
    assert.deepEqual(create.details, { username: 'quinn', role: 'user', groups: ['ops'] });
    assert.deepEqual((update.details?.fields as string[]).sort(), ['password', 'role']);
    const json = JSON.stringify([create, update, del]);
    assert.ok(!json.includes('quinn-password') && !json.includes('argon2'));
  });

  test('login, failed login (with the same request id as the error) and logout', async () => {
    const ok = await h.req({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: IP, payload: { username: 'admin', password: ADMIN_PASSWORD } });
    const login = await newest('auth.login');
    assert.deepEqual([login.actor, login.target, login.ip], [{ type: 'user', id: '1', name: 'admin' }, { type: 'user', id: '1' }, IP]);
    const bad = await h.req({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: '198.51.100.21', payload: { username: 'admin', password: 'not-it-at-all' } });
    const failed = await newest('auth.login_failed');
    assert.equal(failed.request_id, bad.json().error.request_id);
    assert.deepEqual([failed.actor.type, failed.ip, failed.details], ['anonymous', '198.51.100.21', { login: 'admin', reason: 'bad_credentials' }]);
    assert.ok(!JSON.stringify(failed).includes('not-it-at-all'), 'the tried password is not recorded');
    await h.req({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: IP, payload: { username: 'nobody', password: 'whatever1' } });
    assert.equal((await newest('auth.login_failed')).target, null);
    const cookie = `tessera_session=${ok.cookies.find((c) => c.name === 'tessera_session')!.value}`;
    await h.req({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie }, remoteAddress: IP });
    assert.deepEqual((await newest('auth.logout')).target, { type: 'user', id: '1' });
  });

  test('refused requests change nothing and record nothing', async () => {
    const before = (await audit('?limit=1')).items[0]!.id;
    await h.req({ method: 'POST', url: '/api/v1/tokens', headers: admin, payload: { comment: 'c'.repeat(300) } });
    await h.req({ method: 'GET', url: '/api/v1/tokens/tok_missing/value', headers: admin });
    assert.equal((await audit('?limit=1')).items[0]!.id, before);
  });
});

describe('GET /api/v1/audit', () => {
  test('newest first; filters by action (exact or prefix), actor, target, since and until', async () => {
    const { id, token } = await createToken(h, admin, { name: 'filtered', access: 'full' });
    values.push(token);
    const start = h.clock.now();
    h.clock.advance(60_000);
    await act('PATCH', `/api/v1/tokens/${id}`, { comment: 'one' }, bearer(token));
    h.clock.advance(60_000);
    await act('PATCH', `/api/v1/tokens/${id}`, { comment: 'two' });
    const all = (await audit('?limit=200')).items;
    assert.deepEqual(all.map((e) => e.id), [...all.map((e) => e.id)].sort((a, b) => b - a));
    const byTarget = (await audit(`?target=${id}`)).items;
    assert.deepEqual(byTarget.map((e) => e.action), ['token.update', 'token.update', 'token.create']);
    assert.deepEqual((await audit(`?actor=${id}`)).items.map((e) => e.action), ['token.update']);
    assert.ok((await audit('?actor=1&limit=200')).items.every((e) => e.actor.id === '1'));
    const tokenEvents = (await audit('?action=token.&limit=200')).items;
    assert.ok(tokenEvents.length > 3 && tokenEvents.every((e) => e.action.startsWith('token.')));
    assert.ok((await audit('?action=token.update&limit=200')).items.every((e) => e.action === 'token.update'));
    const iso = (ms: number) => new Date(ms).toISOString();
    assert.deepEqual((await audit(`?target=${id}&since=${iso(start + 1)}`)).items.length, 2);
    assert.deepEqual((await audit(`?target=${id}&since=${iso(start + 1)}&until=${iso(start + 120_000)}`)).items.map((e) => e.details), [{ fields: ['comment'] }]);
    assert.equal((await audit(`?target=${id}&until=${iso(start)}`)).items.length, 0);
  });

  test('pagination visits every event once', async () => {
    const events = await allEvents();
    assert.equal(new Set(events.map((e) => e.id)).size, events.length);
    assert.equal(events.length, (await audit('?limit=200')).items.length);
  });

  test('bad filters → 400 naming them; non-admins → 403', async () => {
    expectError(await h.req({ method: 'GET', url: '/api/v1/audit?since=last-week', headers: admin }), 400, 'VALIDATION_ERROR', /since/);
    expectError(await h.req({ method: 'GET', url: '/api/v1/audit?until=2030-06-30T23:59:60Z', headers: admin }), 400, 'VALIDATION_ERROR', /until/);
    expectError(await h.req({ method: 'GET', url: '/api/v1/audit?limit=0', headers: admin }), 400, 'VALIDATION_ERROR', /limit/);
    expectError(await h.req({ method: 'GET', url: '/api/v1/audit?who=me', headers: admin }), 400, 'VALIDATION_ERROR', /who/);
    const u = await h.createUser('rita');
    expectError(await h.req({ method: 'GET', url: '/api/v1/audit', headers: { cookie: u.cookie } }), 403, 'FORBIDDEN');
    values.push(u.token);
  });

  test('no token value appears anywhere in the audit log', async () => {
    assert.ok(values.length >= 5);
    const events = await allEvents();
    for (const e of events) {
      const json = JSON.stringify(e);
      for (const v of values) assert.ok(!json.includes(v), `event ${e.id} (${e.action}) contains a token value`);
      assert.ok(!/tsr_[0-9A-Za-z]{33}/.test(json), `event ${e.id} contains something shaped like a token`);
    }
  });
});
