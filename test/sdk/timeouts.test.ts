/**
 * The SDK against a server that takes the connection and never answers: every entry gives up in its time, none hangs
 * its caller (the typed client, the local verifier's start, the guard); and a guard whose own question the server
 * refuses is a 500 of the guard, not a 503 outage.
 */
import assert from 'node:assert/strict';
import { type AddressInfo, createServer, type Socket } from 'node:net';
import { after, before, test } from 'node:test';
import { ApiError, createTesseraClient, RemoteVerifier, unwrap } from '../../sdk/index.js';
import { decide } from '../../sdk/guard.js';
import { LocalVerifier } from '../../sdk/local.js';
import { startSdkServer, type SdkServer } from './server.js';

let s: SdkServer;
let hungUrl: string;
const sockets = new Set<Socket>();
const hung = createServer((c) => { sockets.add(c); c.on('error', () => undefined); });
before(async () => {
  s = await startSdkServer();
  await new Promise<void>((done) => hung.listen(0, '127.0.0.1', done));
  hungUrl = `http://127.0.0.1:${(hung.address() as AddressInfo).port}`;
});
after(async () => {
  for (const c of sockets) c.destroy();
  hung.close();
  await s.close();
});

test('the typed client gives up after timeoutMs with NETWORK_ERROR naming the wait; a live server answers within it', { timeout: 20_000 }, async () => {
  const api = createTesseraClient({ baseUrl: hungUrl, token: 'tsr_x', timeoutMs: 300 });
  const t0 = performance.now();
  await assert.rejects(unwrap(api.GET('/api/v1/auth/me')), (e: ApiError) => e.code === 'NETWORK_ERROR' && /within 300 ms/.test(e.message));
  const took = performance.now() - t0;
  assert.ok(took >= 290 && took < 5_000, `gave up after ${Math.round(took)} ms`);
  const live = createTesseraClient({ baseUrl: s.baseUrl, token: s.service, timeoutMs: 300 });
  assert.equal((await unwrap(live.GET('/api/v1/auth/me'))).credential.type, 'token');
});

test('a refused connection names its cause', { timeout: 20_000 }, async () => {
  const closed = createServer();
  await new Promise<void>((done) => closed.listen(0, '127.0.0.1', done));
  const port = (closed.address() as AddressInfo).port;
  await new Promise((done) => closed.close(done));
  const api = createTesseraClient({ baseUrl: `http://127.0.0.1:${port}` });
  await assert.rejects(unwrap(api.GET('/api/v1/auth/me')), (e: ApiError) => e.code === 'NETWORK_ERROR' && /ECONNREFUSED/.test(e.message));
});

test('LocalVerifier.start() resolves after idleMs against a server that never answers, and says why', { timeout: 20_000 }, async () => {
  const states: { caching: boolean; reason: string }[] = [];
  const v = new LocalVerifier({ baseUrl: hungUrl, credential: 'tsr_x', idleMs: 400, timeoutMs: 300, maxReconnectMs: 60_000, onState: (x) => states.push(x) });
  const t0 = performance.now();
  await v.start();
  try {
    const took = performance.now() - t0;
    assert.ok(took >= 390 && took < 5_000, `start resolved after ${Math.round(took)} ms`);
    assert.equal(v.caching, false);
    assert.deepEqual(states.map((x) => x.caching), [false]);
    assert.match(v.lastError ?? '', /no byte from the stream for 400 ms/);
    // verifications meanwhile go to the server: here they fail in their own time (RemoteVerifier's timeoutMs)
    await assert.rejects(v.verify('tsr_x'), (e: ApiError) => e.code === 'NETWORK_ERROR');
  } finally { v.close(); }
});

test('a guard whose permission query the server refuses answers 500 GUARD_MISCONFIGURED, without Retry-After', { timeout: 20_000 }, async () => {
  const verifier = new RemoteVerifier({ baseUrl: s.baseUrl, credential: s.service });
  const t = await s.token({ name: 'guard-misconfigured' });
  const header = (n: string) => (n === 'authorization' ? `Bearer ${t.token}` : undefined);
  const d = await decide(header, { verifier, permissions: 'deploy:*' });
  assert.equal(d.ok, false);
  if (d.ok) return;
  assert.equal(d.status, 500);
  assert.equal(d.body.error.code, 'GUARD_MISCONFIGURED');
  assert.match(d.body.error.message, /no wildcards/);
  assert.equal(d.headers['retry-after'], undefined);
  // the verifier down is still an outage: 503 with Retry-After
  const down = await decide(header, { verifier: new RemoteVerifier({ baseUrl: hungUrl, timeoutMs: 200 }) });
  assert.deepEqual(down.ok ? null : [down.status, down.body.error.code, down.headers['retry-after']], [503, 'VERIFIER_UNAVAILABLE', '1']);
});
