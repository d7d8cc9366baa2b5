import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { type Static, Type as T } from 'typebox';
import type { Services } from '../../../core/services.js';
import { type CreateTokenInput, LIMITS } from '../../../core/tokens/service.js';
import { REVOKE_BY_VALUE_PER_MINUTE } from '../../../core/tokens/revocation.js';
import {
  AccessSchema, RateLimitSchema, RefillSchema, RemainingSchema, errors, IdParam, KindSchema, page, StatusSchema, TokenSchema, TokenWithValueSchema, tokenOut, tokenWithValueOut,
} from '../../schemas.js';
import { optionalBody } from '../../input.js';

const ms = (iso: string | null | undefined): number | null | undefined => (iso === undefined ? undefined : iso === null ? null : Date.parse(iso));
const Metadata = T.Object({}, { additionalProperties: true, description: `free JSON object, at most ${LIMITS.metadataMaxBytes} bytes` });
const AUTH = { auth: 'required' as const };
/** The limit fields of a body, in the core's names (absent stays absent; null removes). */
const limitsIn = (b: { remaining?: number | null; refill?: { amount: number; interval_seconds: number } | null; rate_limit?: { limit: number; window_seconds: number } | null }) => ({
  remaining: b.remaining,
  refill: b.refill == null ? b.refill : { amount: b.refill.amount, intervalSeconds: b.refill.interval_seconds },
  rateLimit: b.rate_limit == null ? b.rate_limit : { limit: b.rate_limit.limit, windowSeconds: b.rate_limit.window_seconds },
});
const SECURITY: { [k: string]: string[] }[] = [{ bearer: [] }, { session: [] }];

/** The body of a token creation (one `POST /api/v1/tokens`, or each item of `POST /api/v1/tokens/batch`). */
export const CreateTokenBody = T.Object({
  name: T.Optional(T.String({ maxLength: LIMITS.nameMax, description: 'unique among the owner\'s live tokens; required for service tokens' })),
  comment: T.Optional(T.String({ maxLength: LIMITS.commentMax })),
  access: T.Optional(AccessSchema),
  expires_at: T.Optional(T.String({ format: 'date-time', description: 'RFC 3339, in the future' })),
  expires_in: T.Optional(T.Integer({ minimum: 1, description: 'seconds from now' })),
  active: T.Optional(T.Boolean()),
  recoverable: T.Optional(T.Boolean({ description: 'keep an encrypted copy so GET /value can show it again' })),
  metadata: T.Optional(Metadata),
  remaining: T.Optional(RemainingSchema),
  refill: T.Optional(RefillSchema),
  rate_limit: T.Optional(RateLimitSchema),
  kind: T.Optional(KindSchema),
  permissions: T.Optional(T.Array(T.String({ maxLength: 128 }), { maxItems: 100, description: 'permissions (`deploy:write`, `deploy:*`); a personal token may carry only what its owner holds' })),
  roles: T.Optional(T.Array(T.String({ maxLength: 64 }), { maxItems: 50, description: 'roles (GET /api/v1/roles)' })),
  allowed_cidrs: T.Optional(T.Array(T.String({ maxLength: 64 }), { maxItems: 50, description: 'client addresses the token works from (10.0.0.0/8, 2001:db8::/32); empty = anywhere' })),
  owner: T.Optional(T.String({ minLength: 1, maxLength: 64, description: 'admins: issue a personal token owned by this user (username or id); audited' })),
}, { additionalProperties: false });

/** A creation body in the core's names. */
export const createInput = (b: Static<typeof CreateTokenBody>): CreateTokenInput => ({
  name: b.name, comment: b.comment, access: b.access, expiresAt: ms(b.expires_at), expiresInSeconds: b.expires_in,
  active: b.active, recoverable: b.recoverable, metadata: b.metadata as Record<string, unknown> | undefined, kind: b.kind, ...limitsIn(b),
  permissions: b.permissions, roles: b.roles, allowedCidrs: b.allowed_cidrs, owner: b.owner,
});

