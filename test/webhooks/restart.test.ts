/**
 * Issue 16: the outbox survives `kill -9`. A real `tessera serve` process (SQLite, its own data directory) commits
 * events while the receiver is down, is killed with SIGKILL, and once the receiver is up and the node restarted, the
 * events arrive, signed. A node killed while a receiver holds a request open sends it again after restart (its old
 * lease is freed at start): at-least-once, with the same `webhook-id`.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { freePort } from '../ports.js';
import { Receiver, sleep, verifySignature } from './support.js';
import { BIN, childEnv } from '../tessera-process.js';

const PASSWORD = 'admin-password-1';
const dir = mkdtempSync(join(tmpdir(), 'tessera-wh-restart-'));
after(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(join(dir, 'tessera.yaml'), 'webhooks:\n  poll_ms: 50\n  retry_base_ms: 5000\n  timeout_ms: 60000\n  max_attempts: 5\npassword_hash:\n  memory_kib: 1024\n  iterations: 1\n');

interface Proc { url: string; child: ChildProcess; output: () => string }
const serve = (): Promise<Proc> => new Promise((done, fail) => {
  const child = spawn(process.execPath, [BIN, 'serve'], {
    env: { ...childEnv(), HOME: dir, TESSERA_HOST: '127.0.0.1', TESSERA_PORT: '0', TESSERA_DATA_DIR: join(dir, 'data'),
      TESSERA_ADMIN_PASSWORD: PASSWORD, TESSERA_LOG_LEVEL: 'info', TESSERA_CONFIG: join(dir, 'tessera.yaml') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const onData = (c: Buffer): void => {
    out += c.toString('utf8');
    const m = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
    if (m) { child.stdout!.off('data', onData); child.stdout!.on('data', (d: Buffer) => { out += d.toString('utf8'); }); done({ url: m[1]!, child, output: () => out }); }
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', (c: Buffer) => { out += c.toString('utf8'); });
  child.on('exit', (code) => fail(new Error(`tessera serve exited with ${code}:\n${out}`)));
});
const kill9 = async (p: Proc): Promise<void> => {
  const exited = once(p.child, 'exit');
  p.child.kill('SIGKILL');
  const [code, signal] = await exited;
  assert.equal(signal, 'SIGKILL', `killed, not exited (${code})`);
};
const call = async (p: Proc, cookie: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> => {
  const r = await fetch(p.url + path, { method, headers: { cookie, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) });
  return { status: r.status, body: await r.json().catch(() => null) };
};
const login = async (p: Proc): Promise<string> => {
  const r = await fetch(`${p.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: PASSWORD }) });
  assert.equal(r.status, 200);
  return r.headers.getSetCookie().find((c) => c.startsWith('tessera_session='))!.split(';')[0]!;
};

test('events committed while the receiver is down, or in flight at kill -9, are delivered after a restart', async () => {
  // A port nothing listens on yet (and no other test's server is handed meanwhile): receivers start there later.
  const port = await freePort();

  let node = await serve();
  try {
    const cookie = await login(node);
    const w = await call(node, cookie, 'POST', '/api/v1/webhooks', { url: `http://127.0.0.1:${port}/hook`, events: ['token.created', 'token.revoked'] });
    assert.equal(w.status, 201);
    const { id: hook } = w.body.webhook;
    const secret = w.body.secret as string;
    // 1. receiver down: the first attempt fails (connection refused) and is recorded; the retry is due 5 s later
    const t = await call(node, cookie, 'POST', '/api/v1/tokens', { name: 'survives-kill' });
    assert.equal(t.status, 201);
    let d: any;
    for (let i = 0; i < 100; i++) {
      d = (await call(node, cookie, 'GET', `/api/v1/webhooks/${hook}/deliveries`)).body.items[0];
      if (d?.attempts >= 1) break;
      await sleep(50);
    }
    assert.equal(d.status, 'pending');
    assert.equal(d.log[0].error, 'ECONNREFUSED');
    // 2. a receiver that takes the request and never answers: the revocation event is in flight
    const hang = createServer();
    const seen: string[] = [];
    hang.on('request', (req) => { seen.push(String(req.headers['webhook-id'])); });
    hang.listen(port, '127.0.0.1');
    await once(hang, 'listening');
    assert.equal((await call(node, cookie, 'DELETE', `/api/v1/tokens/${t.body.id}`)).status, 200);
    for (let i = 0; i < 200 && seen.length === 0; i++) await sleep(25);
    assert.equal(seen.length, 1, 'the revocation event is in flight');
    await kill9(node);
    hang.closeAllConnections();
    await new Promise((r) => hang.close(r));

    const rx = await Receiver.start(port);
    try {
      node = await serve();
      const got = await rx.until((g) => g.length >= 2, 20_000);
      await sleep(300);
      const evs = rx.events();
      assert.deepEqual(evs.map((e) => e.type).sort(), ['token.created', 'token.revoked'], 'each once');
      for (const r of got) verifySignature(secret, r);
      assert.equal(evs.find((e) => e.type === 'token.created')!.id, d.event_id);
      assert.equal(evs.find((e) => e.type === 'token.revoked')!.id, seen[0], 'the in-flight one again, same webhook-id');
      assert.equal((evs[0]!.data.token as { id: string }).id, t.body.id);
      assert.ok(got.every((r) => !r.body.includes(t.body.token)));
      assert.match(node.output(), /webhook deliveries left in flight by a previous process will be sent again/);
    } finally { await rx.close(); }
  } finally {
    if (node.child.exitCode === null && node.child.signalCode === null) { const e = once(node.child, 'exit'); node.child.kill('SIGTERM'); await e; }
  }
});
