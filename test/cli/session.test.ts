/**
 * Issue 12, item 13: a CLI login no longer leaks a credential per run. Its token expires (30 days unless
 * `--expires-in`), a new login to the same server as the same user revokes the previous one, `tessera logout` revokes
 * and forgets it (locally even when the server is away), `tessera status` says who, where, which token, until when.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { after, before, test } from 'node:test';
import { ADMIN_PASSWORD, type CliHarness, json, startCli } from './cli-harness.js';
import { freePort } from '../ports.js';

const DAY = 86_400_000;

let c: CliHarness;
before(async () => { c = await startCli(); });
after(async () => { await c.close(); });

/** The server's view of a token (as the admin), and of the stored login's token. */
const token = async (id: string) => (await c.h.req({ method: 'GET', url: `/api/v1/tokens/${id}`, headers: { cookie: c.h.adminCookie } })).json();
const storedId = async (): Promise<string> =>
  (await c.h.req({ method: 'GET', url: '/api/v1/auth/me', headers: { authorization: `Bearer ${c.stored().token}` } })).json().credential.token_id;
const near = (iso: string, ms: number): boolean => Math.abs(Date.parse(iso) - (c.h.clock.now() + ms)) < 60_000;

test('login makes a token named cli@<host> that expires in 30 days, and a second login revokes the first', async () => {
  await c.login();
  const first = await storedId();
  const t1 = await token(first);
  const host = hostname().split('.')[0]!.replace(/[^A-Za-z0-9-]/g, '-');
  assert.match(t1.name, new RegExp(`^cli@${host}(-\\d+)?$`));
  assert.ok(t1.expires_at && near(t1.expires_at, 30 * DAY), `expires_at ${t1.expires_at}`);

  const again = await c.run(['login', '--url', c.url], { input: `${ADMIN_PASSWORD}\n` });
  assert.equal(again.code, 0, again.stderr);
  const second = await storedId();
  assert.notEqual(second, first);
  assert.equal((await token(first)).status, 'revoked', 'the previous CLI token is revoked');
  assert.equal((await token(second)).status, 'active');
  assert.match(again.stdout, new RegExp(`revoked the previous login's token ${first}\\.`, 'i'));
  assert.equal((await token(second)).name, t1.name, 'the new token takes the name the revoked one held');
});

test('--expires-in takes a duration; a bad one is refused before any request', async () => {
  const r = await c.run(['login', '--url', c.url, '--expires-in', '12h'], { input: `${ADMIN_PASSWORD}\n` });
  assert.equal(r.code, 0, r.stderr);
  assert.ok(near((await token(await storedId())).expires_at, 12 * 3600_000));
  const secs = await c.run(['login', '--url', c.url, '--expires-in', '3600'], { input: `${ADMIN_PASSWORD}\n` });
  assert.equal(secs.code, 0, secs.stderr);
  assert.ok(near((await token(await storedId())).expires_at, 3600_000));
  const bad = await c.run(['login', '--url', c.url, '--expires-in', 'soon'], { input: `${ADMIN_PASSWORD}\n` });
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /--expires-in/);
});

test("a login as another user revokes the previous login's token too: the file forgets its value, so nobody could use it", async () => {
  await c.login();
  const adminTokenId = await storedId();
  await c.h.createUser('frank', { password: 'frank-password-1' });
  const r = await c.run(['login', '--url', c.url, '--username', 'frank'], { input: 'frank-password-1\n' });
  assert.equal(r.code, 0, r.stderr);
  assert.equal((await token(adminTokenId)).status, 'revoked');
  assert.match(r.stdout, new RegExp(`Revoked the previous login's token ${adminTokenId} \\(admin's\\)\\.`));
  assert.notEqual(await storedId(), adminTokenId);
});

test('a login whose credentials file cannot be written revokes the token it made and keeps the stored one', async () => {
  await c.login();
  const before = c.stored();
  const made = async () => (await c.h.req({ method: 'GET', url: '/api/v1/tokens?status=active&limit=200', headers: { cookie: c.h.adminCookie } })).json().items.length as number;
  const live = await made();
  // The file's directory is a regular file: mkdir fails (ENOTDIR).
  const r = await c.run(['login', '--url', c.url], { input: `${ADMIN_PASSWORD}\n`, env: { TESSERA_CLI_CONFIG: `${c.credentials}/credentials.json` } });
  assert.equal(r.code, 1);
  const id = /the token made for this login \((tok_[A-Za-z0-9]+)\) was revoked/.exec(r.stderr)?.[1];
  assert.ok(id, r.stderr);
  assert.equal((await token(id)).status, 'revoked');
  assert.equal(await made(), live, 'no new live token');
  assert.deepEqual(c.stored(), before);
});

test('status prints who, which server, the token and its expiry; --json; non-zero once the token stops working', async () => {
  await c.login();
  const id = await storedId();
  const r = await c.run(['status']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^user: +admin$/m);
  assert.match(r.stdout, new RegExp(`^server: +${c.url.replace(/[.]/g, '\\.')}$`, 'm'));
  assert.match(r.stdout, new RegExp(`^token: +${id} `, 'm'));
  assert.match(r.stdout, /^expires: +\d{4}-\d{2}-\d{2} \d{2}:\d{2}Z/m);

  const j = json(await c.run(['status', '--json']));
  assert.equal(j.url, c.url);
  assert.equal(j.user.username, 'admin');
  assert.equal(j.token.id, id);
  assert.ok(near(j.token.expires_at, 30 * DAY));

  await c.h.req({ method: 'DELETE', url: `/api/v1/tokens/${id}`, headers: { cookie: c.h.adminCookie } });
  const dead = await c.run(['status']);
  assert.equal(dead.code, 1);
  assert.match(dead.stderr, /TOKEN_REVOKED/);
});

test('status without a login exits non-zero', async () => {
  const r = await c.run(['status'], { env: { TESSERA_CLI_CONFIG: `${c.home}/nobody/credentials.json` } });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /not logged in|no server/);
});

test('logout revokes the token on the server and deletes the stored credential; a second logout is a no-op', async () => {
  await c.login();
  const id = await storedId();
  const r = await c.run(['logout']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal((await token(id)).status, 'revoked');
  assert.equal(existsSync(c.credentials), false);
  assert.match(r.stdout, new RegExp(`revoked token ${id}`, 'i'));
  const again = await c.run(['logout']);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout + again.stderr, /not logged in/i);
});

test('logout with the server unreachable deletes the credential locally, says the revoke failed, and exits 1', async () => {
  await c.login();
  const id = await storedId();
  const stored = JSON.parse(readFileSync(c.credentials, 'utf8'));
  writeFileSync(c.credentials, JSON.stringify({ ...stored, url: `http://127.0.0.1:${await freePort()}` }), { mode: 0o600 });
  const r = await c.run(['logout']);
  assert.equal(r.code, 1);
  assert.equal(existsSync(c.credentials), false);
  assert.match(r.stderr, /could not revoke/);
  assert.match(r.stderr, new RegExp(id));
  assert.equal((await token(id)).status, 'active', 'the server never heard of it');
});

