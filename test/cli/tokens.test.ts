/** `tessera tokens ...` against a real server: the whole lifecycle, human and --json output, and failures. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type CliHarness, json, startCli } from './cli-harness.js';

let c: CliHarness;
before(async () => { c = await startCli(); await c.login(); });
after(async () => { await c.close(); });

const ok = (r: { code: number; stderr: string }): void => assert.equal(r.code, 0, r.stderr);

test('create prints the value once; --json gives the server object with the value', async () => {
  const r = await c.run(['tokens', 'create', '--name', 'deploy', '--comment', 'for CI', '--access', 'read', '--expires-in', '30d',
    '--metadata', '{"team":"ops"}']);
  ok(r);
  assert.match(r.stdout, /^Created token tok_\S+ \(deploy\)\.\n/);
  assert.match(r.stdout, /^access: +read$/m);
  assert.match(r.stdout, /^metadata: +\{"team":"ops"\}$/m);
  assert.match(r.stdout, /^token: +tsr_\S+$/m);
  assert.match(r.stderr, /cannot be shown again/);

  const j = json(await c.run(['tokens', 'create', '--name', 'svc', '--service', '--inactive', '--recoverable', '--json']));
  assert.equal(j.kind, 'service');
  assert.equal(j.owner, null);
  assert.equal(j.active, false);
  assert.equal(j.status, 'inactive');
  assert.equal(j.recoverable, true);
  assert.match(j.token, /^tsr_/);
  assert.equal(j.access, 'write', 'the server default applies when --access is not given');

  const at = json(await c.run(['tokens', 'create', '--name', 'dated', '--expires-at', '2031-01-02', '--json']));
  assert.equal(at.expires_at, '2031-01-02T00:00:00.000Z');
});

test('list shows a table without token values; --json parses; --all follows pages', async () => {
  for (const n of ['p1', 'p2', 'p3']) ok(await c.run(['tokens', 'create', '--name', n]));
  const r = await c.run(['tokens', 'list']);
  ok(r);
  const [header, ...rows] = r.stdout.trimEnd().split('\n');
  assert.match(header!, /^ID +NAME +STATUS +ACCESS +PREFIX +EXPIRES +LAST USED$/);
  assert.ok(rows.some((l) => /^tok_\S+ +p1 +active +write +tsr_\S+ +never +never$/.test(l)), r.stdout);
  assert.doesNotMatch(r.stdout, /tsr_\w{20,}/, 'only prefixes are listed');

  const page = await c.run(['tokens', 'list', '--limit', '2']);
  ok(page);
  assert.equal(page.stdout.trimEnd().split('\n').length, 3);
  const cursor = /--cursor (\S+)/.exec(page.stderr)?.[1];
  assert.ok(cursor, page.stderr);
  const next = json(await c.run(['tokens', 'list', '--limit', '2', '--cursor', cursor, '--json']));
  assert.equal(next.items.length, 2);

  const all = json(await c.run(['tokens', 'list', '--limit', '2', '--all', '--json']));
  const one = json(await c.run(['tokens', 'list', '--limit', '200', '--json']));
  assert.equal(all.next_cursor, null);
  assert.deepEqual(all.items.map((t: { id: string }) => t.id), one.items.map((t: { id: string }) => t.id));

  const svc = json(await c.run(['tokens', 'list', '--kind', 'service', '--json']));
  assert.ok(svc.items.length > 0 && svc.items.every((t: { kind: string }) => t.kind === 'service'));
  const wide = await c.run(['tokens', 'list', '--owner', '*', '--status', 'inactive']);
  ok(wide);
  assert.match(wide.stdout, /^ID +NAME +OWNER +STATUS/);
  assert.match(wide.stdout, /svc +\(service\) +inactive/);
});

test('show and update: fields change, never clears the expiry, null clears metadata', async () => {
  const t = json(await c.run(['tokens', 'create', '--name', 'edit-me', '--expires-in', '1h', '--metadata', '{"a":1}', '--json']));
  const shown = await c.run(['tokens', 'show', t.id]);
  ok(shown);
  assert.match(shown.stdout, /^name: +edit-me$/m);
  assert.doesNotMatch(shown.stdout, new RegExp(t.token), 'show never prints the value');
  assert.match(shown.stdout, /^last used from: +-$/m);
  assert.equal((await fetch(`${c.url}/api/v1/auth/me`, { headers: { authorization: `Bearer ${t.token}` } })).status, 200);
  await new Promise((r) => setTimeout(r, 150)); // the usage batch (usage_flush_ms: 50)
  assert.match((await c.run(['tokens', 'show', t.id])).stdout, /^last used from: +127\.0\.0\.1 \(\S.*\)$/m);

  const u = await c.run(['tokens', 'update', t.id, '--name', 'edited', '--comment', 'hello', '--access', 'full', '--inactive',
    '--expires-at', 'never', '--metadata', 'null']);
  ok(u);
  assert.match(u.stdout, /^Updated token /);
  const after = json(await c.run(['tokens', 'show', t.id, '--json']));
  assert.deepEqual(
    { name: after.name, comment: after.comment, access: after.access, active: after.active, expires_at: after.expires_at, metadata: after.metadata },
    { name: 'edited', comment: 'hello', access: 'full', active: false, expires_at: null, metadata: null },
  );
  const back = json(await c.run(['tokens', 'update', t.id, '--active', '--metadata', '{"b":2}', '--expires-at', '2032-03-04T05:06:07Z', '--json']));
  assert.equal(back.active, true);
  assert.deepEqual(back.metadata, { b: 2 });
  assert.equal(back.expires_at, '2032-03-04T05:06:07.000Z');

  const nothing = await c.run(['tokens', 'update', t.id]);
  assert.equal(nothing.code, 1);
  assert.match(nothing.stderr, /nothing to change/);
});

test('rotate prints a new value; the old one stops (or lasts the grace period); reveal shows recoverable values only', async () => {
  const t = json(await c.run(['tokens', 'create', '--name', 'rot', '--recoverable', '--json']));
  const r = await c.run(['tokens', 'rotate', t.id]);
  ok(r);
  const fresh = /^token: +(tsr_\S+)$/m.exec(r.stdout)?.[1];
  assert.ok(fresh && fresh !== t.token);
  assert.equal((await c.run(['verify', t.token])).code, 1, 'the old value stopped');
  assert.equal((await c.run(['verify', fresh])).code, 0);

  const revealed = await c.run(['tokens', 'reveal', t.id]);
  ok(revealed);
  assert.equal(revealed.stdout, `${fresh}\n`, 'reveal prints just the value');
  assert.deepEqual(json(await c.run(['tokens', 'reveal', t.id, '--json'])), { id: t.id, token: fresh });

  const graced = json(await c.run(['tokens', 'rotate', t.id, '--grace', '10m', '--json']));
  assert.match(graced.token, /^tsr_/);
  assert.equal((await c.run(['verify', fresh])).code, 0, 'the previous value works during the grace period');

  const plain = json(await c.run(['tokens', 'create', '--name', 'plain', '--json']));
  const refused = await c.run(['tokens', 'reveal', plain.id]);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /^tessera: TOKEN_NOT_RECOVERABLE: .+ \(HTTP 404\)\n$/);
  assert.equal(refused.stdout, '');
});

test('revoke keeps the token listed as revoked; the revoked token fails with TOKEN_REVOKED; --purge removes it', async () => {
  const t = json(await c.run(['tokens', 'create', '--name', 'doomed', '--access', 'full', '--json']));
  const r = await c.run(['tokens', 'revoke', t.id]);
  ok(r);
  assert.equal(r.stdout, `Revoked token ${t.id} (doomed).\n`);
  assert.equal(json(await c.run(['tokens', 'show', t.id, '--json'])).status, 'revoked');
  assert.equal(json(await c.run(['tokens', 'revoke', t.id, '--json'])).status, 'revoked', 'revoking again is harmless');

  // Using the revoked token as the CLI's credential: the server's code is in the message.
  const used = await c.run(['tokens', 'list'], { env: { TESSERA_TOKEN: t.token } });
  assert.equal(used.code, 1);
  assert.match(used.stderr, /^tessera: TOKEN_REVOKED: .+ \(HTTP 401\)\n$/);

  const change = await c.run(['tokens', 'update', t.id, '--name', 'x']);
  assert.equal(change.code, 1);
  assert.match(change.stderr, /^tessera: CONFLICT: .+ \(HTTP 409\)\n$/);

  const purged = await c.run(['tokens', 'revoke', t.id, '--purge']);
  ok(purged);
  assert.equal(purged.stdout, `Purged token ${t.id}.\n`);
  // --json says what happened too (it printed nothing)
  const other = json(await c.run(['tokens', 'create', '--name', 'purged-json', '--json']));
  assert.deepEqual(json(await c.run(['tokens', 'revoke', other.id, '--purge', '--json'])), { id: other.id, purged: true });
  const gone = await c.run(['tokens', 'show', t.id]);
  assert.equal(gone.code, 1);
  assert.match(gone.stderr, /^tessera: NOT_FOUND: .+ \(HTTP 404\)\n$/);
});

test('bad options are refused before any request, and server validation errors come back with their code', async () => {
  const cases: [string[], RegExp][] = [
    [['tokens', 'create', '--expires-in', 'soon'], /--expires-in <duration>' argument 'soon' is invalid/],
    [['tokens', 'create', '--expires-in', '1h', '--expires-at', '2031-01-01'], /cannot be used with/],
    [['tokens', 'create', '--metadata', '[1]'], /give a JSON object/],
    [['tokens', 'create', '--name', 'feb', '--expires-at', '2030-02-30'], /argument '2030-02-30' is invalid\. 2030-02-30 is not a date/],
    [['tokens', 'update', 'tok_x', '--expires-at', '2031-04-31T00:00:00Z'], /2031-04-31 is not a date/],
    [['tokens', 'create', '--access', 'root'], /Allowed choices are read, write, full/],
    [['tokens', 'update', 'tok_x', '--active', '--inactive'], /cannot be used with/],
    [['tokens', 'list', '--limit', '0'], /give a whole number from 1/],
    [['tokens', 'create', '--comment', 'x'.repeat(300)], /^tessera: VALIDATION_ERROR: .*comment.* \(HTTP 400\)$/m],
    [['tokens', 'create', '--service'], /^tessera: VALIDATION_ERROR: name is required for service tokens \(HTTP 400\)$/m],
  ];
  for (const [args, re] of cases) {
    const r = await c.run(args);
    assert.notEqual(r.code, 0, args.join(' '));
    assert.match(r.stderr, re, args.join(' '));
  }
});

test('a non-admin gets FORBIDDEN for admin-only actions', async () => {
  const u = await c.h.createUser('frank');
  const r = await c.run(['tokens', 'list', '--owner', '*'], { env: { TESSERA_URL: c.url, TESSERA_TOKEN: u.token } });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^tessera: FORBIDDEN: .+ \(HTTP 403\)\n$/);
});
