/**
 * How `tessera serve --workers 2` ends when it is not asked politely through its primary (found from outside):
 * - SIGTERM to the whole process group, as systemd's `stop` sends it (KillMode=control-group, the default): each
 *   worker gets it twice, once directly and once from its primary, and must drain, not die of the second;
 * - the primary killed outright: node's cluster code would end each worker at once on the IPC channel's close;
 *   they must drain as on SIGTERM — the request under way answered, running commands stopped.
 * (A worker killed outright: its commands are killed by the primary, cases.ts.) SQLite only: supervision does not
 * depend on the store.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { type Server, startServer } from './support.js';

const dir = mkdtempSync(join(tmpdir(), 'tessera-lifecycle-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const alive = (pid: number): boolean => { try { process.kill(pid, 0); return true; } catch { return false; } };
const until = async (what: string, ok: () => boolean, ms = 15_000): Promise<void> => {
  for (const end = Date.now() + ms; !ok();) {
    if (Date.now() > end) throw new Error(`not within ${ms} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
};

/** A token creation whose body is half sent: finish() sends the rest; `answer` resolves with what came back. */
let sent = 0;
const halfSent = async (s: Server, cookie: string): Promise<{ finish(): void; answer: Promise<string> }> => {
  const body = JSON.stringify({ name: `in-flight-${sent++}` });
  const sock: Socket = connect(s.port, '127.0.0.1');
  await new Promise((r) => sock.once('connect', r));
  let text = '';
  sock.on('data', (c) => { text += c.toString('utf8'); });
  sock.on('error', () => undefined);
  const answer = new Promise<string>((r) => sock.once('close', () => r(text)));
  const seen = (): number => s.lines().filter((l) => l.msg === 'incoming request' && (l.req as { url?: string } | undefined)?.url === '/api/v1/tokens').length;
  const before = seen();
  sock.write(`POST /api/v1/tokens HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: ${cookie}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body.slice(0, 5)}`);
  // A worker has the request (its headers read). Before that the connection may still sit in the primary's queue,
  // which node:cluster closes with the last worker's server: the request never reached Tessera.
  await until('a worker has the request', () => seen() > before);
  return { finish: () => sock.write(body.slice(5)), answer };
};

test('SIGTERM to the whole process group (systemd stop): every worker drains and exits 0, a request under way is answered', async () => {
  const s = await startServer({ workers: 2, group: true });
  try {
    const cookie = await s.login();
    const from = s.lines().length;
    const inFlight = await Promise.all([halfSent(s, cookie), halfSent(s, cookie)]);
    s.signalGroup('SIGTERM');
    await s.waitForLine((l) => l.role === 'primary' && l.msg === 'shutting down: draining every worker', from);
    await new Promise((r) => setTimeout(r, 300)); // the primary's own SIGTERM has reached the workers too
    for (const f of inFlight) f.finish();
    for (const f of inFlight) assert.match(await f.answer, /^HTTP\/1\.1 201 /, 'the request under way was answered');
    assert.equal(await s.exited, 0);
    const stopped = s.lines().slice(from).filter((l) => l.role === 'primary' && l.msg === 'worker stopped');
    assert.deepEqual(stopped.map((l) => [l.worker, l.code, l.signal]).sort(), [[1, 0, null], [2, 0, null]], 'no worker died of the second SIGTERM');
  } finally {
    await s.stop();
  }
});

test('the primary killed outright: each worker drains (request answered, command stopped) and exits', async () => {
  const config = join(dir, 'tessera.yaml');
  const tag = `orphan-check-${process.pid}`;
  writeFileSync(config, JSON.stringify({ commands: { hold: { id: 1, argv: ['/bin/sh', '-c', 'sleep 60', tag], timeout: 600 } } }));
  const s = await startServer({ workers: 2, env: { TESSERA_CONFIG: config } });
  const workers = [...s.workerPids().values()];
  try {
    const cookie = await s.login();
    const job = await s.req('POST', '/api/v1/commands/hold/run', { headers: { cookie } });
    assert.equal(job.status, 202, JSON.stringify(job.body));
    const runs = (): boolean => spawnSync('pgrep', ['-f', tag]).status === 0;
    await until('the command runs', runs);
    const from = s.lines().length;
    const inFlight = await halfSent(s, cookie);
    process.kill(s.pid, 'SIGKILL');
    // (waitForLine gives up once the primary has exited; the workers' lines still come, through the same pipe.)
    const drained = (): number => s.lines().slice(from).filter((l) => l.msg === 'shutting down' && l.signal === 'primary gone').length;
    await until('a worker drains', () => drained() >= 1);
    inFlight.finish();
    assert.match(await inFlight.answer, /^HTTP\/1\.1 201 /, 'the request under way was answered');
    await until('every worker has exited', () => workers.every((p) => !alive(p)));
    assert.equal(runs(), false, 'the running command was stopped, not left an orphan');
    assert.equal(drained(), 2, 'both workers drained');
    assert.ok(!s.lines().slice(from).some((l) => l.level >= 50), 'nothing logged as an error');
  } finally {
    for (const p of workers) if (alive(p)) process.kill(p, 'SIGKILL'); // a failed run leaves none behind
    await s.stop();
  }
});
