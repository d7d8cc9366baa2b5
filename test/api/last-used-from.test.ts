/**
 * Last-used addresses (issue 16): the distinct client addresses of a token's last uses, newest first, at most five,
 * written by the usage batch (never per request) and shown by `GET /api/v1/tokens/{id}`. The address is the one the
 * HTTP edge works out (trust_proxy rules); `/verify` records the `ip` its caller reports. Both stores
 * (TESSERA_TEST_STORE=postgres).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { bearer, type Harness, startHarness } from '../helpers.js';
import { createToken } from './support.js';

const me = (h: Harness, token: string, from?: string) =>
  h.req({ method: 'GET', url: '/api/v1/auth/me', headers: { ...bearer(token), ...(from ? { 'x-forwarded-for': from } : {}) } });
const show = async (h: Harness, id: string) => {
  const r = await h.req({ method: 'GET', url: `/api/v1/tokens/${id}`, headers: { cookie: h.adminCookie } });
  assert.equal(r.statusCode, 200, r.body);
  return r.json();
};
const iso = (ms: number) => new Date(ms).toISOString();

describe('last-used addresses behind a trusted proxy, flushed by hand', () => {
  let h: Harness;
  before(async () => { h = await startHarness({ trust_proxy: true, usage_flush_ms: 3_600_000 }); });
  after(async () => { await h.close(); });

  test('seven addresses and a repeat: the five newest distinct ones, newest first; nothing stored before the flush', async () => {
    const { id, token } = await createToken(h, { cookie: h.adminCookie }, { access: 'read' });
    const t0 = h.clock.now();
    for (let i = 1; i <= 7; i++) {
      h.clock.advance(1_000);
      assert.equal((await me(h, token, `203.0.113.${i}`)).statusCode, 200);
    }
    h.clock.advance(1_000);
    assert.equal((await me(h, token, '203.0.113.3, 10.0.0.1')).statusCode, 200, 'the client is the left-most untrusted hop');
    const want = [
      { ip: '203.0.113.3', at: iso(t0 + 8_000) }, { ip: '203.0.113.7', at: iso(t0 + 7_000) }, { ip: '203.0.113.6', at: iso(t0 + 6_000) },
      { ip: '203.0.113.5', at: iso(t0 + 5_000) }, { ip: '203.0.113.4', at: iso(t0 + 4_000) },
    ];
    assert.deepEqual(await h.t.services.store.listTokenAddresses(id), [], 'verification wrote nothing yet');
    assert.deepEqual((await show(h, id)).last_used_from, want, 'the pending batch shows at once');

    await h.t.services.usage.flush();
    const stored = await h.t.services.store.listTokenAddresses(id);
    assert.deepEqual(stored.map((a) => ({ ip: a.ip, at: iso(a.at) })), want);
    assert.deepEqual((await show(h, id)).last_used_from, want);
  });

  test('a later batch merges with the stored rows: the store keeps five per token, other tokens untouched', async () => {
    const a = await createToken(h, { cookie: h.adminCookie }, { access: 'read' });
    const b = await createToken(h, { cookie: h.adminCookie }, { access: 'read' });
    const t0 = h.clock.now();
    for (const ip of ['198.51.100.1', '198.51.100.2', '198.51.100.3']) { h.clock.advance(1_000); await me(h, a.token, ip); }
    await me(h, b.token, '192.0.2.9');
    await h.t.services.usage.flush();
    for (const ip of ['198.51.100.4', '198.51.100.1', '198.51.100.5', '198.51.100.6']) { h.clock.advance(1_000); await me(h, a.token, ip); }
    await h.t.services.usage.flush();

    const rows = await h.t.services.store.listTokenAddresses(a.id);
    assert.deepEqual(rows.map((r) => [r.ip, r.at - t0]),
      [['198.51.100.6', 7_000], ['198.51.100.5', 6_000], ['198.51.100.1', 5_000], ['198.51.100.4', 4_000], ['198.51.100.3', 3_000]]);
    assert.deepEqual((await h.t.services.store.listTokenAddresses(b.id)).map((r) => r.ip), ['192.0.2.9']);
    assert.equal((await show(h, a.id)).use_count, 7);
  });

  test('listings carry no addresses; a purged token leaves no rows', async () => {
    const { id, token } = await createToken(h, { cookie: h.adminCookie }, { access: 'read' });
    await me(h, token, '192.0.2.77');
    await h.t.services.usage.flush();
    const list = (await h.req({ method: 'GET', url: '/api/v1/tokens?owner=*', headers: { cookie: h.adminCookie } })).json();
    const listed = list.items.find((t: { id: string }) => t.id === id);
    assert.ok(listed);
    assert.equal('last_used_from' in listed, false);
    assert.equal((await h.req({ method: 'DELETE', url: `/api/v1/tokens/${id}?purge=true`, headers: { cookie: h.adminCookie } })).statusCode < 300, true);
    assert.deepEqual(await h.t.services.store.listTokenAddresses(id), []);
  });
});

describe('last-used addresses without a trusted proxy (usage_flush_ms = 50)', () => {
  let h: Harness;
  before(async () => { h = await startHarness(); });
  after(async () => { await h.close(); });

  test('X-Forwarded-For is ignored: the socket address counts; /verify records the ip its caller reports, if it is an address', async () => {
    const { id, token } = await createToken(h, { cookie: h.adminCookie }, { access: 'read' });
    const t0 = h.clock.now();
    await me(h, token, '203.0.113.50');
    h.clock.advance(1_000);
    const verify = (body: Record<string, unknown>) => h.req({ method: 'POST', url: '/api/v1/verify', headers: { cookie: h.adminCookie }, payload: { token, ...body } });
    assert.equal((await verify({ ip: '2001:db8::7' })).json().code, 'VALID');
    h.clock.advance(1_000);
    assert.equal((await verify({ ip: 'not-an-address' })).json().code, 'VALID');
    assert.equal((await verify({})).json().code, 'VALID');
    await sleep(200); // the interval flush
    const fresh = await show(h, id);
    assert.equal(fresh.use_count, 4);
    assert.deepEqual(fresh.last_used_from, [{ ip: '2001:db8::7', at: iso(t0 + 1_000) }, { ip: '127.0.0.1', at: iso(t0) }]);
    assert.deepEqual((await h.t.services.store.listTokenAddresses(id)).map((a) => a.ip), ['2001:db8::7', '127.0.0.1']);
  });
});
