/**
 * Issue 12 item 5: an open SSE stream (channel, job) ends within 1 s once its credential stops authenticating —
 * token revoked, session logged out, user disabled — with `event: error` naming the code; also across two nodes
 * sharing one PostgreSQL database (revoke on node 1, the stream on node 2 ends).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { bearer, type Harness, startHarness } from '../helpers.js';
import { needPostgres } from '../multinode/support.js';
import { freshSchema } from '../services.js';
import { listen } from './support.js';

interface Stream { status: number; text(): string; ended: Promise<number> }

/** Opens a stream over a real socket; `ended` resolves with the time (Date.now()) the server ended it. */
const open = (port: number, path: string, headers: Record<string, string>): Promise<Stream> => new Promise((resolve, reject) => {
  const q = request({ host: '127.0.0.1', port, path, headers, agent: false }, (res) => {
    let body = '';
    let first = true;
    const ended = new Promise<number>((done) => { res.on('end', () => done(Date.now())); res.on('close', () => done(Date.now())); });
    res.on('data', (c: Buffer) => {
      body += c.toString('utf8');
      if (first) { first = false; resolve({ status: res.statusCode!, text: () => body, ended }); }
    });
    if (res.statusCode !== 200) { first = false; resolve({ status: res.statusCode!, text: () => body, ended }); }
  });
  q.on('error', reject);
  q.end();
});

/** Resolves with how long after `from` the stream ended, or rejects after `ms`. */
const endsWithin = async (s: Stream, from: number, ms: number): Promise<number> => {
  let timer: NodeJS.Timeout | undefined;
  const at = await Promise.race([s.ended, new Promise<never>((_, rej) => { timer = setTimeout(() => rej(new Error(`stream still open after ${ms} ms; got: ${s.text()}`)), ms); })]);
  clearTimeout(timer);
  return at - from;
};

const commands = { sleeper: { id: 1, argv: ['/bin/sleep', '30'] } };

