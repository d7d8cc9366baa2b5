/** `tessera audit verify` against a real server: exit 0 on an intact chain, exit 1 naming the first broken row. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { SqlStore } from '../../src/store/sql-store.js';
import { type CliHarness, startCli } from './cli-harness.js';

let c: CliHarness;
before(async () => { c = await startCli(); await c.login(); });
after(async () => { await c.close(); });

test('audit verify: intact, then broken at an edited row', async () => {
  const ok = await c.run(['audit', 'verify']);
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /intact \(\d+ rows checked\)/);
  const db = (c.h.t.services.store as SqlStore).db;
  const row = await db.selectFrom('audit').select('id').where('hash', 'is not', null).orderBy('id').executeTakeFirstOrThrow();
  await db.updateTable('audit').set({ action: 'auth.nothing' }).where('id', '=', row.id).execute();
  const broken = await c.run(['audit', 'verify']);
  assert.equal(broken.code, 1);
  assert.match(broken.stderr, new RegExp(`broken at row ${row.id}: .*edited`));
});
