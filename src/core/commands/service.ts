/**
 * Configured commands: who may run them, and starting a run (a job). The one entry point for every face that runs a
 * command: the native API (`POST /api/v1/commands/{name}/run`), command-bound tokens (`POST /message`), chat commands
 * and Semaphore's task launch all call `start`.
 *
 * Permission is decided at `start` time against the user's current state in the store (a disabled user, or a group
 * taken away after a token was made, is refused). Admins may run every command; other users the commands whose
 * `groups` share a group with theirs.
 */
import type { EventSink } from '../webhook-types.js';
import type { AuditService } from '../audit/service.js';
import { type Principal, type RequestContext, systemContext } from '../principal.js';
import { hasAccess } from '../access.js';
import type { ChannelService } from '../channels/service.js';
import { DEFAULT_CHANNEL } from '../channels/service.js';
import { type ErrorCode, fail, TesseraError } from '../errors.js';
import type { Clock, CommandExecutor, ExecResult, JobStore, Store } from '../ports.js';
import type { PermissionCheck, User } from '../types.js';
import { outcomeText } from '../jobs/messages.js';
import type { LiveOutput } from '../jobs/live.js';
import type { CommandDef, Job, JobEnd, JobTrigger } from '../job-types.js';
import { publicUser } from '../types.js';
import type { Metrics } from '../metrics.js';

export interface StartInput {
  /** Whose user runs the command (for a bound token: the token's run-as user). */
  principal: Principal | null;
  /** A command name, or its numeric id (Semaphore's template_id). */
  command: string | number;
  /** Extra arguments appended to the configured argv, checked against the command's args policy. */
  args: string[];
  /** Where the outcome is posted; default: the command's `channel`, else `default`. */
  channel?: string;
  trigger: JobTrigger;
  tokenId?: string;
  /** Extra environment for the command (e.g. alert labels). Names must look like `ALERT_STATUS`; the configured env wins. */
  env?: Record<string, string>;
}

export interface StartOptions {
  /**
   * `throw`: a refused run throws a TesseraError (FORBIDDEN, ARGS_REFUSED, COMMAND_NOT_FOUND, …) and records no job.
   * `record`: a refused run becomes a job with status `rejected` and a reason, posted to its channel, and is returned.
   * An unknown channel throws CHANNEL_NOT_FOUND in both modes (there is nowhere to post the refusal).
   */
  refusal: 'throw' | 'record';
  /** For the audit log (address, request id); defaults to the principal with no address. */
  ctx?: RequestContext;
}

/** A command as a caller sees it. */
export interface CommandView {
  name: string;
  id: number;
  description: string | null;
  argv: readonly string[];
  args: CommandDef['args'];
  groups: readonly string[];
  timeoutSeconds: number;
  channel: string;
}

/** Environment names a caller may set: upper-case words, and none that changes how programs load or run. */
const ENV_NAME = /^[A-Z][A-Z0-9_]{0,63}$/;
const ENV_RESERVED = /^(PATH|HOME|LANG|LC_.*|SHELL|IFS|ENV|BASH_ENV|LD_.*|DYLD_.*|NODE_.*|PYTHON.*|PERL.*|RUBY.*|TESSERA_.*)$/;
const ENV_VALUE_MAX = 4096;

class Refusal { constructor(readonly code: ErrorCode, readonly reason: string) {} }

/** A user about to run a command, with what they hold now (when permissions are on). */
type Runner = User & { grants?: PermissionCheck };

/** The permission that lets a user run a command besides its groups (docs/permissions.md). */
export const commandPermission = (name: string): string => `command:${name}:run`;

/**
 * How often the output a running job printed since the last write is written to the store, where every node and worker
 * reads it (`GET /api/v1/jobs/{id}`, and the stream of a job running elsewhere); this process streams it live.
 */
export const OUTPUT_SAVE_MS = 1_000;

/**
 * While the store refuses a job's outcome (an outage), it is tried again after this wait, doubled each time up to
 * `OUTCOME_RETRY_MAX_MS`, until it is stored or the server shuts down (then the next start marks the job failed).
 */
export const OUTCOME_RETRY_MS = 500;
export const OUTCOME_RETRY_MAX_MS = 30_000;

/** Resolves after `ms`, or at once when `signal` is aborted. */
const pause = (ms: number, signal: AbortSignal): Promise<void> => new Promise((done) => {
  if (signal.aborted) return done();
  const stop = (): void => { clearTimeout(timer); done(); };
  const timer = setTimeout(() => { signal.removeEventListener('abort', stop); done(); }, ms);
  signal.addEventListener('abort', stop, { once: true });
});

