/** `tessera verify`: exit 0 valid, 1 invalid (with the code printed), 2 when the check itself fails. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type CliHarness, json, startCli } from './cli-harness.js';

let c: CliHarness;
before(async () => { c = await startCli(); await c.login(); });
after(async () => { await c.close(); });

test('a valid token exits 0 and says who it belongs to', async () => {
  const t = await c.h.adminToken({ name: 'checked', access: 'write' });
  const r = await c.run(['verify', t.token]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, `VALID: ${t.id} (checked), owner admin, access write, expires never\n`);
  const j = json(await c.run(['verify', t.token, '--json']));
  assert.equal(j.valid, true);
  assert.equal(j.code, 'VALID');
  assert.equal(j.token.id, t.id);
});

test('an invalid token exits 1 and prints the code', async () => {
  const malformed = await c.run(['verify', 'tsr_nope']);
  assert.equal(malformed.code, 1);
  assert.equal(malformed.stdout, 'INVALID: MALFORMED\n');

  const t = await c.h.adminToken({ name: 'to-revoke' });
  await c.h.req({ method: 'DELETE', url: `/api/v1/tokens/${t.id}`, headers: { cookie: c.h.adminCookie } });
  const revoked = await c.run(['verify', t.token, '--json']);
  assert.equal(revoked.code, 1);
  assert.deepEqual({ valid: json(revoked).valid, code: json(revoked).code }, { valid: false, code: 'REVOKED' });
});

test('--access checks the level; "-" reads the token from stdin', async () => {
  const t = await c.h.adminToken({ name: 'reader', access: 'read' });
  const low = await c.run(['verify', t.token, '--access', 'write']);
  assert.equal(low.code, 1);
  assert.equal(low.stdout, 'INVALID: INSUFFICIENT_ACCESS\n');
  const fromStdin = await c.run(['verify', '-', '--access', 'read'], { input: `${t.token}\n` });
  assert.equal(fromStdin.code, 0, fromStdin.stderr);
  assert.match(fromStdin.stdout, /^VALID: /);
});

test('when the check itself fails the exit code is 2, with the server error code', async () => {
  const t = await c.h.adminToken({ name: 'x' });
  const r = await c.run(['verify', t.token], { env: { TESSERA_CLI_CONFIG: `${c.home}/none.json`, TESSERA_URL: c.url } });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^tessera: UNAUTHENTICATED: .+ \(HTTP 401\)\n$/);
  assert.equal(r.stdout, '');
});

test('a usage error exits 2, never 1 ("not valid")', async () => {
  for (const args of [['verify', 'tsr_x', '--bogus'], ['verify', 'tsr_x', '--access', 'admin'], ['verify']]) {
    const r = await c.run(args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, /error: /);
  }
  assert.equal((await c.run(['verify', '--help'])).code, 0);
});
