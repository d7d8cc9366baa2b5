/** `tessera import <file> --format …` over HTTP: the fixtures as files, the report with file lines, re-runs skip. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { fixture } from '../import/support.js';
import { type CliHarness, json, startCli } from './cli-harness.js';

let c: CliHarness;
before(async () => {
  c = await startCli();
  await c.login();
  for (const u of ['test', 'apiv2testuser1', 'alice', 'bob']) await c.h.createUser(u);
});
after(async () => { await c.close(); });

test('import a FileBin export: the report names each refused row by its line in the file; exit 1 when rows were refused', async () => {
  const r = await c.run(['import', fixture('filebin-apikeys.csv'), '--format', 'filebin', '--batch-size', '2']);
  assert.equal(r.code, 1, r.stderr);
  assert.equal(r.stdout, [
    'Imported 3 tokens, skipped 0 (already imported), refused 2.',
    "line 5: INVALID_FIELD: access_level 'admin' is not basic, apikey or full",
    "line 6: UNKNOWN_OWNER: 'ghost' is not a Tessera user (create it, or import with create_users)",
    '',
  ].join('\n'));
  assert.match(r.stderr, /2 rows were not imported/);
  const again = json(await c.run(['import', fixture('filebin-apikeys.csv'), '--format', 'filebin', '--json', '--create-users']));
  assert.deepEqual({ imported: again.imported, skipped: again.skipped, refused: again.refused, created: again.created_users },
    { imported: 1, skipped: 3, refused: 1, created: ['ghost'] });
});

test('a Semaphore CSV and Meeseeks NDJSON import; the imported values verify', async () => {
  const sem = await c.run(['import', fixture('semaphore-user__token.csv'), '--format', 'semaphore']);
  assert.match(sem.stdout, /^Imported 2 tokens, skipped 0 \(already imported\), refused 1\.\nline 3: EXPIRED_IN_SOURCE: /);
  const mee = await c.run(['import', fixture('meeseeks-tokens.ndjson'), '--format', 'meeseeks']);
  assert.match(mee.stdout, /^Imported 2 tokens, skipped 0 \(already imported\), refused 1\.\nline 3: INVALID_FIELD: /);
  const v = await c.run(['verify', '3b2951af-8e4c-42e1-b6ef-218fee048fc0', '--json']);
  assert.equal(json(v).code, 'BOUND', 'a Meeseeks token is found, and is bound to /message');
});

test('bad invocations: an unknown format, a missing file', async () => {
  const f = await c.run(['import', fixture('filebin-apikeys.csv'), '--format', 'xml']);
  assert.equal(f.code, 64);
  assert.match(f.stderr, /--format must be one of/);
  const m = await c.run(['import', '/nonexistent/file.csv']);
  assert.equal(m.code, 66);
});

test('files as they come: a one-record NDJSON (or JSON) file is one row; mysql --batch TSV keeps quotes as text and NULL as null', async () => {
  const { mkdtempSync, writeFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { tmpdir } = await import('node:os');
  const dir = mkdtempSync(join(tmpdir(), 'tessera-import-cli-'));
  const record = { token: '4d2c3b1a-0000-4000-8000-00000000abcd', userLink: '<@alice>', channelLink: '<#C1|ops>', text: 'echo one', created_on: '2024-01-02T03:04:05Z' };
  for (const [name, value] of [['one.ndjson', record], ['one.json', { ...record, token: '4d2c3b1a-0000-4000-8000-00000000abce' }]] as const) {
    writeFileSync(join(dir, name), `${JSON.stringify(value)}\n`);
    const r = await c.run(['import', join(dir, name), '--format', 'meeseeks']);
    assert.equal(r.code, 0, `${name}: ${r.stdout}${r.stderr}`);
    assert.match(r.stdout, /^Imported 1 token, /, name);
  }
  // FileBin's export as docs/migrate.md prints it: `mysql --batch` (tabs, no quoting, NULL for a null).
  writeFileSync(join(dir, 'apikeys.tsv'), 'key\tuser\tcreated\tcomment\taccess_level\tusername\n'
    + 'fbQuoteAAAAAAAAAAAAAAAAAAAAAAAA1\t5\t1700000000\t"laptop" key\tbasic\talice\n'
    + 'fbNullAAAAAAAAAAAAAAAAAAAAAAAAA2\t5\t1700000000\tNULL\tfull\talice\n');
  const t = await c.run(['import', join(dir, 'apikeys.tsv'), '--format', 'filebin', '--delimiter', 'tab']);
  assert.equal(t.code, 0, t.stdout + t.stderr);
  const listed = (await c.h.req({ method: 'GET', url: '/api/v1/tokens?owner=alice&limit=100', headers: { cookie: c.h.adminCookie } })).json().items as { comment: string; access: string }[];
  assert.ok(listed.some((x) => x.comment === '"laptop" key' && x.access === 'read'), JSON.stringify(listed.map((x) => x.comment)));
  assert.ok(listed.some((x) => x.comment === '' && x.access === 'full'), 'NULL is no comment, not the text NULL');
  assert.ok(!listed.some((x) => x.comment === 'NULL'));
});

test('each batch\'s audit row gives the lines of the file it came from', async () => {
  const { mkdtempSync, writeFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { tmpdir } = await import('node:os');
  const file = join(mkdtempSync(join(tmpdir(), 'tessera-import-cli-')), 'b.csv');
  writeFileSync(file, 'value,owner,name\n' + [1, 2, 3, 4, 5].map((i) => `batch-lines-value-0${i},alice,bl${i}`).join('\n') + '\n');
  assert.equal((await c.run(['import', file, '--batch-size', '2'])).code, 0);
  const rows = (await c.h.req({ method: 'GET', url: '/api/v1/audit?action=token.import&limit=3', headers: { cookie: c.h.adminCookie } })).json().items as { details: { first_line: number; last_line: number } }[];
  assert.deepEqual(rows.map((e) => [e.details.first_line, e.details.last_line]).reverse(), [[2, 3], [4, 5], [6, 6]]);
});
