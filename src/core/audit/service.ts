import { type RequestContext, requireAdmin } from '../principal.js';
import { ChainCheck, chainHash } from './chain.js';
import type { AuditForwarder } from './forward.js';
import type { Atomically, AuditFilter, Clock, Store } from '../ports.js';
import type { AuditEvent, Page } from '../types.js';
import type { AuditedChange, OutboxEvent } from '../webhook-types.js';

/** What an audit row says happened (the actor comes from the request, unless given). */
export interface AuditRow {
  action: string;
  target?: { type: string; id: string | number } | null;
  details?: Record<string, unknown> | null;
  actor?: { type: AuditEvent['actorType']; id: string; name: string };
}

/** The webhook events of audited changes (webhooks/events.ts). */
export interface AuditEventSource {
  /** Whether `action` can cause any event (when it cannot, nothing is read). */
  mayCause(action: string): boolean;
  /** The event types some active webhook takes (null: build every type), read before a transaction opens. */
  subscribedTypes(): Promise<ReadonlySet<string>> | null;
  /** The events a change causes, reading what it names from `store` (the change's transaction). */
  eventsFor(c: AuditedChange, store: Store, subscribed: ReadonlySet<string> | null): Promise<OutboxEvent[]>;
}

const NONE: ReadonlySet<string> = new Set();

/** Records who did what, when and from where. Callers pass ids and names only: never a token value. */
export class AuditService {
  /** `forward`: copies each committed row to the configured sinks (audit.forward), in the background. */
  constructor(private readonly store: Store, private readonly clock: Clock, private readonly forward: AuditForwarder | null = null,
    /** Webhooks (issue 16): the events a change causes, written with its audit row in one transaction. */
    private readonly events?: AuditEventSource, private readonly onEvents?: () => void) {}

  /** Records something that changed nothing else (a login, a reveal) or whose change is already stored. */
  async record(ctx: RequestContext, action: string, target: { type: string; id: string | number } | null,
    details: Record<string, unknown> | null = null, actorOverride?: { type: AuditEvent['actorType']; id: string; name: string }): Promise<void> {
    const subscribed = this.events?.mayCause(action) ? await this.events.subscribedTypes() : NONE;
    const committed = await this.append(this.store, ctx, { action, target, details, ...(actorOverride ? { actor: actorOverride } : {}) }, subscribed);
    committed();
  }

  /**
   * Makes a change and records it in ONE transaction: `change` runs with a store bound to it, then `row(result)`
   * says what to record (null: nothing, e.g. a revocation that found the token revoked already). The change, its
   * audit row and the webhook events it causes are all stored or none is: a change is never left unaudited (if the
   * audit row cannot be written the change is rolled back and the error goes to the caller). What must follow the
   * commit (cache invalidation, forwarding, delivery) is the caller's to do after this resolves.
   */
  audited<T>(ctx: RequestContext, change: (s: Store) => Promise<T>, row: (result: T) => AuditRow | null): Promise<T> {
    return this.auditedIn(ctx, (fn) => this.store.atomically((s) => fn(s, s)), change, row);
  }

  /** `audited` for a change made through another store (roles, webhooks), bound to the same transaction by `atomically`. */
  async auditedIn<S, T>(ctx: RequestContext, atomically: Atomically<S>, change: (s: S) => Promise<T>, row: (result: T) => AuditRow | null): Promise<T> {
    // Before the transaction: on SQLite it holds the one connection, and this reads through another handle.
    const subscribed = (await this.events?.subscribedTypes()) ?? null;
    let committed: (() => void) | null = null;
    const result = await atomically(async (x, s) => {
      const r = await change(x);
      const a = row(r);
      if (a !== null) committed = await this.append(s, ctx, a, subscribed);
      return r;
    });
    (committed as (() => void) | null)?.();
    return result;
  }

  /** Writes the row (and its events) through `store`; returns what to do once it is committed. */
  private async append(store: Store, ctx: RequestContext, a: AuditRow, subscribed: ReadonlySet<string> | null): Promise<() => void> {
    const p = ctx.principal;
    const actor = a.actor ?? (p === null
      ? { type: 'anonymous' as const, id: null, name: null }
      : p.type === 'token'
        ? { type: 'token' as const, id: p.token.id, name: p.user?.username ?? p.token.name }
        : { type: 'user' as const, id: String(p.user.id), name: p.user.username });
    const target = a.target ?? null;
    const details = a.details ?? null;
    const e = {
      at: this.clock.now(), actorType: actor.type, actorId: actor.id, actorName: actor.name, action: a.action,
      targetType: target?.type ?? null, targetId: target === null ? null : String(target.id),
      ip: ctx.ip, requestId: ctx.requestId, details,
    };
    const events = this.events
      ? await this.events.eventsFor({ action: a.action, target: e.targetType === null ? null : { type: e.targetType, id: e.targetId! }, details, actor, at: e.at }, store, subscribed)
      : [];
    let hash: string | null = null;
    const id = await store.appendAudit(e, (prev) => (hash = chainHash(prev, e)), events);
    return () => {
      if (events.length > 0) this.onEvents?.();
      if (this.forward?.active) this.forward.push({ ...e, id, hash });
    };
  }

  /**
   * Walks the whole log, oldest first, and reports the first row that breaks the hash chain (admins; the CLI's
   * `tessera audit verify`).
   */
  async verifyChain(ctx: RequestContext): Promise<{ ok: boolean; checked: number; unchained: number; firstBroken: { id: number; reason: string } | null }> {
    requireAdmin(ctx.principal);
    // The head as it is before the walk (rows appended meanwhile come after it): the walk must meet it, or the newest
    // rows were removed — a removal no link after it can show.
    const head = await this.store.auditHead();
    const check = new ChainCheck();
    let last = 0;
    let metHead = head === null;
    for (let after = 0; ;) {
      const rows = await this.store.scanAudit(after, 1000);
      for (const r of rows) { check.add(r); if (r.hash === head) metHead = true; }
      if (rows.length > 0) last = rows[rows.length - 1]!.id;
      if (rows.length < 1000 || check.broken) break;
      after = last;
    }
    if (check.broken === null && !metHead && check.checked > 0) {
      check.broken = { id: last + 1, reason: 'the newest rows were removed: the chain\'s head is not the hash of any row (the first missing id is given)' };
    }
    return { ok: check.broken === null, checked: check.checked, unchained: check.unchained, firstBroken: check.broken };
  }

  list(f: AuditFilter): Promise<Page<AuditEvent>> {
    return this.store.listAudit(f);
  }

  /**
   * Deletes rows older than `retentionDays` (0 keeps every row), in batches of 1,000 so no statement holds the
   * database for long; returns how many.
   */
  async prune(retentionDays: number): Promise<number> {
    if (retentionDays <= 0) return 0;
    const before = this.clock.now() - retentionDays * 86_400_000;
    let total = 0;
    for (let n = -1; n !== 0; total += n) n = await this.store.pruneAudit(before, 1000);
    return total;
  }
}
