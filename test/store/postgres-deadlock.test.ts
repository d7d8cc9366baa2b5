/**
 * Two transactions that take the same rows in opposite orders (a bulk revocation and a user's deletion, each with its
 * audit row): PostgreSQL breaks the deadlock by failing one (40P01). `Store.atomically` runs that one again, so both
 * changes are made and neither request fails. PostgreSQL only (SQLite writes one transaction at a time).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openPostgresStore } from '../../src/store/postgres/index.js';
import type { SqlStore } from '../../src/store/sql-store.js';
import { freshSchema, postgresReachable, postgresUrl, requireServices, type TestSchema } from '../services.js';

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
}
