/**
 * Usage limits and rate limits of tokens (issue 5), kept on the token row so that taking a use is one atomic UPDATE
 * (see `consumeUse` in sql-store.ts). All columns are null for tokens without limits.
 */
import type { Kysely } from 'kysely';
import type { Dialect } from '../schema.js';

export const m004TokenLimits = async (db: Kysely<any>, dialect: Dialect): Promise<void> => {
  const big = dialect === 'postgres' ? 'bigint' : 'integer';
  // One column per statement: SQLite's ALTER TABLE adds one column at a time.
  await db.schema.alterTable('tokens').addColumn('remaining', big).execute();
  await db.schema.alterTable('tokens').addColumn('refill_amount', big).execute();
  await db.schema.alterTable('tokens').addColumn('refill_interval_seconds', 'integer').execute();
  await db.schema.alterTable('tokens').addColumn('refilled_at', big).execute();
  await db.schema.alterTable('tokens').addColumn('rate_limit', 'integer').execute();
  await db.schema.alterTable('tokens').addColumn('rate_window_seconds', 'integer').execute();
};
