import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { type Static, Type as T } from 'typebox';
import { type Access, hasAccess } from '../../../core/access.js';
import { type Principal, requireAdmin } from '../../../core/principal.js';
import { TesseraError } from '../../../core/errors.js';
import type { Services } from '../../../core/services.js';
import { VERIFY_CODES } from '../../../core/tokens/verifier.js';
import { checkCsrf } from '../../auth.js';
import { extractCredential, type Found } from '../../credentials.js';
import { sendError } from '../../errors.js';
import { AccessSchema, errors, KindSchema, OwnerSchema } from '../../schemas.js';

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

export type VerifyPolicy = 'any' | 'admin' | 'public';

/** The body of POST /api/v1/verify: validated by fastify, and by the hot lane with the same compiled schema. */
export const VerifyBody = T.Object({ token: T.String({ maxLength: 1024 }), access: T.Optional(AccessSchema) }, { additionalProperties: false });

const VerifyAnswer = T.Object({
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
});

/**
 * POST /api/v1/verify once the caller is authenticated and the body validated: the answer object, in the order of
 * its schema (the hot lane serialises it with JSON.stringify, fastify from the schema; both give the same bytes).
 */
export const verifyAnswer = async (s: Services, policy: VerifyPolicy, principal: Principal | null, body: Static<typeof VerifyBody>): Promise<Static<typeof VerifyAnswer>> => {
  if (policy === 'admin') requireAdmin(principal);
  const r = await s.verifier.verify(body.token, body.access);
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
};

/**
 * Forward-auth's decision on the request's credential (null: none): the headers of the 204, or the refusal as a
 * value. `need` goes into the verification, so a token below it is refused before it spends a use.
 */
export const forwardDecision = async (s: Services, found: Found | null, need: Access | undefined): Promise<Record<string, string> | TesseraError> => {
  if (!found) return new TesseraError('UNAUTHENTICATED', 'no credential');
  const p = await s.auth.check(found.cred, need);
  if (p instanceof TesseraError) return p;
  if (need && !hasAccess(p.access, need)) return new TesseraError('INSUFFICIENT_ACCESS', `needs access level '${need}'; the credential has '${p.access}'`);
  const h: Record<string, string> = {};
  if (p.user) { h['x-tessera-user'] = p.user.username; h['x-tessera-user-id'] = String(p.user.id); }
  if (p.type === 'token') {
    h['x-tessera-token-id'] = p.token.id;
    if (p.limitHeaders) Object.assign(h, p.limitHeaders);
  }
  h['x-tessera-access'] = p.access;
  return h;
};

/** RFC 6750 §3.1: a forward-auth request with no credential gets the bare challenge, a bad credential `invalid_token`. */
export const forwardChallenge = (e: unknown): string | null => {
  const { status, code } = e as { status?: number; code?: string };
  return status === 401 && code !== 'UNAUTHENTICATED' ? 'Bearer realm="tessera", error="invalid_token"' : null;
};

const refuse = (req: FastifyRequest, reply: FastifyReply, e: unknown): FastifyReply => sendError(req, reply, e, forwardChallenge(e));

/**
 * The methods a forward-auth request stands for: its own, and the original request's as a proxy reports it
 * (Traefik: X-Forwarded-Method; nginx setups: X-Original-Method). A browser cannot set these on a cross-site request
 * without a preflight, and they only ever add a method, so they can make the CSRF rule stricter, never looser.
 */
const requestMethods = (req: FastifyRequest): string[] => {
  const out = [req.method];
  for (const name of ['x-forwarded-method', 'x-original-method']) {
    const v = req.headers[name];
    if (typeof v === 'string' && v !== '') out.push(v.trim().toUpperCase());
  }
  return out;
};

export const FORWARD_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

export const verifyRoutes = (s: Services, policy: VerifyPolicy): FastifyPluginAsyncTypebox => async (app) => {
  app.post('/api/v1/verify', {
    config: { auth: policy === 'public' ? 'none' : 'required' },
    schema: {
      tags: ['verify'], summary: 'Check a token. Always 200: `valid` and `code` say what was found',
      description: `Who may call it is set by \`verify_policy\` (now: ${policy}).`,
      security: (policy === 'public' ? [] : [{ bearer: [] }, { session: [] }]) as { [k: string]: string[] }[],
      body: VerifyBody,
      response: { 200: VerifyAnswer, ...errors(400, 401, 403) },
    },
  }, async (req) => verifyAnswer(s, policy, req.ctx.principal, req.body));

  // For reverse proxies (nginx auth_request, Traefik/Caddy forward_auth): checks the request's own credential.
  app.route({
    method: FORWARD_METHODS,
    url: '/api/v1/auth/forward',
    schema: {
      tags: ['verify'], summary: 'Forward-auth: 204 with X-Tessera-* headers (and RateLimit-* for a limited token), 401, 403, or 429 with Retry-After',
      querystring: T.Object({ access: T.Optional(AccessSchema) }, { additionalProperties: true }),
      response: { 204: T.Null(), ...errors(400, 401, 403, 429) },
    },
    handler: async (req, reply) => {
      try {
        const found = extractCredential(req, req.server.credentialHeaders);
        // A cookie credential follows the API's CSRF rule (the lane never takes requests with cookies).
        if (found?.cookie) checkCsrf(req, found, requestMethods(req));
        const r = await forwardDecision(s, found, (req.query as { access?: Access }).access);
        if (r instanceof TesseraError) return refuse(req, reply, r);
        return reply.headers(r).code(204).send(null);
      } catch (e) {
        return refuse(req, reply, e);
      }
    },
  });
};

declare module 'fastify' {
  interface FastifyInstance { credentialHeaders: readonly string[] }
}
