import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type as T } from 'typebox';
import { JOB_PAGE_MAX } from '../../../core/jobs/service.js';
import type { Job } from '../../../core/jobs/types.js';
import type { Services } from '../../../core/services.js';
import { errors, page } from '../../schemas.js';

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
const DateTime = T.String({ format: 'date-time' });

export const JobStatusSchema = T.Union([T.Literal('running'), T.Literal('succeeded'), T.Literal('failed'), T.Literal('rejected'), T.Literal('timed_out')]);

export const JobSchema = T.Object({
  id: T.Integer(),
  command: T.String(),
  command_id: T.Union([T.Integer(), T.Null()], { description: 'the command\'s configured id (Semaphore template_id)' }),
  args: T.Array(T.String(), { description: 'the extra arguments appended to the configured argv' }),
  user: T.Union([T.Object({ id: T.Integer(), username: T.Union([T.String(), T.Null()]) }), T.Null()]),
  token_id: T.Union([T.String(), T.Null()]),
  channel: T.String(),
  trigger: T.Union([T.Literal('api'), T.Literal('token'), T.Literal('chat'), T.Literal('task')]),
  status: JobStatusSchema,
  exit_code: T.Union([T.Integer(), T.Null()]),
  output: T.String({ description: 'stdout and stderr combined, up to the command\'s output cap' }),
  truncated: T.Boolean({ description: 'the output was longer than the cap and was cut' }),
  reason: T.Union([T.String(), T.Null()], { description: 'why it was rejected, timed out, or failed without an exit code' }),
  started_at: DateTime,
  ended_at: T.Union([DateTime, T.Null()]),
}, { $id: 'Job' });

export const jobOut = (j: Job) => ({
  id: j.id, command: j.command, command_id: j.commandId, args: j.args,
  user: j.userId === null ? null : { id: j.userId, username: j.username }, token_id: j.tokenId, channel: j.channel,
  trigger: j.trigger, status: j.status, exit_code: j.exitCode, output: j.output, truncated: j.truncated, reason: j.reason,
  started_at: iso(j.startedAt)!, ended_at: iso(j.endedAt),
});

const SECURITY: { [k: string]: string[] }[] = [{ bearer: [] }, { session: [] }];

export const jobRoutes = (s: Services): FastifyPluginAsyncTypebox => async (app) => {
  app.get('/api/v1/jobs', {
    config: { auth: 'required' },
    schema: {
      tags: ['jobs'], summary: 'Jobs, newest first (own; admins all, or one user\'s with `user`)', security: SECURITY,
      querystring: T.Object({
        status: T.Optional(JobStatusSchema),
        command: T.Optional(T.String({ minLength: 1, maxLength: 64 })),
        user: T.Optional(T.String({ minLength: 1, maxLength: 100, description: 'admins: a user id or username' })),
        limit: T.Optional(T.Integer({ minimum: 1, maximum: JOB_PAGE_MAX, default: 50 })),
        cursor: T.Optional(T.String({ maxLength: 512 })),
      }, { additionalProperties: false }),
      response: { 200: page(JobSchema), ...errors(400, 401, 403) },
    },
  }, async (req) => {
    const q = req.query;
    const r = await s.jobs.list(req.ctx, { status: q.status, command: q.command, user: q.user, limit: q.limit, cursor: q.cursor });
    return { items: r.items.map(jobOut), next_cursor: r.nextCursor };
  });

  app.get('/api/v1/jobs/:id', {
    config: { auth: 'required' },
    schema: {
      tags: ['jobs'], summary: 'One job (own; admins any)', security: SECURITY,
      params: T.Object({ id: T.Integer({ minimum: 1 }) }, { additionalProperties: false }),
      response: { 200: JobSchema, ...errors(400, 401, 404) },
    },
  }, async (req) => jobOut(await s.jobs.get(req.ctx, req.params.id)));
};
