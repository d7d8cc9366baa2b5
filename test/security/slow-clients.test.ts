/**
 * Issue 12, item 3: slow request bodies were never timed out (request timeout 0, no connection limit). The server
 * now has a request timeout, a headers timeout, a keep-alive timeout and a connection limit (`http.*`). Real sockets
 * on 127.0.0.1, small limits, bounded waits.
 */
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { Config } from '../../src/config/schema.js';
import { type Harness, startHarness } from '../helpers.js';
import { listen } from './support.js';

interface Closed { ms: number; data: string }

/** Opens a socket, writes `first`, then `drip` every `everyMs` (at most `maxDrips` times) until the server closes it. */
const slowClient = (port: number, first: string, drip: string, everyMs: number, maxDrips: number): Promise<Closed> => new Promise((resolve) => {
  const start = Date.now();
  let data = '';
  const s = connect(port, '127.0.0.1', () => { s.write(first); });
  let n = 0;
  const timer = setInterval(() => {
    if (n++ >= maxDrips || s.destroyed) { clearInterval(timer); s.destroy(); return; }
    s.write(drip);
  }, everyMs);
  s.on('data', (c: Buffer) => { data += c.toString('latin1'); });
  s.on('error', () => undefined);
  s.on('close', () => { clearInterval(timer); resolve({ ms: Date.now() - start, data }); });
});

const open = (port: number): Promise<Socket> => new Promise((resolve, reject) => {
  const s = connect(port, '127.0.0.1', () => resolve(s));
  s.on('error', reject);
});

/** Sends one request on an open socket; resolves with what came back before the close or within `ms` (bounded). */
const exchange = (s: Socket, ms: number): Promise<{ data: string; closed: boolean }> => new Promise((resolve) => {
  let data = '';
  let closed = false;
  const done = (): void => { clearTimeout(t); resolve({ data, closed }); };
  const t = setTimeout(done, ms);
  s.on('data', (c: Buffer) => { data += c.toString('latin1'); if (/\r\n\r\n/.test(data)) done(); });
  s.on('error', () => undefined);
  s.on('close', () => { closed = true; done(); });
  if (!s.destroyed) s.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
});

describe('timeouts', () => {
  let h: Harness;
  let port: number;
  before(async () => {
    h = await startHarness({ http: { request_timeout_ms: 800, headers_timeout_ms: 400, keep_alive_timeout_ms: 300, max_connections: 100 } });
    port = await listen(h);
  });
  after(async () => { await h.close(); });

  test('a body sent a byte at a time is cut off at the request timeout (408 or close)', async () => {
    const head = 'POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{';
    const r = await slowClient(port, head, ' ', 100, 60); // would take 6 s to send it all
    assert.ok(r.ms < 3000, `closed after ${r.ms} ms`);
    assert.ok(r.data === '' || r.data.startsWith('HTTP/1.1 408'), r.data);
  });

  test('headers sent a line at a time are cut off at the headers timeout', async () => {
    const r = await slowClient(port, 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n', 'X-Slow: 1\r\n', 100, 60);
    assert.ok(r.ms < 2500, `closed after ${r.ms} ms`);
    assert.ok(r.data === '' || r.data.startsWith('HTTP/1.1 408'), r.data);
  });

  test('an idle keep-alive connection is closed after the keep-alive timeout', async () => {
    const s = await open(port);
    const start = Date.now();
    const first = await exchange(s, 2000);
    assert.match(first.data, /^HTTP\/1\.1 200/);
    const closed = await new Promise<number>((resolve) => {
      const t = setTimeout(() => resolve(-1), 3000);
      if (s.destroyed) { clearTimeout(t); resolve(Date.now() - start); }
      s.on('close', () => { clearTimeout(t); resolve(Date.now() - start); });
    });
    s.destroy();
    assert.ok(closed >= 0 && closed < 2000, `closed after ${closed} ms`);
  });
});

describe('connection limit', () => {
  let h: Harness;
  let port: number;
  before(async () => { h = await startHarness({ http: { max_connections: 3 } as Config['http'] }); port = await listen(h); }); // the rest from defaults
  after(async () => { await h.close(); });

  test('connection N+1 is refused while N are open; the N still work', async () => {
    const held = [await open(port), await open(port), await open(port)];
    try {
      await new Promise((r) => setTimeout(r, 50));
      const extra = await open(port).catch(() => null);
      if (extra !== null) {
        const r = await exchange(extra, 2000);
        extra.destroy();
        assert.ok(r.closed && r.data === '', `connection 4 got an answer: ${r.data}`);
      }
      const r = await exchange(held[0]!, 2000);
      assert.match(r.data, /^HTTP\/1\.1 200/, 'the held connections are served');
    } finally { for (const s of held) s.destroy(); }
    // Once they are gone, new connections are served again.
    let ok = false;
    for (let i = 0; i < 20 && !ok; i++) {
      await new Promise((r) => setTimeout(r, 50));
      const s = await open(port);
      ok = /^HTTP\/1\.1 200/.test((await exchange(s, 1000)).data);
      s.destroy();
    }
    assert.ok(ok, 'served again');
  });
});

describe('configuration', () => {
  test('defaults, and a headers timeout longer than the request timeout is refused', async () => {
    const { loadConfig } = await import('../../src/config/load.js');
    assert.deepEqual(loadConfig({}).http, { request_timeout_ms: 30_000, headers_timeout_ms: 10_000, keep_alive_timeout_ms: 5_000, max_connections: 10_000, shutdown_grace_ms: 300 });
    assert.throws(() => loadConfig({}, { http: { request_timeout_ms: 1000, headers_timeout_ms: 2000, keep_alive_timeout_ms: 5000, max_connections: 10, shutdown_grace_ms: 300 } }), /headers_timeout_ms/);
    assert.throws(() => loadConfig({}, { http: { max_connections: 0 } as Config['http'] }), /max_connections/);
  });
});
