/**
 * The WebhookStore port over Kysely (issue 16): webhooks, the outbox (events and their deliveries), attempts, and
 * the once-per-token expiry notices. `writeOutbox` is also called by `SqlStore.appendAudit` inside the audit row's
 * transaction, so an event exists exactly when the change's audit row does.
 */
import { type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import type {
  AttemptOutcome, ClaimedDelivery, Delivery, DeliveryAttempt, DeliveryStatus, ExpiringToken, OutboxEvent, Webhook,
  WebhookEventType, WebhookRecord, WebhookStore,
} from '../core/webhook-types.js';
import type { Page, TokenKind } from '../core/types.js';
import type { Database, Dialect, WebhookDeliveriesTable, WebhooksTable } from './schema.js';
import { decodeCursor, encodeCursor } from './cursor.js';

const num = (v: number | string | null): number | null => (v === null ? null : Number(v));

const toWebhook = (r: Selectable<WebhooksTable>): WebhookRecord => ({
  id: r.id, url: r.url, events: JSON.parse(r.events) as WebhookEventType[], active: Number(r.active) === 1, description: r.description,
  createdAt: Number(r.created_at), updatedAt: Number(r.updated_at), secretEnc: r.secret_enc,
});
const publicWebhook = ({ secretEnc: _s, ...w }: WebhookRecord): Webhook => w;

/**
 * Writes events and their deliveries (one per active webhook subscribed to the type) on `db`, which is a transaction
 * when called from the audit append or `enqueue`. Events no webhook wants are not stored. Returns deliveries written.
 */
export const writeOutbox = async (db: Kysely<Database> | Transaction<Database>, events: readonly OutboxEvent[]): Promise<number> => {
  if (events.length === 0) return 0;
  const hooks = (await db.selectFrom('webhooks').select(['id', 'events']).where('active', '=', 1).execute())
    .map((h) => ({ id: h.id, events: new Set(JSON.parse(h.events) as string[]) }));
  let n = 0;
  for (const e of events) {
    const to = hooks.filter((h) => h.events.has(e.type));
    if (to.length === 0) continue;
    await db.insertInto('webhook_events').values({ id: e.id, type: e.type, payload: JSON.stringify(e.payload), created_at: e.createdAt }).execute();
    await db.insertInto('webhook_deliveries').values(to.map((h) => ({
      event_id: e.id, webhook_id: h.id, status: 'pending', attempts: 0, next_attempt_at: e.createdAt, lease_owner: null, lease_until: null,
      last_status_code: null, last_error: null, created_at: e.createdAt, updated_at: e.createdAt,
    }))).execute();
    n += to.length;
  }
  return n;
};

export class SqlWebhookStore implements WebhookStore {
  /** `bound`: runs inside a transaction its creator opened (`SqlStore.transaction`); it opens none of its own. */
  constructor(private readonly db: Kysely<Database>, private readonly dialect: Dialect, private readonly bound = false) {}

  /**
   * A transaction of its own, or the one this store is bound to. On SQLite every transaction begins IMMEDIATE
   * (sqlite/lock-wait.ts), taking the write lock first, so one that reads before it writes (the outbox's) waits for
   * another worker's write instead of failing with SQLITE_BUSY_SNAPSHOT — which lost `job.finished` events when jobs
   * ended on two workers at the same moment.
   */
  private tx<T>(fn: (db: Kysely<Database>) => Promise<T>): Promise<T> {
    return this.bound ? fn(this.db) : this.db.transaction().execute(fn);
  }

  async createWebhook(w: WebhookRecord): Promise<Webhook> {
    await this.db.insertInto('webhooks').values({
      id: w.id, url: w.url, events: JSON.stringify(w.events), secret_enc: w.secretEnc, active: w.active ? 1 : 0, description: w.description,
      created_at: w.createdAt, updated_at: w.updatedAt,
    }).execute();
    return publicWebhook(w);
  }

  async getWebhook(id: string): Promise<WebhookRecord | null> {
    const r = await this.db.selectFrom('webhooks').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toWebhook(r) : null;
  }

  async listWebhooks(): Promise<Webhook[]> {
    return (await this.db.selectFrom('webhooks').selectAll().orderBy('created_at').orderBy('id').execute()).map((r) => publicWebhook(toWebhook(r)));
  }

  async subscribedTypes(): Promise<ReadonlySet<string>> {
    const out = new Set<string>();
    for (const r of await this.db.selectFrom('webhooks').select('events').where('active', '=', 1).execute()) {
      for (const t of JSON.parse(r.events) as string[]) out.add(t);
    }
    return out;
  }

  async updateWebhook(id: string, p: Partial<Pick<WebhookRecord, 'url' | 'events' | 'active' | 'description' | 'secretEnc'>> & { updatedAt: number }): Promise<Webhook | null> {
    const set: Partial<WebhooksTable> = { updated_at: p.updatedAt };
    if (p.url !== undefined) set.url = p.url;
    if (p.events !== undefined) set.events = JSON.stringify(p.events);
    if (p.active !== undefined) set.active = p.active ? 1 : 0;
    if (p.description !== undefined) set.description = p.description;
    if (p.secretEnc !== undefined) set.secret_enc = p.secretEnc;
    const r = await this.db.updateTable('webhooks').set(set).where('id', '=', id).returningAll().executeTakeFirst();
    return r ? publicWebhook(toWebhook(r)) : null;
  }

  async deleteWebhook(id: string): Promise<boolean> {
    return this.tx(async (tx) => {
      const ds = tx.selectFrom('webhook_deliveries').select('id').where('webhook_id', '=', id);
      await tx.deleteFrom('webhook_attempts').where('delivery_id', 'in', ds).execute();
      await tx.deleteFrom('webhook_deliveries').where('webhook_id', '=', id).execute();
      const r = await tx.deleteFrom('webhooks').where('id', '=', id).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    });
  }

  enqueue(events: OutboxEvent[]): Promise<number> {
    if (events.length === 0) return Promise.resolve(0);
    return this.tx((tx) => writeOutbox(tx, events));
  }

  async claim(node: string, now: number, leaseUntil: number, limit: number): Promise<ClaimedDelivery[]> {
    let due = this.db.selectFrom('webhook_deliveries as d').innerJoin('webhooks as w', 'w.id', 'd.webhook_id').select('d.id')
      .where('d.status', '=', 'pending').where('d.next_attempt_at', '<=', now).where('w.active', '=', 1)
      .where((eb) => eb.or([eb('d.lease_until', 'is', null), eb('d.lease_until', '<', now)]))
      .orderBy('d.id').limit(limit);
    // PostgreSQL: skip rows another node is claiming right now; the lease is re-checked on the locked row below.
    if (this.dialect === 'postgres') due = due.forUpdate('d').skipLocked();
    const claimed = await this.db.updateTable('webhook_deliveries').set({ lease_owner: node, lease_until: leaseUntil })
      .where('id', 'in', due).where('status', '=', 'pending')
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
      .returning(['id', 'attempts', 'event_id', 'webhook_id']).execute();
    if (claimed.length === 0) return [];
    const events = new Map((await this.db.selectFrom('webhook_events').selectAll().where('id', 'in', claimed.map((c) => c.event_id)).execute())
      .map((e) => [e.id, e]));
    const hooks = new Map((await this.db.selectFrom('webhooks').selectAll().where('id', 'in', claimed.map((c) => c.webhook_id)).execute())
      .map((w) => [w.id, w]));
    const out: ClaimedDelivery[] = [];
    for (const c of claimed.sort((a, b) => a.id - b.id)) {
      const e = events.get(c.event_id);
      const w = hooks.get(c.webhook_id);
      if (!e || !w) continue;
      out.push({
        id: c.id, attempts: c.attempts, url: w.url, secretEnc: w.secret_enc,
        event: { id: e.id, type: e.type as WebhookEventType, payload: JSON.parse(e.payload) as OutboxEvent['payload'], createdAt: Number(e.created_at) },
      });
    }
    return out;
  }

  async finish(id: number, node: string, o: AttemptOutcome): Promise<boolean> {
    return this.tx(async (tx) => {
      const r = await tx.updateTable('webhook_deliveries').set((eb) => ({
        status: o.status, attempts: eb('attempts', '+', 1), next_attempt_at: o.nextAttemptAt, lease_owner: null, lease_until: null,
        last_status_code: o.attempt.statusCode, last_error: o.attempt.error, updated_at: o.attempt.at,
      })).where('id', '=', id).where('lease_owner', '=', node).executeTakeFirst();
      if (Number(r.numUpdatedRows) === 0) return false;
      await tx.insertInto('webhook_attempts').values({
        delivery_id: id, attempt: o.attempt.attempt, at: o.attempt.at, status_code: o.attempt.statusCode, duration_ms: Math.round(o.attempt.durationMs),
        error: o.attempt.error, node,
      }).execute();
      return true;
    });
  }

  async prune(before: number, batch: number): Promise<number> {
    return this.tx(async (tx) => {
      const ids = (await tx.selectFrom('webhook_deliveries').select('id').where('status', 'in', ['delivered', 'failed'])
        .where('updated_at', '<', before).orderBy('id').limit(batch).execute()).map((r) => r.id);
      if (ids.length === 0) return 0;
      await tx.deleteFrom('webhook_attempts').where('delivery_id', 'in', ids).execute();
      await tx.deleteFrom('webhook_deliveries').where('id', 'in', ids).execute();
      await tx.deleteFrom('webhook_events').where('created_at', '<', before)
        .where(({ not, exists, selectFrom }) => not(exists(selectFrom('webhook_deliveries as d').select('d.id').whereRef('d.event_id', '=', 'webhook_events.id'))))
        .execute();
      return ids.length;
    });
  }

  async releaseLeases(node: string): Promise<number> {
    const r = await this.db.updateTable('webhook_deliveries').set({ lease_owner: null, lease_until: null })
      .where('lease_owner', '=', node).where('status', '=', 'pending').executeTakeFirst();
    return Number(r.numUpdatedRows);
  }

  private async withLogs(rows: (Selectable<WebhookDeliveriesTable> & { type: string })[]): Promise<Delivery[]> {
    if (rows.length === 0) return [];
    const attempts = await this.db.selectFrom('webhook_attempts').selectAll().where('delivery_id', 'in', rows.map((r) => r.id)).orderBy('id').execute();
    const logs = new Map<number, DeliveryAttempt[]>();
    for (const a of attempts) {
      const l = logs.get(a.delivery_id) ?? [];
      l.push({ attempt: a.attempt, at: Number(a.at), statusCode: a.status_code, durationMs: a.duration_ms, error: a.error });
      logs.set(a.delivery_id, l);
    }
    return rows.map((r) => ({
      id: r.id, webhookId: r.webhook_id, eventId: r.event_id, eventType: r.type as WebhookEventType, status: r.status as DeliveryStatus,
      attempts: r.attempts, nextAttemptAt: r.status === 'pending' ? num(r.next_attempt_at) : null, lastStatusCode: r.last_status_code,
      lastError: r.last_error, createdAt: Number(r.created_at), updatedAt: Number(r.updated_at), log: logs.get(r.id) ?? [],
    }));
  }

  private deliveries() {
    return this.db.selectFrom('webhook_deliveries as d').innerJoin('webhook_events as e', 'e.id', 'd.event_id').selectAll('d').select('e.type');
  }

  async listDeliveries(webhookId: string, limit: number, cursor?: string): Promise<Page<Delivery>> {
    let q = this.deliveries().where('d.webhook_id', '=', webhookId).orderBy('d.id', 'desc').limit(limit + 1);
    if (cursor !== undefined) {
      const [id] = decodeCursor(cursor, ['int']);
      q = q.where('d.id', '<', id as number);
    }
    const rows = await q.execute();
    const items = await this.withLogs(rows.slice(0, limit));
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > limit && last ? encodeCursor([last.id]) : null };
  }

  async getDelivery(webhookId: string, id: number): Promise<Delivery | null> {
    if (!Number.isSafeInteger(id) || id < 1 || id > 2147483647) return null;
    const rows = await this.deliveries().where('d.webhook_id', '=', webhookId).where('d.id', '=', id).execute();
    return (await this.withLogs(rows))[0] ?? null;
  }

  async redeliver(webhookId: string, id: number, now: number): Promise<Delivery | null> {
    const old = await this.getDelivery(webhookId, id);
    if (!old) return null;
    const r = await this.db.insertInto('webhook_deliveries').values({
      event_id: old.eventId, webhook_id: webhookId, status: 'pending', attempts: 0, next_attempt_at: now, lease_owner: null, lease_until: null,
      last_status_code: null, last_error: null, created_at: now, updated_at: now,
    }).returning('id').executeTakeFirstOrThrow();
    return this.getDelivery(webhookId, Number(r.id));
  }

  async tokensExpiringBetween(from: number, to: number): Promise<ExpiringToken[]> {
    const rows = await this.db.selectFrom('tokens').select(['id', 'name', 'kind', 'owner_id', 'expires_at'])
      .where('revoked_at', 'is', null).where('expires_at', 'is not', null).where('expires_at', '>', from).where('expires_at', '<=', to)
      .orderBy('expires_at').execute();
    return rows.map((r) => ({ id: r.id, name: r.name, kind: r.kind as TokenKind, ownerId: num(r.owner_id), expiresAt: Number(r.expires_at) }));
  }

  async noticeOnce(tokenId: string, notices: string[], events: OutboxEvent[], now: number): Promise<boolean> {
    return this.tx(async (tx) => {
      const first = await tx.insertInto('token_notices').values({ token_id: tokenId, notice: notices[0]!, at: now })
        .onConflict((oc) => oc.columns(['token_id', 'notice']).doNothing()).returning('token_id').executeTakeFirst();
      if (!first) return false;
      for (const n of notices.slice(1)) {
        await tx.insertInto('token_notices').values({ token_id: tokenId, notice: n, at: now })
          .onConflict((oc) => oc.columns(['token_id', 'notice']).doNothing()).execute();
      }
      await writeOutbox(tx, events);
      return true;
    });
  }
}

