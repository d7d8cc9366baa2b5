/**
 * Jobs: pages, one job, and a job's output live as Server-Sent Events (`GET /api/v1/jobs/{id}/stream`):
 * `event: output` with `data: {"text": "<piece>"}` and `id: <characters of output sent so far>`, then `event: end` with
 * the ended job, and the server closes the stream. A client connecting mid-run first gets what was printed so far; a
 * finished job gives its output and `end` at once; a client reconnecting with `Last-Event-ID: <n>` gets the output
 * from character n on.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type as T } from 'typebox';
import { JOB_PAGE_MAX } from '../../../core/jobs/service.js';
import type { Job } from '../../../core/job-types.js';
import type { Services } from '../../../core/services.js';
import { errors, page, RowId, streamed } from '../../schemas.js';
import { type EventStream, eventStreams } from '../../sse.js';

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
  node: T.Union([T.String(), T.Null()], { description: 'the server node that ran it (config `node_id`); null when it never ran' }),
}, { $id: 'Job' });

export const jobOut = (j: Job) => ({
  id: j.id, command: j.command, command_id: j.commandId, args: j.args,
  user: j.userId === null ? null : { id: j.userId, username: j.username }, token_id: j.tokenId, channel: j.channel,
  trigger: j.trigger, status: j.status, exit_code: j.exitCode, output: j.output, truncated: j.truncated, reason: j.reason,
  started_at: iso(j.startedAt)!, ended_at: iso(j.endedAt), node: j.node,
});


const SECURITY: { [k: string]: string[] }[] = [{ bearer: [] }, { session: [] }];

export const jobRoutes = (s: Services): FastifyPluginAsyncTypebox => async (app) => {
  const openStream = eventStreams(app, s);

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
      params: T.Object({ id: RowId() }, { additionalProperties: false }),
      response: { 200: JobSchema, ...errors(400, 401, 404) },
    },
  }, async (req) => jobOut(await s.jobs.get(req.ctx, req.params.id)));

  app.get('/api/v1/jobs/:id/stream', {
    config: { auth: 'required' },
    schema: {
      tags: ['jobs'], summary: 'A job\'s output live as Server-Sent Events (event: output, then event: end with the job); own job, admins any', security: SECURITY,
      params: T.Object({ id: RowId() }, { additionalProperties: false }),
      headers: T.Object({ 'last-event-id': T.Optional(T.String({ pattern: '^\\d{1,15}$', description: 'resume: the output from this character on' })) }),
      response: { 200: streamed('text/event-stream', 'the job\'s output and its end'), ...errors(400, 401, 404) },
    },
  }, async (req, reply) => {
    const header = req.headers['last-event-id'];
    let pos = typeof header === 'string' ? Number(header) : 0;
    // Events that come before the stream is open (the output so far, or the end of a finished job) wait in `held`.
    let stream: EventStream | null = null;
    const held: [string, unknown, number?][] = [];
    const emit = (event: string, data: unknown, id?: number): void => { if (stream) stream.send(event, data, id); else held.push([event, data, id]); };
    let ended = false;
    const stop = await s.jobs.follow(req.ctx, req.params.id, { // permission and NOT_FOUND are thrown here, before any byte
      output: (chunk) => { pos += chunk.length; emit('output', { text: chunk }, pos); },
      end: (job) => { emit('end', jobOut(job)); ended = true; stream?.end(); },
    }, pos);
    const id = req.params.id;
    stream = openStream(req, reply, stop, (ctx) => s.jobs.get(ctx, id));
    for (const [event, data, id] of held.splice(0)) stream.send(event, data, id);
    if (ended) stream.end();
  });
};
