/**
 * 005 created `jwt_keys` on every dialect, but only PostgreSQL uses it (keys shared by every node); single-node SQLite
 * keeps its keys as files in `data/jwt/`, so the SQLite table was never written. Dropped on SQLite; a no-op on PostgreSQL.
 */
import type { Kysely } from 'kysely';
import type { Dialect } from '../schema.js';

export const m007DropSqliteJwtKeys = async (db: Kysely<any>, dialect: Dialect): Promise<void> => {
  if (dialect !== 'sqlite') return;
  await db.schema.dropTable('jwt_keys').ifExists().execute();
};
