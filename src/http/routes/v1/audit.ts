import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type as T } from 'typebox';
import { requireAdmin } from '../../../core/principal.js';
import { invalid } from '../../../core/errors.js';
import type { Services } from '../../../core/services.js';
import { AuditSchema, errors, page, auditOut } from '../../schemas.js';

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
};
