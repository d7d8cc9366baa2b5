/** `tessera login`: password from stdin, the credentials file (0600 in a 0700 directory), and which server/token later commands use. */
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, statSync } from 'node:fs';
import { type AddressInfo, createServer, type Socket } from 'node:net';
import { dirname } from 'node:path';
import { after, before, test } from 'node:test';
import { ADMIN_PASSWORD, type CliHarness, json, startCli } from './cli-harness.js';
import { freePort } from '../ports.js';

let c: CliHarness;
before(async () => { c = await startCli(); });
after(async () => { await c.close(); });

test('login reads the password from stdin, stores url and a full token with mode 0600, and never prints the token', async () => {
  const r = await c.run(['login', '--url', `${c.url}/`], { input: `${ADMIN_PASSWORD}\n` });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Logged in to http:\/\/127\.0\.0\.1:\d+ as admin\./);

  const stored = c.stored();
  assert.equal(stored.url, c.url, 'the trailing slash is dropped');
  assert.match(stored.token, /^tsr_/);
  assert.ok(!r.stdout.includes(stored.token) && !r.stderr.includes(stored.token), 'the token value is not printed');
  assert.equal(statSync(c.credentials).mode & 0o777, 0o600);
  assert.equal(statSync(dirname(c.credentials)).mode & 0o777, 0o700);

  // The stored token is a personal `full` token named cli@<host>, and later commands use it.
  const me = await c.h.req({ method: 'GET', url: '/api/v1/auth/me', headers: { authorization: `Bearer ${stored.token}` } });
  assert.equal(me.json().user.username, 'admin');
  assert.equal(me.json().credential.access, 'full');
  const shown = json(await c.run(['tokens', 'show', me.json().credential.token_id, '--json']));
  assert.match(shown.name, /^cli@[A-Za-z0-9-]+$/);
  assert.equal(shown.kind, 'personal');
});

test('a second login revokes the first and takes its name; --password-stdin and --username work', async () => {
  await c.h.createUser('erin', { password: 'erin-password-1' });
  const first = await c.run(['login', '--url', c.url, '--username', 'erin', '--password-stdin'], { input: 'erin-password-1' });
  assert.equal(first.code, 0, first.stderr);
  // A pipe that stays open after the line (as a CI runner's stdin may) must not hang the login.
  const second = await c.run(['login', '--url', c.url, '--username', 'erin'], { input: 'erin-password-1\r\n', keepStdinOpen: true });
  assert.equal(second.code, 0, second.stderr);
  assert.match(second.stdout, /as erin\./);
  const live = json(await c.run(['tokens', 'list', '--status', 'active', '--json'])).items.map((t: { name: string }) => t.name);
  assert.equal(live.filter((n: string) => n.startsWith('cli@')).length, 1, `live: ${live.join(', ')}`);
  assert.match(live.find((n: string) => n.startsWith('cli@')), /^cli@[A-Za-z0-9-]+$/, 'no -2: the first token let the name go');
});

test('a wrong password fails with the server error code and leaves the stored credentials alone', async () => {
  await c.login();
  const before = c.stored();
  const r = await c.run(['login', '--url', c.url], { input: 'wrong-password\n' });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^tessera: INVALID_LOGIN: .+ \(HTTP 401\)\n$/);
  assert.deepEqual(c.stored(), before);
});

test('login without a password or a URL is refused before any request', async () => {
  const empty = await c.run(['login', '--url', c.url], { input: '' });
  assert.equal(empty.code, 1);
  assert.match(empty.stderr, /no password given/);
  const bad = await c.run(['login', '--url', 'ftp://example.com'], { input: 'x\n' });
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /must be an http:\/\/ or https:\/\/ URL/);
});

