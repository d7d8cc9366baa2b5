/**
 * Issue 12, item 4: `trust_proxy: true` took the leftmost X-Forwarded-For entry, which the client writes, so behind
 * nginx (`$proxy_add_x_forwarded_for` appends the real address) a client picked its own address and escaped the
 * per-address login throttle. trust_proxy now takes fastify's forms — a boolean, a hop count or a list of proxy
 * addresses/CIDRs — and the client address is the rightmost untrusted one, the same for fastify (req.ip) and the hot
 * lane.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/schema.js';
import { type Harness, startHarness } from '../helpers.js';
import { listen, overSocket } from './support.js';

const failedLogin = (h: Harness, xff: string, username = 'nobody') =>
  h.req({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: '127.0.0.1', headers: { 'x-forwarded-for': xff }, payload: { username, password: 'wrong-password' } });

const lastAuditIp = async (h: Harness): Promise<string | null> => (await h.t.services.store.listAudit({ limit: 1 })).items[0]!.ip;

/** The address the hot lane logged for its last request. */
const laneAddress = (h: Harness): string | undefined => {
  const lines = h.logs().trim().split('\n').map((l) => JSON.parse(l) as { msg: string; req?: { remoteAddress?: string; url?: string } });
  return lines.reverse().find((l) => l.msg === 'incoming request' && l.req?.url === '/api/v1/auth/forward')?.req?.remoteAddress;
};

const addressesFor = async (overrides: Partial<Config>, xff: string): Promise<{ fastify: string | null; lane: string | undefined }> => {
  const h = await startHarness(overrides);
  try {
    await failedLogin(h, xff);
    const fastify = await lastAuditIp(h);
    const port = await listen(h);
    const served = h.t.app.hotLane.served;
    await overSocket(port, { method: 'GET', path: '/api/v1/auth/forward', headers: { 'x-forwarded-for': xff } });
    assert.equal(h.t.app.hotLane.served, served + 1, 'the lane answered');
    return { fastify, lane: laneAddress(h) };
  } finally { await h.close(); }
};

describe('the client address (fastify and the hot lane agree)', () => {
  test('trust_proxy: 1 (nginx appends the real address) → the rightmost entry, not the client\'s own leftmost', async () => {
    assert.deepEqual(await addressesFor({ trust_proxy: 1 }, '6.6.6.6, 1.2.3.4'), { fastify: '1.2.3.4', lane: '1.2.3.4' });
  });
  test('a list of proxy addresses: the rightmost address that is not a trusted proxy', async () => {
    assert.deepEqual(await addressesFor({ trust_proxy: ['10.0.0.0/8', '127.0.0.1'] }, '6.6.6.6, 1.2.3.4, 10.1.2.3'), { fastify: '1.2.3.4', lane: '1.2.3.4' });
  });
  test('a list that does not hold the peer: X-Forwarded-For is ignored', async () => {
    assert.deepEqual(await addressesFor({ trust_proxy: ['10.0.0.0/8'] }, '6.6.6.6'), { fastify: '127.0.0.1', lane: '127.0.0.1' });
  });
  test('false: the socket address', async () => {
    assert.deepEqual(await addressesFor({ trust_proxy: false }, '6.6.6.6'), { fastify: '127.0.0.1', lane: '127.0.0.1' });
  });
});

describe('login throttle behind one proxy (trust_proxy: 1)', () => {
  let h: Harness;
  before(async () => { h = await startHarness({ trust_proxy: 1, login_throttle: { max_failures: 3, window_seconds: 900, block_seconds: 900 } }); });
  after(async () => { await h.close(); });

  test('changing the leftmost X-Forwarded-For entry does not escape the per-address throttle', async () => {
    for (let i = 0; i < 3; i++) assert.equal((await failedLogin(h, `9.9.9.${i}, 1.2.3.4`, `user${i}`)).statusCode, 401);
    const r = await failedLogin(h, '8.8.8.8, 1.2.3.4', 'someone-else');
    assert.equal(r.statusCode, 429, r.body);
    assert.equal((await failedLogin(h, '8.8.8.8, 1.2.3.5', 'another')).statusCode, 401, 'another client behind the proxy is not blocked');
  });
});

describe('configuration', () => {
  const env = (v: string) => loadConfig({ TESSERA_TRUST_PROXY: v }).trust_proxy;
  test('TESSERA_TRUST_PROXY: true/false, a hop count, or a comma list of addresses/CIDRs', () => {
    assert.equal(env('true'), true);
    assert.equal(env('false'), false);
    assert.equal(env('2'), 2);
    assert.deepEqual(env('10.0.0.0/8, 127.0.0.1,::1,loopback'), ['10.0.0.0/8', '127.0.0.1', '::1', 'loopback']);
  });
  test('bad values are configuration errors naming the key', () => {
    for (const v of ['10.0.0.0/33', 'nginx', '1.2.3', '-1']) assert.throws(() => env(v), (e: Error) => e instanceof ConfigError && /trust_proxy/.test(e.message), v);
    assert.throws(() => loadConfig({}, { trust_proxy: ['not-an-address'] }), /trust_proxy/);
    assert.equal(loadConfig({}, { trust_proxy: 1 }).trust_proxy, 1);
  });
});
