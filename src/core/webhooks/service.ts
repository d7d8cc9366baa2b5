/**
 * Webhooks (issue 16), admins only: register endpoints, list their deliveries, redeliver one. The secret (Standard
 * Webhooks `whsec_…`) is generated when absent, shown once in the answer to create (or to a secret change), and kept
 * encrypted (it must be read to sign). `emit` is the EventSink for events no audit row carries (jobs, usage limits).
 */
import { randomBytes } from 'node:crypto';
import type { AuditService } from '../audit/service.js';
import { fail, invalid } from '../errors.js';
import type { Atomically, Cipher, Clock } from '../ports.js';
import { type RequestContext, requireAdmin } from '../principal.js';
import type { Page } from '../types.js';
import { makeEvent } from './events.js';
import { type Delivery, type EventSink, WEBHOOK_EVENTS, type Webhook, type WebhookEventType, type WebhookStore } from '../webhook-types.js';

export interface WebhookInput {
  url?: string;
  events?: string[];
  secret?: string;
  active?: boolean;
  description?: string;
}

const SECRET = /^whsec_[A-Za-z0-9+/]{32,88}={0,2}$/;
export const newSecret = (): string => `whsec_${randomBytes(24).toString('base64')}`;

const checkUrl = (url: string): string => {
  let u: URL;
  try { u = new URL(url); } catch { return invalid('url', 'url must be an absolute http(s) URL'); }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') invalid('url', 'url must use http or https');
  if (u.username || u.password) invalid('url', 'url must not carry a user name or password');
  return u.toString();
};
const checkEvents = (events: string[]): WebhookEventType[] => {
  if (events.length === 0) invalid('events', 'give at least one event type');
  for (const e of events) if (!(WEBHOOK_EVENTS as readonly string[]).includes(e)) invalid('events', `unknown event type '${e.slice(0, 60)}'; known: ${WEBHOOK_EVENTS.join(', ')}`);
  return [...new Set(events)] as WebhookEventType[];
};
const checkSecret = (s: string): string => {
  if (!SECRET.test(s) || Buffer.from(s.slice(6), 'base64').length < 24) invalid('secret', 'secret must be whsec_ followed by base64 of 24 to 64 random bytes');
  return s;
};

export interface WebhookDeps {
  store: WebhookStore;
  cipher: Cipher;
  clock: Clock;
  audit: AuditService;
  /** The webhook store and the Store in one transaction: a change and its audit row commit together. */
  atomically: Atomically<WebhookStore>;
  /** Wakes the dispatcher after events were written on this node. */
  kick?: () => void;
}

export class WebhookService implements EventSink {
  constructor(private readonly d: WebhookDeps) {}

  list(ctx: RequestContext): Promise<Webhook[]> {
    requireAdmin(ctx.principal);
    return this.d.store.listWebhooks();
  }

  async get(ctx: RequestContext, id: string): Promise<Webhook> {
    requireAdmin(ctx.principal);
    const w = await this.d.store.getWebhook(id);
    if (!w) return fail('NOT_FOUND', `webhook ${id.slice(0, 60)} not found`);
    const { secretEnc: _s, ...rest } = w;
    return rest;
  }

  async create(ctx: RequestContext, input: WebhookInput): Promise<{ webhook: Webhook; secret: string }> {
    requireAdmin(ctx.principal);
    if (input.url === undefined) invalid('url', 'url is required');
    if (input.events === undefined) invalid('events', 'events is required');
    const url = checkUrl(input.url!);
    const events = checkEvents(input.events!);
    const secret = input.secret === undefined ? newSecret() : checkSecret(input.secret);
    const now = this.d.clock.now();
    const webhook = await this.d.audit.auditedIn(ctx, this.d.atomically, (s) => s.createWebhook({
      id: `wh_${randomBytes(12).toString('hex')}`, url, events, secretEnc: this.d.cipher.encrypt(secret), active: input.active ?? true,
      description: input.description ?? '', createdAt: now, updatedAt: now,
    }), (w) => ({ action: 'webhook.create', target: { type: 'webhook', id: w.id }, details: { url, events } }));
    return { webhook, secret };
  }

