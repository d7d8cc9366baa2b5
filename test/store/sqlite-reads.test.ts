/**
 * SQLite's verification lookup reads at once, outside Kysely (`readRowNow`: src/store/sqlite/reader.ts), on the one
 * connection that writes too, in a read transaction (a snapshot) the lookups of one turn of the event loop share. A
 * write's transaction may be open on the connection (awaiting between statements): the lookup must then wait for it
 * like any query, never read its uncommitted rows. A change committed through the store is seen by the very next
 * lookup; one committed by another process (another worker) once the verifier says so (`readFresh`, after the
 * invalidation it receives) or at the end of the turn; a row another process added is found at once.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import Database from 'better-sqlite3';
import { sql } from 'kysely';
import { openSqliteStore } from '../../src/store/sqlite/index.js';
import { READS_PER_SNAPSHOT } from '../../src/store/sqlite/reader.js';
import type { SqlStore } from '../../src/store/sql-store.js';
import { startHarness } from '../helpers.js';

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

const turn = (): Promise<void> => new Promise((r) => setImmediate(r));
/** A token (and its secret) written by another process's connection. */
const createElsewhere = (other: Database.Database, id: string, name: string, h: string): void => {
  other.prepare(`insert into tokens (id, kind, name, comment, access, prefix, active, recoverable, created_at, updated_at)
    values (?, 'service', ?, '', 'read', 'tsr_abcdef', 1, 0, 1700000000000, 1700000000000)`).run(id, name);
  other.prepare('insert into token_secrets (hash, token_id, created_at) values (?, ?, 1700000000000)').run(h, id);
};
/** The token's revokedAt as the fast lookup reads it (undefined: not found, or not read at once). */
const revokedAt = (st: SqlStore, h = hash): number | null | undefined => { const r = st.findBySecretHashNow(h); return r ? r.token.revokedAt : undefined; };

test('a change committed through the store is seen by the very next lookup, in the same turn', async () => {
  await sql`update tokens set revoked_at = null where id = ${'tok_reads0000001'}`.execute(s.db);
  assert.equal(revokedAt(s), null); // this turn's snapshot is open now
  await s.db.transaction().execute(async (tx) => {
    await sql`update tokens set revoked_at = ${1_700_000_000_006} where id = ${'tok_reads0000001'}`.execute(tx);
    assert.equal(s.findBySecretHashNow(hash), false, 'not at once while the transaction is open');
  });
  assert.equal(revokedAt(s), 1_700_000_000_006);
  // A statement outside a transaction, and a store method, the same; each is committed when it returns, not held in
  // the lookups' read transaction (another connection sees it at once).
  const other = new Database(join(dir, 'tessera.db'), { readonly: true });
  const seen = (): unknown => other.prepare('select revoked_at from tokens where id = ?').pluck().get('tok_reads0000001');
  try {
    await sql`update tokens set revoked_at = null where id = ${'tok_reads0000001'}`.execute(s.db);
    assert.equal(revokedAt(s), null);
    assert.equal(seen(), null);
    await s.revokeToken('tok_reads0000001', 1_700_000_000_007);
    assert.equal(seen(), 1_700_000_000_007, 'committed');
    assert.equal(revokedAt(s), 1_700_000_000_007);
    // The bulk insert (batch creation, import) too.
    const h = createHash('sha256').update('sqlite-reads-bulk').digest('hex');
    await s.insertTokens([{
      id: 'tok_reads0000004', hash: h, kind: 'service', ownerId: null, name: 'bulk', comment: '', access: 'read', prefix: 'tsr_abcdef',
      metadata: null, active: true, recoverable: false, secretEnc: null, expiresAt: null, createdAt: 1_700_000_000_000,
    }]);
    assert.equal(other.prepare('select name from tokens where id = ?').pluck().get('tok_reads0000004'), 'bulk', 'committed');
    assert.equal(revokedAt(s, h), null);
  } finally {
    other.close();
  }
});

test('another process\'s commit: seen after readFresh or at the end of the turn; a row it adds is found at once', async () => {
  // This worker's store (as `tessera serve --workers N` opens it) and another process's connection, on one file.
  const w = await openSqliteStore(join(dir, 'tessera.db'), { shared: true });
  const other = new Database(join(dir, 'tessera.db'));
  try {
    const id = 'tok_reads0000001';
    other.prepare('update tokens set revoked_at = null where id = ?').run(id);
    w.readFresh();
    assert.equal(revokedAt(w), null);
    other.prepare('update tokens set revoked_at = ? where id = ?').run(1_700_000_000_004, id);
    assert.equal(revokedAt(w), null, 'the turn\'s snapshot predates the other process\'s commit');
    w.readFresh();
    assert.equal(revokedAt(w), 1_700_000_000_004, 'after readFresh (the verifier calls it after every invalidation)');
    other.prepare('update tokens set revoked_at = ? where id = ?').run(1_700_000_000_008, id);
    let last: number | null | undefined;
    for (let i = 0; i < READS_PER_SNAPSHOT; i++) last = revokedAt(w);
    assert.equal(last, 1_700_000_000_008, `a snapshot serves at most ${READS_PER_SNAPSHOT} lookups`);
    other.prepare('update tokens set revoked_at = ? where id = ?').run(1_700_000_000_005, id);
    await turn();
    assert.equal(revokedAt(w), 1_700_000_000_005, 'a snapshot ends with its turn');
    // A token another process creates while this turn's snapshot is open is found, not reported missing: the secret
    // filter, not knowing its hash, asks whether another process committed outside the snapshot, and reads it in...
    const h3 = createHash('sha256').update('sqlite-reads-other-2').digest('hex');
    assert.equal(revokedAt(w), 1_700_000_000_005); // the snapshot is open
    createElsewhere(other, 'tok_reads0000005', 'other-2', h3);
    const viaFilter = w.findBySecretHashNow(h3);
    assert.ok(viaFilter, 'found in the same turn');
    assert.equal(viaFilter.token.id, 'tok_reads0000005');
    // ...and while the filter cannot tell (distrusted, as during its first build: it then sends every value on).
    (w.secrets as unknown as { stop(): void }).stop();
    const h2 = createHash('sha256').update('sqlite-reads-other').digest('hex');
    assert.equal(w.findBySecretHashNow(h2), null);
    assert.equal(revokedAt(w), 1_700_000_000_005); // the snapshot is open
    createElsewhere(other, 'tok_reads0000003', 'other', h2);
    const found = w.findBySecretHashNow(h2);
    assert.ok(found, 'found in the same turn');
    assert.equal(found.token.id, 'tok_reads0000003');
  } finally {
    other.close();
    await w.close();
  }
});

test('a revocation made by another process is never answered VALID once its invalidation arrived', async () => {
  const h = await startHarness({ log_level: 'warn' });
  const other = new Database(join(h.dir, 'tessera.db'));
  try {
    const { id, token } = await h.adminToken({ name: 'elsewhere' });
    const v = h.t.services.verifier;
    await turn();
    assert.equal((await v.verify(token)).code, 'VALID'); // a first sighting: read in this turn's snapshot
    other.prepare('update tokens set revoked_at = ? where id = ?').run(h.clock.now(), id);
    v.changed({ kind: 'token', id }); // what another worker's revocation delivers (IpcChangeFeed)
    assert.equal((await v.verify(token)).code, 'REVOKED', 'in the same turn as the invalidation');
    assert.equal((await v.verify(token)).code, 'REVOKED');
  } finally {
    other.close();
    await h.close();
  }
});