export class CommandService {
  private readonly byName = new Map<string, CommandDef>();
  private readonly byId = new Map<number, CommandDef>();
  private readonly running = new Map<number, { abort: AbortController; done: Promise<Job> }>();
  private stopping = false;
  /** Aborted at shutdown: ends the waits between attempts to store an outcome. */
  private readonly shutdown = new AbortController();

  constructor(private readonly deps: {
    store: Store; jobs: JobStore; channels: ChannelService; executor: CommandExecutor; audit: AuditService; clock: Clock;
    commands: readonly CommandDef[];
    /** Where the output of running jobs is kept and published for live streaming (`JobService.follow`). */
    live?: LiveOutput;
    /** This node's id, recorded on each job it runs (restart recovery fails only its own jobs). */
    nodeId?: string;
    /**
     * Told about errors in a job's background work (a store or channel failure), for the server log: `output` while
     * writing the output so far (the next write carries it again), `outcome` while recording or announcing its end.
     */
    onBackgroundError?(err: unknown, jobId: number, what: 'output' | 'outcome'): void;
    /** Jobs counted and timed by command and outcome (src/core/metrics.ts). */
    metrics?: Metrics;
    /** What users hold (core/authz): the permission `command:<name>:run` also lets a user run a command. */
    authz?: { userGrants(u: User): Promise<PermissionCheck> };
    /** Webhooks (issue 16): told when a job ends (`job.finished`). */
    events?: EventSink;
    /** How often a running job's new output is written to the store (default `OUTPUT_SAVE_MS`; 0: only at its end). */
    outputSaveMs?: number;
    /** The first wait before storing a refused outcome again (default `OUTCOME_RETRY_MS`). */
    outcomeRetryMs?: number;
  }) {
    for (const c of deps.commands) { this.byName.set(c.name, c); this.byId.set(c.id, c); }
  }

  /** The definition by name or numeric id (a string of digits is tried as a name first, then as an id). */
  find(command: string | number): CommandDef | undefined {
    if (typeof command === 'number') return this.byId.get(command);
    return this.byName.get(command) ?? (/^\d{1,15}$/.test(command) ? this.byId.get(Number(command)) : undefined);
  }

  /**
   * Whether this user, as stored now, may run the command: admins, members of one of its groups, and holders of the
   * permission `command:<name>:run` (granted to them, their group or a role of theirs — so taking it away, like
   * leaving the group, stops their command-bound tokens at the next use).
   */
  mayRun(user: Runner, def: CommandDef): boolean {
    if (user.disabled) return false;
    if (user.role === 'admin') return true;
    return def.groups.some((g) => user.groups.includes(g)) || (user.grants?.has(commandPermission(def.name)) ?? false);
  }

  /** The commands the caller may run (admins: all), by name. */
  async list(principal: Principal | null): Promise<CommandView[]> {
    const user = await this.currentUser(principal);
    if (user instanceof Refusal) return fail(user.code, user.reason);
    return [...this.byName.values()].filter((d) => this.mayRun(user, d)).sort((a, b) => a.name.localeCompare(b.name)).map(view);
  }

  /** One command the caller may run; COMMAND_NOT_FOUND otherwise (a command you may not run is not shown). */
  async get(principal: Principal | null, command: string | number): Promise<CommandView> {
    const user = await this.currentUser(principal);
    if (user instanceof Refusal) return fail(user.code, user.reason);
    const def = this.find(command);
    if (!def || !this.mayRun(user, def)) return fail('COMMAND_NOT_FOUND', `no command '${command}'`);
    return view(def);
  }

