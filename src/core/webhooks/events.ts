/**
 * Which webhook events an audited change causes, and their payloads `{type, timestamp, data}`: ids, names and the
 * owner — never a token value, hash or secret. `AuditService.record` asks `eventsFor` and the store writes the events
 * in the audit row's transaction, so every face (API, CLI, chat, compat routes, leaks) emits them for free.
 */
import { randomUUID } from 'node:crypto';
import type { Store } from '../ports.js';
import type { Token, User } from '../types.js';
import type { AuditedChange, OutboxEvent, WebhookEventType } from '../webhook-types.js';

export const eventId = (): string => `msg_${randomUUID().replace(/-/g, '')}`;

export const makeEvent = (type: WebhookEventType, data: Record<string, unknown>, at: number): OutboxEvent => ({
  id: eventId(), type, createdAt: at, payload: { type, timestamp: new Date(at).toISOString(), data },
});

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** A token as events show it (no value, no hash, no prefix). */
export const tokenData = (t: Pick<Token, 'id' | 'name' | 'kind' | 'ownerId' | 'expiresAt'>, owner: Pick<User, 'id' | 'username'> | null): Record<string, unknown> => ({
  id: t.id, name: t.name, kind: t.kind, owner: owner ? { id: owner.id, username: owner.username } : null, expires_at: iso(t.expiresAt),
});

const TOKEN_ACTIONS: Record<string, WebhookEventType> = {
  'token.create': 'token.created', 'token.update': 'token.updated', 'token.rotate': 'token.rotated',
  'token.revoke': 'token.revoked', 'token.leaked': 'token.leaked',
};

/** The event type an audited action can cause, if any (`user.update` only when it disabled the user). */
const typeOf = (c: AuditedChange): WebhookEventType | null => {
  const type = TOKEN_ACTIONS[c.action];
  if (type !== undefined) return c.target?.type === 'token' ? type : null;
  if (c.action === 'token.batch_create') return 'token.created';
  if (c.action === 'token.bulk_revoke') return 'token.revoked';
  if (c.action === 'user.update') return 'user.disabled';
  return null;
};

/**
 * Builds the events of one audited change (reads the tokens or user it names). `subscribed`: the event types some
 * active webhook takes (`WebhookStore.subscribedTypes`); a change whose type none takes builds nothing and reads
 * nothing — the store would write no event for it anyway, and a batch of 1,000 tokens would read each back.
 */
export class AuditEvents {
  constructor(private readonly store: Store, private readonly subscribed?: () => Promise<ReadonlySet<string>>) {}

  /** Whether an action can cause an event at all (most cannot: logins, reveals, user creation…). */
  mayCause(action: string): boolean {
    return TOKEN_ACTIONS[action] !== undefined || action === 'token.batch_create' || action === 'token.bulk_revoke' || action === 'user.update';
  }

  /** The event types some active webhook takes, or null when every type is built (no `subscribed` given). */
  subscribedTypes(): Promise<ReadonlySet<string>> | null {
    return this.subscribed?.() ?? null;
  }

  /**
   * `store`: where to read the tokens and user (the change's transaction, so what it wrote is seen); `subscribed`: the
   * subscribed types read beforehand (a transaction on SQLite holds the one connection), else read now.
   */
  async eventsFor(c: AuditedChange, store: Store = this.store, subscribed?: ReadonlySet<string> | null): Promise<OutboxEvent[]> {
    const type = typeOf(c);
    const types = subscribed !== undefined ? subscribed : await this.subscribedTypes();
    if (type === null || (types !== null && !types.has(type))) return [];
    const actor = { type: c.actor.type, id: c.actor.id, name: c.actor.name };
    const owners = new Map<number, User | null>();
    const tokenEvent = async (eventType: WebhookEventType, id: string, extra: Record<string, unknown>): Promise<OutboxEvent | null> => {
      const t = await store.getToken(id);
      if (!t) return null;
      let owner: User | null = null;
      if (t.ownerId !== null) {
        if (owners.has(t.ownerId)) owner = owners.get(t.ownerId)!;
        else { owner = await store.getUser(t.ownerId); owners.set(t.ownerId, owner); }
      }
      return makeEvent(eventType, { token: tokenData(t, owner), actor, ...extra }, c.at);
    };
    if (c.target?.type === 'token' && TOKEN_ACTIONS[c.action] !== undefined) {
      const d = c.details ?? {};
      const extra: Record<string, unknown> = {};
      if (type === 'token.updated' && Array.isArray(d.fields)) extra.fields = d.fields;
      if (type === 'token.revoked') extra.via = typeof d.via === 'string' ? d.via : 'api';
      if (type === 'token.leaked') { for (const k of ['url', 'source', 'action']) if (typeof d[k] === 'string') extra[k] = d[k]; }
      if (type === 'token.leaked' && typeof d.partner === 'string') extra.partner = d.partner;
      const e = await tokenEvent(type, c.target.id, extra);
      return e ? [e] : [];
    }
    // A batch creation and a bulk revocation: one event per token.
    if ((c.action === 'token.batch_create' || c.action === 'token.bulk_revoke') && Array.isArray(c.details?.ids)) {
      const extra = c.action === 'token.bulk_revoke' ? { via: 'bulk' } : {};
      const out: OutboxEvent[] = [];
      for (const id of c.details.ids) {
        const e = typeof id === 'string' ? await tokenEvent(type, id, extra) : null;
        if (e) out.push(e);
      }
      return out;
    }
    if (c.action === 'user.update' && c.target?.type === 'user' && Array.isArray(c.details?.fields) && c.details.fields.includes('disabled')) {
      const u = await store.getUser(Number(c.target.id));
      if (!u?.disabled) return [];
      return [makeEvent('user.disabled', { user: { id: u.id, username: u.username }, actor }, c.at)];
    }
    return [];
  }
}