  /** Changes fields; a new `secret` ("generate" makes one) is answered once. */
  async update(ctx: RequestContext, id: string, input: WebhookInput & { rotateSecret?: boolean }): Promise<{ webhook: Webhook; secret?: string }> {
    requireAdmin(ctx.principal);
    if (input.rotateSecret && input.secret !== undefined) invalid('secret', 'send either secret (the one to use) or rotate_secret: true (make one), not both');
    const secret = input.rotateSecret ? newSecret() : input.secret !== undefined ? checkSecret(input.secret) : undefined;
    const patch = {
      updatedAt: this.d.clock.now(),
      ...(input.url !== undefined ? { url: checkUrl(input.url) } : {}),
      ...(input.events !== undefined ? { events: checkEvents(input.events) } : {}),
      ...(input.active !== undefined ? { active: input.active } : {}),
      ...(input.description !== undefined ? { description: input.description } : {}),
      ...(secret !== undefined ? { secretEnc: this.d.cipher.encrypt(secret) } : {}),
    };
    const fields = Object.keys(patch).filter((k) => k !== 'updatedAt').map((k) => (k === 'secretEnc' ? 'secret' : k));
    const webhook = await this.d.audit.auditedIn(ctx, this.d.atomically, (s) => s.updateWebhook(id, patch),
      (w) => (w === null ? null : { action: 'webhook.update', target: { type: 'webhook', id }, details: { fields } }));
    if (!webhook) return fail('NOT_FOUND', `webhook ${id.slice(0, 60)} not found`);
    if (input.active === true) this.d.kick?.();
    return secret === undefined ? { webhook } : { webhook, secret };
  }

  async delete(ctx: RequestContext, id: string): Promise<void> {
    requireAdmin(ctx.principal);
    const did = await this.d.audit.auditedIn(ctx, this.d.atomically, (s) => s.deleteWebhook(id),
      (d) => (d ? { action: 'webhook.delete', target: { type: 'webhook', id } } : null));
    if (!did) fail('NOT_FOUND', `webhook ${id.slice(0, 60)} not found`);
  }

  async deliveries(ctx: RequestContext, id: string, limit: number, cursor?: string): Promise<Page<Delivery>> {
    await this.get(ctx, id);
    return this.d.store.listDeliveries(id, limit, cursor);
  }

  async redeliver(ctx: RequestContext, id: string, deliveryId: number): Promise<Delivery> {
    await this.get(ctx, id);
    const d = await this.d.audit.auditedIn(ctx, this.d.atomically, (s) => s.redeliver(id, deliveryId, this.d.clock.now()),
      (r) => (r === null ? null : { action: 'webhook.redeliver', target: { type: 'webhook', id }, details: { delivery: deliveryId, new_delivery: r.id, event: r.eventId } }));
    if (!d) return fail('NOT_FOUND', `delivery ${deliveryId} of webhook ${id.slice(0, 60)} not found`);
    this.d.kick?.();
    return d;
  }

  /** Deletes finished deliveries (and their events) older than `retentionDays`; 0 keeps them. Returns how many. */
  async prune(retentionDays: number): Promise<number> {
    if (retentionDays <= 0) return 0;
    const before = this.d.clock.now() - retentionDays * 86_400_000;
    let total = 0;
    for (let n = -1; n !== 0; total += n) n = await this.d.store.prune(before, 1000);
    return total;
  }

  async emit(type: WebhookEventType, data: Record<string, unknown>): Promise<void> {
    const n = await this.d.store.enqueue([makeEvent(type, data, this.d.clock.now())]);
    if (n > 0) this.d.kick?.();
  }
}
