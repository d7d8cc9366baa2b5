/**
 * The multi-node store: PostgreSQL through pg. Same SQL as SQLite (sql-store.ts); only the connection differs.
 * Errors that mean "the database cannot be reached" become STORE_UNAVAILABLE (errors.ts); the pool reconnects by
 * itself once the database is back.
 */
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database as Schema } from '../schema.js';
import { migrateToLatest } from '../migrations/index.js';
import { SqlStore } from '../sql-store.js';
import { mapUnavailable } from './errors.js';

// int8 (bigint) columns hold millisecond times and counts, all far below 2^53: read them as numbers.
pg.types.setTypeParser(20, (v) => Number(v));

export interface PostgresOptions {
  /** Schema to use (tests: one fresh schema each); the URL may also say `?options=-c search_path=…`. */
  searchPath?: string;
  /** Most connections this node opens for queries (the change feed has one more of its own). */
  max?: number;
  /** How long a query waits for a connection before failing with STORE_UNAVAILABLE. */
  connectTimeoutMs?: number;
  /** A statement not answered within this time ends its connection (STORE_UNAVAILABLE); not during migrations. */
  queryTimeoutMs?: number;
}

/**
 * Ends a client's connection when a statement on it gets no answer within `ms`: its query fails with "Connection
 * terminated" (STORE_UNAVAILABLE) and the pool drops the client. A query already sent on a connection whose network
 * silently vanished (no reset, no refusal) would otherwise wait for the system's TCP retransmission timeout —
 * minutes — and every later query on that client behind it. pg's own `query_timeout` fails the query but keeps the
 * client, still busy with it. Only queries answered as promises (Kysely's) are timed; `armed()` is false while the
 * migrations run (an index build may take long).
 */
const timeQueries = (client: pg.PoolClient, ms: number, armed: () => boolean): void => {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]): unknown => {
    const r = query(...args);
    if (!armed() || !(r instanceof Promise)) return r;
    const timer = setTimeout(() => {
      (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
    }, ms);
    return r.finally(() => clearTimeout(timer));
  };
};

/** pg settings shared by the pool and the change feed's client. `application_name` in the URL wins over the default. */
export const clientConfig = (url: string, opts: PostgresOptions = {}): pg.ClientConfig => ({
  application_name: 'tessera',
  keepAlive: true,
  // TCP keepalive probes after 10 s idle (0 would leave the system's 2 hours): a connection whose peer is gone is found.
  keepAliveInitialDelayMillis: 10_000,
  connectionTimeoutMillis: opts.connectTimeoutMs ?? 5000,
  ...(opts.searchPath ? { options: `-c search_path=${opts.searchPath}` } : {}),
  connectionString: url,
});

export const openPostgresStore = async (url: string, opts: PostgresOptions = {}): Promise<SqlStore> => {
  const pool = new pg.Pool({ ...clientConfig(url, opts), max: opts.max ?? 10 });
  // An idle client that loses its connection (database restarted, backend terminated) emits 'error': the pool drops
  // it, and this handler keeps the process alive. A client that fails during a query is dropped when it is released.
  pool.on('error', () => undefined);
  // A client that is checked out (between two statements of a transaction) has no pool listener: without one of its
  // own, its connection's end would be an unhandled 'error' event and stop the process. Its query fails instead
  // (STORE_UNAVAILABLE), and the pool discards it when it is released (it is no longer queryable).
  let migrated = false;
  pool.on('connect', (client) => {
    client.on('error', () => undefined);
    if (opts.queryTimeoutMs !== undefined) timeQueries(client, opts.queryTimeoutMs, () => migrated);
  });
  const db = new Kysely<Schema>({ dialect: mapUnavailable(new PostgresDialect({ pool })) });
  try {
    await migrateToLatest(db, 'postgres');
  } catch (e) {
    await db.destroy();
    throw e;
  }
  migrated = true;
  return new SqlStore(db, {
    uniqueViolation: (e) => {
      const err = e as { code?: string; constraint?: string };
      if (err?.code !== '23505') return null;
      return /username/.test(err.constraint ?? '') ? 'username' : /secrets/.test(err.constraint ?? '') ? 'hash' : 'name';
    },
    foreignKeyViolation: (e) => (e as { code?: string } | null)?.code === '23503',
    rowLocks: true,
    close: () => db.destroy(),
    retryable: (e) => ['40P01', '40001'].includes((e as { code?: string } | null)?.code ?? ''),
  });
};
