import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../schema.js';

export const m001Initial = async (db: Kysely<any>, dialect: Dialect): Promise<void> => {
  const big = dialect === 'postgres' ? 'bigint' : 'integer';
  const serial = (c: any) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement());
  const idType = dialect === 'postgres' ? 'serial' : 'integer';

  await db.schema.createTable('users')
    .addColumn('id', idType, serial)
    .addColumn('username', 'text', (c) => c.notNull())
    .addColumn('username_key', 'text', (c) => c.notNull().unique())
    .addColumn('email', 'text')
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('groups', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', big, (c) => c.notNull())
    .addColumn('updated_at', big, (c) => c.notNull())
    .execute();

  await db.schema.createTable('tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'integer', (c) => c.references('users.id').onDelete('cascade'))
    .addColumn('name', 'text')
    .addColumn('comment', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('access', 'text', (c) => c.notNull())
    .addColumn('prefix', 'text', (c) => c.notNull())
    .addColumn('metadata', 'text')
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('recoverable', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('secret_enc', 'text')
    .addColumn('expires_at', big)
    .addColumn('revoked_at', big)
    .addColumn('created_at', big, (c) => c.notNull())
    .addColumn('updated_at', big, (c) => c.notNull())
    .addColumn('last_used_at', big)
    .addColumn('use_count', big, (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('tokens_owner_created').on('tokens').columns(['owner_id', 'created_at', 'id']).execute();
  await db.schema.createIndex('tokens_kind_created').on('tokens').columns(['kind', 'created_at', 'id']).execute();
  // A name is unique among the live (not revoked) tokens of one owner; service tokens (owner null) share owner 0.
  await sql`create unique index tokens_live_name on tokens (coalesce(owner_id, 0), name) where revoked_at is null and name is not null`.execute(db);

  await db.schema.createTable('token_secrets')
    .addColumn('hash', 'text', (c) => c.primaryKey())
    .addColumn('token_id', 'text', (c) => c.notNull().references('tokens.id').onDelete('cascade'))
    .addColumn('created_at', big, (c) => c.notNull())
    .addColumn('expires_at', big)
    .execute();
  await db.schema.createIndex('token_secrets_token').on('token_secrets').column('token_id').execute();

  await db.schema.createTable('sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', big, (c) => c.notNull())
    .addColumn('expires_at', big, (c) => c.notNull())
    .addColumn('ip', 'text')
    .addColumn('user_agent', 'text')
    .execute();
  await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();
  await db.schema.createIndex('sessions_expires').on('sessions').column('expires_at').execute();

  await db.schema.createTable('audit')
    .addColumn('id', idType, serial)
    .addColumn('at', big, (c) => c.notNull())
    .addColumn('actor_type', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('actor_name', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('target_type', 'text')
    .addColumn('target_id', 'text')
    .addColumn('ip', 'text')
    .addColumn('request_id', 'text')
    .addColumn('details', 'text')
    .execute();
  await db.schema.createIndex('audit_action').on('audit').columns(['action', 'id']).execute();
  await db.schema.createIndex('audit_target').on('audit').columns(['target_id', 'id']).execute();
  await db.schema.createIndex('audit_at').on('audit').column('at').execute();
};
