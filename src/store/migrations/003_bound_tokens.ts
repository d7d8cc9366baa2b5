/**
 * Command-bound tokens (Meeseeks, seed 000): the binding of a `bound` token — the configured command's name, its
 * fixed arguments (a JSON array) and the channel it reports into — kept on the token row. Null for other kinds.
 */
import type { Kysely } from 'kysely';
import type { Dialect } from '../schema.js';

export const m003BoundTokens = async (db: Kysely<any>, _dialect: Dialect): Promise<void> => {
  await db.schema.alterTable('tokens').addColumn('bound_command', 'text').execute();
  await db.schema.alterTable('tokens').addColumn('bound_args', 'text').execute();
  await db.schema.alterTable('tokens').addColumn('bound_channel', 'text').execute();
};
