import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type as T } from 'typebox';
import type { Services } from '../../../core/services.js';
import { AccessSchema, errors } from '../../schemas.js';
import { optionalBody } from '../../input.js';

export const jwtRoutes = (s: Services): FastifyPluginAsyncTypebox => async (app) => {
  app.post('/api/v1/auth/jwt', {
    config: { auth: 'required' },
    preValidation: optionalBody,
    schema: {
      tags: ['auth'], summary: 'Exchange the caller\'s credential for a short-lived JWT (ES256)',
      description: 'Check it offline against /.well-known/jwks.json, or present it to Tessera like any token. Revoking the parent token, ending the parent session or disabling the user stops it at once on this server.',
      security: [{ bearer: [] }, { session: [] }],
      body: T.Optional(T.Object({
        ttl_seconds: T.Optional(T.Integer({ minimum: 1, description: 'lifetime; default and maximum are configured (jwt.ttl_seconds, jwt.max_ttl_seconds)' })),
        access: T.Optional({ ...AccessSchema, description: 'the access level of the JWT; at most the caller\'s own (a higher one is lowered to it)' }),
        permissions: T.Optional(T.Array(T.String({ maxLength: 128 }), { maxItems: 100, description: 'down-scoping: the JWT carries only these (each must be granted by the caller) as its `scope` claim' })),
      }, { additionalProperties: false })),
      response: {
        200: T.Object({ token: T.String(), token_type: T.Literal('Bearer'), access: AccessSchema, expires_at: T.String({ format: 'date-time' }),
          scope: T.Union([T.String(), T.Null()], { description: 'the JWT\'s `scope` claim: its permissions, space-separated' }) }),
        ...errors(400, 401, 403),
      },
    },
  }, async (req) => {
    const r = await s.jwt.issue(req.ctx, req.body?.ttl_seconds, req.body?.access, req.body?.permissions);
    return { token: r.jwt, token_type: 'Bearer' as const, access: r.access, expires_at: new Date(r.expiresAt).toISOString(), scope: r.scope };
  });

  app.post('/api/v1/auth/jwt/keys/rotate', {
    config: { auth: 'required' },
    schema: {
      tags: ['auth'], summary: 'Rotate the JWT signing key (admin)',
      description: 'A new key signs from now on (on every node within 10 s when nodes share PostgreSQL). The previous key stays published in /.well-known/jwks.json, and JWTs it signed stay valid, until they have expired. Answers key ids only, never key material.',
      security: [{ bearer: [] }, { session: [] }],
      response: {
        200: T.Object({
          kid: T.String({ description: 'id of the new signing key' }),
          published_kids: T.Array(T.String(), { description: 'ids of every key now in the JWKS, the new one first' }),
        }),
        ...errors(401, 403),
      },
    },
  }, async (req) => {
    const r = await s.jwt.rotateKey(req.ctx);
    return { kid: r.kid, published_kids: r.publishedKids };
  });

  app.get('/.well-known/jwks.json', {
    schema: {
      tags: ['auth'], summary: 'Public keys of Tessera\'s JWTs (JWKS)',
      response: { 200: T.Object({ keys: T.Array(T.Object({}, { additionalProperties: true })) }), ...errors(403) }, // 403: HOST_NOT_ALLOWED
    },
  }, async (_req, reply) => {
    reply.header('cache-control', 'public, max-age=300');
    return s.jwt.jwks();
  });
};
