/**
 * Issue 12, item 14: a start-up failure prints one line naming the cause and exits non-zero, without a stack trace
 * (which would show paths and internals, and hide the cause among frames). Runs the real `tessera serve`.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { freshSchema, postgresReachable, postgresUrl, requireServices } from '../services.js';
import { BIN, childEnv } from '../tessera-process.js';


interface Exit { code: number | null; stdout: string; stderr: string }

let dir: string;
before(() => { dir = mkdtempSync(join(tmpdir(), 'tessera-start-')); });
after(() => rmSync(dir, { recursive: true, force: true }));

/** `tessera serve` with a clean environment plus `env`; resolves when it exits (killed after 30 s). */
const serve = (env: Record<string, string>): Promise<Exit> => new Promise((done) => {
  const child = spawn(process.execPath, [BIN, 'serve'], {
    env: { ...childEnv(), HOME: dir, TESSERA_HOST: '127.0.0.1', TESSERA_PORT: '0', TESSERA_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (b: Buffer) => { stdout += b.toString('utf8'); });
  child.stderr.on('data', (b: Buffer) => { stderr += b.toString('utf8'); });
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  child.on('close', (code) => { clearTimeout(timer); done({ code, stdout, stderr }); });
});

/** Exit non-zero with exactly one line on stderr, matching `pattern`, and no stack frames anywhere. */
const oneLine = (r: Exit, pattern: RegExp): void => {
  assert.notEqual(r.code, 0, `exit code; stderr:\n${r.stderr}`);
  assert.equal(r.code === null, false, 'it exited by itself (not killed after 30 s)');
  const lines = r.stderr.split('\n').filter((l) => l.trim() !== '');
  assert.equal(lines.length, 1, `one line on stderr, got:\n${r.stderr}`);
  assert.match(lines[0]!, pattern);
  assert.doesNotMatch(r.stderr + r.stdout, /^\s+at /m, 'no stack trace');
};

const dataDir = (): string => join(dir, `data-${randomBytes(4).toString('hex')}`);

test('port already in use: one line naming the port', { timeout: 60_000 }, async () => {
  const held: Server = await new Promise((done) => { const s = createServer().listen(0, '127.0.0.1', () => done(s)); });
  const { port } = held.address() as AddressInfo;
  try {
    const r = await serve({ TESSERA_DATA_DIR: dataDir(), TESSERA_PORT: String(port) });
    oneLine(r, new RegExp(`^tessera: .*\\b${port}\\b.*in use.*\\. The admin password printed above was set and is not shown again: keep it$`));
    assert.match(r.stdout, /Created user 'admin' with password: \S+/);
    // An admin password from the configuration: none printed, none mentioned.
    const again = await serve({ TESSERA_DATA_DIR: dataDir(), TESSERA_PORT: String(port), TESSERA_ADMIN_PASSWORD: 'configured-password-1' });
    oneLine(again, new RegExp(`^tessera: .*\\b${port}\\b.*in use[^.]*$`));
  } finally {
    held.close();
  }
});

test('data directory that cannot be created or used: one line naming it', { timeout: 60_000 }, async () => {
  const file = join(dir, 'a-file');
  writeFileSync(file, 'not a directory');
  const r = await serve({ TESSERA_DATA_DIR: join(file, 'data') });
  oneLine(r, /^tessera: .*data.*a-file/);
});

test('bad configuration: one line naming the key', async () => {
  const r = await serve({ TESSERA_DATA_DIR: dataDir(), TESSERA_PORT: 'eighty' });
  oneLine(r, /^tessera: TESSERA_PORT \(port\) must be an integer/);
});

test('unreachable database: one line naming the database', { timeout: 60_000 }, async () => {
  const free: Server = await new Promise((done) => { const s = createServer().listen(0, '127.0.0.1', () => done(s)); });
  const { port } = free.address() as AddressInfo;
  await new Promise((done) => free.close(done));
  const r = await serve({ TESSERA_DATA_DIR: dataDir(), TESSERA_DATABASE_URL: `postgres://nobody@127.0.0.1:${port}/nothing` });
  oneLine(r, /^tessera: .*database/i);
});

const pgUp = await postgresReachable();
test(`PostgreSQL with another node's secret key: one line naming the secret key${pgUp || requireServices() ? '' : ` — SKIPPED: PostgreSQL not reachable at ${postgresUrl()} (set TESSERA_REQUIRE_SERVICES=1 to fail instead)`}`,
  { timeout: 120_000, skip: !pgUp && !requireServices() }, async () => {
    const schema = await freshSchema();
    try {
      const db = { TESSERA_DATABASE_URL: schema.url(`tessera-${schema.name}`) };
      const keyA = randomBytes(32).toString('hex');
      const keyB = randomBytes(32).toString('hex');
      // The first start makes the JWT keys, encrypted with key A; it then stops on its own (the port is taken).
      const held: Server = await new Promise((done) => { const s = createServer().listen(0, '127.0.0.1', () => done(s)); });
      const { port } = held.address() as AddressInfo;
      const first = await serve({ ...db, TESSERA_DATA_DIR: dataDir(), TESSERA_SECRET_KEY: keyA, TESSERA_PORT: String(port) });
      held.close();
      assert.match(first.stderr, /in use/, `the first start got as far as listening:\n${first.stderr}`);
      const r = await serve({ ...db, TESSERA_DATA_DIR: dataDir(), TESSERA_SECRET_KEY: keyB });
      oneLine(r, /^tessera: .*secret key/);
    } finally {
      await schema.drop();
    }
  });