describe('open streams end with their credential', () => {
  let h: Harness;
  let port: number;
  before(async () => {
    h = await startHarness({ channels: { ops: {} }, commands, jobs: { max_concurrent: 4, max_queued: 10, kill_grace_ms: 200 } } as never);
    port = await listen(h);
  });
  after(async () => { await h.close(); });

  const expectError = async (s: Stream, from: number, code: string): Promise<void> => {
    assert.equal(s.status, 200, s.text());
    const took = await endsWithin(s, from, 1_000);
    assert.ok(took <= 1_000, `ended after ${took} ms`);
    assert.match(s.text(), new RegExp(`event: error\\ndata: .*"${code}"`), s.text());
  };

  test('revoking the token ends a channel stream', async () => {
    const u = await h.createUser('rev1');
    const s = await open(port, '/api/v1/channels/ops/stream', bearer(u.token));
    const t0 = Date.now();
    const r = await h.req({ method: 'DELETE', url: `/api/v1/tokens/${u.tokenId}`, headers: { cookie: u.cookie } });
    assert.equal(r.statusCode, 200, r.body);
    await expectError(s, t0, 'TOKEN_REVOKED');
  });

  test('revoking the token ends a job stream', async () => {
    const run = await h.req({ method: 'POST', url: '/api/v1/commands/sleeper/run', headers: { cookie: h.adminCookie }, payload: {} });
    assert.equal(run.statusCode, 202, run.body);
    const admin = await h.adminToken();
    const s = await open(port, `/api/v1/jobs/${run.json().id}/stream`, bearer(admin.token));
    const t0 = Date.now();
    await h.req({ method: 'DELETE', url: `/api/v1/tokens/${admin.id}`, headers: { cookie: h.adminCookie } });
    await expectError(s, t0, 'TOKEN_REVOKED');
  });

  test('logging out ends a stream opened with the session', async () => {
    await h.createUser('out1');
    const cookie = await h.login('out1', 'out1-password');
    const s = await open(port, '/api/v1/channels/ops/stream', { cookie });
    const t0 = Date.now();
    const r = await h.req({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie } });
    assert.ok(r.statusCode < 300, r.body);
    await expectError(s, t0, 'SESSION_INVALID');
  });

  test('disabling the user ends their token and session streams', async () => {
    const u = await h.createUser('dis1');
    const a = await open(port, '/api/v1/channels/ops/stream', bearer(u.token));
    const b = await open(port, '/api/v1/channels/ops/stream', { cookie: u.cookie });
    const t0 = Date.now();
    const r = await h.req({ method: 'PATCH', url: `/api/v1/users/${u.id}`, headers: { cookie: h.adminCookie }, payload: { disabled: true } });
    assert.equal(r.statusCode, 200, r.body);
    await expectError(a, t0, 'TOKEN_DISABLED');
    await expectError(b, t0, 'SESSION_INVALID');
  });

  test('an expiring token ends its stream (periodic re-check)', async () => {
    const u = await h.createUser('exp1');
    const tr = await h.req({ method: 'POST', url: '/api/v1/tokens', headers: { cookie: u.cookie },
      payload: { access: 'read', name: 'soon', expires_at: new Date(h.clock.now() + 60_000).toISOString() } });
    assert.equal(tr.statusCode, 201, tr.body);
    const s = await open(port, '/api/v1/channels/ops/stream', bearer(tr.json().token));
    h.clock.advance(120_000);
    const t0 = Date.now();
    assert.equal(s.status, 200);
    await endsWithin(s, t0, 7_000);
    assert.match(s.text(), /event: error\ndata: .*"TOKEN_EXPIRED"/);
  });

  test('re-checks spend no uses of a usage-limited token', async () => {
    const u = await h.createUser('lim1');
    const tr = await h.req({ method: 'POST', url: '/api/v1/tokens', headers: { cookie: u.cookie }, payload: { access: 'read', name: 'limited', remaining: 5 } });
    assert.equal(tr.statusCode, 201, tr.body);
    const s = await open(port, '/api/v1/channels/ops/stream', bearer(tr.json().token));
    assert.equal(s.status, 200);
    for (let i = 0; i < 3; i++) await h.req({ method: 'DELETE', url: `/api/v1/tokens/${u.tokenId}`, headers: { cookie: u.cookie } }); // invalidations
    await new Promise((r) => setTimeout(r, 2_500)); // and one periodic re-check
    const t = await h.req({ method: 'GET', url: `/api/v1/tokens/${tr.json().id}`, headers: { cookie: u.cookie } });
    assert.equal(t.json().remaining, 4, t.body);
    assert.ok(!s.text().includes('event: error'), s.text());
  });

  test('a stream whose credential stays valid stays open', async () => {
    const u = await h.createUser('keep1');
    const other = await h.createUser('keep2');
    const s = await open(port, '/api/v1/channels/ops/stream', bearer(u.token));
    await h.req({ method: 'DELETE', url: `/api/v1/tokens/${other.tokenId}`, headers: { cookie: other.cookie } });
    await assert.rejects(endsWithin(s, Date.now(), 500), /still open/);
  });
});

describe('across nodes (PostgreSQL)', async () => {
  if (!(await needPostgres('stream-credentials across nodes'))) return;
  let one: Harness;
  let two: Harness;
  let drop: () => Promise<void>;
  before(async () => {
    const schema = await freshSchema();
    drop = () => schema.drop();
    const secret_key = randomBytes(32).toString('hex');
    one = await startHarness({ database_url: schema.url('tessera-s1'), secret_key, channels: { ops: {} } } as never);
    two = await startHarness({ database_url: schema.url('tessera-s2'), secret_key, channels: { ops: {} } } as never);
  });
  after(async () => { await two?.close(); await one?.close(); await drop?.(); });

  test('revoking on node 1 ends the stream on node 2 within 1 s', async () => {
    const u = await one.createUser('multi1');
    const port = await listen(two);
    const s = await open(port, '/api/v1/channels/ops/stream', bearer(u.token));
    assert.equal(s.status, 200, s.text());
    const t0 = Date.now();
    const r = await one.req({ method: 'DELETE', url: `/api/v1/tokens/${u.tokenId}`, headers: { cookie: u.cookie } });
    assert.equal(r.statusCode, 200, r.body);
    await endsWithin(s, t0, 1_000);
    assert.match(s.text(), /event: error\ndata: .*"TOKEN_REVOKED"/);
  });

  test('logging out on node 1 ends the session stream on node 2 within 1 s', async () => {
    await one.createUser('multi2');
    const cookie = await one.login('multi2', 'multi2-password');
    const port = (two.t.app.server.address() as { port: number }).port;
    const s = await open(port, '/api/v1/channels/ops/stream', { cookie });
    assert.equal(s.status, 200, s.text());
    const t0 = Date.now();
    await one.req({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie } });
    await endsWithin(s, t0, 1_000);
    assert.match(s.text(), /event: error\ndata: .*"SESSION_INVALID"/);
  });
});
