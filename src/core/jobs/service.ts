/**
 * Reading jobs (own jobs; admins all), following a job's output live, and the start-up recovery of jobs a previous
 * process of this node left `running`.
 */
import { type RequestContext, isAdmin, requireAccess } from '../principal.js';
import { fail, invalid, USER_UNKNOWN } from '../errors.js';
import type { Clock, JobStore, Store } from '../ports.js';
import type { Page } from '../types.js';
import type { LiveOutput, OutputFollower, SiblingOutput } from './live.js';
import type { Job, JobStatus } from '../job-types.js';

export const JOB_PAGE_MAX = 200;
export const RESTART_REASON = 'server restarted';
/**
 * How often a follower of a job running on another node reads it again: its output so far (written by the node that
 * runs it every `OUTPUT_SAVE_MS`, commands/service.ts) and its end. From another worker of this node the output arrives
 * live, and the reads only make sure of the end.
 */
export const REMOTE_POLL_MS = 1_000;

export interface ListJobsInput {
  status?: JobStatus;
  command?: string;
  /** Admins only: a user id or a username. Others always see their own jobs. */
  user?: string | number;
  limit?: number;
  cursor?: string;
}

export class JobService {
  constructor(
    private readonly store: Store, private readonly jobs: JobStore, private readonly clock: Clock,
    private readonly opts: { live?: LiveOutput; siblings?: SiblingOutput; nodeId?: string; remotePollMs?: number; recoverWorkers?: boolean } = {},
  ) {}

  async list(ctx: RequestContext, q: ListJobsInput): Promise<Page<Job>> {
    const p = requireAccess(ctx.principal, 'read');
    const limit = q.limit ?? 50;
    if (!Number.isInteger(limit) || limit < 1 || limit > JOB_PAGE_MAX) invalid('limit', `limit: must be 1..${JOB_PAGE_MAX}`);
    let userId: number | undefined;
    if (isAdmin(p)) {
      if (q.user !== undefined) {
        const u = typeof q.user === 'number' || /^\d+$/.test(q.user) ? await this.store.getUser(Number(q.user)) : await this.store.getUserByLogin(q.user);
        // As the token listing's `owner`: a name that is no user is a mistake to report, not an empty page.
        if (!u) return invalid('user', USER_UNKNOWN);
        userId = u.id;
      }
    } else {
      if (!p.user) return fail('FORBIDDEN', 'a service token has no jobs');
      if (q.user !== undefined && String(q.user) !== String(p.user.id) && String(q.user).toLowerCase() !== p.user.username.toLowerCase()) {
        fail('FORBIDDEN', 'only admins may list other users\' jobs');
      }
      userId = p.user.id;
    }
    return this.jobs.listJobs({ status: q.status, command: q.command, userId, limit, cursor: q.cursor });
  }

  /**
   * One job: the caller's own, or any for admins; NOT_FOUND otherwise. A running job shows the output printed so far:
   * all of it when it runs in this process, else what its node last wrote to the store (at most `OUTPUT_SAVE_MS` old).
   */
  async get(ctx: RequestContext, id: number): Promise<Job> {
    const p = requireAccess(ctx.principal, 'read');
    const job = Number.isSafeInteger(id) ? await this.jobs.getJob(id) : null;
    if (!job || (!isAdmin(p) && (p.user === null || job.userId !== p.user.id))) return fail('NOT_FOUND', `no job ${id}`);
    const sofar = job.status === 'running' ? this.opts.live?.text(id) : null;
    return sofar ? { ...job, output: sofar } : job;
  }

  /**
   * Follows a job's output (same permission as `get`). The follower gets the output from character `from` on (0: all
   * of it): for a job running in this process, what was printed so far and then each piece as it is printed; for a job
   * that has ended, its stored output at once; for a job running in another worker of this node (`siblings`), the
   * same as here, passed on by that worker; for a job running on another node, the output that node wrote to the store
   * (read again every `remotePollMs`: it arrives in pieces up to `OUTPUT_SAVE_MS` + `remotePollMs` late). Then `end`
   * with the ended job, once. Returns a function that stops following.
   */
  async follow(ctx: RequestContext, id: number, f: OutputFollower, from = 0): Promise<() => void> {
    let job = await this.get(ctx, id);
    // Every source (this process, a sibling worker, the store) offers the same output from its beginning, or a
    // beginning of it: `offer` passes on only what lies beyond what was passed on already, and from `from` on.
    let pos = 0;
    const offer = (start: number, text: string): void => {
      const end = start + text.length;
      if (end <= pos || start > pos) return;
      const piece = text.slice(pos - start);
      const at = pos;
      pos = end;
      if (pos > from) f.output(at >= from ? piece : piece.slice(from - at));
    };
    let ended = false;
    const finished = (j: Job): void => {
      if (ended) return;
      ended = true;
      offer(0, j.output);
      f.end(j);
    };
    if (job.status === 'running') {
      let mine = 0;
      const sub = this.opts.live?.follow(id, { output: (chunk) => { offer(mine, chunk); mine += chunk.length; }, end: (j) => f.end(j) });
      if (sub) {
        offer(0, sub.sofar);
        mine = sub.sofar.length;
        return sub.stop;
      }
      // Not running here: it ended since we read it, or it runs on another node or worker.
      job = (await this.jobs.getJob(id)) ?? job;
    }
    if (job.status !== 'running') {
      finished(job);
      return () => undefined;
    }
    offer(0, job.output);
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    // Another worker of this node may run it: its pieces as they come. The store is read all the same, for the output
    // and the end of a job no sibling runs (another node's) or whose worker died.
    let relayed = 0;
    const unfollow = this.opts.siblings?.follow(id, {
      output: (chunk) => { if (!ended) offer(relayed, chunk); relayed += chunk.length; },
      end: (j) => { stop(); finished(j); },
    });
    const stop = (): void => { stopped = true; clearTimeout(timer); unfollow?.(); };
    const poll = (): void => {
      timer = setTimeout(() => {
        this.jobs.getJob(id).then((j) => {
          if (stopped) return;
          if (j && j.status !== 'running') { stop(); finished(j); } else { if (j) offer(0, j.output); poll(); }
        }, () => { if (!stopped) poll(); }); // the store is briefly unreachable: try again
      }, this.opts.remotePollMs ?? REMOTE_POLL_MS);
    };
    poll();
    return stop;
  }

  /**
   * At start: this node's jobs still `running` belong to a process that is gone; mark them failed. Jobs of other nodes
   * (several nodes on one PostgreSQL database) are left alone; jobs that record no node are recovered too, and with
   * `recoverWorkers` (a process that starts before any worker of this node runs: the single process, or the primary of
   * `serve --workers N`) the jobs of this node's workers from an earlier run. Returns how many.
   */
  recover(): Promise<number> {
    return this.jobs.failRunningJobs(RESTART_REASON, this.clock.now(), this.opts.nodeId, this.opts.recoverWorkers === true);
  }
}
