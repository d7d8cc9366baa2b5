/**
 * Semaphore's task launch (seed 002 §"launching a task"): `POST /api/project/{project_id}/tasks {"template_id": N}`
 * runs the configured command whose `id` is N as the caller (trigger `task`), and `GET /api/project/1/tasks/{id}`
 * shows it. Tessera has one project, 1; any other number is 404 (Semaphore's answer to a project you are not in),
 * a non-number 400 `{"error":"Invalid project ID"}`. Translation only: permissions and running are CommandService's.
 */
import type { FastifyReply } from 'fastify';
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type as T } from 'typebox';
import { TesseraError } from '../../../core/errors.js';
import { RowId } from '../../schemas.js';
import type { Job } from '../../../core/job-types.js';
import type { Services } from '../../../core/services.js';

const rfc3339 = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z'));

/** Semaphore's task status words. */
const STATUS: Record<Job['status'], string> = { running: 'running', succeeded: 'success', failed: 'error', timed_out: 'error', rejected: 'error' };

const Task = T.Object({
  id: T.Integer(),
  template_id: T.Integer(),
  project_id: T.Integer(),
  status: T.String({ description: 'waiting, running, success or error' }),
  user_id: T.Union([T.Integer(), T.Null()]),
  created: T.String({ format: 'date-time' }),
  start: T.Union([T.String({ format: 'date-time' }), T.Null()]),
  end: T.Union([T.String({ format: 'date-time' }), T.Null()]),
  message: T.String(),
});

const taskOut = (j: Job) => ({
  id: j.id, template_id: j.commandId ?? 0, project_id: 1, status: STATUS[j.status], user_id: j.userId,
  created: rfc3339(j.startedAt)!, start: rfc3339(j.startedAt), end: rfc3339(j.endedAt), message: j.reason ?? '',
});

const TAGS = ['compat: semaphore'];
const SECURITY: { [k: string]: string[] }[] = [{ bearer: [] }, { session: [] }];
const Empty = T.Unknown({ description: 'empty body' });
const ERR = { 400: T.Object({ error: T.String() }), 401: Empty, 403: Empty, 404: Empty };

/** `false` (after answering) unless the path's project is Tessera's one project. */
const project = (raw: string, reply: FastifyReply): boolean => {
  if (!/^\d{1,15}$/.test(raw)) { reply.code(400).send({ error: 'Invalid project ID' }); return false; }
  if (Number(raw) !== 1) { reply.code(404).send(); return false; }
  return true;
};

export const semaphoreTaskRoutes = (app: FastifyInstance, s: Services): void => {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.post('/api/project/:project_id/tasks', {
    config: { auth: 'required' },
    schema: {
      tags: TAGS, summary: 'Launch a task: run the command whose id is template_id, as the caller; 201 with the task', security: SECURITY,
      params: T.Object({ project_id: T.String({ maxLength: 32 }) }),
      body: T.Object({ template_id: RowId() }, { additionalProperties: true, description: 'Semaphore\'s other task fields are accepted and ignored' }),
      response: { 201: Task, ...ERR, 503: T.Object({ error: T.String() }) },
    },
  }, async (req, reply) => {
    if (!project(req.params.project_id, reply)) return reply;
    try {
      const job = await s.commands.start({
        principal: req.ctx.principal, command: req.body.template_id, args: [], trigger: 'task',
        ...(req.ctx.principal?.type === 'token' ? { tokenId: req.ctx.principal.token.id } : {}),
      }, { refusal: 'throw', ctx: req.ctx });
      return reply.code(201).send(taskOut(job));
    } catch (e) {
      if (e instanceof TesseraError && e.code === 'COMMAND_NOT_FOUND') return reply.code(404).send();
      if (e instanceof TesseraError && e.code === 'JOB_QUEUE_FULL') return reply.code(503).header('retry-after', '5').send({ error: e.message });
      throw e;
    }
  });

  r.get('/api/project/:project_id/tasks/:id', {
    config: { auth: 'required' },
    schema: {
      tags: TAGS, summary: 'One task (your own; admins any)', security: SECURITY,
      params: T.Object({ project_id: T.String({ maxLength: 32 }), id: RowId() }),
      response: { 200: Task, ...ERR },
    },
  }, async (req, reply) => {
    if (!project(req.params.project_id, reply)) return reply;
    return taskOut(await s.jobs.get(req.ctx, req.params.id));
  });

  r.get('/api/project/:project_id/tasks/:id/output', {
    config: { auth: 'required' },
    schema: {
      tags: TAGS, summary: 'A task\'s output, one entry per line', security: SECURITY,
      params: T.Object({ project_id: T.String({ maxLength: 32 }), id: RowId() }),
      response: { 200: T.Array(T.Object({ task_id: T.Integer(), time: T.String({ format: 'date-time' }), output: T.String() })), ...ERR },
    },
  }, async (req, reply) => {
    if (!project(req.params.project_id, reply)) return reply;
    const j = await s.jobs.get(req.ctx, req.params.id);
    const time = rfc3339(j.endedAt ?? j.startedAt)!;
    return j.output.split('\n').filter((l, i, all) => l !== '' || i < all.length - 1).map((output) => ({ task_id: j.id, time, output }));
  });
};
