/** `tessera users create|list` over HTTP, and `users create --local` straight into the data directory. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ADMIN_PASSWORD, type CliHarness, json, startCli } from './cli-harness.js';

let c: CliHarness;
before(async () => { c = await startCli(); await c.login(); });
after(async () => { await c.close(); });

test('users create takes the password from stdin, role and groups; the new user can log in', async () => {
  const r = await c.run(['users', 'create', '--username', 'gina', '--groups', 'ops, dev', '--email', 'gina@example.com'], { input: 'gina-password\n' });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^Created user gina \(id \d+, role user, groups dev, ops\)\.\n$/);
  assert.ok(!r.stdout.includes('gina-password'));
  await c.h.login('gina', 'gina-password');

  const j = json(await c.run(['users', 'create', '--username', 'hank', '--password', 'hank-password', '--role', 'admin', '--json']));
  assert.deepEqual({ username: j.username, role: j.role, groups: j.groups }, { username: 'hank', role: 'admin', groups: [] });
});

test('users create failures carry the server code', async () => {
  const dup = await c.run(['users', 'create', '--username', 'admin', '--password', 'another-pass']);
  assert.equal(dup.code, 1);
  assert.match(dup.stderr, /^tessera: CONFLICT: a user named 'admin' already exists \(HTTP 409\)\n$/);
  const short = await c.run(['users', 'create', '--username', 'ivy'], { input: 'short\n' });
  assert.equal(short.code, 1);
  assert.match(short.stderr, /^tessera: VALIDATION_ERROR: password must be at least 8 characters \(HTTP 400\)\n$/);
  const role = await c.run(['users', 'create', '--username', 'ivy', '--role', 'root', '--password', 'long-enough']);
  assert.notEqual(role.code, 0);
  assert.match(role.stderr, /Allowed choices are admin, user/);
  const u = await c.h.createUser('jack');
  const notAdmin = await c.run(['users', 'list'], { env: { TESSERA_URL: c.url, TESSERA_TOKEN: u.token } });
  assert.equal(notAdmin.code, 1);
  assert.match(notAdmin.stderr, /^tessera: FORBIDDEN: this action needs an admin \(HTTP 403\)\n$/);
});

test('users list prints a table; --json parses; --all follows pages', async () => {
  const r = await c.run(['users', 'list']);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trimEnd().split('\n');
  assert.match(lines[0]!, /^ID +USERNAME +ROLE +GROUPS +DISABLED +CREATED$/);
  assert.ok(lines.some((l) => /^1 +admin +admin +- +no +\d{4}-/.test(l)), r.stdout);
  const all = json(await c.run(['users', 'list', '--limit', '1', '--all', '--json']));
  const one = json(await c.run(['users', 'list', '--json']));
  assert.equal(all.next_cursor, null);
  assert.deepEqual(all.items.map((u: { id: number }) => u.id), one.items.map((u: { id: number }) => u.id));
  assert.ok(one.items.length >= 2);
});

test('users create --local writes to the data directory with no credentials, using the TESSERA_* settings', async () => {
  const env = { TESSERA_DATA_DIR: c.h.dir, TESSERA_CLI_CONFIG: `${c.home}/nobody.json` };
  const r = await c.run(['users', 'create', '--local', '--username', 'root2', '--role', 'admin', '--groups', 'ops'], { input: 'root2-password\n', env });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^Created user root2 \(id \d+, role admin, groups ops\)\.\n$/);
  // Same store as the running server: the new admin can log in and is listed.
  await c.h.login('root2', 'root2-password');
  const listed = json(await c.run(['users', 'list', '--json']));
  assert.ok(listed.items.some((u: { username: string; role: string }) => u.username === 'root2' && u.role === 'admin'));
  const audit = await c.h.req({ method: 'GET', url: '/api/v1/audit?action=user.create', headers: { cookie: c.h.adminCookie } });
  assert.ok(audit.json().items.some((e: { details: { username?: string } }) => e.details?.username === 'root2'), 'the creation is audited');

  const again = await c.run(['users', 'create', '--local', '--username', 'root2', '--password', ADMIN_PASSWORD, '--json'], { env });
  assert.equal(again.code, 1);
  assert.match(again.stderr, /^tessera: CONFLICT: a user named 'root2' already exists\n$/);

  const badConfig = await c.run(['users', 'create', '--local', '--username', 'x', '--password', 'long-enough'], { env: { ...env, TESSERA_PORT: 'abc' } });
  assert.equal(badConfig.code, 78);
  assert.match(badConfig.stderr, /^tessera: TESSERA_PORT \(port\) must be an integer/);
});

test('users create --local makes the first admin of an empty data directory', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-local-'));
  try {
    const r = await c.run(['users', 'create', '--local', '--username', 'first', '--role', 'admin', '--json'],
      { input: 'first-password\n', env: { TESSERA_DATA_DIR: dir } });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual({ id: json(r).id, role: json(r).role }, { id: 1, role: 'admin' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
