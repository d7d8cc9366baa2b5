/**
 * Jobs (one run of a configured command) and channel messages (job outcomes and refusals, streamed and forwarded to
 * webhooks). Ids are integers (a job id is also Semaphore's task id). Times are integer ms since the epoch.
 */
import type { Kysely } from 'kysely';
import type { Dialect } from '../schema.js';

export const m002Jobs = async (db: Kysely<any>, dialect: Dialect): Promise<void> => {
  const big = dialect === 'postgres' ? 'bigint' : 'integer';
  const idType = dialect === 'postgres' ? 'serial' : 'integer';
  const serial = (c: any) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement());

  await db.schema.createTable('jobs')
    .addColumn('id', idType, serial)
    .addColumn('command', 'text', (c) => c.notNull())
    .addColumn('command_id', 'integer')
    .addColumn('args', 'text', (c) => c.notNull().defaultTo('[]')) // JSON array
    // No foreign keys: a job is history and outlives the user or token that started it.
    .addColumn('user_id', 'integer')
    .addColumn('username', 'text')
    .addColumn('token_id', 'text')
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('trigger', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('exit_code', 'integer')
    .addColumn('output', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('truncated', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('reason', 'text')
    .addColumn('started_at', big, (c) => c.notNull())
    .addColumn('ended_at', big)
    .execute();
  await db.schema.createIndex('jobs_status').on('jobs').columns(['status', 'id']).execute();
  await db.schema.createIndex('jobs_user').on('jobs').columns(['user_id', 'id']).execute();
  await db.schema.createIndex('jobs_command').on('jobs').columns(['command', 'id']).execute();

  await db.schema.createTable('channel_messages')
    .addColumn('id', idType, serial)
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('job_id', 'integer')
    .addColumn('at', big, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('channel_messages_channel').on('channel_messages').columns(['channel', 'id']).execute();
};
