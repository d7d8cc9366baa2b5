/**
 * Kysely's driver for the store's one better-sqlite3 connection, waiting for SQLite's write lock on timers.
 *
 * SQLite lets one connection write at a time. Another process holding the lock (the other workers of `tessera serve
 * --workers N`, a `sqlite3` shell, a backup) makes a write fail with SQLITE_BUSY, or, with `busy_timeout`, makes
 * SQLite sleep and try again inside the call — and better-sqlite3's calls are synchronous, so the whole server,
 * verifications included, stopped for as long as the other writer held on (up to 5 s). Here the connection runs with
 * `busy_timeout = 0`, and this driver waits instead, on timers, up to `LOCK_WAIT_MS` in all, then gives SQLITE_BUSY
 * to the caller (STORE_UNAVAILABLE, 503: driver-errors.ts). Kysely's own SQLite driver holds its one connection for a
 * statement that waits, so every other query of the process would wait behind it; this one does not:
 *
 * - A transaction (Kysely's, or a `begin …` statement on a connection: sql-store.ts `transaction`) begins with BEGIN
 *   IMMEDIATE, which takes the write lock first. A deferred transaction could not wait for it once it has read
 *   (after SQLITE_BUSY inside a transaction, SQLite allows only a COMMIT to be run again), and one that read before
 *   another process committed could never take it.
 * - From a BEGIN that succeeds until its transaction ends, only the connection that began it runs statements on the
 *   handle (the others wait their turn, as Kysely's driver makes every query wait); a BEGIN that waits for the lock
 *   holds nothing, and statements outside a transaction (reads, single writes) run meanwhile.
 * - A statement that failed with SQLITE_BUSY is run again only when that is safe: outside a transaction (it did
 *   nothing: a BEGIN IMMEDIATE, a single write or read) or a COMMIT.
 * - The verification lookups read in their snapshot (reader.ts), outside Kysely, and need no lock.
 *
 * test/store/sqlite-lock-wait.test.ts holds the lock from a second connection in this process: with a synchronous
 * wait, the timer that lets it go could not fire until the write had given up.
 */
import type Database from 'better-sqlite3';
import { CompiledQuery, type DatabaseConnection, type Dialect, type Driver, type QueryResult, SqliteDialect, type SqliteDatabase } from 'kysely';

/** How long a statement waits for the write lock in all before SQLITE_BUSY is the answer. */
export const LOCK_WAIT_MS = 5000;
/** The pauses between tries, in ms (SQLite's own busy handler's), the last repeated. */
const PAUSES = [1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50, 100];

/**
 * Busy codes a new try may clear: the lock held (SQLITE_BUSY), another connection recovering the WAL after a crash
 * (SQLITE_BUSY_RECOVERY), a WAL lock not got in time (SQLITE_BUSY_TIMEOUT). Not SQLITE_BUSY_SNAPSHOT: a transaction
 * that read an older snapshot cannot write, however long it waits (and outside a transaction SQLite reports it as
 * plain SQLITE_BUSY, which a new try does clear).
 */
export const isBusy = (e: unknown): boolean => {
  const code = (e as { code?: unknown } | null)?.code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_BUSY_RECOVERY' || code === 'SQLITE_BUSY_TIMEOUT';
};
const BEGIN = /^\s*begin\b/i;
const COMMIT = /^\s*(commit|end)\b/i;
const quoted = (name: string): string => `"${name.replaceAll('"', '""')}"`;
const pause = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

class Connection implements DatabaseConnection {
  constructor(private readonly d: LockWaitingDriver) {}
  executeQuery<R>(q: CompiledQuery): Promise<QueryResult<R>> { return this.d.run<R>(this, q); }
  async *streamQuery<R>(q: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    // Read in one go: the rows of a statement left open across turns would be read by another connection's statements.
    for (const row of (await this.d.run<R>(this, q)).rows) yield { rows: [row] };
  }
}

export class LockWaitingDriver implements Driver {
  /** The connection whose transaction is open on the handle; null when none is. */
  private owner: Connection | null = null;
  private waiting: (() => void)[] = [];
  /** When a transaction of this process last took the write lock (performance.now()). */
  private tookLock = 0;

