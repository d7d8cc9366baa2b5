/**
 * The verification lookup's reads (`readRowNow`): synchronous, outside Kysely, on the store's connection, inside a
 * read transaction (a snapshot) shared by the lookups of one turn of the event loop.
 *
 * Why a snapshot: every read transaction SQLite starts on its own (one per statement in autocommit) takes the WAL read
 * lock and lets it go again, two fcntl(2) calls, asks the file's size (fstat(2)) while the WAL is empty, and checks the
 * WAL index: ~5–7 µs, a third of a lookup on a store of a million tokens (bench/README.md, "Cold lookups in one read
 * transaction a turn"). A server under load reads several requests in each turn of its event loop; their lookups now
 * share one read transaction.
 *
 * Why on the store's connection and not one of its own: with a second connection, a cold verification cost ~35 µs
 * more a request over HTTP while the usage batch was being written (likely because SQLite drops a connection's page
 * cache whenever another connection has committed), where on the one connection it costs less than before.
 *
 * Why nothing is read that should not be:
 * - A write's transaction open on the connection (awaiting between statements): `read` answers `false` and the
 *   lookup goes through Kysely, which waits for it; uncommitted rows are never read.
 * - Anything else the store runs on the connection first ends the snapshot (`end`: every statement from Kysely's
 *   statement cache, reads and writes, a COMMIT included; a bulk insert; the secret filter before it asks whether
 *   another process committed), so it never runs inside it, and a lookup after a write of this process reads it.
 * - Other processes' writes (the other workers, on the same file): every change a verification must see is followed
 *   by an invalidation, which the verifier hands on (`Store.readFresh`, which ends the snapshot); a snapshot lives
 *   at most until the end of the turn it began in, or `READS_PER_SNAPSHOT` lookups (a loop that never yields holds
 *   back no checkpoint for long).
 * - A row added by another process since the snapshot began (a token created through another worker a moment ago):
 *   a lookup that finds nothing in an older snapshot looks again in a new one, so "not found" is always fresh.
 */
import type Database from 'better-sqlite3';
import type { CompiledQuery } from 'kysely';
import { isBusy } from './lock-wait.js';

/**
 * One-row reads: the statement in raw mode (rows as arrays), and the row object built from the array by a function made
 * once per statement from its column names (an object literal of fixed shape). better-sqlite3 builds a row object
 * through V8's API, one property at a time: for the verification lookup (44 columns) that was over a quarter of the
 * lookup's cost (17.3 → 12.5 µs a row on a store of a million tokens; bench/README.md, "Servers as deployed, the cold
 * lookup, the usage flush"). Column names are SQLite's own, from our queries; each is quoted by JSON.stringify.
 */
const rowReader = (sqlite: Database.Database, max = 50): ((q: CompiledQuery) => unknown) => {
  const cache = new Map<string, { st: Database.Statement; row: (r: unknown[]) => unknown }>();
  return (q) => {
    let r = cache.get(q.sql);
    if (!r) {
      const st = sqlite.prepare(q.sql).raw(true);
      const names = st.columns().map((c) => c.name);
      const row = new Function('r', `return {${names.map((n, i) => `${JSON.stringify(n)}: r[${i}]`).join(', ')}};`) as (r: unknown[]) => unknown;
      if (cache.size >= max) cache.delete(cache.keys().next().value as string);
      cache.set(q.sql, r = { st, row });
    }
    const got = r.st.get(q.parameters as unknown[]) as unknown[] | undefined;
    return got === undefined ? null : r.row(got);
  };
};

/** The most lookups one snapshot serves before the next begins a new one. */
export const READS_PER_SNAPSHOT = 256;

export class SnapshotReader {
  private readonly db: Database.Database;
  private readonly readRow: (q: CompiledQuery) => unknown;
  private readonly begin: Database.Statement;
  private readonly commit: Database.Statement;
  /** Lookups made in the open snapshot; 0 when none is open. */
  private reads = 0;
  /** Whether the end of this turn is scheduled (once a turn, however many snapshots it sees). */
  private scheduled = false;

  /** `db`: the store's connection (WAL mode: a read transaction never blocks its writes). */
  constructor(db: Database.Database) {
    this.db = db;
    this.readRow = rowReader(this.db);
    this.begin = this.db.prepare('begin');
    this.commit = this.db.prepare('commit');
  }

  /**
   * The first row of a compiled read query, or null: committed data, from this turn's snapshot or a new one; `false`
   * while a transaction other than the snapshot is open on the connection (ask through Kysely, which waits for it).
   */
  read(q: CompiledQuery): unknown {
    if (this.reads === 0 && this.db.inTransaction) return false;
    if (this.reads >= READS_PER_SNAPSHOT) this.end();
    const fresh = this.reads === 0;
    if (fresh) this.open();
    this.reads++;
    try {
      const row = this.readRow(q);
      if (row !== null || fresh) return row;
      // Nothing, in a snapshot begun earlier: the row may have been committed since (by another process).
      this.end();
      this.open();
      this.reads++;
      return this.readRow(q);
    } catch (e) {
      // SQLite asks a reader to wait only in rare moments (another process recovering the WAL after a crash): the
      // lookup goes through Kysely, which waits on timers (lock-wait.ts) rather than here, in a synchronous call.
      if (!isBusy(e)) throw e;
      this.end();
      return false;
    }
  }

  /** Ends the open snapshot, if any: the next read sees everything committed until then. */
  end(): void {
    if (this.reads === 0) return;
    this.reads = 0;
    if (this.db.inTransaction) this.commit.run();
  }

  private open(): void {
    // A deferred BEGIN: the snapshot is taken by the first read inside it.
    this.begin.run();
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.endOfTurn);
    }
  }

  private readonly endOfTurn = (): void => {
    this.scheduled = false;
    this.end();
  };
}
