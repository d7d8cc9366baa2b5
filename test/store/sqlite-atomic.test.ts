/**
 * `Store.atomically` on SQLite shared by several processes (`serve --workers N`): the transaction takes the write
 * lock at its start (BEGIN IMMEDIATE). A deferred one that read first (an event's token, a leak report's already
 * revoked token) could not write once another process had committed meanwhile: SQLITE_BUSY_SNAPSHOT at once, and the
 * change with its audit row was refused. The other process here is a worker thread with a connection of its own.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { openSqliteStore } from '../../src/store/sqlite/index.js';
import type { SqlStore } from '../../src/store/sql-store.js';

const dir = mkdtempSync(join(tmpdir(), 'tessera-atomic-'));
const file = join(dir, 'tessera.db');
let s: SqlStore;
before(async () => {
  s = await openSqliteStore(file, { shared: true });
  await s.createToken({
    id: 'tok_atomic000001', hash: createHash('sha256').update('atomic').digest('hex'), kind: 'service', ownerId: null, name: 'atomic',
    comment: '', access: 'write', prefix: 'tsr_abcdef', metadata: null, active: true, recoverable: false, secretEnc: null,
    expiresAt: null, createdAt: 1_700_000_000_000,
  });
});
after(async () => { await s.close(); rmSync(dir, { recursive: true, force: true }); });

/** Another process's write: a session row, committed by a connection of its own (waiting up to 5 s for the lock). */
const otherWrites = (id: string): { done: Promise<string> } => {
  const w = new Worker(`
    const { workerData, parentPort } = require('node:worker_threads');
    const Database = require(workerData.module);
    const db = new Database(workerData.file);
    db.pragma('busy_timeout = 5000');
    try {
      db.prepare("insert into users (username, username_key, email, password_hash, role, groups, disabled, created_at, updated_at) values (?, ?, null, 'x', 'user', '[]', 0, 1, 1)").run(workerData.id, workerData.id);
      parentPort.postMessage('committed');
    } catch (e) { parentPort.postMessage('failed: ' + e.code); }
    db.close();
  `, { eval: true, workerData: { file, id, module: require.resolve('better-sqlite3') } });
  return { done: new Promise((r) => w.once('message', r)) };
};
const require = (await import('node:module')).createRequire(import.meta.url);

test('a transaction that reads, meets another process\'s commit, then writes: both succeed, one after the other', async () => {
  let other: { done: Promise<string> } | undefined;
  await s.atomically(async (tx) => {
    assert.equal((await tx.getToken('tok_atomic000001'))?.revokedAt, null); // read first
    other = otherWrites('other-process-user');
    await new Promise((r) => setTimeout(r, 150)); // the other process tries to commit now
    return tx.revokeToken('tok_atomic000001', 1_700_000_000_001);
  });
  assert.equal(await other!.done, 'committed', 'the other process waited for the lock, then committed');
  assert.equal((await s.getToken('tok_atomic000001'))?.revokedAt, 1_700_000_000_001);
  assert.equal((await s.getUserByLogin('other-process-user'))?.username, 'other-process-user');
});
