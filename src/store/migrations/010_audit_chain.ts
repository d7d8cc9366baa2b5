/**
 * The audit hash chain (issue 16): each row's hash and the previous row's, and the chain's head (one row, locked by
 * every append). Rows written before this migration have no hash; the chain starts after them.
 */
import type { Kysely } from 'kysely';
import type { Dialect } from '../schema.js';

export const m010AuditChain = async (db: Kysely<any>, _dialect: Dialect): Promise<void> => {
  await db.schema.alterTable('audit').addColumn('prev_hash', 'text').execute();
  await db.schema.alterTable('audit').addColumn('hash', 'text').execute();
  await db.schema.createTable('audit_head')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('hash', 'text')
    .execute();
  await db.insertInto('audit_head').values({ id: 1, hash: null }).execute();
};
