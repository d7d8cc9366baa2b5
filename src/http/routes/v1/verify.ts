/**
 * POST /api/v1/verify and /api/v1/auth/forward as fastify routes: their schemas (OpenAPI; fastify still parses the
 * body and validates forward-auth's query), then the endpoint (endpoints/) answers, the same function the hot lane
 * calls. The verify body is validated by the endpoint, after it authenticates the caller, as every route does.
 */
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type as T } from 'typebox';
import type { Access } from '../../../core/access.js';
import { parseQuery, type PermissionQuery } from '../../../core/authz/query.js';
import { fromFastify } from '../../auth.js';
import { sendError } from '../../errors.js';
import { FORWARD_METHODS, type ForwardEndpoint } from '../../endpoints/forward.js';
import type { ForwardProfiles } from '../../endpoints/forward-profile.js';
import type { EndpointAnswer } from '../../endpoints/request.js';
import { VerifyAnswer, VerifyBody, type VerifyEndpoint } from '../../endpoints/verify.js';
import { AccessSchema, errors } from '../../schemas.js';

const send = (reply: FastifyReply, a: EndpointAnswer): FastifyReply => reply.code(a.status).headers(a.headers).send(a.body ?? null);

/** The endpoint validates the body itself (after authenticating the caller); the schema stays for OpenAPI. */
const NO_BODY_VALIDATION = (): (() => boolean) => () => true;

export const verifyRoutes = (verify: VerifyEndpoint, forward: ForwardEndpoint, profiles: ForwardProfiles): FastifyPluginAsyncTypebox => async (app) => {
  const policy = verify.policy;
  app.post('/api/v1/verify', {
    config: { auth: 'endpoint', needsCaller: verify.rule !== null },
    validatorCompiler: NO_BODY_VALIDATION,
    schema: {
      tags: ['verify'], summary: 'Check a token. Always 200: `valid` and `code` say what was found',
      description: `Who may call it is set by \`verify_policy\` (now: ${policy}).`,
      security: (policy === 'public' ? [] : [{ bearer: [] }, { session: [] }]) as { [k: string]: string[] }[],
      body: VerifyBody,
      response: { 200: VerifyAnswer, ...errors(400, 401, 403) },
    },
  }, async (req, reply) => send(reply, await verify.answer(fromFastify(req))));

  app.route({
    method: FORWARD_METHODS,
    url: '/api/v1/auth/forward',
    schema: {
      tags: ['verify'], summary: 'Forward-auth: 204 with X-Tessera-* headers (and RateLimit-* for a limited token), 401, 403, or 429 with Retry-After',
      security: [{ bearer: [] }, { session: [] }],
      querystring: T.Object({
        access: T.Optional(AccessSchema),
        permission: T.Optional(T.Union([T.String({ maxLength: 128 }), T.Array(T.String({ maxLength: 128 }), { maxItems: 50 })], {
          description: 'a permission the credential must grant; repeat it to require several (all of them)',
        })),
      }, { additionalProperties: true }),
      response: { 204: T.Null(), ...errors(400, 401, 403, 429) },
    },
    handler: async (req, reply) => {
      const q = req.query as { access?: Access; permission?: string | string[] };
      let query: PermissionQuery | undefined;
      try {
        query = q.permission === undefined ? undefined : parseQuery(Array.isArray(q.permission) ? q.permission : [q.permission], 'permission');
      } catch (e) {
        return sendError(req, reply, e);
      }
      return send(reply, await forward.answer(fromFastify(req), q.access, query));
    },
  });

  app.route({
    method: FORWARD_METHODS,
    url: '/api/v1/auth/forward/:profile',
    schema: {
      tags: ['verify'],
      summary: 'Forward-auth through a configured profile (forward_auth.profiles): the credential sources it reads, the access it needs, its status mode',
      description: 'Headers always present (empty when not applicable): X-Tessera-User, X-Tessera-User-Id, X-Tessera-Token-Id, X-Tessera-Access, '
        + 'X-Tessera-Error (the error code of a refusal). RateLimit-* and Retry-After for a token with limits. Mode `nginx`: every refusal is 401 or 403 '
        + '(429 → 403, 400 → 401); see docs/proxies/README.md.',
      security: [{ bearer: [] }, { session: [] }, { basic: [] }], // those the profile reads (forward_auth.profiles.<name>.sources)
      // Any name: one that is not a configured profile is 404 (as documented), never a 400 a proxy would turn into 500.
      params: T.Object({ profile: T.String({ minLength: 1, maxLength: 1024 }) }),
      response: { 204: T.Null(), ...errors(400, 401, 403, 404, 429) },
    },
    handler: async (req, reply) => send(reply, await profiles.answer(fromFastify(req), (req.params as { profile: string }).profile)),
  });
};
