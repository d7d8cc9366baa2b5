/** The program itself: version, help, usage errors (each printed once), and `serve` end to end. */
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { type CliHarness, json, startCli } from './cli-harness.js';
import { childEnv } from '../tessera-process.js';
import { MIGRATIONS } from '../../src/store/migrations/index.js';

let c: CliHarness;
before(async () => { c = await startCli(); });
after(async () => { await c.close(); });

test('--version prints the package version, the commit it was built from (when compiled) and the newest migration, once', async () => {
  const r = await c.run(['--version']);
  assert.equal(r.code, 0);
  const m = /^0\.1\.0 \((?:commit ([0-9a-f]{7,})( with local changes)?, )?schema ([0-9a-z_]+)\)\n$/.exec(r.stdout);
  assert.ok(m, r.stdout);
  assert.equal(m[3], MIGRATIONS.at(-1), 'the newest migration the store runs');
  if (process.env.TESSERA_COMPILED === '1') {
    // npm test builds dist/ from this checkout: the commit is its HEAD, and local changes are said
    const git = (...args: string[]) => execFileSync('git', args, { cwd: import.meta.dirname, encoding: 'utf8' }).trim();
    assert.equal(m[1], git('rev-parse', '--short', 'HEAD'));
    assert.equal(m[2] !== undefined, git('status', '--porcelain', '--untracked-files=no') !== '');
  } else {
    assert.equal(m[1], undefined, 'from src/ through tsx there is no build to name');
  }
});

test('help lists the commands and exits 0; a usage error exits 1 with one message', async () => {
  const help = await c.run(['--help']);
  assert.equal(help.code, 0);
  for (const cmd of ['serve', 'login', 'tokens', 'users', 'verify']) assert.match(help.stdout, new RegExp(`^  ${cmd} `, 'm'));
  const bad = await c.run(['frobnicate']);
  assert.equal(bad.code, 1);
  assert.equal(bad.stderr, "error: unknown command 'frobnicate'\n");
  const missing = await c.run(['tokens', 'show']);
  assert.equal(missing.code, 1);
  assert.equal(missing.stderr, "error: missing required argument 'id'\n");
});

test('SIGHUP (a closed terminal, a reload) stops serve cleanly, as SIGTERM does: logged, exit 0', { timeout: 60_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-serve-'));
  const env = { ...childEnv(), HOME: dir, TESSERA_DATA_DIR: join(dir, 'data'), TESSERA_HOST: '127.0.0.1', TESSERA_PORT: '0', TESSERA_ADMIN_PASSWORD: 'admin-password-1' };
  const server = spawn(process.execPath, [resolve(import.meta.dirname, '../../bin/tessera.js'), 'serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((done) => server.on('exit', (code) => done(code)));
  try {
    let output = '';
    await new Promise<void>((done, fail) => {
      server.stdout.on('data', (b: Buffer) => {
        output += b.toString('utf8');
        if (/serving"/.test(output)) done();
      });
      void exited.then((code) => fail(new Error(`serve exited early (${code}):\n${output}`)));
    });
    // Once listening, the start names the build that serves (what an upgrade's log is read for).
    assert.match(output, new RegExp(`"version":"0\\.1\\.0","commit":(null|"[0-9a-f]{7,}"),"schema":"${MIGRATIONS.at(-1)}","msg":"tessera 0\\.1\\.0 \\(`));
    server.kill('SIGHUP');
    assert.equal(await exited, 0, output);
    assert.match(output, /"signal":"SIGHUP"[^\n]*"msg":"shutting down"/);
  } finally {
    server.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});

test('serve prints the first admin password once, works with login, and exits 0 on SIGTERM', { timeout: 60_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-serve-'));
  const env = { ...childEnv(), HOME: dir, TESSERA_DATA_DIR: join(dir, 'data'), TESSERA_HOST: '127.0.0.1', TESSERA_PORT: '0' };
  const server = spawn(process.execPath, [resolve(import.meta.dirname, '../../bin/tessera.js'), 'serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((done) => server.on('exit', (code) => done(code)));
  try {
    let output = '';
    const started = await new Promise<{ url: string; password: string }>((done, fail) => {
      server.stdout.on('data', (b: Buffer) => {
        output += b.toString('utf8');
        const url = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
        const password = /Created user 'admin' with password: (\S+)/.exec(output)?.[1];
        if (url && password) done({ url, password });
      });
      void exited.then((code) => fail(new Error(`serve exited early (${code}):\n${output}`)));
    });
    const creds = { TESSERA_CLI_CONFIG: join(dir, 'credentials.json') };
    const login = await c.run(['login', '--url', started.url], { input: `${started.password}\n`, env: creds });
    assert.equal(login.code, 0, login.stderr);
    const list = await c.run(['tokens', 'list', '--json'], { env: creds });
    assert.equal(json(list).items.length, 1, 'the login token');
    server.kill('SIGTERM');
    assert.equal(await exited, 0);
  } finally {
    server.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});
