/**
 * Two transactions that take the same rows in opposite orders (a bulk revocation and a user's deletion, each with its
 * audit row): PostgreSQL breaks the deadlock by failing one (40P01). `Store.atomically` runs that one again, so both
 * changes are made and neither request fails; a usage-limited use (`consumeUse`) that PostgreSQL fails so is taken
 * again too (the failure raised by a trigger). PostgreSQL only (SQLite writes one transaction at a time).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openPostgresStore } from '../../src/store/postgres/index.js';
import type { SqlStore } from '../../src/store/sql-store.js';
import { failWrites, freshSchema, postgresReachable, postgresUrl, requireServices, type TestSchema } from '../services.js';

const usable = await postgresReachable();
if (!usable) {
  if (requireServices()) test('PostgreSQL is reachable', () => { throw new Error(`cannot connect to ${postgresUrl()}`); });
  else test('PostgreSQL deadlock retry — SKIPPED: PostgreSQL is not reachable', { skip: true }, () => {});
} else {
  let schema: TestSchema;
  let store: SqlStore;
  before(async () => {
    schema = await freshSchema();
    store = await openPostgresStore(postgresUrl(), { searchPath: schema.name });
  });
  after(async () => { await store?.close(); await schema?.drop(); });

  const token = (id: string, n: number) => ({
    id, hash: `${String(n).padStart(64, '0')}`, kind: 'service' as const, ownerId: null, name: id, comment: '', access: 'write' as const,
    prefix: 'tsr_abcdef', metadata: null, active: true, recoverable: false, secretEnc: null, expiresAt: null, createdAt: 1_700_000_000_000 + n,
  });
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  test('of two transactions locking the same rows in opposite orders, the one PostgreSQL fails is run again', { timeout: 30_000 }, async () => {
    await store.createToken(token('tok_deadlock0000a', 1));
    await store.createToken(token('tok_deadlock0000b', 2));
    let runsOfFirst = 0;
    const first = store.atomically(async (s) => {
      runsOfFirst++;
      await s.revokeToken('tok_deadlock0000a', 10);
      await sleep(300);
      await s.updateToken('tok_deadlock0000b', { comment: 'first', updatedAt: 11 });
      return 'first';
    });
    await sleep(100);
    let runsOfSecond = 0;
    const second = store.atomically(async (s) => {
      runsOfSecond++;
      await s.updateToken('tok_deadlock0000b', { name: 'second-b', updatedAt: 12 });
      await sleep(300);
      await s.revokeToken('tok_deadlock0000a', 13);
      return 'second';
    });
    assert.deepEqual(await Promise.all([first, second]), ['first', 'second'], 'both committed');
    assert.equal(runsOfFirst + runsOfSecond, 3, 'one of them ran twice');
    const b = await store.getToken('tok_deadlock0000b');
    assert.equal(b?.name, 'second-b');
    assert.equal(b?.comment, 'first');
    assert.ok((await store.getToken('tok_deadlock0000a'))?.revokedAt !== null);
  });

  test('a purge takes the token\'s row first: it waits for a change in progress instead of deadlocking with it', { timeout: 30_000 }, async () => {
    const id = 'tok_purgeorder0001';
    await store.createToken(token(id, 3));
    let runs = 0;
    // A rotation in two steps, as the service's transaction makes it: the row first, its secrets later.
    const change = store.atomically(async (s) => {
      runs++;
      await s.updateToken(id, { comment: 'changing', updatedAt: 20 });
      await sleep(300);
      await s.rotateSecret(id, '4'.repeat(64), null, 'tsr_zzzzzz', 21, 21);
      return 'changed';
    });
    await sleep(100);
    const purge = store.atomically(async (s) => { runs++; return s.purgeToken(id); });
    assert.deepEqual(await Promise.all([change, purge]), ['changed', true]);
    assert.equal(runs, 2, 'no deadlock: neither was run again');
    assert.equal(await store.getToken(id), null);
  });

  /** PostgreSQL itself raises `code` on the next `times` updates of the token `id` (test/services.ts `failWrites`). */
  const failUpdates = (id: string, code: string, times: number): Promise<() => Promise<void>> =>
    failWrites(schema.name, { table: 'tokens', on: 'update', each: 'row', when: `new.id = '${id}'`, code, message: 'injected by the test', times });

  test('a use taken while PostgreSQL breaks a deadlock (40P01) is taken again, once', { timeout: 30_000 }, async () => {
    const id = 'tok_usedeadlock01';
    await store.createToken({ ...token(id, 4), remaining: 5 });
    const undo = await failUpdates(id, '40P01', 1);
    try {
      const u = await store.consumeUse(id, 1_700_000_100_000);
      assert.deepEqual({ granted: u?.granted, remaining: u?.remaining }, { granted: true, remaining: 4 }, 'one use taken');
      assert.equal((await store.getToken(id))?.remaining, 4);
    } finally { await undo(); }
  });

  test('a use that fails for another reason is not retried: the error reaches the caller and no use is taken', { timeout: 30_000 }, async () => {
    const id = 'tok_usefails00001';
    await store.createToken({ ...token(id, 5), remaining: 5 });
    const undo = await failUpdates(id, '22012', 1); // division_by_zero: not a deadlock
    try {
      await assert.rejects(store.consumeUse(id, 1_700_000_100_000), /injected by the test/);
      assert.equal((await store.getToken(id))?.remaining, 5);
    } finally { await undo(); }
  });
}