  /**
   * Starts a run: returns the job at once (status `running`, or `rejected` with `refusal: 'record'`) and runs the
   * command in the background through the executor's pool. The outcome is stored and posted to the job's channel.
   */
  async start(input: StartInput, opts: StartOptions): Promise<Job> {
    const ctx = opts.ctx ?? { ...systemContext(), principal: input.principal };
    const def = this.find(input.command);
    const channel = input.channel ?? def?.channel ?? DEFAULT_CHANNEL;
    if (!this.deps.channels.has(channel)) fail('CHANNEL_NOT_FOUND', `no channel '${channel}'`);
    const args = [...input.args];
    const user = await this.currentUser(input.principal);
    const refusal = user instanceof Refusal ? user : this.check(input, def, user, args);
    const base = {
      command: def?.name ?? String(input.command), commandId: def?.id ?? null, args, channel, trigger: input.trigger,
      tokenId: input.tokenId ?? null, userId: input.principal?.user?.id ?? null, username: input.principal?.user?.username ?? null,
      startedAt: this.deps.clock.now(),
    };
    if (refusal) {
      // An unknown command is counted under one name: the label must not take whatever a caller sends.
      this.deps.metrics?.job(def?.name ?? '(unknown)', 'rejected', 0);
      const details = { command: base.command, channel, trigger: input.trigger, token_id: base.tokenId, code: refusal.code, reason: refusal.reason };
      if (opts.refusal === 'throw') {
        await this.deps.audit.record(ctx, 'job.refuse', { type: 'command', id: base.command }, details);
        throw new TesseraError(refusal.code, refusal.reason, refusal.code === 'JOB_QUEUE_FULL' ? { retryAfterS: 5 } : {});
      }
      const job = await this.deps.jobs.createJob({ ...base, status: 'rejected', reason: refusal.reason, endedAt: base.startedAt });
      await this.deps.audit.record(ctx, 'job.refuse', { type: 'job', id: job.id }, details);
      await this.deps.channels.post(channel, { text: outcomeText(job), job_id: job.id });
      return job;
    }
    const d = def!;
    const job = await this.deps.jobs.createJob({ ...base, status: 'running', reason: null, node: this.deps.nodeId ?? null });
    await this.deps.audit.record(ctx, 'job.start', { type: 'job', id: job.id }, { command: d.name, args, channel, trigger: input.trigger, token_id: base.tokenId });
    const live = this.deps.live;
    live?.begin(job.id); // from here on, until `finish`, the job's output is followed in memory
    const saver = this.outputSaver(job.id);
    const abort = new AbortController();
    const env = {
      ...input.env,
      TESSERA_JOB_ID: String(job.id), TESSERA_COMMAND: d.name, TESSERA_USER: job.username ?? '', TESSERA_CHANNEL: channel, TESSERA_TRIGGER: input.trigger,
      ...d.env,
    };
    const done = this.deps.executor
      .run({ argv: [...d.argv, ...args], cwd: d.cwd, env, timeoutMs: d.timeoutSeconds * 1000, outputCapBytes: d.outputCapBytes }, abort.signal,
        (chunk) => { live?.append(job.id, chunk); saver.append(chunk); })
      .catch((e: unknown): ExecResult => ({ status: 'failed', exitCode: null, output: '', truncated: false, error: (e as Error).message }))
      .then((r) => { saver.stop(); return this.finish(job, r); })
      .finally(() => this.running.delete(job.id));
    this.running.set(job.id, { abort, done });
    return job;
  }

  /** Resolves with the job when it has ended (at once if it is not running on this node). */
  async wait(id: number): Promise<Job | null> {
    const r = this.running.get(id);
    if (r) return r.done;
    return this.deps.jobs.getJob(id);
  }

  /** Shutdown: stops every running job (its process group is killed) and waits until each is recorded as failed. */
  async stopAll(): Promise<void> {
    this.stopping = true;
    this.shutdown.abort();
    const all = [...this.running.values()];
    for (const r of all) r.abort.abort();
    await Promise.allSettled(all.map((r) => r.done));
  }

  /**
   * Writes a running job's output to the store at most every `outputSaveMs`, when there is more, one write at a time
   * (each the whole output so far: a failed write loses nothing, the next one carries it). A write that arrives after
   * the job's end changes nothing (the store writes only a running job's output).
   */
  private outputSaver(id: number): { append(chunk: string): void; stop(): void } {
    const every = this.deps.outputSaveMs ?? OUTPUT_SAVE_MS;
    let text = '';
    let saved = 0;
    let writing = false;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const schedule = (): void => {
      if (timer !== undefined || writing || stopped || every === 0) return;
      timer = setTimeout(write, every);
      timer.unref();
    };
    const write = (): void => {
      timer = undefined;
      if (stopped || text.length === saved) return;
      writing = true;
      const now = text;
      this.deps.jobs.saveOutput(id, now).then(
        () => { saved = now.length; },
        (e: unknown) => this.deps.onBackgroundError?.(e, id, 'output'),
      ).finally(() => {
        writing = false;
        if (text.length !== saved) schedule();
      });
    };
    return {
      append: (chunk) => { text += chunk; schedule(); },
      stop: () => { stopped = true; clearTimeout(timer); },
    };
  }

