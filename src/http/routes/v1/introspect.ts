/**
 * POST /api/v1/introspect: RFC 7662 token introspection. The caller (a protected resource) authenticates with a
 * service token or a token with `full` access (core/auth/introspect.ts), as a Bearer token, any credential header, or
 * HTTP Basic with the token as password (RFC 6749 §2.3.1 client authentication; the user name is ignored). The body
 * is a form (`token`, optional `token_type_hint`, which is only a hint: both kinds are looked up).
 */
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type as T } from 'typebox';
import { Introspector, requireIntrospector } from '../../../core/auth/introspect.js';
import { fail } from '../../../core/errors.js';
import type { Services } from '../../../core/services.js';
import { authenticateCaller, fromFastify } from '../../auth.js';
import { errors } from '../../schemas.js';
import { NO_METRICS } from '../../../core/metrics.js';

const BASIC = /^\s*basic\s+([A-Za-z0-9+/=]+)\s*$/i;

/** The password of an HTTP Basic `Authorization` header (URL-decoded, RFC 6749 §2.3.1), or null for another scheme. */
const basicPassword = (authorization: string | undefined): string | null => {
  if (authorization === undefined || !/^\s*basic\b/i.test(authorization)) return null;
  const m = BASIC.exec(authorization);
  const raw = m ? Buffer.from(m[1]!, 'base64').toString('utf8') : '';
  const colon = raw.indexOf(':');
  if (colon < 0) return fail('UNAUTHENTICATED', 'HTTP Basic credentials must be client_id:secret, with a token as the secret');
  try { return decodeURIComponent(raw.slice(colon + 1).replace(/\+/g, ' ')); } catch { return raw.slice(colon + 1); }
};

export const IntrospectionAnswer = T.Object({
  active: T.Boolean(),
  scope: T.Optional(T.String({ description: 'the token\'s access level (read, write or full)' })),
  client_id: T.Optional(T.String({ description: 'the token id (for a JWT: its parent token\'s id, absent for a session or user JWT)' })),
  username: T.Optional(T.String({ description: 'the owner\'s username (absent for a token without owner)' })),
  token_type: T.Optional(T.Literal('Bearer')),
  exp: T.Optional(T.Integer({ description: 'seconds since the epoch; absent for a token that does not expire' })),
  iat: T.Optional(T.Integer()),
  sub: T.Optional(T.String({ description: 'the owner\'s user id, or token:<id> for a token without owner' })),
  iss: T.Optional(T.String({ description: 'config jwt.issuer' })),
  jti: T.Optional(T.String({ description: 'the token id, or the JWT\'s jti' })),
}, { description: 'RFC 7662 §2.2. An inactive (unknown, expired, revoked, disabled, spent) token is `{"active": false}` and nothing else' });

export const introspectRoutes = (s: Services, credentialHeaders: readonly string[], provider: 'local' | 'none'): FastifyPluginAsyncTypebox => async (app) => {
  const introspector = new Introspector(s.verifier, s.jwt, (s.metrics ?? NO_METRICS).verifications('introspect', 'fastify'));
  const rule = { services: s, extraHeaders: credentialHeaders, provider, mode: 'required' as const, keepApikey: false };

  /** Authenticates the caller before the body is validated (401/403 first, as every route). */
  const caller = async (req: FastifyRequest): Promise<void> => {
    const password = basicPassword(req.headers.authorization);
    req.ctx.principal = requireIntrospector(password !== null
      ? await s.auth.authenticate({ type: 'token', value: password })
      : await authenticateCaller(rule, fromFastify(req)));
  };

  app.post('/api/v1/introspect', {
    config: { auth: 'none' },
    preValidation: caller,
    schema: {
      tags: ['verify'], summary: 'RFC 7662 token introspection (service token or full-access caller)',
      description: 'Form body (application/x-www-form-urlencoded, as RFC 7662; a JSON object is taken too): `token`, optional `token_type_hint`. Works for API tokens and Tessera JWTs; never spends a use of the token. The caller authenticates with a service token or a token with full access (Bearer, or HTTP Basic with the token as password). See docs/introspection.md.',
      security: [{ bearer: [] }, { basic: [] }] as { [k: string]: string[] }[],
      consumes: ['application/x-www-form-urlencoded', 'application/json'],
      body: T.Object({
        token: T.String({ minLength: 1, maxLength: 4096 }),
        token_type_hint: T.Optional(T.String({ maxLength: 64 })),
      }, { additionalProperties: true }),
      response: { 200: IntrospectionAnswer, ...errors(400, 401, 403, 429) },
    },
  }, async (req, reply) => {
    reply.header('cache-control', 'no-store');
    return introspector.introspect(req.body.token);
  });
};
