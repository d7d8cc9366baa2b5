/**
 * Issue 18: a token's uses since this migration live in a narrow table of their own, one row per used token, instead
 * of in the token's row. The usage batch rewrote one row of `tokens` per used token — a random row of the widest
 * table (44 columns; 450 MB at a million tokens), 38–50 µs a token on SQLite; an upsert of this table's 3 columns costs
 * 6–18 µs (bench/README.md, "Use counts in a table of their own"). On PostgreSQL every update of a wide row also
 * wrote a new version of all of it.
 *
 * `tokens.use_count` and `tokens.last_used_at` stay as they were (migrations never drop data): the counts from before
 * this migration, no longer written. A token's use count is the sum of the two, its last use the later of the two
 * (the store's reads join them). No foreign key, like `token_addresses`: the store deletes a token's row with it, and
 * writes usage only for a token that still exists.
 */
import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../schema.js';

export const m015TokenUsage = async (db: Kysely<any>, dialect: Dialect): Promise<void> => {
  let t = db.schema.createTable('token_usage')
    .addColumn('token_id', 'text', (c) => c.primaryKey())
    .addColumn('use_count', 'bigint', (c) => c.notNull())
    .addColumn('last_used_at', 'bigint');
  // SQLite: the row lives in the primary key's B-tree (one lookup, not an index and then a table).
  if (dialect === 'sqlite') t = t.modifyEnd(sql`without rowid`);
  await t.execute();
};
