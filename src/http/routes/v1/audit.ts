import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Readable } from 'node:stream';
import { Type as T } from 'typebox';
import { requireAdmin } from '../../../core/principal.js';
import { invalid } from '../../../core/errors.js';
import type { Services } from '../../../core/services.js';
import { AuditSchema, errors, page, auditOut, streamed } from '../../schemas.js';

/** A date-time the format check let through may still not be a time (a leap second, `…T23:59:60Z`). */
const time = (field: string, iso: string | undefined): number | undefined => {
  if (iso === undefined) return undefined;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? invalid(field, `querystring.${field} is not a valid time`) : ms;
};

export const auditRoutes = (s: Services): FastifyPluginAsyncTypebox => async (app) => {
  app.get('/api/v1/audit', {
    config: { auth: 'required' },
    schema: {
      tags: ['audit'], summary: 'The audit log, newest first (admin)', security: [{ bearer: [] }, { session: [] }],
      querystring: T.Object({
        action: T.Optional(T.String({ maxLength: 64, description: 'exact action, or a prefix ending in "." (e.g. token.)' })),
        actor: T.Optional(T.String({ maxLength: 64, description: 'actor id: a user id or a token id' })),
        target: T.Optional(T.String({ maxLength: 64, description: 'target id: a user id or a token id' })),
        since: T.Optional(T.String({ format: 'date-time' })),
        until: T.Optional(T.String({ format: 'date-time' })),
        limit: T.Optional(T.Integer({ minimum: 1, maximum: 200, default: 50 })),
        cursor: T.Optional(T.String({ maxLength: 512 })),
      }, { additionalProperties: false }),
      response: { 200: page(AuditSchema), ...errors(400, 401, 403) },
    },
  }, async (req) => {
    requireAdmin(req.ctx.principal);
    const q = req.query;
    const r = await s.audit.list({
      action: q.action, actorId: q.actor, targetId: q.target, since: time('since', q.since), until: time('until', q.until),
      limit: q.limit ?? 50, cursor: q.cursor,
    });
    return { items: r.items.map(auditOut), next_cursor: r.nextCursor };
  });

  app.get('/api/v1/audit/verify', {
    config: { auth: 'required' },
    schema: {
      tags: ['audit'], summary: 'Check the audit log\'s hash chain (admin): the first row that was edited, removed or inserted', security: [{ bearer: [] }, { session: [] }],
      response: {
        200: T.Object({ ok: T.Boolean(), checked: T.Integer({ description: 'rows whose link was checked' }),
          unchained: T.Integer({ description: 'the oldest rows, written before the chain began (an upgrade from a version without it): no link covers them, so an edit or removal among them is not found' }),
          first_broken: T.Union([T.Object({ id: T.Integer(), reason: T.String() }), T.Null()]) }),
        ...errors(401, 403),
      },
    },
  }, async (req) => {
    const r = await s.audit.verifyChain(req.ctx);
    return { ok: r.ok, checked: r.checked, unchained: r.unchained, first_broken: r.firstBroken };
  });

  app.get('/api/v1/audit/export', {
    config: { auth: 'required' },
    schema: {
      tags: ['audit'], summary: 'The audit log as NDJSON, one event per line, newest first, streamed (admin); the same filters as the listing',
      security: [{ bearer: [] }, { session: [] }],
      querystring: T.Object({
        action: T.Optional(T.String({ maxLength: 64 })), actor: T.Optional(T.String({ maxLength: 64 })), target: T.Optional(T.String({ maxLength: 64 })),
        since: T.Optional(T.String({ format: 'date-time' })), until: T.Optional(T.String({ format: 'date-time' })),
      }, { additionalProperties: false }),
      response: { 200: streamed('application/x-ndjson', 'one audit event (as in the listing) per line'), ...errors(400, 401, 403) },
    },
  }, async (req, reply) => {
    requireAdmin(req.ctx.principal);
    const q = req.query;
    const filter = { action: q.action, actorId: q.actor, targetId: q.target, since: time('since', q.since), until: time('until', q.until) };
    async function* lines(): AsyncGenerator<string> {
      let cursor: string | undefined;
      do {
        const page = await s.audit.list({ ...filter, limit: 200, ...(cursor ? { cursor } : {}) });
        for (const e of page.items) yield `${JSON.stringify(auditOut(e))}\n`;
        cursor = page.nextCursor ?? undefined;
      } while (cursor !== undefined);
    }
    return reply.type('application/x-ndjson; charset=utf-8').header('content-disposition', 'attachment; filename="tessera-audit.ndjson"')
      .send(Readable.from(lines()));
  });
};
