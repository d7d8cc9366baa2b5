/**
 * Failed-login counters in the database (issue 12): every node on one PostgreSQL database sees the same counts, so a
 * guesser cannot spread attempts over the nodes, and a restart does not forget them. One row per throttled key
 * (`ip:<address>` or `user:<login>`); rows whose window and block have passed are swept hourly.
 */
import type { Kysely } from 'kysely';
import type { Dialect } from '../schema.js';

export const m008LoginThrottle = async (db: Kysely<any>, _dialect: Dialect): Promise<void> => {
  await db.schema.createTable('login_throttle')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('window_start', 'bigint', (c) => c.notNull())
    .addColumn('last_failure_at', 'bigint')
    .addColumn('blocked_until', 'bigint')
    .execute();
};
