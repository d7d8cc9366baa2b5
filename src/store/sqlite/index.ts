/** The embedded default: SQLite through better-sqlite3, in WAL mode, in the data directory. */
import { closeSync, openSync } from 'node:fs';
import Database from 'better-sqlite3';
import { type CompiledQuery, Kysely, type SqliteDatabase } from 'kysely';
import type { Database as Schema } from '../schema.js';
import { migrateToLatest } from '../migrations/index.js';
import { SqlStore, type SqlStoreOptions } from '../sql-store.js';
import { Checkpointer } from './checkpointer.js';
import { SnapshotReader } from './reader.js';
import { SecretFilter } from './secret-filter.js';
import { type DriverErrorRules, mapDriverErrors, storeError } from '../driver-errors.js';
import { isSqliteUnavailable, nothingToRollBack } from './errors.js';
import { sqliteDialect } from './lock-wait.js';

/**
 * better-sqlite3 prepares a statement in ~50 µs; Kysely asks for a new one on every query. Statements are reusable,
 * so keep them by SQL text (bounded: the oldest is dropped first). This makes a verification cache miss ~10× cheaper.
 */
const withStatementCache = (sqlite: Database.Database, onUse: () => void, max = 500): SqliteDatabase => {
  const cache = new Map<string, Database.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(sql: string) {
      let st = cache.get(sql);
      if (!st) {
        st = sqlite.prepare(sql);
        if (cache.size >= max) cache.delete(cache.keys().next().value as string);
        cache.set(sql, st);
      }
      // A statement is about to run (a COMMIT too): the verification lookups' snapshot ends first (reader.ts).
      onUse();
      return st as unknown as ReturnType<SqliteDatabase['prepare']>;
    },
  };
};

/**
 * Bulk insert (import, batch creation): one prepared statement per table, run row by row in one transaction. The
 * column lists come from the first row (every row has the same keys: `tokenRow` in sql-store.ts).
 */
const bulkInsert = (sqlite: Database.Database, onUse: () => void): NonNullable<SqlStoreOptions['insertRows']> => {
  const cache = new Map<string, Database.Statement>();
  const stmt = (table: string, cols: readonly string[]): Database.Statement => {
    const text = `insert into ${table} (${cols.map((c) => `"${c}"`).join(', ')}) values (${cols.map(() => '?').join(', ')})`;
    let st = cache.get(text);
    if (!st) { st = sqlite.prepare(text); cache.set(text, st); }
    return st;
  };
  // Positional parameters (binding by name costs ~2× as much per row), only for the columns some row sets: the
  // others (null in every row) keep their default, null.
  const insert = (table: string, rows: readonly object[]): void => {
    // Column by column: a column some row sets is found at its first such row (~0.15 µs a row, against ~0.6 for
    // collecting every row's set columns).
    const cols = Object.keys(rows[0]!).filter((c) => rows.some((r) => {
      const v = (r as Record<string, unknown>)[c];
      return v !== null && v !== undefined;
    }));
    const st = stmt(table, cols);
    const vals = new Array<unknown>(cols.length);
    for (const r of rows) {
      const rec = r as Record<string, unknown>;
      for (let i = 0; i < cols.length; i++) vals[i] = rec[cols[i]!];
      st.run(vals);
    }
  };
  // Rows in key order: each B-tree is walked forward instead of jumping between random pages. One comparator per
  // key: reading the key by a variable name made the two sorts ~0.3 µs a token dearer (a noisy micro-benchmark).
  const byId = (a: { id: string }, b: { id: string }): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  const byHash = (a: { hash: string }, b: { hash: string }): number => (a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : 0);
  const run = sqlite.transaction((tokens: readonly { id: string }[], secrets: readonly { hash: string }[]) => {
    insert('tokens', [...tokens].sort(byId));
    insert('token_secrets', [...secrets].sort(byHash));
  });
  let cacheRaised = false;
  return (tokens, secrets) => {
    if (tokens.length === 0) return;
    onUse();
    // Each token inserts at random places into five B-trees (ids and hashes are random); with SQLite's default 2 MiB
    // page cache, a store of a million tokens reads most of those pages back from the OS for every row. A store
    // that takes bulk writes gets a 256 MiB cache for its connection (pages are only allocated as they are used).
    if (!cacheRaised) {
      cacheRaised = true;
      if ((sqlite.pragma('cache_size', { simple: true }) as number) > -262144) sqlite.pragma('cache_size = -262144');
    }
    run(tokens, secrets);
  };
};

