/**
 * Query's token admin API (seed 003), mounted under `/_`: service tokens (tied to no user) managed by name, by an
 * admin's credential only. Tokens made here are recoverable, so `GET /_/token/value` can show them again.
 * `write: false` makes a `read` token; `write: true` a `write` one. Query's wire details are kept: 201/200 with an
 * empty body, a duplicate name ignored, errors as plain text, every refusal an empty 401. A past `expiration_date` that
 * Query would take (the seed's own example) makes the token expired; the value a PUT rotated out verifies as ROTATED.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { Type as T } from 'typebox';
import type { Access } from '../../../core/access.js';
import { type RequestContext, requireAdmin } from '../../../core/principal.js';
import { TesseraError } from '../../../core/errors.js';
import type { Services } from '../../../core/services.js';
import type { TokenView } from '../../../core/tokens/service.js';
import { listAll } from '../common.js';
import { sendQueryError } from './errors.js';
import { jsonWhateverTheType } from '../forms.js';

/**
 * Query's doc says milliseconds, its server and CLI use seconds. A value below 10^11 (1973 read as ms, year 5138 read
 * as s) is taken as seconds, anything larger as milliseconds.
 */
const toMs = (v: number): number => (Math.abs(v) < 1e11 ? v * 1000 : v);

/**
 * Whether Query itself would take this `expiration_date` although it is past (seed 003's own example, 1632960000000):
 * Query compares it with the time in seconds, so a date in milliseconds is never "before now" there. Such a date is
 * accepted and the token is made as expired (the date the client meant); a past date in seconds is refused, as Query
 * refuses it. PUT skips Query's check altogether (reference §4.2), so there any past date is taken.
 */
const queryAcceptsPast = (v: number): boolean => Math.abs(v) >= 1e11;

/**
 * A row of `GET /_/token`. Times are milliseconds like `expiration_date`; a token that never expires shows
 * `expiration_date == updated_at`, Query's own "never" sentinel. `token` is only the display prefix: values are
 * shown by `GET /_/token/value`, never in a listing.
 */
const row = (t: TokenView) => ({
  id: t.id, name: t.name ?? '', token: `${t.prefix}…`, expiration_date: t.expiresAt ?? t.updatedAt,
  active: t.active ? 1 : 0, write: t.access === 'read' ? 0 : 1, created_at: t.createdAt, updated_at: t.updatedAt,
});

/** The live (not revoked) service token with this name; names are unique among live service tokens. */
const byName = async (s: Services, ctx: RequestContext, name: string): Promise<TokenView | null> =>
  (await listAll(s, ctx, { kind: 'service', name, live: true })).find((t) => t.revokedAt === null) ?? null;

/** `write: true` keeps a token's access if it already writes (a `full` token stays `full`). */
const accessFor = (write: boolean | undefined, current: Access | null): Access | undefined => {
  if (write === undefined) return undefined;
  if (!write) return 'read';
  return current === null || current === 'read' ? 'write' : current;
};

const TokenBody = T.Object({
  name: T.String({ description: 'the token\'s unique name' }),
  expiration_date: T.Optional(T.Number({ description: 'milliseconds since the epoch (below 10^11: seconds); default never' })),
  active: T.Optional(T.Boolean({ description: 'default true' })),
  write: T.Optional(T.Boolean({ description: 'default true; false = read-only' })),
});
const TAGS = ['compat: query'];
const SECURITY: { [k: string]: string[] }[] = [{ bearer: [] }];
const Empty = T.Unknown({ description: 'empty body' });
/** Query answers its refusals as plain text (an empty 401). */
const plain = (description: string) => ({ description, content: { 'text/plain': { schema: T.String() } } });
const ERR = { 400: plain('the problem, as plain text'), 401: Empty, 404: plain('not found, as plain text'), 413: plain('the body is too large, as plain text') };
/**
 * Every route: an admin user's full credential, in `Authorization` with any scheme word (Query takes the value after
 * the first space), checked before the body is read: a refused caller gets the empty 401 whatever its body.
 */
const ADMIN = {
  config: { auth: 'required' as const, credentials: { anyScheme: true } },
  preParsing: async (req: { ctx: RequestContext }, _reply: unknown, payload: unknown) => { requireAdmin(req.ctx.principal); return payload; },
};

