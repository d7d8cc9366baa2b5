/**
 * Delivers the outbox (issue 16): leases due deliveries (one node holds each), signs and posts them, records each
 * attempt, retries with exponential backoff up to `maxAttempts`, then marks the delivery `failed`. At-least-once: a
 * node killed after posting but before recording lets the lease run out, and another node (or this one restarted)
 * sends the delivery again with the same `webhook-id`, by which receivers drop duplicates.
 */
import type { Cipher, Clock } from '../ports.js';
import type { AttemptOutcome, ClaimedDelivery, SignedPoster, WebhookStore } from '../webhook-types.js';

export interface DispatcherOptions {
  maxAttempts: number;
  retryBaseMs: number;
  timeoutMs: number;
  pollMs: number;
  /** Deliveries leased per round. */
  batch?: number;
}

const MAX_BACKOFF_MS = 6 * 3_600_000;

/** The wait before attempt `n + 1` after `n` failed attempts: base · 2^(n−1), at most 6 h. */
export const backoffMs = (base: number, failed: number): number => Math.min(base * 2 ** Math.max(0, failed - 1), MAX_BACKOFF_MS);

export class Dispatcher {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private closed = false;

  constructor(private readonly d: {
    store: WebhookStore; poster: SignedPoster; cipher: Cipher; clock: Clock; node: string; opts: DispatcherOptions;
    onError?: (err: unknown) => void;
  }) {}

  /** Frees the leases a previous process of this node left (killed mid-send), then polls and sends. */
  async start(): Promise<number> {
    if (this.timer || this.closed) return 0;
    const freed = await this.d.store.releaseLeases(this.d.node);
    this.timer = setInterval(() => this.kick(), this.d.opts.pollMs);
    this.timer.unref();
    this.kick();
    return freed;
  }

  /** Runs a round now (or right after the current one). */
  kick(): void {
    if (this.closed) return;
    if (this.running) { this.again = true; return; }
    this.running = this.rounds().catch((e) => this.d.onError?.(e)).finally(() => { this.running = null; });
  }

  private async rounds(): Promise<void> {
    do {
      this.again = false;
      while (!this.closed && (await this.runOnce()) === (this.d.opts.batch ?? 20));
    } while (this.again && !this.closed);
  }

  /** One round: lease, send, record. Returns how many deliveries it leased. */
  async runOnce(): Promise<number> {
    const now = this.d.clock.now();
    const batch = this.d.opts.batch ?? 20;
    const claimed = await this.d.store.claim(this.d.node, now, now + this.d.opts.timeoutMs + 30_000, batch);
    await Promise.all(claimed.map((c) => this.send(c).catch((e) => this.d.onError?.(e))));
    return claimed.length;
  }

  private async send(c: ClaimedDelivery): Promise<void> {
    const attempt = c.attempts + 1;
    const at = this.d.clock.now();
    let r: { statusCode: number | null; durationMs: number; error: string | null };
    try {
      r = await this.d.poster.post({
        url: c.url, secret: this.d.cipher.decrypt(c.secretEnc), msgId: c.event.id, at: new Date(at),
        body: JSON.stringify(c.event.payload), timeoutMs: this.d.opts.timeoutMs,
      });
    } catch (e) {
      r = { statusCode: null, durationMs: this.d.clock.now() - at, error: (e as Error).message.slice(0, 500) };
    }
    const ok = r.statusCode !== null && r.statusCode >= 200 && r.statusCode < 300;
    const error = ok ? null : r.error ?? `receiver answered ${r.statusCode}`;
    const done = this.d.clock.now();
    const outcome: AttemptOutcome = ok
      ? { status: 'delivered', nextAttemptAt: done, attempt: { attempt, at, statusCode: r.statusCode, durationMs: r.durationMs, error } }
      : attempt >= this.d.opts.maxAttempts
        ? { status: 'failed', nextAttemptAt: done, attempt: { attempt, at, statusCode: r.statusCode, durationMs: r.durationMs, error } }
        : { status: 'pending', nextAttemptAt: done + backoffMs(this.d.opts.retryBaseMs, attempt), attempt: { attempt, at, statusCode: r.statusCode, durationMs: r.durationMs, error } };
    await this.d.store.finish(c.id, this.d.node, outcome);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}