  /** `db`: the statements (prepared through the store's cache); `sqlite`: the same handle, for its transaction state. */
  constructor(private readonly db: SqliteDatabase, private readonly sqlite: Database.Database, private readonly waitMs = LOCK_WAIT_MS) {}

  async init(): Promise<void> { /* the handle is open */ }
  async acquireConnection(): Promise<DatabaseConnection> { return new Connection(this); }
  async beginTransaction(c: DatabaseConnection): Promise<void> { await c.executeQuery(CompiledQuery.raw('begin immediate')); }
  async commitTransaction(c: DatabaseConnection): Promise<void> { await c.executeQuery(CompiledQuery.raw('commit')); }
  async rollbackTransaction(c: DatabaseConnection): Promise<void> { await c.executeQuery(CompiledQuery.raw('rollback')); }

  /** A connection given back with its transaction still open (a caller that never ended it): rolled back. */
  async releaseConnection(c: DatabaseConnection): Promise<void> {
    if (this.owner !== c) return;
    try {
      if (this.sqlite.inTransaction) this.sqlite.prepare('rollback').run();
    } finally {
      this.release();
    }
  }

  // Savepoints run inside the owner's transaction, as any of its statements.
  async savepoint(c: DatabaseConnection, name: string): Promise<void> { await c.executeQuery(CompiledQuery.raw(`savepoint ${quoted(name)}`)); }
  async rollbackToSavepoint(c: DatabaseConnection, name: string): Promise<void> { await c.executeQuery(CompiledQuery.raw(`rollback to ${quoted(name)}`)); }
  async releaseSavepoint(c: DatabaseConnection, name: string): Promise<void> { await c.executeQuery(CompiledQuery.raw(`release ${quoted(name)}`)); }

  async destroy(): Promise<void> { this.db.close(); }

  /**
   * Runs one statement for `c`: in its turn, and again while the write lock is busy and a new try is safe. It gives
   * up once the lock has been out of this process's reach for `waitMs`: since the statement first found it busy, or
   * since a transaction of this process last took it, whichever is later. Hundreds of writes at once queue behind
   * each other and behind the other workers' (which take the lock in turns with this process): that is progress, not
   * a lock held elsewhere.
   */
  async run<R>(c: Connection, q: CompiledQuery): Promise<QueryResult<R>> {
    let busySince: number | null = null;
    for (let i = 0; ; i++) {
      while (this.owner !== null && this.owner !== c) await new Promise<void>((go) => this.waiting.push(go));
      try {
        const r = this.exec<R>(q);
        if (BEGIN.test(q.sql)) { this.owner = c; this.tookLock = performance.now(); }
        else if (this.owner === c && !this.sqlite.inTransaction) this.release();
        return r;
      } catch (e) {
        if (this.owner === c && !this.sqlite.inTransaction) this.release();
        if (!isBusy(e) || (this.sqlite.inTransaction && !COMMIT.test(q.sql))) throw e;
        const now = performance.now();
        busySince ??= now;
        const left = this.waitMs - (now - Math.max(busySince, this.tookLock));
        if (left <= 0) throw e;
        await pause(Math.min(PAUSES[Math.min(i, PAUSES.length - 1)]!, left));
      }
    }
  }

  private exec<R>(q: CompiledQuery): QueryResult<R> {
    const st = this.db.prepare(q.sql);
    const params = q.parameters as unknown[];
    if (st.reader) return { rows: st.all(params) as R[] };
    const { changes, lastInsertRowid } = st.run(params);
    return { numAffectedRows: BigInt(changes), insertId: lastInsertRowid === undefined ? undefined : BigInt(lastInsertRowid), rows: [] };
  }

  private release(): void {
    this.owner = null;
    const go = this.waiting;
    this.waiting = [];
    for (const f of go) f();
  }
}

/** Kysely's SQLite dialect (its SQL, adapter and introspector) with this driver. */
export const sqliteDialect = (db: SqliteDatabase, sqlite: Database.Database, waitMs = LOCK_WAIT_MS): Dialect => {
  const base = new SqliteDialect({ database: db });
  return {
    createDriver: () => new LockWaitingDriver(db, sqlite, waitMs),
    createQueryCompiler: () => base.createQueryCompiler(),
    createAdapter: () => base.createAdapter(),
    createIntrospector: (k) => base.createIntrospector(k),
  };
};
