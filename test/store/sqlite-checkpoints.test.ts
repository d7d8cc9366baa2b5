/**
 * SQLite's WAL checkpoints run on a thread of their own (src/store/sqlite/checkpointer.ts), not in the commits of the
 * store's connection: a commit leaves its pages in the -wal file, the thread copies them into the database file
 * within its period, and closing the store ends the thread.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { Checkpointer } from '../../src/store/sqlite/checkpointer.js';
import { openSqliteStore } from '../../src/store/sqlite/index.js';
import type { SqlStore } from '../../src/store/sql-store.js';

const dir = mkdtempSync(join(tmpdir(), 'tessera-ckpt-'));
const file = join(dir, 'tessera.db');
let s: SqlStore;
before(async () => { s = await openSqliteStore(file); });
after(async () => { rmSync(dir, { recursive: true, force: true }); });

const size = (f: string): number => { try { return statSync(f).size; } catch { return 0; } };

test('the store\'s connection never checkpoints in a commit; the thread copies the pages into the database file', async () => {
  const auto = await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(s.db);
  assert.equal(Number(auto.rows[0]!.wal_autocheckpoint), 0);
  const before = size(file);
  // ~8 MiB in one transaction: 2,000 pages, twice the default autocheckpoint threshold.
  await s.db.transaction().execute(async (tx) => {
    await sql`create table scratch (x blob)`.execute(tx);
    await sql`with recursive n(i) as (select 1 union all select i + 1 from n where i < 2000) insert into scratch select randomblob(4000) from n`.execute(tx);
  });
  assert.ok(size(`${file}-wal`) > 8_000_000, 'the commit left its pages in the WAL');
  const deadline = Date.now() + 5_000;
  while (size(file) < before + 8_000_000 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  assert.ok(size(file) >= before + 8_000_000, `the thread checkpointed within its period (database file ${size(file)} bytes)`);
  const rows = await sql<{ n: number }>`select count(*) as n from scratch`.execute(s.db);
  assert.equal(Number(rows.rows[0]!.n), 2000);
});

test('closing the store ends the thread and leaves every row in the database file', async () => {
  await s.db.insertInto('users').values({ username: 'after-close', username_key: 'after-close', email: null, password_hash: 'x', role: 'user', groups: '[]', disabled: 0, created_at: 1, updated_at: 1 } as never).execute();
  await s.close();
  // SQLite removes the -wal file when the last connection closes after a full checkpoint: the thread's is closed too.
  assert.equal(size(`${file}-wal`), 0);
  const again = await openSqliteStore(file);
  const u = await again.db.selectFrom('users').select('username').where('username', '=', 'after-close').executeTakeFirst();
  await again.close();
  assert.equal(u?.username, 'after-close');
});

test('a thread that cannot run says so (the store then checkpoints in its own commits again)', async () => {
  const failed = await new Promise<boolean>((done) => {
    // The thread is unreferenced (it never keeps a server alive): the timer keeps this test's process waiting.
    const timer = setTimeout(() => { void c.stop(); done(false); }, 5_000);
    const c = new Checkpointer(join(dir, 'missing', 'no.db'), () => { clearTimeout(timer); done(true); });
  });
  assert.equal(failed, true, 'onFail was called');
});
