/** `tessera jwt rotate-key` over HTTP: admins rotate the JWT signing key; others get the server's refusal. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type CliHarness, json, startCli } from './cli-harness.js';

let c: CliHarness;
before(async () => { c = await startCli(); await c.login(); });
after(async () => { await c.close(); });

const jwksKids = async (): Promise<string[]> =>
  (await c.h.req({ method: 'GET', url: '/.well-known/jwks.json' })).json().keys.map((k: { kid: string }) => k.kid);

test('jwt rotate-key prints the new key id and the published ones; --json is the server\'s answer', async () => {
  const [oldKid] = await jwksKids();
  const r = await c.run(['jwt', 'rotate-key']);
  assert.equal(r.code, 0, r.stderr);
  const m = /^Rotated the JWT signing key: new key (\S+)\.\nPublished keys: (\S+), (\S+) \(retired keys stay until the JWTs they signed have expired\)\.\n$/.exec(r.stdout);
  assert.ok(m, r.stdout);
  assert.notEqual(m[1], oldKid);
  assert.deepEqual([m[2], m[3]], [m[1], oldKid]);

  const j = json(await c.run(['jwt', 'rotate-key', '--json']));
  assert.deepEqual(Object.keys(j).sort(), ['kid', 'published_kids']);
  assert.equal(j.published_kids[0], j.kid);
  assert.deepEqual((await jwksKids()).sort(), [j.kid, m[1], oldKid].sort());
});

test('jwt rotate-key as a non-admin fails with the server code', async () => {
  const u = await c.h.createUser('cli-rotator');
  const r = await c.run(['jwt', 'rotate-key'], { env: { TESSERA_URL: c.url, TESSERA_TOKEN: u.token } });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^tessera: FORBIDDEN: this action needs an admin \(HTTP 403\)\n$/);
  assert.equal(r.stdout, '');
});
