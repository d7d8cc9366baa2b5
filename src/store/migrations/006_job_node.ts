/**
 * Which node runs a job (issue 4, multi-node): at start a node marks only its own jobs left `running` as failed
 * ("server restarted"), never the live jobs of other nodes on the same PostgreSQL database. Rows from before this
 * migration have no node (null) and are recovered by whichever node starts first.
 */
import type { Kysely } from 'kysely';
import type { Dialect } from '../schema.js';

export const m006JobNode = async (db: Kysely<any>, _dialect: Dialect): Promise<void> => {
  await db.schema.alterTable('jobs').addColumn('node', 'text').execute();
};
