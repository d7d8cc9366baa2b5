import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type as T } from 'typebox';
import type { CommandView } from '../../../core/commands/service.js';
import type { Services } from '../../../core/services.js';
import { errors } from '../../schemas.js';
import { JobSchema, jobOut } from './jobs.js';
import { optionalBody } from '../../input.js';

export const CommandSchema = T.Object({
  name: T.String(),
  id: T.Integer({ description: 'Semaphore template_id' }),
  description: T.Union([T.String(), T.Null()]),
  argv: T.Array(T.String()),
  args: T.Union([T.Literal('none'), T.Literal('any'), T.Object({ pattern: T.String() })], { description: 'what callers may append' }),
  groups: T.Array(T.String()),
  timeout: T.Integer({ description: 'seconds' }),
  channel: T.String({ description: 'where outcomes go by default' }),
}, { $id: 'Command' });

const commandOut = (c: CommandView) => ({
  name: c.name, id: c.id, description: c.description, argv: [...c.argv], args: c.args, groups: [...c.groups], timeout: c.timeoutSeconds, channel: c.channel,
});

const SECURITY: { [k: string]: string[] }[] = [{ bearer: [] }, { session: [] }];

export const commandRoutes = (s: Services): FastifyPluginAsyncTypebox => async (app) => {
  app.get('/api/v1/commands', {
    config: { auth: 'required' },
    schema: {
      tags: ['commands'], summary: 'The commands the caller may run (admins: all)', security: SECURITY,
      response: { 200: T.Object({ items: T.Array(CommandSchema) }), ...errors(401, 403) },
    },
  }, async (req) => ({ items: (await s.commands.list(req.ctx.principal)).map(commandOut) }));

  app.post('/api/v1/commands/:name/run', {
    config: { auth: 'required' },
    preValidation: optionalBody,
    schema: {
      tags: ['commands'], summary: 'Run a command as the caller; 202 with the job (its outcome is posted to the channel)', security: SECURITY,
      params: T.Object({ name: T.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false }),
      body: T.Optional(T.Object({
        args: T.Optional(T.Array(T.String({ maxLength: 4096 }), { maxItems: 100, description: 'appended to the configured argv as separate arguments (never through a shell)' })),
        channel: T.Optional(T.String({ minLength: 1, maxLength: 64 })),
      }, { additionalProperties: false })),
      response: { 202: JobSchema, ...errors(400, 401, 403, 404, 503) },
    },
  }, async (req, reply) => {
    const job = await s.commands.start({
      principal: req.ctx.principal, command: req.params.name, args: req.body?.args ?? [], channel: req.body?.channel, trigger: 'api',
      ...(req.ctx.principal?.type === 'token' ? { tokenId: req.ctx.principal.token.id } : {}),
    }, { refusal: 'throw', ctx: req.ctx });
    return reply.code(202).send(jobOut(job));
  });
};
