/**
 * Webhooks (issue 16), the shared kernel of core/webhooks (at the core's root, like job-types.ts): event types, the records the API shows, and the ports the outbox and dispatcher use
 * (implemented in src/store/sql-webhooks.ts, src/infra/webhook-signed.ts, src/infra/mailer.ts).
 */
import type { Page, TokenKind } from './types.js';

export const WEBHOOK_EVENTS = [
  'token.created', 'token.updated', 'token.rotated', 'token.revoked', 'token.expiring', 'token.expired',
  'token.usage_exhausted', 'token.leaked', 'user.disabled', 'job.finished',
] as const;
export type WebhookEventType = typeof WEBHOOK_EVENTS[number];

/** One event as the outbox stores it: `id` is the Standard Webhooks message id (`webhook-id`), the same on every retry. */
export interface OutboxEvent {
  id: string;
  type: WebhookEventType;
  /** The signed body: `{type, timestamp, data}` (ids, names, owner; never a token value). */
  payload: { type: WebhookEventType; timestamp: string; data: Record<string, unknown> };
  createdAt: number;
}

export interface Webhook {
  id: string;
  url: string;
  events: WebhookEventType[];
  active: boolean;
  description: string;
  createdAt: number;
  updatedAt: number;
}
export interface WebhookRecord extends Webhook { secretEnc: string }

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface DeliveryAttempt {
  attempt: number;
  at: number;
  statusCode: number | null;
  durationMs: number;
  error: string | null;
}

export interface Delivery {
  id: number;
  webhookId: string;
  eventId: string;
  eventType: WebhookEventType;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: number | null;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: number;
  updatedAt: number;
  log: DeliveryAttempt[];
}

/** A delivery this node has leased, with what it needs to send it. */
export interface ClaimedDelivery {
  id: number;
  attempts: number;
  url: string;
  secretEnc: string;
  event: OutboxEvent;
}

export interface AttemptOutcome {
  attempt: DeliveryAttempt;
  /** `delivered`, `failed` (gave up), or `pending` again at `nextAttemptAt`. */
  status: DeliveryStatus;
  nextAttemptAt: number;
}

/** A token whose expiry is near or past, for the expiry scan. */
export interface ExpiringToken {
  id: string;
  name: string | null;
  kind: TokenKind;
  ownerId: number | null;
  expiresAt: number;
}

/**
 * Webhooks and the outbox. Contracts (both stores pass test/store/webhooks-conformance.ts via the API tests):
 * - `enqueue` writes each event and one pending delivery per active webhook subscribed to its type, in one transaction
 *   (the audit append writes them in *its* transaction: `Store.appendAudit`'s `events`).
 * - `claim` leases due pending deliveries of active webhooks to one node until `leaseUntil`: two nodes never hold the
 *   same delivery at once (PostgreSQL: `FOR UPDATE SKIP LOCKED` and the lease re-checked on the locked row).
 * - `finish` records an attempt only if this node still holds the lease.
 * - `noticeOnce` records `(token, notice)` and enqueues its events in one transaction, only the first time.
 */
export interface WebhookStore {
  createWebhook(w: WebhookRecord): Promise<Webhook>;
  getWebhook(id: string): Promise<WebhookRecord | null>;
  listWebhooks(): Promise<Webhook[]>;
  /** The event types some active webhook subscribes to (read each time: webhooks change on any node). */
  subscribedTypes(): Promise<ReadonlySet<string>>;
  updateWebhook(id: string, patch: Partial<Pick<WebhookRecord, 'url' | 'events' | 'active' | 'description' | 'secretEnc'>> & { updatedAt: number }): Promise<Webhook | null>;
  deleteWebhook(id: string): Promise<boolean>;
  enqueue(events: OutboxEvent[]): Promise<number>;
  claim(node: string, now: number, leaseUntil: number, limit: number): Promise<ClaimedDelivery[]>;
  finish(id: number, node: string, outcome: AttemptOutcome): Promise<boolean>;
  /**
   * Deletes finished (delivered or failed) deliveries last changed before `before`, with their attempts, and the events
   * no delivery refers to any more; at most `batch` deliveries per call. Returns how many deliveries.
   */
  prune(before: number, batch: number): Promise<number>;
  /** Start-up: leases this node still holds are from a process that died (kill -9): free them; returns how many. */
  releaseLeases(node: string): Promise<number>;
  listDeliveries(webhookId: string, limit: number, cursor?: string): Promise<Page<Delivery>>;
  getDelivery(webhookId: string, id: number): Promise<Delivery | null>;
  /** A new pending delivery of the same event to the same webhook, due now. */
  redeliver(webhookId: string, id: number, now: number): Promise<Delivery | null>;
  /** Not revoked tokens with an expiry in (`from`, `to`]. */
  tokensExpiringBetween(from: number, to: number): Promise<ExpiringToken[]>;
  noticeOnce(tokenId: string, notices: string[], events: OutboxEvent[], now: number): Promise<boolean>;
}

/** Posts a signed body (Standard Webhooks headers); never rejects. */
export interface SignedPoster {
  post(req: { url: string; secret: string; msgId: string; at: Date; body: string; timeoutMs: number }): Promise<{ statusCode: number | null; durationMs: number; error: string | null }>;
}

/** Sends an e-mail (SMTP); rejects on failure. */
export interface Mailer {
  send(m: { to: string; subject: string; text: string }): Promise<void>;
}

/** Where faces and services put events that no audit row carries (jobs, usage limits, expiry). */
export interface EventSink {
  emit(type: WebhookEventType, data: Record<string, unknown>): Promise<void>;
}

/** An audited change, as `AuditService.record` describes it to the webhook event builder (core/webhooks/events.ts). */
export interface AuditedChange {
  action: string;
  target: { type: string; id: string } | null;
  details: Record<string, unknown> | null;
  actor: { type: string; id: string | null; name: string | null };
  at: number;
}
