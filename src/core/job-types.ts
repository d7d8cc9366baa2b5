/** Jobs (one run of a configured command), channel messages, and the configured commands and channels they refer to. */

/** How a job was started: the native API, a command-bound token (`POST /message`), a chat command, a Semaphore task. */
export type JobTrigger = 'api' | 'token' | 'chat' | 'task';
export type JobStatus = 'running' | 'succeeded' | 'failed' | 'rejected' | 'timed_out';

export interface Job {
  id: number;
  /** The command's configured name (kept as typed when the command is unknown: a refused run of a removed command). */
  command: string;
  /** The command's numeric id (Semaphore's template_id); null when the command is unknown. */
  commandId: number | null;
  /** The extra arguments the caller appended (the configured argv is not repeated here). */
  args: string[];
  userId: number | null;
  username: string | null;
  tokenId: string | null;
  channel: string;
  trigger: JobTrigger;
  status: JobStatus;
  exitCode: number | null;
  output: string;
  /** The output was longer than the command's cap and was cut. */
  truncated: boolean;
  /** Why a job was rejected, failed without an exit code, or timed out. */
  reason: string | null;
  startedAt: number;
  endedAt: number | null;
  /** The server node that ran it (config `node_id`); null for refused jobs and jobs from before nodes were recorded. */
  node: string | null;
}

export type NewJob = Omit<Job, 'id' | 'exitCode' | 'output' | 'truncated' | 'endedAt' | 'node'> & { endedAt?: number | null; node?: string | null };

export interface JobEnd {
  status: Exclude<JobStatus, 'running'>;
  exitCode: number | null;
  output: string;
  truncated: boolean;
  reason: string | null;
  endedAt: number;
}

export interface JobFilter {
  status?: JobStatus;
  command?: string;
  userId?: number;
  limit: number;
  cursor?: string;
}

export interface ChannelMessage {
  id: number;
  channel: string;
  text: string;
  jobId: number | null;
  at: number;
}

export interface MessageFilter {
  channel: string;
  limit: number;
  /** Page backwards (newest first) from this cursor. */
  cursor?: string;
  /** Instead of a page: every message with an id above this one, oldest first (SSE resume). */
  afterId?: number;
}

/** What callers may append to a command's argv (checked by the CommandExecutor port). */
export type ArgPolicy = 'none' | 'any' | { readonly pattern: string };

/** A command as the operator configured it. */
export interface CommandDef {
  name: string;
  /** Unique; Semaphore's template_id. */
  id: number;
  argv: readonly string[];
  args: ArgPolicy;
  groups: readonly string[];
  timeoutSeconds: number;
  outputCapBytes: number;
  cwd?: string;
  env?: Readonly<Record<string, string>>;
  description?: string;
  /** Where its outcome goes when the caller names no channel (default: the `default` channel). */
  channel?: string;
}

export interface ChannelDef {
  name: string;
  webhook?: string;
  retry: { attempts: number; backoffMs: number };
}
