/**
 * Audit forwarding to an HTTP endpoint (issue 16, `audit.forward.webhook`), against a real receiver on loopback:
 * every committed row arrives once, in order, as the export shows it plus its chain hash, signed with HMAC-SHA256;
 * the request that wrote the row never waits for the receiver; failed batches are retried, then counted and logged;
 * a full queue drops rows and counts them. Both stores (TESSERA_TEST_STORE=postgres).
 */
import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Harness, startHarness } from '../helpers.js';

const SECRET = 'audit-forward-secret-0123456789';

interface Received { headers: IncomingHttpHeaders; body: string; entries: Record<string, any>[] }

/** A loopback receiver: records each POST; `answer` decides the status (and may delay it). */
const receiver = async (answer: (n: number) => Promise<number> | number) => {
  const got: Received[] = [];
  let n = 0;
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => { body += c.toString('utf8'); });
    req.on('end', async () => {
      const status = await answer(++n);
      if (status < 300) got.push({ headers: req.headers, body, entries: JSON.parse(body).entries });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/audit`, got, attempts: () => n,
    entries: () => got.flatMap((g) => g.entries),
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
};

const until = async (check: () => boolean, ms = 5_000): Promise<void> => {
  const t0 = Date.now();
  while (!check()) {
    if (Date.now() - t0 > ms) throw new Error(`not within ${ms} ms`);
    await sleep(10);
  }
};
const valid = (r: Received): boolean => {
  const ts = String(r.headers['x-tessera-timestamp']);
  const want = Buffer.from(`sha256=${createHmac('sha256', SECRET).update(`${ts}.${r.body}`).digest('hex')}`);
  const got = Buffer.from(String(r.headers['x-tessera-signature']));
  return got.length === want.length && timingSafeEqual(got, want) && Math.abs(Number(ts) - Date.now() / 1000) < 60;
};

describe('audit.forward.webhook: a receiver that answers 204', () => {
  let h: Harness;
  let rx: Awaited<ReturnType<typeof receiver>>;
  before(async () => {
    rx = await receiver(() => 204);
    h = await startHarness({ audit: { retention_days: 365, forward: { webhook: { url: rx.url, secret: SECRET }, queue_size: 100, retries: 2 } } });
  });
  after(async () => { await h.close(); await rx.close(); });

  test('every row arrives once, in order, signed, as the export shows it plus its chain hash; no token value', async () => {
    const t = await h.adminToken({ name: 'forwarded' });
    assert.equal((await h.req({ method: 'DELETE', url: `/api/v1/tokens/${t.id}`, headers: { cookie: h.adminCookie } })).statusCode, 200);
    const exported = (await h.req({ method: 'GET', url: '/api/v1/audit/export', headers: { cookie: h.adminCookie } })).body
      .trim().split('\n').map((l) => JSON.parse(l)).sort((a, b) => a.id - b.id);
    assert.ok(exported.length >= 4, 'the admin created, login, token.create, token.revoke');
    await until(() => rx.entries().length >= exported.length);
    await sleep(100);
    const entries = rx.entries();
    assert.equal(entries.length, exported.length, 'each row once');
    assert.ok(rx.got.every(valid), 'every POST carries a valid signature');
    const chain = new Map((await h.t.services.store.scanAudit(0, 1000)).map((r) => [r.id, r.hash]));
    assert.deepEqual(entries, exported.map((e) => ({ ...e, hash: chain.get(e.id) })), 'the export lines plus each row\'s chain hash, in id order');
    assert.deepEqual(entries.slice(-2).map((e) => e.action), ['token.create', 'token.revoke']);
    assert.ok(!rx.got.some((g) => g.body.includes(t.token)), 'no token value is forwarded');
    assert.deepEqual(h.t.auditForward.stats()[`webhook ${new URL(rx.url).origin}`], { sent: entries.length, failed: 0, dropped: 0, queued: 0 });
  });

  test('a tampered body or another secret does not verify (the receiver\'s check can fail)', () => {
    const r = rx.got[0]!;
    assert.equal(valid({ ...r, body: r.body.replace('"action"', '"Action"') }), false);
    const other = `sha256=${createHmac('sha256', 'another-secret-0123456789').update(`${r.headers['x-tessera-timestamp']}.${r.body}`).digest('hex')}`;
    assert.equal(valid({ ...r, headers: { ...r.headers, 'x-tessera-signature': other } }), false);
  });
});

describe('audit.forward.webhook: one receiver that is slow, refuses, or is down (queue_size 2, retries 2)', () => {
  let h: Harness;
  let rx: Awaited<ReturnType<typeof receiver>>;
  let answer: (n: number) => Promise<number> | number = () => 204;
  let name: string;
  const stats = () => h.t.auditForward.stats()[name]!;
  const ctx = { principal: null, ip: null, requestId: null };
  before(async () => {
    rx = await receiver((n) => answer(n));
    name = `webhook ${new URL(rx.url).origin}`;
    h = await startHarness({ audit: { retention_days: 365, forward: { webhook: { url: rx.url, secret: SECRET }, queue_size: 2, retries: 2 } } });
    await until(() => stats().sent === 2); // the admin created and logged in
  });
  after(async () => { await h.close(); await rx.close(); });

  test('the request never waits: a receiver that answers after 1.5 s does not slow token creation', async () => {
    answer = async () => { await sleep(1_500); return 200; };
    const t0 = performance.now();
    await h.adminToken({ name: 'fast' });
    const ms = performance.now() - t0;
    assert.ok(ms < 1_000, `token created in ${ms.toFixed(0)} ms while the receiver takes 1.5 s`);
    await until(() => rx.entries().some((e) => e.action === 'token.create'));
    answer = () => 204;
  });

  test('a batch refused twice is retried and delivered; one refused every time is counted, logged, given up', async () => {
    await until(() => stats().queued === 0);
    const first = rx.attempts();
    let refusals = 2;
    answer = () => (refusals-- > 0 ? 503 : 204);
    await h.t.services.audit.record(ctx, 'test.flaky', null);
    await until(() => rx.entries().some((e) => e.action === 'test.flaky'));
    assert.equal(rx.attempts() - first, 3, 'two refusals, then delivered');
    assert.equal(stats().failed, 0);

    answer = () => 500;
    await h.t.services.audit.record(ctx, 'test.down', null);
    await until(() => stats().failed === 1);
    assert.equal(rx.attempts() - first, 6, 'the first try and two retries');
    assert.ok(!rx.entries().some((e) => e.action === 'test.down'));
    const line = h.logs().split('\n').find((l) => l.includes('audit forwarding failed after retries'));
    assert.ok(line, h.logs());
    assert.deepEqual([JSON.parse(line).sink, JSON.parse(line).reason, JSON.parse(line).rows], [name, 'HTTP 500', 1]);
    answer = () => 204;
  });

  test('a full queue drops new rows and counts them; the queued ones still arrive', async () => {
    await until(() => stats().queued === 0);
    await sleep(50); // the sender is idle
    answer = async () => { await sleep(300); return 204; };
    const before = stats();
    for (let i = 0; i < 6; i++) await h.t.services.audit.record(ctx, `test.burst.${i}`, null);
    // The first row goes out at once (the sender was idle); two wait; three find the queue (2) full.
    assert.equal(stats().dropped - before.dropped, 3);
    await until(() => stats().sent - before.sent === 3, 5_000);
    assert.deepEqual(rx.entries().map((e) => e.action).filter((a) => a.startsWith('test.burst')), ['test.burst.0', 'test.burst.1', 'test.burst.2']);
    assert.match(h.logs(), /audit forwarding queue full: rows dropped/);
    answer = () => 204;
  });
});

describe('audit.forward.webhook: a receiver that never answers', () => {
  test('shutdown gives up on it in its time: the send in flight ended, no retry after, the rows counted as not forwarded', { timeout: 30_000 }, async () => {
    let hold: (() => void) | null = null;
    const held = new Promise<void>((r) => { hold = r; });
    const rx = await receiver(async () => { await held; return 204; }); // answers only when the test ends
    const h = await startHarness({ audit: { retention_days: 365, forward: { webhook: { url: rx.url, secret: SECRET }, queue_size: 100, retries: 3 } } });
    try {
      const r = await h.req({ method: 'POST', url: '/api/v1/tokens', headers: { cookie: h.adminCookie }, payload: { name: 'never-answered' } });
      assert.equal(r.statusCode, 201);
      await until(() => rx.attempts() >= 1);
      const forward = h.t.auditForward;
      const t0 = performance.now();
      await forward.close(300);
      const took = performance.now() - t0;
      assert.ok(took < 2_500, `close took ${Math.round(took)} ms`);
      const [st] = Object.values(forward.stats());
      assert.equal(st!.sent, 0);
      const rows = (await h.req({ method: 'GET', url: '/api/v1/audit?limit=100', headers: { cookie: h.adminCookie } })).json().items.length;
      assert.equal(st!.failed + st!.queued, rows, JSON.stringify(st)); // every row written, none forwarded
      await sleep(200);
      assert.equal(rx.attempts(), 1, 'no retry once shutdown gave up');
    } finally {
      hold!();
      await h.close();
      await rx.close();
    }
  });
});