test('commands need a login; TESSERA_URL and TESSERA_TOKEN override the stored ones', async () => {
  const fresh = { TESSERA_CLI_CONFIG: `${c.home}/nobody/credentials.json` };
  const none = await c.run(['tokens', 'list'], { env: fresh });
  assert.equal(none.code, 1);
  assert.match(none.stderr, /no server: run 'tessera login --url <url>'/);

  const other = await c.h.adminToken({ name: 'env-token' });
  const viaEnv = await c.run(['tokens', 'show', other.id, '--json'], { env: { ...fresh, TESSERA_URL: c.url, TESSERA_TOKEN: other.token } });
  assert.equal(viaEnv.code, 0, viaEnv.stderr);
  assert.equal(json(viaEnv).name, 'env-token');
});

test('the stored token is never sent to a server other than the one it came from', async () => {
  await c.login();
  // Same server under another name: the CLI cannot know that, so it must not send the stored token.
  const otherName = c.url.replace('127.0.0.1', 'localhost');
  const r = await c.run(['tokens', 'list', '--url', otherName]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /not logged in to http:\/\/localhost:\d+/);
});

test('a credentials file readable by others still works but draws a warning', async () => {
  await c.login();
  chmodSync(c.credentials, 0o644);
  const r = await c.run(['tokens', 'list']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /warning: .*credentials\.json is readable by other users; run: chmod 600/);
  await c.login();
  assert.equal(statSync(c.credentials).mode & 0o777, 0o600, 'a new login writes it private again');
});

test('an unreachable server is a one-line error', async () => {
  const port = await freePort();
  const r = await c.run(['tokens', 'list'], { env: { TESSERA_URL: `http://127.0.0.1:${port}`, TESSERA_TOKEN: 'tsr_x' } });
  assert.equal(r.code, 1);
  assert.equal(r.stderr, `tessera: cannot reach http://127.0.0.1:${port}: ECONNREFUSED\n`);
});

test('a server that takes the connection and never answers: the command gives up after TESSERA_TIMEOUT seconds', { timeout: 60_000 }, async () => {
  const sockets = new Set<Socket>();
  const hung = createServer((s) => { sockets.add(s); s.on('error', () => undefined); }); // reads nothing, answers nothing
  await new Promise<void>((done) => hung.listen(0, '127.0.0.1', done));
  const url = `http://127.0.0.1:${(hung.address() as AddressInfo).port}`;
  try {
    const t0 = Date.now();
    const r = await c.run(['tokens', 'list'], { env: { TESSERA_URL: url, TESSERA_TOKEN: 'tsr_x', TESSERA_TIMEOUT: '1' } });
    assert.equal(r.code, 1);
    assert.equal(r.stderr, `tessera: cannot reach ${url}: no answer within 1 seconds (TESSERA_TIMEOUT)\n`);
    assert.ok(Date.now() - t0 < 20_000, `gave up after ${Date.now() - t0} ms`);
    const bad = await c.run(['tokens', 'list'], { env: { TESSERA_URL: url, TESSERA_TOKEN: 'tsr_x', TESSERA_TIMEOUT: 'soon' } });
    assert.equal(bad.code, 1);
    assert.equal(bad.stderr, "tessera: TESSERA_TIMEOUT must be a number of seconds between 0 and 86400, not 'soon'\n");
  } finally {
    for (const s of sockets) s.destroy();
    hung.close();
  }
});


test('the default credentials directory is made private even when it already existed open to others', async () => {
  const xdg = `${c.home}/xdg`;
  mkdirSync(`${xdg}/tessera`, { recursive: true, mode: 0o755 });
  chmodSync(`${xdg}/tessera`, 0o755);
  const env = { TESSERA_CLI_CONFIG: '', XDG_CONFIG_HOME: xdg };
  const r = await c.run(['login', '--url', c.url], { input: `${ADMIN_PASSWORD}\n`, env });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(statSync(`${xdg}/tessera/credentials.json`).mode & 0o777, 0o600);
  assert.equal(statSync(`${xdg}/tessera`).mode & 0o777, 0o700);
});
