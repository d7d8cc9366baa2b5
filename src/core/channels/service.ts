/**
 * Channels: named places where job outcomes (and refusals) are posted. A message is stored, handed to live
 * subscribers (the SSE stream), and forwarded to the channel's webhook (a Slack-compatible `{"text": ...}` POST) in
 * the background with retries; a failing webhook never blocks or fails the caller.
 *
 * The channel `default` always exists (without a webhook unless the config declares it): it is where a job's outcome
 * goes when neither the caller nor the command names a channel.
 */
import { type RequestContext, requireAccess } from '../principal.js';
import { fail, invalid } from '../errors.js';
import type { ChangeFeed, Clock, JobStore, WebhookSender } from '../ports.js';
import type { ChannelDef, ChannelMessage } from '../job-types.js';
import type { Page } from '../types.js';

export const DEFAULT_CHANNEL = 'default';
export const MESSAGE_PAGE_MAX = 200;

export type MessageListener = (m: ChannelMessage) => void;

export interface ChannelServiceDeps {
  jobs: JobStore;
  clock: Clock;
  webhook: WebhookSender;
  channels: readonly ChannelDef[];
  /** Told about each webhook delivery that failed for good (after its last retry); for the server log. */
  onDeliveryFailure?(channel: string, messageId: number, detail: string): void;
  /**
   * The other processes sharing the store (the nodes on PostgreSQL, the workers of `serve --workers N`): each message
   * posted here is announced (`kind: 'message'`), and theirs come in through `received`, for the live subscribers.
   */
  feed?: Pick<ChangeFeed, 'publish'>;
}

export class ChannelService {
  private readonly defs = new Map<string, ChannelDef>();
  private readonly listeners = new Map<string, Set<MessageListener>>();
  private readonly deliveries = new Set<Promise<void>>();
  private readonly timers = new Map<ReturnType<typeof setTimeout>, () => void>();
  private closed = false;

  constructor(private readonly deps: ChannelServiceDeps) {
    for (const c of deps.channels) this.defs.set(c.name, c);
    if (!this.defs.has(DEFAULT_CHANNEL)) this.defs.set(DEFAULT_CHANNEL, { name: DEFAULT_CHANNEL, retry: { attempts: 1, backoffMs: 0 } });
  }

  names(): string[] {
    return [...this.defs.keys()].sort();
  }

  has(name: string): boolean {
    return this.defs.has(name);
  }

  /** Channel names for any logged-in caller (webhook URLs stay private: they are often secrets themselves). */
  list(ctx: RequestContext): { name: string; webhook: boolean }[] {
    requireAccess(ctx.principal, 'read');
    return this.names().map((name) => ({ name, webhook: this.defs.get(name)!.webhook !== undefined }));
  }

  /** Checks the caller may read `channel` (any logged-in user) and that it exists. */
  requireReadable(ctx: RequestContext, channel: string): void {
    requireAccess(ctx.principal, 'read');
    if (!this.defs.has(channel)) fail('CHANNEL_NOT_FOUND', `no channel '${channel}'`);
  }

  async messages(ctx: RequestContext, channel: string, q: { limit?: number; cursor?: string }): Promise<Page<ChannelMessage>> {
    this.requireReadable(ctx, channel);
    const limit = q.limit ?? 50;
    if (!Number.isInteger(limit) || limit < 1 || limit > MESSAGE_PAGE_MAX) invalid('limit', `limit: must be 1..${MESSAGE_PAGE_MAX}`);
    return this.deps.jobs.listMessages({ channel, limit, cursor: q.cursor });
  }

  /** Messages after `afterId`, oldest first (an SSE client resuming with Last-Event-ID). */
  async since(channel: string, afterId: number, limit = 1000): Promise<ChannelMessage[]> {
    return (await this.deps.jobs.listMessages({ channel, limit, afterId })).items;
  }

  /** Live messages of one channel; returns the unsubscribe function. */
  subscribe(channel: string, fn: MessageListener): () => void {
    let set = this.listeners.get(channel);
    if (!set) { set = new Set(); this.listeners.set(channel, set); }
    set.add(fn);
    return () => {
      set.delete(fn);
      if (set.size === 0 && this.listeners.get(channel) === set) this.listeners.delete(channel);
    };
  }

  /**
   * A message another process posted (announced through the feed, after it was stored): read and handed to this
   * process's live subscribers of its channel, if any. Never rejects (a store error loses only the live copy: a
   * client resuming with Last-Event-ID reads it from the store).
   */
  async received(channel: string, id: number): Promise<void> {
    if (!this.listeners.has(channel)) return;
    try {
      const [msg] = (await this.deps.jobs.listMessages({ channel, limit: 1, afterId: id - 1 })).items;
      if (msg !== undefined && msg.id === id) this.tell(msg);
    } catch { /* see above */ }
  }

  private tell(msg: ChannelMessage): void {
    for (const fn of [...(this.listeners.get(msg.channel) ?? [])]) {
      try { fn(msg); } catch { /* a broken subscriber (closed stream) must not affect the others */ }
    }
  }

  /** Stores a message, tells live subscribers (here and, through the feed, elsewhere), and starts the webhook delivery (not awaited). */
  async post(channel: string, m: { text: string; job_id?: number | null }): Promise<ChannelMessage> {
    const def = this.defs.get(channel);
    if (!def) return fail('CHANNEL_NOT_FOUND', `no channel '${channel}'`);
    const msg = await this.deps.jobs.addMessage({ channel, text: m.text, jobId: m.job_id ?? null, at: this.deps.clock.now() });
    this.tell(msg);
    this.deps.feed?.publish({ kind: 'message', id: msg.id, channel });
    if (def.webhook !== undefined && !this.closed) {
      const d = this.deliver(def, msg).finally(() => this.deliveries.delete(d));
      this.deliveries.add(d);
    }
    return msg;
  }

  /** Resolves when every webhook delivery started so far has finished (delivered or given up). */
  async idle(): Promise<void> {
    while (this.deliveries.size > 0) await Promise.allSettled([...this.deliveries]);
  }

  /** Stops retrying: pending retries are dropped. */
  close(): void {
    this.closed = true;
    for (const [t, wake] of this.timers) { clearTimeout(t); wake(); }
    this.timers.clear();
  }

  private async deliver(def: ChannelDef, msg: ChannelMessage): Promise<void> {
    const attempts = Math.max(1, def.retry.attempts);
    let detail = '';
    for (let i = 0; i < attempts; i++) {
      if (this.closed) return;
      if (i > 0) await this.sleep(def.retry.backoffMs * 2 ** (i - 1));
      if (this.closed) return;
      let r: { ok: boolean; detail: string };
      try {
        r = await this.deps.webhook.post(def.webhook!, { text: msg.text });
      } catch (e) {
        r = { ok: false, detail: (e as Error).message };
      }
      if (r.ok) return;
      detail = r.detail;
    }
    this.deps.onDeliveryFailure?.(def.name, msg.id, `gave up after ${attempts} attempt(s): ${detail}`);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => { this.timers.delete(t); resolve(); }, ms);
      this.timers.set(t, resolve);
    });
  }
}
