/**
 * The change feed over PostgreSQL LISTEN/NOTIFY: every node LISTENs on one channel per schema on a dedicated
 * connection and NOTIFYs `{"kind":"token","id":"tok_…"}` (ids only, never a value) when it changes something that
 * may stop a token. On receipt the node drops the matching cache entries. (Also `{"kind":"message","id":…,
 * "channel":…}` after a channel message is posted: the other nodes' live channel streams read it.)
 *
 * If the connection is lost the node is told at once (`lost()`: drop the cache, serve uncached) and the feed
 * reconnects with backoff (100 ms doubling to 5 s); once it LISTENs again the node is told `restored()`. A heartbeat
 * query notices a connection that died silently. Changes published while down are queued and sent on reconnect.
 */
import pg from 'pg';
import type { Change, ChangeFeed, ChangeListener } from '../../core/ports.js';
import type { Metrics } from '../../core/metrics.js';

export interface FeedLog { (level: 'info' | 'warn', msg: string, err?: unknown): void }

export interface PgFeedOptions {
  log?: FeedLog;
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** How often the connection is checked with a query, and how long that query may take before it counts as dead. */
  heartbeatMs?: number;
  heartbeatTimeoutMs?: number;
  /** Each change received is timed from its commit on the other node (`at` in the payload) to now. */
  metrics?: Metrics;
}

const MAX_QUEUED = 1000;

/**
 * A change as published: the change, and `at`, the sender's clock (ms since the epoch) when it published it — after
 * the change's transaction committed — so the receiver can time the propagation. Payloads without `at` (an older
 * node) are changes all the same.
 */
const payloadOf = (c: Change, at: number): string => JSON.stringify({ ...c, at });

/** When the change was published (`at`), or null. */
const sentAt = (payload: string | undefined): number | null => {
  const m = /"at":(\d{1,16})[,}]/.exec(payload ?? '');
  return m ? Number(m[1]) : null;
};

const parse = (payload: string | undefined): Change | null => {
  try {
    const c = JSON.parse(payload ?? '') as Partial<Record<'kind' | 'id' | 'channel', unknown>>;
    if (c.kind === 'token' && typeof c.id === 'string') return { kind: 'token', id: c.id };
    if (c.kind === 'user' && typeof c.id === 'number') return { kind: 'user', id: c.id };
    if (c.kind === 'session' && typeof c.id === 'number') return { kind: 'session', id: c.id };
    if (c.kind === 'all') return { kind: 'all' };
    if (c.kind === 'authz') return { kind: 'authz' };
    if (c.kind === 'message' && Number.isSafeInteger(c.id) && typeof c.channel === 'string') return { kind: 'message', id: c.id as number, channel: c.channel };
  } catch { /* not ours */ }
  return null;
};

export class PgChangeFeed implements ChangeFeed {
  private client: pg.Client | null = null;
  private listener: ChangeListener | null = null;
  private channel = '';
  private up = false;
  /** Whether the listener was told `lost()` and not yet `restored()`. */
  private toldLost = false;
  private closed = false;
  private backoff: number;
  private retry: NodeJS.Timeout | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  /** Changes waiting for the connection, with when they were published (the propagation time counts the wait). */
  private queued: [Change, number][] = [];
  /** Statements on the feed's connection run one after the other (pg wants no overlapping queries on one client). */
  private tail: Promise<unknown> = Promise.resolve();

  constructor(private readonly config: pg.ClientConfig, private readonly opts: PgFeedOptions = {}) {
    this.backoff = opts.minBackoffMs ?? 100;
  }

  async start(l: ChangeListener): Promise<void> {
    this.listener = l;
    await this.connect();
  }

  live(): boolean { return this.up; }

  sent(): Promise<void> {
    return this.tail.then(() => undefined);
  }

