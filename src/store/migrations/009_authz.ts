/**
 * Permissions, roles and policies (issue 14): tokens and users gain permission and role lists (JSON arrays; null on
 * old rows reads as empty), tokens an address allowlist; the catalogue tables hold permission definitions, roles and
 * what each group is granted. The built-in roles `read`, `write`, `full` are not rows: they are defined in code.
 */
import type { Kysely } from 'kysely';
import type { Dialect } from '../schema.js';

export const m009Authz = async (db: Kysely<any>, _dialect: Dialect): Promise<void> => {
  await db.schema.alterTable('tokens').addColumn('permissions', 'text').execute();
  await db.schema.alterTable('tokens').addColumn('roles', 'text').execute();
  await db.schema.alterTable('tokens').addColumn('allowed_cidrs', 'text').execute();
  await db.schema.alterTable('users').addColumn('roles', 'text').execute();
  await db.schema.alterTable('users').addColumn('permissions', 'text').execute();
  await db.schema.createTable('permission_defs')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createTable('roles')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('permissions', 'text', (c) => c.notNull())
    .addColumn('max_lifetime_seconds', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createTable('group_grants')
    .addColumn('group_name', 'text', (c) => c.primaryKey())
    .addColumn('roles', 'text', (c) => c.notNull())
    .addColumn('permissions', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
};
