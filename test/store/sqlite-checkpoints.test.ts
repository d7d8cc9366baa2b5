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
import Database from 'better-sqlite3';
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

test('a WAL grown past 64 MiB by a large write is cut back once checkpointed (journal_size_limit)', { timeout: 60_000 }, async () => {
  const bigFile = join(dir, 'big.db');
  const s = await openSqliteStore(bigFile);
  const file = bigFile;
  await s.db.transaction().execute(async (tx) => {
    await sql`create table big (x blob)`.execute(tx);
    await sql`with recursive n(i) as (select 1 union all select i + 1 from n where i < 20000) insert into big select randomblob(4000) from n`.execute(tx);
  });
  assert.ok(size(`${file}-wal`) > 80_000_000, `the commit left ~80 MB in the WAL (${size(`${file}-wal`)} bytes)`);
  // Until every page is checkpointed (the thread's checkpoints; asked from another connection, as the thread asks).
  const other = new Database(file);
  try {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const [r] = other.pragma('wal_checkpoint(PASSIVE)') as { log: number; checkpointed: number }[];
      if (r!.log === r!.checkpointed || Date.now() > deadline) break;
      await new Promise((res) => setTimeout(res, 50));
    }
  } finally { other.close(); }
  await sql`drop table big`.execute(s.db); // the next write starts the WAL again from its start, and cuts the file
  assert.ok(size(`${file}-wal`) <= 64 * 1024 * 1024, `the WAL was cut back to 64 MiB (${size(`${file}-wal`)} bytes)`);
  await s.close();
});