  publish(c: Change, at = Date.now()): void {
    const client = this.client;
    if (!this.up || client === null) return this.enqueue(c, at);
    const channel = this.channel;
    this.serial(() => client.query('select pg_notify($1, $2)', [channel, payloadOf(c, at)])).catch(() => {
      // The connection failed under this change: send it again once reconnected.
      this.enqueue(c, at);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    this.up = false;
    if (this.retry) clearTimeout(this.retry);
    if (this.heartbeat) clearInterval(this.heartbeat);
    const c = this.client;
    this.client = null;
    await c?.end().catch(() => undefined);
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const p = this.tail.then(fn, fn);
    this.tail = p.catch(() => undefined);
    return p;
  }

  private enqueue(c: Change, at: number): void {
    if (this.closed) return;
    // Too many to keep: one "forget everything" says the same.
    if (this.queued.length >= MAX_QUEUED) this.queued = [[{ kind: 'all' }, this.queued[0]![1]]];
    else this.queued.push([c, at]);
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    const client = new pg.Client(this.config);
    let gone = false;
    const down = (err?: unknown): void => {
      if (gone) return;
      gone = true;
      client.removeAllListeners('notification');
      client.end().catch(() => undefined);
      if (this.client === client) this.client = null;
      if (this.heartbeat) { clearInterval(this.heartbeat); this.heartbeat = null; }
      if (this.closed) return;
      if (this.up) this.opts.log?.('warn', 'change feed lost: serving without a verification cache until it is back', err);
      this.up = false;
      if (!this.toldLost) { this.toldLost = true; this.listener?.lost(); }
      this.schedule();
    };
    client.on('error', down);
    client.on('end', () => down(new Error('connection ended')));
    try {
      await client.connect();
      const r = await client.query<{ s: string | null }>('select current_schema() as s');
      this.channel = `tessera_changes:${r.rows[0]?.s ?? 'public'}`.slice(0, 63);
      client.on('notification', (m) => {
        if (m.channel !== this.channel || m.processId === (client as unknown as { processID: number | null }).processID) return;
        const c = parse(m.payload);
        if (!c) return;
        const at = this.opts.metrics ? sentAt(m.payload) : null;
        if (at !== null) this.opts.metrics!.propagation(c.kind).observe(Math.max(0, Date.now() - at) / 1000);
        this.listener?.changed(c);
      });
      await client.query(`listen ${client.escapeIdentifier(this.channel)}`);
    } catch (err) {
      down(err);
      return;
    }
    if (gone || this.closed) { if (this.closed) await client.end().catch(() => undefined); return; }
    this.client = client;
    this.tail = Promise.resolve(); // a statement stuck on the previous connection must not hold up this one
    this.up = true;
    this.backoff = this.opts.minBackoffMs ?? 100;
    if (this.toldLost) {
      this.toldLost = false;
      this.opts.log?.('info', 'change feed back: verification cache on again');
      this.listener?.restored();
    }
    this.startHeartbeat(client, down);
    const q = this.queued;
    this.queued = [];
    for (const [c, at] of q) this.publish(c, at);
  }

  private schedule(): void {
    if (this.closed || this.retry) return;
    const wait = this.backoff;
    this.backoff = Math.min(this.backoff * 2, this.opts.maxBackoffMs ?? 5000);
    this.retry = setTimeout(() => { this.retry = null; void this.connect(); }, wait);
    this.retry.unref();
  }

  private startHeartbeat(client: pg.Client, down: (err?: unknown) => void): void {
    const every = this.opts.heartbeatMs ?? 5000;
    const limit = this.opts.heartbeatTimeoutMs ?? 3000;
    this.heartbeat = setInterval(() => {
      const timer = setTimeout(() => down(new Error(`heartbeat took longer than ${limit} ms`)), limit);
      this.serial(() => client.query('select 1')).then(() => clearTimeout(timer), (err) => { clearTimeout(timer); down(err); });
    }, every);
    this.heartbeat.unref();
  }
}
