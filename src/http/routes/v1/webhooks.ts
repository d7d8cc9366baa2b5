/**
 * Webhooks (issue 16), admins only: `/api/v1/webhooks` (CRUD), the delivery log of each and redelivery. The secret is
 * answered once (create, or a change of secret); every rule is in core/webhooks. docs/webhooks.md.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type as T } from 'typebox';
import type { Services } from '../../../core/services.js';
import { type Delivery, WEBHOOK_EVENTS, type Webhook, type WebhookEventType } from '../../../core/webhook-types.js';
import { errors } from '../../schemas.js';

const AUTH = { auth: 'required' as const };
const SECURITY: { [k: string]: string[] }[] = [{ bearer: [] }, { session: [] }];
const iso = (ms: number): string => new Date(ms).toISOString();

const EventType = T.Unsafe<WebhookEventType>({ type: 'string', enum: [...WEBHOOK_EVENTS], description: 'event type (docs/webhooks.md)' });
const WebhookSchema = T.Object({
  id: T.String(), url: T.String(), events: T.Array(EventType), active: T.Boolean(), description: T.String(),
  created_at: T.String({ format: 'date-time' }), updated_at: T.String({ format: 'date-time' }),
}, { $id: 'Webhook' });
const WithSecret = T.Object({
  webhook: WebhookSchema,
  secret: T.Optional(T.String({ description: 'the signing secret (whsec_…): shown only in this answer' })),
});
const DeliverySchema = T.Object({
  id: T.Integer(), webhook_id: T.String(), event_id: T.String({ description: 'the webhook-id header: the same on every attempt and redelivery' }),
  event_type: EventType, status: T.Union([T.Literal('pending'), T.Literal('delivered'), T.Literal('failed')]),
  attempts: T.Integer(), next_attempt_at: T.Union([T.String({ format: 'date-time' }), T.Null()]),
  last_status_code: T.Union([T.Integer(), T.Null()]), last_error: T.Union([T.String(), T.Null()]),
  created_at: T.String({ format: 'date-time' }), updated_at: T.String({ format: 'date-time' }),
  log: T.Array(T.Object({
    attempt: T.Integer(), at: T.String({ format: 'date-time' }), status_code: T.Union([T.Integer(), T.Null()]),
    duration_ms: T.Integer(), error: T.Union([T.String(), T.Null()]),
  })),
}, { $id: 'WebhookDelivery' });

const Url = T.String({ minLength: 1, maxLength: 2048, description: 'http(s) URL the events are POSTed to' });
const Events = T.Array(EventType, { minItems: 1, maxItems: WEBHOOK_EVENTS.length * 2 });
const Secret = T.String({ minLength: 1, maxLength: 100, description: 'whsec_ + base64 of 24 to 64 bytes; generated when absent' });
const Description = T.String({ maxLength: 500 });
const IdParam = T.Object({ id: T.String({ minLength: 1, maxLength: 64 }) });

const webhookOut = (w: Webhook) => ({
  id: w.id, url: w.url, events: w.events, active: w.active, description: w.description, created_at: iso(w.createdAt), updated_at: iso(w.updatedAt),
});
const deliveryOut = (d: Delivery) => ({
  id: d.id, webhook_id: d.webhookId, event_id: d.eventId, event_type: d.eventType, status: d.status, attempts: d.attempts,
  next_attempt_at: d.nextAttemptAt === null ? null : iso(d.nextAttemptAt), last_status_code: d.lastStatusCode, last_error: d.lastError,
  created_at: iso(d.createdAt), updated_at: iso(d.updatedAt),
  log: d.log.map((a) => ({ attempt: a.attempt, at: iso(a.at), status_code: a.statusCode, duration_ms: Math.round(a.durationMs), error: a.error })),
});

export const webhookRoutes = (s: Services): FastifyPluginAsyncTypebox => async (app) => {
  app.get('/api/v1/webhooks', {
    config: AUTH,
    schema: { tags: ['webhooks'], summary: 'Registered webhooks (admin); never their secrets', security: SECURITY,
      response: { 200: T.Object({ items: T.Array(WebhookSchema) }), ...errors(401, 403) } },
  }, async (req) => ({ items: (await s.webhooks.list(req.ctx)).map(webhookOut) }));

  app.post('/api/v1/webhooks', {
    config: AUTH,
    schema: { tags: ['webhooks'], summary: 'Register a webhook (admin); the answer shows its signing secret once', security: SECURITY,
      body: T.Object({ url: Url, events: Events, secret: T.Optional(Secret), active: T.Optional(T.Boolean()), description: T.Optional(Description) },
        { additionalProperties: false }),
      response: { 201: WithSecret, ...errors(400, 401, 403) } },
  }, async (req, reply) => {
    const r = await s.webhooks.create(req.ctx, req.body);
    return reply.code(201).send({ webhook: webhookOut(r.webhook), secret: r.secret });
  });

  app.get('/api/v1/webhooks/:id', {
    config: AUTH,
    schema: { tags: ['webhooks'], summary: 'One webhook (admin)', security: SECURITY, params: IdParam, response: { 200: WebhookSchema, ...errors(401, 403, 404) } },
  }, async (req) => webhookOut(await s.webhooks.get(req.ctx, req.params.id)));

  app.patch('/api/v1/webhooks/:id', {
    config: AUTH,
    schema: { tags: ['webhooks'], summary: 'Change a webhook (admin); `rotate_secret: true` makes a new secret, shown once', security: SECURITY, params: IdParam,
      body: T.Object({ url: T.Optional(Url), events: T.Optional(Events), secret: T.Optional(Secret), rotate_secret: T.Optional(T.Boolean()),
        active: T.Optional(T.Boolean()), description: T.Optional(Description) }, { additionalProperties: false, minProperties: 1 }),
      response: { 200: WithSecret, ...errors(400, 401, 403, 404) } },
  }, async (req) => {
    const { rotate_secret: rotateSecret, ...rest } = req.body;
    const r = await s.webhooks.update(req.ctx, req.params.id, { ...rest, ...(rotateSecret !== undefined ? { rotateSecret } : {}) });
    return { webhook: webhookOut(r.webhook), ...(r.secret !== undefined ? { secret: r.secret } : {}) };
  });

  app.delete('/api/v1/webhooks/:id', {
    config: AUTH,
    schema: { tags: ['webhooks'], summary: 'Remove a webhook and its delivery log (admin)', security: SECURITY, params: IdParam,
      response: { 204: T.Null(), ...errors(401, 403, 404) } },
  }, async (req, reply) => { await s.webhooks.delete(req.ctx, req.params.id); return reply.code(204).send(null); });

  app.get('/api/v1/webhooks/:id/deliveries', {
    config: AUTH,
    schema: { tags: ['webhooks'], summary: 'The delivery log of a webhook, newest first: status and each attempt (admin)', security: SECURITY, params: IdParam,
      querystring: T.Object({ limit: T.Optional(T.Integer({ minimum: 1, maximum: 200, default: 50 })), cursor: T.Optional(T.String({ maxLength: 1024 })) },
        { additionalProperties: false }),
      response: { 200: T.Object({ items: T.Array(DeliverySchema), next_cursor: T.Union([T.String(), T.Null()]) }), ...errors(400, 401, 403, 404) } },
  }, async (req) => {
    const page = await s.webhooks.deliveries(req.ctx, req.params.id, req.query.limit ?? 50, req.query.cursor);
    return { items: page.items.map(deliveryOut), next_cursor: page.nextCursor };
  });

  app.post('/api/v1/webhooks/:id/deliveries/:delivery/redeliver', {
    config: AUTH,
    schema: { tags: ['webhooks'], summary: 'Send a delivery\'s event again, as a new delivery due now (admin)', security: SECURITY,
      params: T.Object({ id: T.String({ minLength: 1, maxLength: 64 }), delivery: T.Integer({ minimum: 1, maximum: 2147483647 }) }),
      response: { 201: DeliverySchema, ...errors(400, 401, 403, 404) } },
  }, async (req, reply) => reply.code(201).send(deliveryOut(await s.webhooks.redeliver(req.ctx, req.params.id, req.params.delivery))));
};
