/**
 * The SQLite store's secret filter (src/store/sqlite/secret-filter.ts): unknown hashes are refused without a query,
 * known ones are never refused — whether this process wrote them, another process wrote them into the same file, or
 * the filter grew meanwhile.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import type { NewToken } from '../../src/core/ports.js';
import { BloomFilter, SecretFilter } from '../../src/store/sqlite/secret-filter.js';
import { openSqliteStore } from '../../src/store/sqlite/index.js';
import type { SqlStore } from '../../src/store/sql-store.js';

const sha = (s: string): string => createHash('sha256').update(s).digest('hex');
const randomHash = (): string => sha(randomBytes(16).toString('hex'));
const dir = mkdtempSync(join(tmpdir(), 'tessera-filter-'));
after(() => rmSync(dir, { recursive: true, force: true }));

let seq = 0;
const newToken = (hash: string): NewToken => ({
  id: `tok_filter${String(++seq).padStart(7, '0')}`, hash, kind: 'service', ownerId: null, name: `f${seq}`, comment: '', access: 'read',
  prefix: 'tsr_abcdef', metadata: null, active: true, recoverable: false, secretEnc: null, expiresAt: null, createdAt: 1_700_000_000_000 + seq,
});

const filterOf = (s: SqlStore): SecretFilter => s.secrets as SecretFilter;

describe('Bloom filter', () => {
  test('never a false negative; false positives near the design rate (0.06 %) at capacity', () => {
    const f = new BloomFilter(50_000);
    const added = Array.from({ length: 50_000 }, randomHash);
    for (const h of added) f.add(h);
    assert.ok(added.every((h) => f.has(h)), 'every added hash is reported');
    let fp = 0;
    const trials = 200_000;
    for (let i = 0; i < trials; i++) if (f.has(randomHash())) fp++;
    assert.ok(fp / trials < 0.003, `false positive rate ${(fp / trials * 100).toFixed(3)} %`);
  });
});

describe('secret filter on the SQLite store', () => {
  test('an unknown hash is answered without a query; a created or rotated secret is found at once', async () => {
    const s = await openSqliteStore(join(dir, 'a.db'));
    try {
      const f = filterOf(s);
      await (f as SecretFilter).settled();
      assert.equal(f.stats.trusted, true);
      const before = f.stats.rejected;
      assert.equal(await s.findBySecretHash(randomHash()), null);
      assert.equal(f.stats.rejected, before + 1, 'refused by the filter');
      const h = randomHash();
      const t = await s.createToken(newToken(h));
      assert.equal((await s.findBySecretHash(h))?.token.id, t.id);
      const rotated = randomHash();
      await s.rotateSecret(t.id, rotated, null, 'tsr_abcdef', t.createdAt + 1, t.createdAt + 60_000);
      assert.equal((await s.findBySecretHash(rotated))?.token.id, t.id);
      assert.equal((await s.findBySecretHash(h))?.token.id, t.id, 'the old secret in its grace period');
    } finally {
      await s.close();
    }
  });

  test('secrets already in the file when the store opens are found (the first build)', async () => {
    const file = join(dir, 'b.db');
    const first = await openSqliteStore(file);
    const hashes = Array.from({ length: 300 }, randomHash);
    for (const h of hashes) await first.createToken(newToken(h));
    await first.close();
    const s = await openSqliteStore(file);
    try {
      // Before the build completes, lookups go to the database; afterwards, through the filter. Both find them.
      assert.equal((await s.findBySecretHash(hashes[0]!))?.token.name !== undefined, true);
      await filterOf(s).settled();
      for (const h of hashes) assert.ok(await s.findBySecretHash(h), 'found');
    } finally {
      await s.close();
    }
  });

  test('a secret another process wrote into the same file is found once data_version is read again, then the filter is trusted again', async () => {
    const file = join(dir, 'c.db');
    const s = await openSqliteStore(file);
    const other = new Database(file);
    try {
      const f = filterOf(s);
      await f.settled();
      await new Promise((r) => setTimeout(r, 300)); // past recheckMs (250 ms): the next "absent" reads data_version
      const h = randomHash();
      const id = `tok_foreign${randomBytes(4).toString('hex')}`;
      other.prepare(`insert into tokens (id, kind, owner_id, name, comment, access, prefix, metadata, active, recoverable, secret_enc,
        expires_at, revoked_at, created_at, updated_at, last_used_at, use_count) values (?, 'service', null, ?, '', 'read', 'tsr_abcdef', null, 1, 0, null, null, null, 1, 1, null, 0)`).run(id, id);
      other.prepare('insert into token_secrets (hash, token_id, created_at, expires_at) values (?, ?, 1, null)').run(h, id);
      assert.equal((await s.findBySecretHash(h))?.token.id, id, 'found although this process never saw the write');
      await f.settled();
      assert.equal(f.stats.trusted, true, 'rebuilt');
      assert.equal((await s.findBySecretHash(h))?.token.id, id, 'and in the rebuilt filter');
      await new Promise((r) => setTimeout(r, 300));
      const before = f.stats.rejected;
      assert.equal(await s.findBySecretHash(randomHash()), null);
      assert.equal(f.stats.rejected, before + 1, 'unknown values are refused without a query again');
    } finally {
      other.close();
      await s.close();
    }
  });

  test('the filter grows past its size without losing a secret', async () => {
    const file = join(dir, 'd.db');
    const s = await openSqliteStore(file);
    await s.close();
    const db = new Database(file);
    const f = new SecretFilter(db, 64);
    try {
      await f.start();
      const insert = db.prepare('insert into token_secrets (hash, token_id, created_at, expires_at) values (?, ?, 1, null)');
      db.prepare(`insert into tokens (id, kind, owner_id, name, comment, access, prefix, metadata, active, recoverable, secret_enc,
        expires_at, revoked_at, created_at, updated_at, last_used_at, use_count) values ('tok_grow', 'service', null, 'g', '', 'read', 'p', null, 1, 0, null, null, null, 1, 1, null, 0)`).run();
      const hashes: string[] = [];
      for (let i = 0; i < 1000; i++) {
        const h = randomHash();
        insert.run(h, 'tok_grow');
        f.add(h);
        hashes.push(h);
        assert.ok(f.mayContain(h));
      }
      await f.settled();
      assert.ok(f.stats.builds >= 2, `rebuilt to grow (${f.stats.builds} builds)`);
      assert.ok(f.stats.capacity >= 1000, `capacity ${f.stats.capacity}`);
      assert.ok(hashes.every((h) => f.mayContain(h)));
    } finally {
      f.stop();
      db.close();
    }
  });
});
