/**
 * Bulk-inserts token rows straight into a Tessera SQLite store (the server must be stopped):
 *   node --import tsx bench/seed-store.ts <tessera.db> <count> <values.txt>
 * Rows are what POST /api/v1/tokens would write — personal tokens of `admin`, access write, value from
 * generateTokenValue, SHA-256 hex in token_secrets — without the audit rows. The values are written to <values.txt>,
 * one per line, in random order. Prints `SEED_JSON {...}` with the timings.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { displayPrefix, generateTokenValue, hashValue, newTokenId } from '../src/core/tokens/format.js';
import { cryptoRandom } from '../src/infra/system.js';

const PREFIX = 'tsr_';
const CHUNK = 100_000;

export interface SeedReport { count: number; generateSec: number; insertSec: number; rowsPerSec: number; dbBytes: number }

export const seedStore = (dbFile: string, count: number, valuesFile: string): SeedReport => {
  const random = cryptoRandom();
  const t0 = performance.now();
  const values = new Array<string>(count);
  const rows = new Array<{ id: string; hash: string; prefix: string }>(count);
  for (let i = 0; i < count; i++) {
    const v = generateTokenValue(random, PREFIX);
    values[i] = v;
    rows[i] = { id: newTokenId(random, Date.now()), hash: hashValue(v), prefix: displayPrefix(v, PREFIX) };
  }
  writeFileSync(valuesFile, values.join('\n') + '\n');
  const t1 = performance.now();

  const db = new Database(dbFile, { fileMustExist: true });
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -262144');
  const owner = db.prepare("select id from users where username_key = 'admin'").get() as { id: number } | undefined;
  if (!owner) throw new Error(`${dbFile}: no admin user (start the server once first)`);
  const now = Date.now();
  const insToken = db.prepare(`insert into tokens (id, kind, owner_id, name, comment, access, prefix, metadata, active, recoverable,
    secret_enc, expires_at, revoked_at, created_at, updated_at, last_used_at, use_count)
    values (?, 'personal', ?, null, '', 'write', ?, null, 1, 0, null, null, null, ?, ?, null, 0)`);
  const insSecret = db.prepare('insert into token_secrets (hash, token_id, created_at, expires_at) values (?, ?, ?, null)');
  // Inserting in key order keeps each B-tree append-only: far faster than random order, same final store.
  const byId = rows.slice().sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const byHash = rows.sort((a, b) => (a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : 0));
  const tokens = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) { const r = byId[i]!; insToken.run(r.id, owner.id, r.prefix, now, now); }
  });
  const secrets = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) { const r = byHash[i]!; insSecret.run(r.hash, r.id, now); }
  });
  for (let i = 0; i < count; i += CHUNK) tokens(i, Math.min(count, i + CHUNK));
  for (let i = 0; i < count; i += CHUNK) secrets(i, Math.min(count, i + CHUNK));
  db.pragma('wal_checkpoint(TRUNCATE)');
  const pageCount = db.pragma('page_count', { simple: true }) as number;
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  db.close();
  const t2 = performance.now();
  return {
    count, generateSec: (t1 - t0) / 1000, insertSec: (t2 - t1) / 1000, rowsPerSec: count / ((t2 - t1) / 1000), dbBytes: pageCount * pageSize,
  };
};

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [dbFile, count, valuesFile] = process.argv.slice(2);
  if (!dbFile || !count || !valuesFile) throw new Error('usage: seed-store.ts <tessera.db> <count> <values.txt>');
  const n = Number(count);
  if (!Number.isInteger(n) || n < 1 || n > 10_000_000) throw new Error('count must be an integer in [1, 10000000]');
  process.stdout.write(`SEED_JSON ${JSON.stringify(seedStore(dbFile, n, valuesFile))}\n`);
}
