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