/**
 * The database file is created 0600 (whatever the umask) before SQLite opens it: SQLite gives its -wal and -shm files
 * the database file's mode, so all three are private to the server's user.
 */
const createPrivate = (file: string): void => {
  try {
    closeSync(openSync(file, 'wx', 0o600));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
};

/** How much of the database file is read through a memory map (SQLite's `mmap_size`): 1 GiB. */
export const MMAP_BYTES = 1 << 30;

export interface SqliteOptions {
  /**
   * Other processes write this file too (the workers of `tessera serve --workers N`): the secret filter then checks
   * for their commits before every "absent" answer, so a token created through another worker verifies here at once.
   */
  shared?: boolean;
  /** How long a write waits for another process's lock (lock-wait.ts; tests make it short). */
  lockWaitMs?: number;
}

const ERROR_RULES: DriverErrorRules = { unavailable: isSqliteUnavailable, nothingToRollBack };
/** A synchronous path beside Kysely's (the bulk insert, the usage batch), its errors mapped as the driver's are. */
const mappedNow = <A extends unknown[], R>(f: (...a: A) => R) => (...a: A): R => {
  try {
    return f(...a);
  } catch (e) {
    throw storeError(e, ERROR_RULES);
  }
};

export const openSqliteStore = async (file: string, opts: SqliteOptions = {}): Promise<SqlStore> => {
  if (file !== ':memory:') createPrivate(file);
  const sqlite = new Database(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  // No wait inside SQLite's calls, which are synchronous: a write waits for another process's lock on timers instead
  // (lock-wait.ts), and the event loop serves requests meanwhile.
  sqlite.pragma('busy_timeout = 0');
  // Reads through a memory map: a page the OS already holds is read without a system call and a copy. A verification
  // that misses every cache (a store of a million tokens, random draws) spent a third of its lookup in pread(2)
  // (bench/README.md, "Cold path"). Address space only; pages count once, in the OS page cache. Writes still go
  // through the WAL.
  sqlite.pragma(`mmap_size = ${MMAP_BYTES}`);
  // The WAL grows to hold what was written between checkpoints (a bulk import: hundreds of MB) and is used again from
  // its start after a checkpoint; without a limit its file never shrinks. With one, it is cut back to 64 MiB then.
  sqlite.pragma('journal_size_limit = 67108864');
  // Checkpoints on a thread of their own (checkpointer.ts), not in the commits of this connection.
  // Should the thread die, this connection checkpoints in its commits again (SQLite's default threshold).
  const checkpoints = file === ':memory:' ? null : new Checkpointer(file, () => { if (sqlite.open) sqlite.pragma('wal_autocheckpoint = 1000'); });
  if (checkpoints !== null) sqlite.pragma('wal_autocheckpoint = 0');
  // The verification lookups read in a snapshot a turn on this connection (reader.ts); whatever else runs on it ends
  // the snapshot first.
  const snapshot = new SnapshotReader(sqlite);
  const onUse = (): void => snapshot.end();
  const statements = withStatementCache(sqlite, onUse);
  const db = new Kysely<Schema>({ dialect: mapDriverErrors(sqliteDialect(statements, sqlite, opts.lockWaitMs), ERROR_RULES) });
  /** A compiled query's statement, from the same cache Kysely uses. */
  const prepared = (q: CompiledQuery): Database.Statement => statements.prepare(q.sql) as unknown as Database.Statement;
  await migrateToLatest(db, 'sqlite');
  const secrets = new SecretFilter(sqlite, undefined, opts.shared ? 0 : undefined, onUse);
  void secrets.start();
  return new SqlStore(db, {
    secrets,
    uniqueViolation: (e) => {
      const err = e as { code?: string; message?: string };
      if (err?.code !== 'SQLITE_CONSTRAINT_UNIQUE' && err?.code !== 'SQLITE_CONSTRAINT_PRIMARYKEY') return null;
      return /users\.username_key/.test(err.message ?? '') ? 'username' : /token_secrets\.hash/.test(err.message ?? '') ? 'hash' : 'name';
    },
    foreignKeyViolation: (e) => (e as { code?: string } | null)?.code === 'SQLITE_CONSTRAINT_FOREIGNKEY',
    close: async () => { secrets.stop(); snapshot.end(); await checkpoints?.stop(); await db.destroy(); },
    insertRows: mappedNow(bulkInsert(sqlite, onUse)),
    writeNow: mappedNow((q: CompiledQuery) => prepared(q).run(q.parameters as unknown[]).changes),
    readRowNow: (q) => snapshot.read(q),
    readFresh: onUse,
    beginImmediate: true,
  });
};
