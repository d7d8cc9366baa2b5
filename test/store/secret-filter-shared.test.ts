/**
 * The secret filter when other processes write the same SQLite file (the workers of `tessera serve --workers N`):
 * with `shared`, every "absent" answer first checks for their commits and catches up on the secrets they inserted
 * (rowids above the highest one read), so their tokens are found at once and unknown values stay refused without a
 * query; when the highest row read is gone (a rowid may have been reused), the filter falls back to a rebuild.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import Database from 'better-sqlite3';
import type { SecretFilter } from '../../src/store/sqlite/secret-filter.js';
import { openSqliteStore } from '../../src/store/sqlite/index.js';

const randomHash = (): string => createHash('sha256').update(randomBytes(16)).digest('hex');
const dir = mkdtempSync(join(tmpdir(), 'tessera-filter-shared-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Inserts a token and its secret through another connection (as another worker would), committed. */
const insertElsewhere = (other: Database.Database, hash: string): string => {
  const id = `tok_other${randomBytes(4).toString('hex')}`;
  other.prepare(`insert into tokens (id, kind, owner_id, name, comment, access, prefix, metadata, active, recoverable, secret_enc,
    expires_at, revoked_at, created_at, updated_at, last_used_at, use_count) values (?, 'service', null, ?, '', 'read', 'tsr_abcdef', null, 1, 0, null, null, null, 1, 1, null, 0)`).run(id, id);
  other.prepare('insert into token_secrets (hash, token_id, created_at, expires_at) values (?, ?, 1, null)').run(hash, id);
  return id;
};

test('shared: a secret inserted by another connection is found at once, by catching up, and the filter stays trusted', async () => {
  const file = join(dir, 'a.db');
  const s = await openSqliteStore(file, { shared: true });
  const other = new Database(file);
  try {
    const f = s.secrets as SecretFilter;
    await f.settled();
    assert.equal(await s.findBySecretHash(randomHash()), null);
    const rejected = f.stats.rejected;
    for (let i = 0; i < 20; i++) {
      const h = randomHash();
      const id = insertElsewhere(other, h);
      assert.equal((await s.findBySecretHash(h))?.token.id, id, `secret ${i} found right after the other connection's commit`);
    }
    assert.equal(f.stats.builds, 1, 'no rebuild: caught up');
    assert.equal(f.stats.catchUps, 20);
    assert.equal(f.stats.trusted, true);
    // Other commits (not secrets) move data_version too: an unknown value is still refused without a lookup.
    other.prepare("update tokens set use_count = use_count + 1").run();
    assert.equal(await s.findBySecretHash(randomHash()), null);
    assert.equal(f.stats.rejected, rejected + 1, 'refused by the filter after catching up on nothing');
  } finally {
    other.close();
    await s.close();
  }
});

test('shared: when the highest row read is deleted (its rowid may be reused), the filter rebuilds and misses nothing', async () => {
  const file = join(dir, 'b.db');
  const s = await openSqliteStore(file, { shared: true });
  const other = new Database(file);
  try {
    const f = s.secrets as SecretFilter;
    const first = randomHash();
    const firstId = insertElsewhere(other, first);
    await f.settled();
    assert.ok(await s.findBySecretHash(first)); // present, so the next "absent" must catch up from its rowid
    const builds = f.stats.builds;
    // Delete the highest row and insert a new one: SQLite gives the new row the same rowid.
    other.prepare('delete from token_secrets where token_id = ?').run(firstId);
    const reused = randomHash();
    const id = insertElsewhere(other, reused);
    assert.equal((await s.findBySecretHash(reused))?.token.id, id, 'found although its rowid is not above the highest read');
    await f.settled();
    assert.equal(f.stats.builds, builds + 1, 'rebuilt');
    assert.equal((await s.findBySecretHash(reused))?.token.id, id, 'and in the rebuilt filter');
  } finally {
    other.close();
    await s.close();
  }
});
