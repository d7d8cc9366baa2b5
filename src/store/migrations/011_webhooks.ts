/**
 * Webhooks and their durable outbox (issue 16): the endpoints, one row per event (written in the transaction of the
 * audit row that causes it), one delivery per event and subscribed webhook (claimed by one node with a lease), each
 * attempt's outcome, and which expiry notices were sent per token (once per threshold).
 */
import type { Kysely } from 'kysely';
import type { Dialect } from '../schema.js';

export const m011Webhooks = async (db: Kysely<any>, dialect: Dialect): Promise<void> => {
  const big = dialect === 'postgres' ? 'bigint' : 'integer';
  const idType = dialect === 'postgres' ? 'serial' : 'integer';
  const serial = (c: any) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement());
  await db.schema.createTable('webhooks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('events', 'text', (c) => c.notNull()) // JSON array of event types
    .addColumn('secret_enc', 'text', (c) => c.notNull()) // AES-256-GCM of the whsec_ secret
    .addColumn('active', 'integer', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('created_at', big, (c) => c.notNull())
    .addColumn('updated_at', big, (c) => c.notNull())
    .execute();
  await db.schema.createTable('webhook_events')
    .addColumn('id', 'text', (c) => c.primaryKey()) // msg_…, the webhook-id header
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('created_at', big, (c) => c.notNull())
    .execute();
  await db.schema.createTable('webhook_deliveries')
    .addColumn('id', idType, serial)
    .addColumn('event_id', 'text', (c) => c.notNull().references('webhook_events.id').onDelete('cascade'))
    .addColumn('webhook_id', 'text', (c) => c.notNull().references('webhooks.id').onDelete('cascade'))
    .addColumn('status', 'text', (c) => c.notNull()) // pending | delivered | failed
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('next_attempt_at', big, (c) => c.notNull())
    .addColumn('lease_owner', 'text')
    .addColumn('lease_until', big)
    .addColumn('last_status_code', 'integer')
    .addColumn('last_error', 'text')
    .addColumn('created_at', big, (c) => c.notNull())
    .addColumn('updated_at', big, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('webhook_deliveries_due').on('webhook_deliveries').columns(['status', 'next_attempt_at']).execute();
  await db.schema.createIndex('webhook_deliveries_hook').on('webhook_deliveries').columns(['webhook_id', 'id']).execute();
  await db.schema.createTable('webhook_attempts')
    .addColumn('id', idType, serial)
    .addColumn('delivery_id', 'integer', (c) => c.notNull().references('webhook_deliveries.id').onDelete('cascade'))
    .addColumn('attempt', 'integer', (c) => c.notNull())
    .addColumn('at', big, (c) => c.notNull())
    .addColumn('status_code', 'integer')
    .addColumn('duration_ms', 'integer', (c) => c.notNull())
    .addColumn('error', 'text')
    .addColumn('node', 'text')
    .execute();
  await db.schema.createIndex('webhook_attempts_delivery').on('webhook_attempts').columns(['delivery_id', 'id']).execute();
  await db.schema.createTable('token_notices')
    .addColumn('token_id', 'text', (c) => c.notNull())
    .addColumn('notice', 'text', (c) => c.notNull()) // expiring:<days> | expired
    .addColumn('at', big, (c) => c.notNull())
    .addPrimaryKeyConstraint('token_notices_pk', ['token_id', 'notice'])
    .execute();
};
