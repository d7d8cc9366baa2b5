/**
 * `POST /message` (Meeseeks, seed 000): a command-bound token starts its command, e.g.
 *   curl -X POST -H "TOKEN: <token>" localhost:9696/message
 *   curl -F 'message=arg1+arg2' -X POST -H "TOKEN: <token>" localhost:9696/message
 * Any method is accepted, as Meeseeks does. The token comes from the `TOKEN` header (or `Authorization: Bearer`, which
 * Alertmanager's `http_config.authorization` sends). `message` is read from a urlencoded or multipart form, a JSON
 * `{"message": ...}`, or the query string (as Go's FormValue). A JSON body with an `alerts` list is an Alertmanager
 * notification. Answers 202: with an empty body when the token is a UUID (Meeseeks's own tokens and the default
 * format of bound tokens: what a Meeseeks client gets), `{"job_id"}` otherwise (`message.accepted_body` changes
 * this); errors use the native envelope (docs/errors.md).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type as T } from 'typebox';
import { looksLikeAlertmanager } from '../../../core/chat/alertmanager.js';
import type { MessageInput } from '../../../core/chat/message.js';
import { fail, invalid } from '../../../core/errors.js';
import { isUuid } from '../../../core/tokens/format.js';
import type { Services } from '../../../core/services.js';
import { registerMultipart } from '../forms.js';
import { errors } from '../../schemas.js';
import { bearerToken } from '../../credentials.js';

/** The token: the TOKEN header, or a Bearer token; both given and different → AMBIGUOUS_CREDENTIALS. */
const tokenOf = (req: FastifyRequest): string | undefined => {
  const header = typeof req.headers.token === 'string' ? req.headers.token.trim() : undefined;
  const auth = typeof req.headers.authorization === 'string' ? bearerToken(req.headers.authorization) ?? undefined : undefined;
  if (header && auth && header !== auth) fail('AMBIGUOUS_CREDENTIALS', 'the TOKEN and Authorization headers carry different tokens; send one');
  return header || auth;
};

const lastString = (v: unknown): string | undefined => {
  const last = Array.isArray(v) ? v[v.length - 1] : v;
  return typeof last === 'string' ? last : undefined;
};

/** What the body (and query) hold besides the token. */
const payloadOf = (req: FastifyRequest): Pick<MessageInput, 'message' | 'alert'> => {
  const body = req.body;
  const query = req.query as Record<string, unknown>;
  const fromQuery = lastString(query.message);
  if (body === undefined || body === null || body === '') return fromQuery === undefined ? {} : { message: fromQuery };
  if (typeof body !== 'object' || Array.isArray(body)) return fail('VALIDATION_ERROR', 'body: send a form with a message field, or an Alertmanager notification (JSON)');
  if (looksLikeAlertmanager(body)) return { alert: body };
  const b = body as Record<string, unknown>;
  if (Object.hasOwn(b, 'message')) {
    const m = lastString(b.message);
    if (m === undefined) return invalid('message', 'message must be a string');
    return { message: m };
  }
  return fromQuery === undefined ? {} : { message: fromQuery };
};

/** `refusalStatus` (config `message.refusal_status`): 202 as seed 000 does, or 403 FORBIDDEN with the reason when the run is refused. */
/** `message.accepted_body`: auto (empty for a UUID token, as Meeseeks; `{"job_id"}` otherwise), empty, or job_id. */
export type AcceptedBody = 'auto' | 'empty' | 'job_id';

export const messageRoutes = (s: Services, refusalStatus: 202 | 403 = 202, acceptedBody: AcceptedBody = 'auto'): FastifyPluginAsyncTypebox => async (app) => {
  registerMultipart(app);
  // Meeseeks reads only form values (Go's FormValue): a body of any other type is ignored, not refused — the
  // message may still come in the query string.
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, _body, done) => done(null, undefined));
  app.route({
    method: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
    url: '/message',
    config: { auth: 'none' },
    schema: {
      tags: ['compat: meeseeks'],
      summary: 'Run the command a command-bound token is bound to (Meeseeks POST /message, any method)',
      description: 'Header `TOKEN: <token>` (or `Authorization: Bearer`). Optional `message` (form field, JSON field or query) is split '
        + 'like a shell line and appended to the token\'s arguments if the command allows extra arguments. A JSON Alertmanager '
        + 'notification (version 4) gives the command ALERT_* environment variables (docs/chat.md). 202 with the job id, or with an '
        + 'empty body when the token is a UUID (as Meeseeks answers; setting `message.accepted_body`); '
        + 'a refusal at run time (permission, arguments) is a `rejected` job posted to the token\'s channel (and, with `message.refusal_status: 403`, a 403 FORBIDDEN).',
      consumes: ['application/x-www-form-urlencoded', 'multipart/form-data', 'application/json'],
      security: [{ tokenHeader: [] }, { bearer: [] }],
      response: { 202: T.Union([T.Object({ job_id: T.Integer() }), T.Null()], { description: '{"job_id"}, or an empty body (a UUID token, as Meeseeks)' }), ...errors(400, 401, 403, 404, 415) },
    },
    handler: async (req, reply) => {
      const token = tokenOf(req);
      const r = await s.messages.trigger(req.ctx, { token, ...(token ? payloadOf(req) : {}) });
      // The refusal is already posted to the token's channel; with refusal_status 403 the caller learns it too.
      if (r.refused !== undefined && refusalStatus === 403) return fail('FORBIDDEN', `job ${r.jobId} refused: ${r.refused}`);
      // Meeseeks answers an accepted request with an empty 202: a client holding a Meeseeks-shaped (UUID) token gets that.
      const empty = acceptedBody === 'empty' || (acceptedBody === 'auto' && token !== undefined && isUuid(token));
      return empty ? reply.code(202).send(undefined as never) : reply.code(202).send({ job_id: r.jobId });
    },
  });
};