export const tokenRoutes = (s: Services): FastifyPluginAsyncTypebox => async (app) => {
  app.post('/api/v1/tokens', {
    config: AUTH,
    schema: {
      tags: ['tokens'], summary: 'Create a token; its value is in this response only (unless recoverable)', security: SECURITY,
      body: CreateTokenBody,
      response: { 201: TokenWithValueSchema, ...errors(400, 401, 403, 409) },
    },
  }, async (req, reply) => {
    const r = await s.tokens.create(req.ctx, createInput(req.body));
    return reply.code(201).send(tokenWithValueOut(r.token, r.value));
  });

  app.post('/api/v1/tokens/revoke-by-value', {
    schema: {
      tags: ['tokens'], summary: 'Revoke a token by its value; no credential needed (whoever holds a leaked value may kill it)',
      description: `The answer is the same whether the value was a live token or not. At most ${REVOKE_BY_VALUE_PER_MINUTE} requests a minute from one address (429 with Retry-After).`,
      security: [],
      body: T.Object({ token: T.String({ minLength: 1, maxLength: 1024 }) }, { additionalProperties: false }),
      response: { 202: T.Object({ message: T.String() }), ...errors(400, 429) },
    },
  }, async (req, reply) => {
    await s.revocation.byValue(req.ctx, req.body.token);
    return reply.code(202).send({ message: 'if this value belonged to a live token, that token is revoked now' });
  });

  app.post('/api/v1/tokens/revoke', {
    config: AUTH,
    schema: {
      tags: ['tokens'], summary: 'Revoke every live token matching a filter (admin); dry_run lists what would stop working', security: SECURITY,
      body: T.Object({
        owner: T.Optional(T.String({ minLength: 1, maxLength: 64, description: 'a user id or username' })),
        kind: T.Optional(KindSchema),
        created_before: T.Optional(T.String({ format: 'date-time' })),
        last_used_before: T.Optional(T.String({ format: 'date-time', description: 'never-used tokens match too' })),
        name_prefix: T.Optional(T.String({ minLength: 1, maxLength: LIMITS.nameMax })),
        permission: T.Optional(T.String({ maxLength: 128, description: 'tokens that grant this permission now' })),
        dry_run: T.Optional(T.Boolean({ default: false })),
      }, { additionalProperties: false }),
      response: {
        200: T.Object({ count: T.Integer(), dry_run: T.Boolean(), tokens: T.Array(T.Object({ id: T.String(), name: T.Union([T.String(), T.Null()]), kind: KindSchema, owner_id: T.Union([T.Integer(), T.Null()]), prefix: T.String() })) }),
        ...errors(400, 401, 403),
      },
    },
  }, async (req) => {
    const b = req.body;
    const dryRun = b.dry_run ?? false;
    const r = await s.revocation.bulk(req.ctx, {
      owner: b.owner, kind: b.kind, createdBefore: ms(b.created_before) ?? undefined, lastUsedBefore: ms(b.last_used_before) ?? undefined,
      namePrefix: b.name_prefix, permission: b.permission,
    }, dryRun);
    return { count: r.count, dry_run: dryRun, tokens: r.tokens.map((t) => ({ id: t.id, name: t.name, kind: t.kind, owner_id: t.ownerId, prefix: t.prefix })) };
  });

  app.get('/api/v1/tokens', {
    config: AUTH,
    schema: {
      tags: ['tokens'], summary: 'List tokens (own; admins may filter by owner and kind)', security: SECURITY,
      querystring: T.Object({
        owner: T.Optional(T.String({ minLength: 1, description: 'admins: a user id, a username, or * for all owners' })),
        kind: T.Optional(KindSchema),
        status: T.Optional(StatusSchema),
        limit: T.Optional(T.Integer({ minimum: 1, maximum: LIMITS.pageMax, default: 50 })),
        cursor: T.Optional(T.String({ maxLength: 512 })),
        violates_policy: T.Optional(T.Boolean({ description: 'only live tokens the configured tokens.policy would refuse now (no expiry, or too long a lifetime)' })),
      }, { additionalProperties: false }),
      response: { 200: page(TokenSchema), ...errors(400, 401, 403) },
    },
  }, async (req) => {
    const q = req.query;
    const r = await s.tokens.list(req.ctx, { owner: q.owner, kind: q.kind, status: q.status, limit: q.limit, cursor: q.cursor, violatesPolicy: q.violates_policy });
    return { items: r.items.map(tokenOut), next_cursor: r.nextCursor };
  });

  app.get('/api/v1/tokens/:id', {
    config: AUTH,
    schema: { tags: ['tokens'], summary: 'Show one token', security: SECURITY, params: IdParam, response: { 200: TokenSchema, ...errors(401, 403, 404) } },
  }, async (req) => tokenOut(await s.tokens.get(req.ctx, req.params.id)));

  app.patch('/api/v1/tokens/:id', {
    config: AUTH,
    schema: {
      tags: ['tokens'], summary: 'Change name, comment, access, active flag, expiry, metadata or limits (null removes a limit)', security: SECURITY, params: IdParam,
      body: T.Object({
        name: T.Optional(T.Union([T.String({ maxLength: LIMITS.nameMax }), T.Null()])),
        comment: T.Optional(T.String({ maxLength: LIMITS.commentMax })),
        access: T.Optional(AccessSchema),
        active: T.Optional(T.Boolean()),
        expires_at: T.Optional(T.Union([T.String({ format: 'date-time' }), T.Null()], { description: 'RFC 3339 in the future, or null for never' })),
        metadata: T.Optional(T.Union([Metadata, T.Null()])),
        remaining: T.Optional(T.Union([RemainingSchema, T.Null()], { description: 'uses left from now on; null removes the usage limit and its refill' })),
        refill: T.Optional(T.Union([RefillSchema, T.Null()], { description: 'a new refill starts its period now; null removes it' })),
        rate_limit: T.Optional(T.Union([RateLimitSchema, T.Null()], { description: 'null removes the rate limit' })),
        permissions: T.Optional(T.Array(T.String({ maxLength: 128 }), { maxItems: 100, description: 'permissions (`deploy:write`, `deploy:*`); a personal token may carry only what its owner holds' })),
        roles: T.Optional(T.Array(T.String({ maxLength: 64 }), { maxItems: 50, description: 'roles (GET /api/v1/roles)' })),
        allowed_cidrs: T.Optional(T.Array(T.String({ maxLength: 64 }), { maxItems: 50, description: 'client addresses the token works from (10.0.0.0/8, 2001:db8::/32); empty = anywhere' })),
      }, { additionalProperties: false, minProperties: 1 }),
      response: { 200: TokenSchema, ...errors(400, 401, 403, 404, 409) },
    },
  }, async (req) => {
    const b = req.body;
    return tokenOut(await s.tokens.update(req.ctx, req.params.id, {
      name: b.name, comment: b.comment, access: b.access, active: b.active, expiresAt: ms(b.expires_at), metadata: b.metadata as Record<string, unknown> | null | undefined, ...limitsIn(b),
      permissions: b.permissions, roles: b.roles, allowedCidrs: b.allowed_cidrs,
    }));
  });

  app.delete('/api/v1/tokens/:id', {
    config: AUTH,
    schema: {
      tags: ['tokens'], summary: 'Revoke a token (it stays listed as revoked); ?purge=true removes it (admins)', security: SECURITY, params: IdParam,
      querystring: T.Object({ purge: T.Optional(T.Boolean({ default: false })) }, { additionalProperties: false }),
      response: { 200: TokenSchema, 204: T.Null(), ...errors(401, 403, 404) },
    },
  }, async (req, reply) => {
    if (req.query.purge) {
      await s.tokens.purge(req.ctx, req.params.id);
      return reply.code(204).send(null);
    }
    return tokenOut(await s.tokens.revoke(req.ctx, req.params.id));
  });

  app.post('/api/v1/tokens/:id/rotate', {
    config: AUTH,
    preValidation: optionalBody, // `POST …/rotate` alone rotates with no grace period
    schema: {
      tags: ['tokens'], summary: 'Issue a new value; the old one works for grace_seconds more (default 0)', security: SECURITY, params: IdParam,
      body: T.Optional(T.Object({ grace_seconds: T.Optional(T.Integer({ minimum: 0, maximum: LIMITS.graceMaxSeconds })) }, { additionalProperties: false })),
      response: { 200: TokenWithValueSchema, ...errors(400, 401, 403, 404, 409) },
    },
  }, async (req) => {
    const r = await s.tokens.rotate(req.ctx, req.params.id, req.body?.grace_seconds ?? 0);
    return tokenWithValueOut(r.token, r.value);
  });

  app.get('/api/v1/tokens/:id/value', {
    config: AUTH,
    schema: {
      tags: ['tokens'], summary: 'The value of a recoverable token (audited)', security: SECURITY, params: IdParam,
      response: { 200: T.Object({ id: T.String(), token: T.String() }), ...errors(401, 403, 404) },
    },
  }, async (req) => {
    const r = await s.tokens.reveal(req.ctx, req.params.id);
    return { id: r.token.id, token: r.value };
  });
};
