/**
 * The JobStore port over Kysely (SQLite and PostgreSQL): jobs and channel messages. Uses the same Kysely instance as
 * SqlStore (`SqlStore.db`); the tables come from migration 002.
 */
import { type Kysely, type Selectable, sql } from 'kysely';
import { decodeCursor, encodeCursor } from './cursor.js';
import type { JobStore } from '../core/ports.js';
import type { ChannelMessage, Job, JobEnd, JobFilter, JobStatus, JobTrigger, MessageFilter, NewJob } from '../core/job-types.js';
import type { Page } from '../core/types.js';

export interface JobsTable {
  id: import('kysely').Generated<number>;
  command: string;
  command_id: number | null;
  args: string; // JSON array
  user_id: number | null;
  username: string | null;
  token_id: string | null;
  channel: string;
  trigger: string;
  status: string;
  exit_code: number | null;
  output: string;
  truncated: number;
  reason: string | null;
  started_at: number;
  ended_at: number | null;
  /** Migration 006: the node that runs the job. */
  node: string | null;
}

export interface ChannelMessagesTable {
  id: import('kysely').Generated<number>;
  channel: string;
  text: string;
  job_id: number | null;
  at: number;
}

export interface JobsDatabase {
  jobs: JobsTable;
  channel_messages: ChannelMessagesTable;
}

const num = (v: number | string | bigint | null): number | null => (v === null ? null : Number(v));


const toJob = (r: Selectable<JobsTable>): Job => ({
  id: Number(r.id), command: r.command, commandId: num(r.command_id), args: JSON.parse(r.args) as string[], userId: num(r.user_id),
  username: r.username, tokenId: r.token_id, channel: r.channel, trigger: r.trigger as JobTrigger, status: r.status as JobStatus,
  exitCode: num(r.exit_code), output: r.output, truncated: Number(r.truncated) === 1, reason: r.reason,
  startedAt: num(r.started_at)!, endedAt: num(r.ended_at), node: r.node ?? null,
});

const toMessage = (r: Selectable<ChannelMessagesTable>): ChannelMessage => ({
  id: Number(r.id), channel: r.channel, text: r.text, jobId: num(r.job_id), at: num(r.at)!,
});

export class SqlJobStore implements JobStore {
  private readonly db: Kysely<JobsDatabase>;

  constructor(db: Kysely<any>) {
    this.db = db as Kysely<JobsDatabase>;
  }

  async createJob(j: NewJob): Promise<Job> {
    const r = await this.db.insertInto('jobs').values({
      command: j.command, command_id: j.commandId, args: JSON.stringify(j.args), user_id: j.userId, username: j.username,
      token_id: j.tokenId, channel: j.channel, trigger: j.trigger, status: j.status, exit_code: null, output: '', truncated: 0,
      reason: j.reason, started_at: j.startedAt, ended_at: j.endedAt ?? null, node: j.node ?? null,
    }).returningAll().executeTakeFirstOrThrow();
    return toJob(r);
  }

  async finishJob(id: number, e: JobEnd): Promise<Job | null> {
    const r = await this.db.updateTable('jobs').set({
      status: e.status, exit_code: e.exitCode, output: e.output, truncated: e.truncated ? 1 : 0, reason: e.reason, ended_at: e.endedAt,
    }).where('id', '=', id).where('status', '=', 'running').returningAll().executeTakeFirst();
    return r ? toJob(r) : null;
  }

  async saveOutput(id: number, output: string): Promise<boolean> {
    const r = await this.db.updateTable('jobs').set({ output }).where('id', '=', id).where('status', '=', 'running').executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async getJob(id: number): Promise<Job | null> {
    const r = await this.db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toJob(r) : null;
  }

  async listJobs(f: JobFilter): Promise<Page<Job>> {
    let q = this.db.selectFrom('jobs').selectAll().orderBy('id', 'desc').limit(f.limit + 1);
    if (f.status !== undefined) q = q.where('status', '=', f.status);
    if (f.command !== undefined) q = q.where('command', '=', f.command);
    if (f.userId !== undefined) q = q.where('user_id', '=', f.userId);
    if (f.cursor !== undefined) q = q.where('id', '<', decodeCursor(f.cursor, ['int'])[0]);
    const rows = await q.execute();
    const items = rows.slice(0, f.limit).map(toJob);
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > f.limit && last ? encodeCursor([last.id]) : null };
  }

  async failRunningJobs(reason: string, at: number, node?: string, withWorkers = false): Promise<number> {
    let q = this.db.updateTable('jobs').set({ status: 'failed', reason, ended_at: at }).where('status', '=', 'running');
    // Workers are `<node>#w<n>`; no configured or default node id holds a `#`, so only this node's workers match.
    // `_` is a LIKE wildcard and may be part of a node id: escaped.
    const workers = `${node?.replace(/[\\%_]/g, (c) => `\\${c}`)}#w%`;
    if (node !== undefined) {
      q = q.where((eb) => eb.or([eb('node', '=', node), eb('node', 'is', null),
        ...(withWorkers ? [sql<boolean>`${eb.ref('node')} like ${workers} escape '\\'`] : [])]));
    }
    const r = await q.executeTakeFirst();
    return Number(r.numUpdatedRows);
  }

  async addMessage(m: Omit<ChannelMessage, 'id'>): Promise<ChannelMessage> {
    const r = await this.db.insertInto('channel_messages').values({ channel: m.channel, text: m.text, job_id: m.jobId, at: m.at })
      .returningAll().executeTakeFirstOrThrow();
    return toMessage(r);
  }

  async listMessages(f: MessageFilter): Promise<Page<ChannelMessage>> {
    if (f.afterId !== undefined) {
      const rows = await this.db.selectFrom('channel_messages').selectAll().where('channel', '=', f.channel)
        .where('id', '>', f.afterId).orderBy('id', 'asc').limit(f.limit).execute();
      return { items: rows.map(toMessage), nextCursor: null };
    }
    let q = this.db.selectFrom('channel_messages').selectAll().where('channel', '=', f.channel).orderBy('id', 'desc').limit(f.limit + 1);
    if (f.cursor !== undefined) q = q.where('id', '<', decodeCursor(f.cursor, ['int'])[0]);
    const rows = await q.execute();
    const items = rows.slice(0, f.limit).map(toMessage);
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > f.limit && last ? encodeCursor([last.id]) : null };
  }
}
