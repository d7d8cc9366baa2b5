/**
 * Paths the UI already uses but the server's OpenAPI document does not describe yet (commands, jobs, channels are
 * being built). `sdk/index.ts` merges them under the generated paths with `Omit<PendingPaths, keyof GeneratedPaths>`,
 * so as soon as `npm run sdk:generate` picks up a real route, its generated description wins and the guess below is
 * ignored; delete an entry here once its route is in schema.d.ts. Fields are optional where the server's shape is not
 * known yet, and the pages read them defensively.
 */

type ErrorBody = { error: { code: string; message: string; request_id: string } };
type Json<T> = { headers: { [name: string]: unknown }; content: { 'application/json': T } };
type Errors = { 400: Json<ErrorBody>; 401: Json<ErrorBody>; 403: Json<ErrorBody>; 404: Json<ErrorBody>; 409: Json<ErrorBody> };
type Op<Res, Query = never, Path = never, Body = never> = {
  parameters: { query?: Query; header?: never; cookie?: never } & ([Path] extends [never] ? { path?: never } : { path: Path });
  requestBody?: [Body] extends [never] ? never : { content: { 'application/json': Body } };
  responses: { 200: Json<Res>; 201: Json<Res>; 202: Json<Res> } & Errors;
};
type PathItem<Ops> = { parameters: { query?: never; header?: never; path?: never; cookie?: never } } & Ops;

export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'rejected' | 'timed_out';

export interface Command {
  name: string;
  /** Semaphore's template_id. */
  id?: number;
  description?: string | null;
  /** The argument policy: 'none', 'any' or { pattern }. */
  args?: 'none' | 'any' | { pattern: string } | null;
  groups?: string[];
  timeout_seconds?: number;
}

export interface Job {
  id: string;
  command: string;
  status: JobStatus;
  args?: string[];
  channel?: string | null;
  user?: { id: number; username: string | null } | string | null;
  token_id?: string | null;
  exit_code?: number | null;
  output?: string;
  truncated?: boolean;
  error?: string | null;
  created_at?: string;
  started_at?: string | null;
  ended_at?: string | null;
  finished_at?: string | null;
}

export interface Channel {
  name: string;
  webhook?: boolean | string | null;
  message_count?: number;
  last_message_at?: string | null;
}

export interface ChannelMessage {
  id: string | number;
  channel?: string;
  at: string;
  text: string;
  job_id?: string | null;
  level?: string;
}

type Page<T> = { items: T[]; next_cursor?: string | null };

export interface PendingPaths {
  '/api/v1/commands': PathItem<{ get: Op<Page<Command>> }>;
  '/api/v1/commands/{name}/run': PathItem<{
    post: Op<Job, never, { name: string }, { args?: string[]; channel?: string }>;
  }>;
  '/api/v1/jobs': PathItem<{ get: Op<Page<Job>, { command?: string; status?: JobStatus; limit?: number; cursor?: string }> }>;
  '/api/v1/jobs/{id}': PathItem<{ get: Op<Job, never, { id: string }> }>;
  '/api/v1/channels': PathItem<{ get: Op<Page<Channel>> }>;
  '/api/v1/channels/{name}/messages': PathItem<{
    get: Op<Page<ChannelMessage>, { limit?: number; cursor?: string }, { name: string }>;
  }>;
}
