/**
 * The last client addresses each token was used from (issue 16): one row per (token, address) with the latest time,
 * at most five per token (the usage batch prunes older ones), written by `Store.recordUsage`, never per request.
 */
import type { Kysely } from 'kysely';
import type { Dialect } from '../schema.js';

export const m012TokenAddresses = async (db: Kysely<any>, _dialect: Dialect): Promise<void> => {
  await db.schema.createTable('token_addresses')
    .addColumn('token_id', 'text', (c) => c.notNull())
    .addColumn('ip', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('token_addresses_pk', ['token_id', 'ip'])
    .execute();
};