export const queryRoutes = (s: Services): FastifyPluginAsyncTypebox => async (app) => {
  app.setErrorHandler((err, req, reply) => sendQueryError(req, reply, err));
  const notFound = async (_req: unknown, reply: FastifyReply) => reply.code(404).type('text/plain; charset=utf-8').send('404 Not Found');
  app.setNotFoundHandler(notFound);
  // Query owns all of /_/: claim it explicitly so no wider catch-all (the web UI's GET /*) answers here instead.
  app.all('/*', { schema: { hide: true } }, notFound);
  jsonWhateverTheType(app);

  app.post('/token', {
    ...ADMIN,
    schema: { tags: TAGS, summary: 'Create a service token (201, empty body; a taken name is ignored)', security: SECURITY, body: TokenBody, response: { 201: Empty, ...ERR } },
  }, async (req, reply) => {
    const b = req.body;
    try {
      await s.tokens.create(req.ctx, {
        kind: 'service', name: b.name, recoverable: true, access: accessFor(b.write ?? true, null)!, active: b.active ?? true,
        expiresAt: b.expiration_date === undefined ? null : toMs(b.expiration_date),
        allowPastExpiry: b.expiration_date !== undefined && queryAcceptsPast(b.expiration_date),
      });
    } catch (e) {
      // Query inserts with INSERT OR IGNORE: a name already in use is a silent success.
      if (!(e instanceof TesseraError && e.code === 'CONFLICT')) throw e;
    }
    return reply.code(201).send(undefined);
  });

  app.get('/token', {
    ...ADMIN,
    schema: {
      tags: TAGS, summary: 'List the service tokens', security: SECURITY,
      response: {
        200: T.Object({ data: T.Array(T.Object({
          id: T.String(), name: T.String(), token: T.String({ description: 'display prefix only; the value is at /_/token/value' }),
          expiration_date: T.Number(), active: T.Integer(), write: T.Integer(), created_at: T.Number(), updated_at: T.Number(),
        })) }),
        ...ERR,
      },
    },
  }, async (req) => ({ data: (await listAll(s, req.ctx, { kind: 'service', live: true })).filter((t) => t.revokedAt === null).map(row) }));

  app.put('/token', {
    ...ADMIN,
    schema: { tags: TAGS, summary: 'Update a service token by name; its value is rotated (fetch it again)', security: SECURITY, body: TokenBody, response: { 200: Empty, ...ERR } },
  }, async (req, reply) => {
    const b = req.body;
    const t = await byName(s, req.ctx, b.name);
    if (t === null) throw new TesseraError('VALIDATION_ERROR', 'Query returned no rows');
    await s.tokens.update(req.ctx, t.id, {
      active: b.active, access: accessFor(b.write, t.access), expiresAt: b.expiration_date === undefined ? undefined : toMs(b.expiration_date),
      allowPastExpiry: true,
    });
    // Query regenerates the value on every update; here the new value works (Query's does not: see docs/compat.md).
    await s.tokens.rotate(req.ctx, t.id, 0);
    return reply.code(200).send(undefined);
  });

  app.delete('/token', {
    ...ADMIN,
    schema: { tags: TAGS, summary: 'Delete (revoke) a service token by name; an unknown name is not an error', security: SECURITY, body: T.Object({ name: T.String() }), response: { 200: Empty, ...ERR } },
  }, async (req, reply) => {
    const t = await byName(s, req.ctx, req.body.name);
    if (t !== null) await s.tokens.revoke(req.ctx, t.id);
    return reply.code(200).send(undefined);
  });

  app.get('/token/value', {
    ...ADMIN,
    schema: {
      tags: TAGS, summary: 'The value of a service token, by name (audited)', security: SECURITY,
      querystring: T.Object({ name: T.String() }),
      response: { 200: T.Object({ data: T.Array(T.Object({ token: T.String() })) }), ...ERR },
    },
  }, async (req) => {
    const t = await byName(s, req.ctx, req.query.name);
    if (t === null) return { data: [] };
    return { data: [{ token: (await s.tokens.reveal(req.ctx, t.id)).value }] };
  });
};
