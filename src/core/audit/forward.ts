/**
 * Audit forwarding (issue 16, `audit.forward`): every audit row, once committed, is copied to each configured sink
 * (syslog, an HTTP endpoint) in the background. The request that caused the row never waits: `push` only queues.
 * Each sink has its own bounded queue and one sender that delivers batches in order, retrying a failed batch with
 * backoff; when the queue is full new rows are dropped. Drops and given-up batches are counted and logged. Audit rows
 * carry ids and names only, never a token value (AuditService's rule), so neither does anything forwarded.
 */
import type { AuditSink, ForwardedAudit } from '../ports.js';

export interface ForwardStats { sent: number; failed: number; dropped: number; queued: number }

export interface AuditForwarderOptions {
  /** Rows waiting per sink at most; more are dropped (counted). */
  queueSize: number;
  /** Attempts after the first for one batch, with doubling delays from `backoffMs`. */
  retries: number;
  backoffMs: number;
  /** Rows per batch at most. */
  batchSize?: number;
  log(level: 'warn' | 'error', fields: Record<string, unknown>, msg: string): void;
}

/** The wire shape of a forwarded row: the same fields as `GET /api/v1/audit` and the NDJSON export, plus `hash`. */
export const auditWire = (e: ForwardedAudit) => ({
  id: e.id, at: new Date(e.at).toISOString(), actor: { type: e.actorType, id: e.actorId, name: e.actorName }, action: e.action,
  target: e.targetId === null ? null : { type: e.targetType, id: e.targetId }, ip: e.ip, request_id: e.requestId, details: e.details,
  hash: e.hash,
});

const DROP_LOG_EVERY_MS = 10_000;

class Lane {
  readonly stats: ForwardStats = { sent: 0, failed: 0, dropped: 0, queued: 0 };
  private queue: ForwardedAudit[] = [];
  private running: Promise<void> | null = null;
  private lastDropLog = 0;
  private stopping = false;
  /** Shutdown's wait is over: no more tries, no more batches (what is left counts as not forwarded). */
  private abandoned = false;

  constructor(readonly sink: AuditSink, private readonly o: AuditForwarderOptions) {}

  push(e: ForwardedAudit): void {
    if (this.queue.length >= this.o.queueSize) {
      this.stats.dropped++;
      const now = Date.now();
      if (now - this.lastDropLog >= DROP_LOG_EVERY_MS) {
        this.lastDropLog = now;
        this.o.log('warn', { sink: this.sink.name, dropped: this.stats.dropped, queue_size: this.o.queueSize }, 'audit forwarding queue full: rows dropped');
      }
      return;
    }
    this.queue.push(e);
    this.stats.queued = this.queue.length;
    this.running ??= this.run().finally(() => { this.running = null; });
  }

  private async run(): Promise<void> {
    while (this.queue.length > 0 && !this.abandoned) {
      const batch = this.queue.splice(0, this.o.batchSize ?? 100);
      this.stats.queued = this.queue.length;
      let err: unknown = null;
      for (let attempt = 0; attempt <= this.o.retries && (attempt === 0 || !this.abandoned); attempt++) {
        if (attempt > 0) await new Promise((r) => setTimeout(r, this.stopping ? 0 : this.o.backoffMs * 2 ** (attempt - 1)));
        try {
          await this.sink.send(batch);
          err = null;
          break;
        } catch (e) {
          err = e;
        }
      }
      if (err === null) { this.stats.sent += batch.length; continue; }
      this.stats.failed += batch.length;
      this.o.log('error', { sink: this.sink.name, rows: batch.length, first_id: batch[0]!.id, failed: this.stats.failed, reason: reason(err) },
        'audit forwarding failed after retries: rows not forwarded');
    }
  }

  /**
   * Waits for the queue to drain (retries without delay), at most `timeoutMs`; then gives up: no more tries, the
   * sink closed (which ends a send in flight), and what was not sent counted (`failed`, `queued`) — all within
   * `timeoutMs` and about a second more, so a receiver that never answers cannot hold shutdown.
   */
  async drain(timeoutMs: number): Promise<void> {
    this.stopping = true;
    const wait = (ms: number): Promise<void> => {
      let timer: NodeJS.Timeout | undefined;
      return Promise.race([this.running ?? Promise.resolve(), new Promise<void>((r) => { timer = setTimeout(r, ms); })]).finally(() => clearTimeout(timer));
    };
    await wait(timeoutMs);
    if (!this.running) return;
    this.abandoned = true;
    await this.sink.close().catch(() => undefined);
    await wait(1_000);
    this.stats.queued = this.queue.length;
  }
}

/** The reason of a failure, for the log: the error's message, never the rows. */
const reason = (e: unknown): string => (e instanceof Error ? e.message : String(e)).slice(0, 300);

export class AuditForwarder {
  private readonly lanes: Lane[];
  constructor(sinks: readonly AuditSink[], opts: AuditForwarderOptions) {
    this.lanes = sinks.map((s) => new Lane(s, opts));
  }

  get active(): boolean { return this.lanes.length > 0; }

  /** Queues one committed row for every sink; never waits, never throws. */
  push(e: ForwardedAudit): void {
    for (const l of this.lanes) l.push(e);
  }

  /** Per sink: rows sent, given up after retries, dropped (queue full), waiting. */
  stats(): Record<string, ForwardStats> {
    return Object.fromEntries(this.lanes.map((l) => [l.sink.name, { ...l.stats }]));
  }

  /** At shutdown: lets queued rows go out (at most `timeoutMs`, about a second more to give up), then closes the sinks. */
  async close(timeoutMs = 5_000): Promise<void> {
    await Promise.all(this.lanes.map((l) => l.drain(timeoutMs)));
    await Promise.all(this.lanes.map((l) => l.sink.close().catch(() => undefined)));
  }
}