  private async finish(job: Job, r: ExecResult): Promise<Job> {
    const reason = r.status === 'succeeded' ? null
      : r.error === 'aborted' && this.stopping ? 'server shutting down' : (r.error ?? null);
    const end = { status: r.status, exitCode: r.exitCode, output: r.output, truncated: r.truncated, reason, endedAt: this.deps.clock.now() };
    let ended: Job = { ...job, ...end };
    this.deps.metrics?.job(job.command, r.status, (end.endedAt - job.startedAt) / 1000);
    const got = await this.storeOutcome(job.id, end);
    const stored = got !== false;
    if (got) ended = got;
    this.deps.live?.end(ended); // after the store: a follower told `end` reads the outcome with GET
    if (stored && this.deps.events) {
      const j = ended;
      await this.deps.events.emit('job.finished', { job: {
        id: j.id, command: j.command, status: j.status, exit_code: j.exitCode, reason: j.reason, channel: j.channel, trigger: j.trigger,
        user: j.userId === null ? null : { id: j.userId, username: j.username }, token_id: j.tokenId,
        started_at: new Date(j.startedAt).toISOString(), ended_at: j.endedAt === null ? null : new Date(j.endedAt).toISOString(),
      } }).catch((e: unknown) => this.deps.onBackgroundError?.(e, job.id, 'outcome'));
    }
    if (stored) {
      try {
        await this.deps.channels.post(job.channel, { text: outcomeText(ended), job_id: job.id });
      } catch (e) {
        this.deps.onBackgroundError?.(e, job.id, 'outcome');
      }
    }
    return ended;
  }

  /**
   * Stores a job's outcome, trying again while the store refuses it (each refusal logged): the stored job, null when
   * the job was no longer running there (ended by another process), false when the server shut down first.
   */
  private async storeOutcome(id: number, end: JobEnd): Promise<Job | null | false> {
    for (let wait = this.deps.outcomeRetryMs ?? OUTCOME_RETRY_MS; ; wait = Math.min(wait * 2, OUTCOME_RETRY_MAX_MS)) {
      try {
        return await this.deps.jobs.finishJob(id, end);
      } catch (e) {
        this.deps.onBackgroundError?.(e, id, 'outcome');
      }
      if (this.stopping) return false;
      await pause(wait, this.shutdown.signal);
    }
  }

  private async currentUser(p: Principal | null): Promise<Runner | Refusal> {
    if (!p) return new Refusal('UNAUTHENTICATED', 'running a command needs a credential');
    if (!p.user) return new Refusal('FORBIDDEN', 'a service token cannot run commands: commands run as a user');
    const u = await this.deps.store.getUser(p.user.id);
    if (!u) return new Refusal('FORBIDDEN', `user '${p.user.username}' no longer exists`);
    const user = publicUser(u);
    return this.deps.authz && user.role !== 'admin' ? { ...user, grants: await this.deps.authz.userGrants(user) } : user;
  }

  private check(input: StartInput, def: CommandDef | undefined, user: Runner, args: string[]): Refusal | null {
    if (!def) return new Refusal('COMMAND_NOT_FOUND', `no command '${input.command}'`);
    if (!hasAccess(input.principal!.access, 'write')) {
      return new Refusal('INSUFFICIENT_ACCESS', `running a command needs access level 'write'; the credential has '${input.principal!.access}'`);
    }
    if (user.disabled) return new Refusal('FORBIDDEN', `user '${user.username}' is disabled`);
    if (!this.mayRun(user, def)) return new Refusal('FORBIDDEN', `user '${user.username}' may not run '${def.name}' (allowed groups: ${def.groups.join(', ') || 'none'}; or the permission ${commandPermission(def.name)})`);
    const a = this.deps.executor.checkArgs(def.args, args);
    if (!a.ok) return new Refusal('ARGS_REFUSED', a.reason);
    for (const [k, v] of Object.entries(input.env ?? {})) {
      if (!ENV_NAME.test(k) || ENV_RESERVED.test(k)) return new Refusal('ARGS_REFUSED', `environment variable '${k.slice(0, 64)}' may not be set`);
      if (typeof v !== 'string' || v.includes('\0') || v.length > ENV_VALUE_MAX) return new Refusal('ARGS_REFUSED', `environment variable '${k}' has a value that is not allowed`);
    }
    if (this.deps.executor.isFull()) return new Refusal('JOB_QUEUE_FULL', 'too many jobs are running or waiting; try again later');
    return null;
  }
}

const view = (d: CommandDef): CommandView => ({
  name: d.name, id: d.id, description: d.description ?? null, argv: d.argv, args: d.args, groups: d.groups,
  timeoutSeconds: d.timeoutSeconds, channel: d.channel ?? DEFAULT_CHANNEL,
});
