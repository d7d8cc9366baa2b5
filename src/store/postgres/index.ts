/** The multi-node store: PostgreSQL through pg. Same SQL as SQLite (sql-store.ts); only the connection differs. */
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database as Schema } from '../schema.js';
import { migrateToLatest } from '../migrations/index.js';
import { SqlStore } from '../sql-store.js';

// int8 (bigint) columns hold millisecond times and counts, all far below 2^53: read them as numbers.
pg.types.setTypeParser(20, (v) => Number(v));

export const openPostgresStore = async (url: string, opts: { searchPath?: string; max?: number } = {}): Promise<SqlStore> => {
  const pool = new pg.Pool({
    connectionString: url, max: opts.max ?? 10,
    ...(opts.searchPath ? { options: `-c search_path=${opts.searchPath}` } : {}),
  });
  // An idle client that loses its connection must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
  await migrateToLatest(db, 'postgres');
  return new SqlStore(db, {
    uniqueViolation: (e) => {
      const err = e as { code?: string; constraint?: string };
      if (err?.code !== '23505') return null;
      return /username/.test(err.constraint ?? '') ? 'username' : /secrets/.test(err.constraint ?? '') ? 'hash' : 'name';
    },
    close: () => db.destroy(),
  });
};
