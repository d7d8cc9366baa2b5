/**
 * Semaphore UI (seed 002): the login metadata (GET /api/auth/login), password login to a session cookie, and the
 * user's API tokens at /api/user/tokens.
 * A cookie or `Authorization: Bearer` works on every route (the global extractor reads both). Tokens made here are
 * recoverable and `full` (a Semaphore token carries all of its user's rights), so the listing shows the same `id` as
 * the POST reply; tokens made elsewhere are listed under their token id. DELETE revokes: the token stays listed with
 * `"expired": true`, as in the Semaphore version the seed documents.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type as T } from 'typebox';
import type { Services } from '../../../core/services.js';
import type { ListedToken } from '../../../core/tokens/service.js';
import { clearSessionCookie, setSessionCookie } from '../../session-cookie.js';
import { findOwnToken, keyOf, listAll } from '../common.js';
import { sendSemaphoreError } from './errors.js';
import { jsonWhateverTheType } from '../forms.js';
import { errors } from '../../schemas.js';
import { semaphoreTaskRoutes } from './tasks.js';

/** RFC 3339 without milliseconds, as Go's time.Time marshals a whole second: "2017-03-11T13:13:13Z". */
const rfc3339 = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

const ApiToken = T.Object({
  id: T.String({ description: 'the token value (recoverable tokens) or its tok_ id' }),
  created: T.String({ format: 'date-time' }),
  expired: T.Boolean({ description: 'revoked, expired or switched off' }),
  user_id: T.Integer(),
});

const tokenOut = (t: ListedToken) => ({ id: keyOf(t), created: rfc3339(t.createdAt), expired: t.status !== 'active', user_id: t.ownerId! });

const TAGS = ['compat: semaphore'];
const SECURITY: { [k: string]: string[] }[] = [{ bearer: [] }, { session: [] }];
const Empty = T.Unknown({ description: 'empty body' });
const ERR = { 400: T.Object({ error: T.String() }), 401: Empty, 403: Empty, 404: Empty };

export const semaphoreRoutes = (s: Services): FastifyPluginAsyncTypebox => async (app) => {
  app.setErrorHandler((err, req, reply) => sendSemaphoreError(req, reply, err));
  jsonWhateverTheType(app);

  // The login metadata Semaphore's web client asks for first (api/login.go, GET): password login on, no OIDC provider,
  // no second factor (`auth_methods.totp` is left out, as Semaphore leaves it out when TOTP is off).
  app.get('/api/auth/login', {
    config: { auth: 'none' },
    schema: {
      tags: TAGS, summary: 'Semaphore login metadata: how users may log in (password; no OIDC providers)',
      response: { 200: T.Object({
        oidc_providers: T.Array(T.Object({ id: T.String(), name: T.String(), color: T.String(), icon: T.String() }), { description: 'always empty: Tessera has no OIDC login' }),
        login_with_password: T.Boolean({ description: 'always true' }),
        auth_methods: T.Object({}, { description: 'no second factor: empty' }),
      }), ...errors(403) }, // 403: HOST_NOT_ALLOWED, as every route (allowed_hosts)
    },
  }, async () => ({ oidc_providers: [], login_with_password: true, auth_methods: {} }));

  app.post('/api/auth/login', {
    config: { sameOrigin: true },
    schema: {
      tags: TAGS, summary: 'Semaphore login: 204 and a session cookie; 401 on bad credentials',
      body: T.Object({ auth: T.String({ minLength: 1, maxLength: 256, description: 'username or email' }), password: T.String({ minLength: 1, maxLength: 1024 }) }),
      response: { 204: Empty, ...ERR },
    },
  }, async (req, reply) => {
    const r = await s.auth.login(req.ctx, req.body.auth, req.body.password, req.headers['user-agent'] ?? null);
    setSessionCookie(req, reply, r.session, r.expiresAt);
    return reply.code(204).send(null);
  });

  app.post('/api/auth/logout', {
    config: { auth: 'optional' },
    schema: { tags: TAGS, summary: 'Semaphore logout: ends the session (if any) and clears the cookie', response: { 204: Empty, ...ERR } },
  }, async (req, reply) => {
    if (req.ctx.principal?.type === 'session') await s.auth.logout(req.ctx);
    clearSessionCookie(req, reply);
    return reply.code(204).send(null);
  });

  app.get('/api/user/tokens', {
    config: { auth: 'required' },
    schema: { tags: TAGS, summary: 'The caller\'s API tokens, revoked ones included (newest first)', security: SECURITY, response: { 200: T.Array(ApiToken), ...ERR } },
  }, async (req) => (await listAll(s, req.ctx, { revealVia: 'semaphore' })).map(tokenOut));

  app.post('/api/user/tokens', {
    config: { auth: 'required' },
    // The body is optional (the seed posts none); read "no body" as `{}`.
    preValidation: async (req) => { if (req.body === undefined || req.body === null) req.body = {}; },
    schema: {
      tags: TAGS, summary: 'Create an API token (full access, recoverable); 201 with the token', security: SECURITY,
      body: T.Object({
        name: T.Optional(T.String({ description: 'Semaphore ≥ 2.18' })),
        expires_at: T.Optional(T.Union([T.String({ format: 'date-time' }), T.Null()], { description: 'RFC 3339, in the future; null or absent: never' })),
      }),
      response: { 201: ApiToken, ...ERR, 409: T.Object({ error: T.String() }, { description: 'a token of this name exists' }) },
    },
  }, async (req, reply) => {
    const b = req.body;
    const r = await s.tokens.create(req.ctx, {
      name: b.name, access: 'full', recoverable: true, expiresAt: b.expires_at === undefined || b.expires_at === null ? undefined : Date.parse(b.expires_at),
    });
    return reply.code(201).send(tokenOut({ ...r.token, value: r.value }));
  });

  app.delete('/api/user/tokens/:id', {
    config: { auth: 'required' },
    schema: {
      tags: TAGS, summary: 'Expire (revoke) one of the caller\'s tokens, named by value or tok_ id; it stays listed as expired', security: SECURITY,
      params: T.Object({ id: T.String({ minLength: 1, maxLength: 1024 }) }),
      response: { 204: Empty, ...ERR },
    },
  }, async (req, reply) => {
    const t = await findOwnToken(s, req.ctx, req.params.id);
    if (t === null) return reply.code(404).send(undefined);
    await s.tokens.revoke(req.ctx, t.id);
    return reply.code(204).send(null);
  });

  semaphoreTaskRoutes(app, s); // POST /api/project/{id}/tasks: run a configured command (issue 4)
};
