/**
 * SQLite's verification lookup reads at once, outside Kysely (`readRowNow` in src/store/sqlite/index.ts), on the one
 * connection that writes too. A write's transaction may be open on it (awaiting between statements): the lookup must
 * then wait for it like any query, never read its uncommitted rows.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { openSqliteStore } from '../../src/store/sqlite/index.js';
import type { SqlStore } from '../../src/store/sql-store.js';

const dir = mkdtempSync(join(tmpdir(), 'tessera-reads-'));
let s: SqlStore;
const hash = createHash('sha256').update('sqlite-reads').digest('hex');
before(async () => {
  s = await openSqliteStore(join(dir, 'tessera.db'));
  await s.createToken({
    id: 'tok_reads0000001', hash, kind: 'service', ownerId: null, name: 'reads', comment: '', access: 'write', prefix: 'tsr_abcdef',
    metadata: null, active: true, recoverable: false, secretEnc: null, expiresAt: null, createdAt: 1_700_000_000_000,
  });
});
after(async () => { await s.close(); rmSync(dir, { recursive: true, force: true }); });

test('outside a transaction the lookup answers from the committed row', async () => {
  const r = await s.findBySecretHash(hash);
  assert.equal(r?.token.id, 'tok_reads0000001');
  assert.equal(r?.token.revokedAt, null);
  assert.equal(await s.findBySecretHash(createHash('sha256').update('absent').digest('hex')), null);
});

test('a lookup made while a transaction is open waits for it and never sees a change that is rolled back', async () => {
  let settled = false;
  let lookup: ReturnType<SqlStore['findBySecretHash']> | undefined;
  await assert.rejects(s.db.transaction().execute(async (tx) => {
    await sql`update tokens set revoked_at = ${1_700_000_000_001} where id = ${'tok_reads0000001'}`.execute(tx);
    lookup = s.findBySecretHash(hash);
    void lookup.then(() => { settled = true; });
    await new Promise((r) => setTimeout(r, 20));
    // Read at once, it would have found the uncommitted revocation by now.
    assert.equal(settled, false);
    throw new Error('roll back');
  }), /roll back/);
  const r = await lookup!;
  assert.equal(r?.token.revokedAt, null);
});

test('…and one that is committed is seen once the transaction ends', async () => {
  let lookup: ReturnType<SqlStore['findBySecretHash']> | undefined;
  await s.db.transaction().execute(async (tx) => {
    await sql`update tokens set revoked_at = ${1_700_000_000_002} where id = ${'tok_reads0000001'}`.execute(tx);
    lookup = s.findBySecretHash(hash);
  });
  assert.equal((await lookup!)?.token.revokedAt, 1_700_000_000_002);
});

test('the fast read and Kysely\'s read (used while a transaction is open) give the same record, owner and all', async () => {
  const owner = await s.createUser({ username: 'reader', email: 'r@example.test', passwordHash: 'x', role: 'user', groups: ['g'], roles: ['auditor'], disabled: false, createdAt: 1_700_000_000_000 });
  const h = createHash('sha256').update('sqlite-reads-full').digest('hex');
  await s.createToken({
    id: 'tok_reads0000002', hash: h, kind: 'personal', ownerId: owner.id, name: 'full', comment: 'c', access: 'read', prefix: 'tsr_abcdef',
    metadata: { team: 'ops', n: 3 }, active: true, recoverable: false, secretEnc: null, expiresAt: 1_900_000_000_000, createdAt: 1_700_000_000_000,
    permissions: ['deploy:write'], roles: ['ops'], allowedCidrs: ['10.0.0.0/8'],
  });
  const fast = await s.findBySecretHash(h);
  // Asked while a transaction is open, the lookup goes through Kysely (and waits for the transaction to end).
  let slow: ReturnType<SqlStore['findBySecretHash']> | undefined;
  await s.db.transaction().execute(async () => { slow = s.findBySecretHash(h); });
  const viaKysely = await slow!;
  assert.ok(fast);
  assert.deepEqual(viaKysely, fast);
  assert.equal(fast.owner?.username, 'reader');
  assert.deepEqual(fast.token.metadata, { team: 'ops', n: 3 });
  assert.deepEqual(fast.token.allowedCidrs, ['10.0.0.0/8']);
});

test('findBySecretHashNow answers at once outside a transaction (the same lookup), and says it cannot inside one', async () => {
  const h = createHash('sha256').update('sqlite-reads-full').digest('hex');
  const now = s.findBySecretHashNow(h);
  assert.ok(now !== false && now !== null);
  assert.deepEqual(now, await s.findBySecretHash(h));
  assert.equal(s.findBySecretHashNow(createHash('sha256').update('absent-now').digest('hex')), null);
  let inside: ReturnType<SqlStore['findBySecretHashNow']> | undefined;
  await s.db.transaction().execute(async (tx) => {
    await sql`update tokens set comment = ${'changing'} where id = ${'tok_reads0000002'}`.execute(tx);
    inside = s.findBySecretHashNow(h);
  });
  assert.equal(inside, false, 'never reads a transaction\'s uncommitted rows');
  const after = s.findBySecretHashNow(h);
  assert.ok(after);
  assert.equal(after.token.comment, 'changing');
});
