/** Reading jobs (own jobs; admins all) and the start-up recovery of jobs a previous process left `running`. */
import { type RequestContext, isAdmin, requireAccess } from '../auth/principal.js';
import { fail } from '../errors.js';
import type { Clock, JobStore, Store } from '../ports.js';
import type { Page } from '../types.js';
import type { Job, JobStatus } from './types.js';

export const JOB_PAGE_MAX = 200;
export const RESTART_REASON = 'server restarted';

export interface ListJobsInput {
  status?: JobStatus;
  command?: string;
  /** Admins only: a user id or a username. Others always see their own jobs. */
  user?: string | number;
  limit?: number;
  cursor?: string;
}

export class JobService {
  constructor(private readonly store: Store, private readonly jobs: JobStore, private readonly clock: Clock) {}

  async list(ctx: RequestContext, q: ListJobsInput): Promise<Page<Job>> {
    const p = requireAccess(ctx.principal, 'read');
    const limit = q.limit ?? 50;
    if (!Number.isInteger(limit) || limit < 1 || limit > JOB_PAGE_MAX) fail('VALIDATION_ERROR', `limit: must be 1..${JOB_PAGE_MAX}`);
    let userId: number | undefined;
    if (isAdmin(p)) {
      if (q.user !== undefined) {
        const u = typeof q.user === 'number' || /^\d+$/.test(q.user) ? await this.store.getUser(Number(q.user)) : await this.store.getUserByLogin(q.user);
        if (!u) return { items: [], nextCursor: null };
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

  /** One job: the caller's own, or any for admins; NOT_FOUND otherwise. */
  async get(ctx: RequestContext, id: number): Promise<Job> {
    const p = requireAccess(ctx.principal, 'read');
    const job = Number.isSafeInteger(id) ? await this.jobs.getJob(id) : null;
    if (!job || (!isAdmin(p) && (p.user === null || job.userId !== p.user.id))) return fail('NOT_FOUND', `no job ${id}`);
    return job;
  }

  /** At start: jobs still `running` belong to a process that is gone; mark them failed. Returns how many. */
  recover(): Promise<number> {
    return this.jobs.failRunningJobs(RESTART_REASON, this.clock.now());
  }
}
