import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type as T } from 'typebox';
import { type Access, hasAccess } from '../../../core/access.js';
import { requireAdmin } from '../../../core/auth/principal.js';
import { fail, TesseraError } from '../../../core/errors.js';
import type { Services } from '../../../core/services.js';
import { VERIFY_CODES } from '../../../core/tokens/verifier.js';
import { extractCredential } from '../../credentials.js';
import { sendError } from '../../errors.js';
import { AccessSchema, errors, KindSchema, OwnerSchema } from '../../schemas.js';

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** Forward-auth's refusals. RFC 6750 §3.1: a request with no credential gets the bare challenge, a bad credential `invalid_token`. */
const refuse = (req: FastifyRequest, reply: FastifyReply, e: unknown): FastifyReply => {
  const { status, code } = e as { status?: number; code?: string };
  if (status === 401 && code !== 'UNAUTHENTICATED') reply.header('www-authenticate', 'Bearer realm="tessera", error="invalid_token"');
  return sendError(req, reply, e);
};

export const verifyRoutes = (s: Services, policy: 'any' | 'admin' | 'public'): FastifyPluginAsyncTypebox => async (app) => {
  app.post('/api/v1/verify', {
    config: { auth: policy === 'public' ? 'none' : 'required' },
    schema: {
      tags: ['verify'], summary: 'Check a token. Always 200: `valid` and `code` say what was found',
      description: `Who may call it is set by \`verify_policy\` (now: ${policy}).`,
      security: (policy === 'public' ? [] : [{ bearer: [] }, { session: [] }]) as { [k: string]: string[] }[],
      body: T.Object({ token: T.String({ maxLength: 1024 }), access: T.Optional(AccessSchema) }, { additionalProperties: false }),
      response: {
        200: T.Object({
          valid: T.Boolean(),
          code: T.Enum([...VERIFY_CODES]),
          token: T.Union([T.Object({
            id: T.String(), name: T.Union([T.String(), T.Null()]), kind: KindSchema, owner: OwnerSchema, access: AccessSchema,
            expires_at: T.Union([T.String({ format: 'date-time' }), T.Null()]),
          }), T.Null()]),
          usage: T.Optional(T.Object({
            remaining: T.Integer({ description: 'uses left after this verification' }),
            reset_at: T.Union([T.String({ format: 'date-time' }), T.Null()], { description: 'when the refill sets remaining back (null: no refill)' }),
          }, { description: 'only for tokens with a usage limit (a valid answer took one use); code USAGE_EXCEEDED when none is left' })),
          rate_limit: T.Optional(T.Object({
            limit: T.Integer(), remaining: T.Integer({ description: 'requests left in this window' }),
            reset_at: T.String({ format: 'date-time', description: 'when the window ends' }),
          }, { description: 'only for tokens with a rate limit; code RATE_LIMITED when the window is used up' })),
        }),
        ...errors(400, 401, 403),
      },
    },
  }, async (req) => {
    if (policy === 'admin') requireAdmin(req.ctx.principal);
    const r = await s.verifier.verify(req.body.token, req.body.access);
    const t = r.token;
    return {
      valid: r.valid, code: r.code,
      token: t === null ? null : {
        id: t.id, name: t.name, kind: t.kind, owner: t.ownerId === null ? null : { id: t.ownerId, username: r.owner?.username ?? null },
        access: t.access, expires_at: iso(t.expiresAt),
      },
      ...(r.usage ? { usage: { remaining: r.usage.remaining, reset_at: iso(r.usage.resetAt) } } : {}),
      ...(r.rate ? { rate_limit: { limit: r.rate.limit, remaining: r.rate.remaining, reset_at: iso(r.rate.resetAt)! } } : {}),
    };
  });

  // For reverse proxies (nginx auth_request, Traefik/Caddy forward_auth): checks the request's own credential.
  app.route({
    method: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
    url: '/api/v1/auth/forward',
    schema: {
      tags: ['verify'], summary: 'Forward-auth: 204 with X-Tessera-* headers (and RateLimit-* for a limited token), 401, 403, or 429 with Retry-After',
      querystring: T.Object({ access: T.Optional(AccessSchema) }, { additionalProperties: true }),
      response: { 204: T.Null(), ...errors(400, 401, 403, 429) },
    },
    handler: async (req, reply) => {
      try {
        const found = extractCredential(req, req.server.credentialHeaders);
        if (!found) return fail('UNAUTHENTICATED', 'no credential');
        const need = (req.query as { access?: Access }).access;
        // The level goes into the verification, so a token below it is refused before it spends a use.
        const p = await s.auth.check(found.cred, need);
        if (p instanceof TesseraError) return refuse(req, reply, p);
        if (need && !hasAccess(p.access, need)) {
          return fail('INSUFFICIENT_ACCESS', `needs access level '${need}'; the credential has '${p.access}'`);
        }
        if (p.user) reply.header('x-tessera-user', p.user.username).header('x-tessera-user-id', String(p.user.id));
        if (p.type === 'token') reply.header('x-tessera-token-id', p.token.id);
        if (p.type === 'token' && p.limitHeaders) reply.headers(p.limitHeaders);
        return reply.header('x-tessera-access', p.access).code(204).send(null);
      } catch (e) {
        return refuse(req, reply, e);
      }
    },
  });
};

declare module 'fastify' {
  interface FastifyInstance { credentialHeaders: readonly string[] }
}
