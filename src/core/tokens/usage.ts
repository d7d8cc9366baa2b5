import { isIP } from 'node:net';
import { MAX_TOKEN_ADDRESSES, type Clock, type Store, type UsageDelta } from '../ports.js';

/**
 * Tokens written per `Store.recordUsage` call (one transaction each). A flush of many distinct tokens — a busy second
 * on a large store — is written in chunks of this size with a turn of the event loop between them, so requests are
 * served while it runs. On SQLite, a store of a million tokens, 10,000 random tokens in one transaction held the only
 * thread for 156–208 ms; in chunks of 1,000, for 32–51 ms (then mostly the WAL checkpoint, since moved to its own
 * thread: store/sqlite/checkpointer.ts), at up to ~40 % more CPU per token (bench/cold.ts; bench/README.md, "Servers
 * as deployed, the cold lookup, the usage flush").
 */
export const USAGE_CHUNK = 1000;

/** One turn of the event loop: I/O callbacks (requests) run before the promise resolves. */
const turn = (): Promise<void> => new Promise((done) => setImmediate(done));

/**
 * Verification never writes to the store synchronously. Uses are counted in memory and written in batches by
 * `flush()`, which the composition root calls on an interval and once more at shutdown. Each pending token also keeps
 * the distinct client addresses of its uses (the newest MAX_TOKEN_ADDRESSES), written in the same batch.
 */
export class UsageRecorder {
  private pending = new Map<string, UsageDelta>();
  /** The flush being written: a flush called meanwhile waits for it (one writer at a time, so shutdown's is last). */
  private writing: Promise<void> | null = null;
  constructor(private readonly store: Store, private readonly clock: Clock, private readonly chunk = USAGE_CHUNK) {}

  /**
   * `now`: the verifier passes the time it already read for this verification (one clock read per hit).
   * `ip`: the client address of this use, when known (anything that is not an IP address is not recorded).
   */
  hit(tokenId: string, now = this.clock.now(), ip: string | null = null): void {
    const d = this.pending.get(tokenId);
    if (d) {
      d.uses++;
      if (now > d.lastUsedAt) d.lastUsedAt = now;
      if (ip !== null) remember(d, ip, now);
    } else {
      this.pending.set(tokenId, ip === null || isIP(ip) === 0 ? { tokenId, lastUsedAt: now, uses: 1 } : { tokenId, lastUsedAt: now, uses: 1, addresses: [{ ip, at: now }] });
    }
  }

  /** Pending (not yet written) uses of one token, so reads can show up-to-date counts. */
  peek(tokenId: string): UsageDelta | undefined {
    return this.pending.get(tokenId);
  }

  /**
   * Writes every pending use, `chunk` tokens a transaction (the store writes each in token-id order), yielding to the
   * event loop between chunks. Each chunk commits on its own; if one fails, it and the chunks after it are put back (merged with uses
   * counted meanwhile) for the next flush, and the error is thrown — a store outage loses no counts.
   */
  async flush(): Promise<void> {
    while (this.writing !== null) await this.writing.catch(() => undefined);
    if (this.pending.size === 0) return;
    const batch = [...this.pending.values()];
    this.pending = new Map();
    const run = this.write(batch);
    this.writing = run;
    try {
      await run;
    } finally {
      this.writing = null;
    }
  }

  private async write(batch: UsageDelta[]): Promise<void> {
    for (let at = 0; at < batch.length; at += this.chunk) {
      if (at > 0) await turn();
      try {
        await this.store.recordUsage(batch.slice(at, at + this.chunk));
      } catch (err) {
        this.putBack(batch, at);
        throw err;
      }
    }
  }

  /** Returns the unwritten rest of a batch (from `from`) to the pending uses. */
  private putBack(batch: UsageDelta[], from: number): void {
    for (let i = from; i < batch.length; i++) {
      const d = batch[i]!;
      const cur = this.pending.get(d.tokenId);
      if (!cur) { this.pending.set(d.tokenId, d); continue; }
      cur.uses += d.uses;
      cur.lastUsedAt = Math.max(cur.lastUsedAt, d.lastUsedAt);
      for (const a of d.addresses ?? []) remember(cur, a.ip, a.at);
    }
  }
}

/**
 * Records one use's address in a delta's list of distinct addresses (in no order; the store and the reader sort),
 * keeping the newest few: a full list gives up its oldest entry. An address already listed was checked when it was
 * added; a new one must be an IP address (`/verify` callers report theirs as free text). At most five string
 * comparisons per use: cheap enough for the hot path.
 */
const remember = (d: UsageDelta, ip: string, at: number): void => {
  const l = d.addresses;
  if (l !== undefined) {
    for (const a of l) if (a.ip === ip) { if (at > a.at) a.at = at; return; }
  }
  if (isIP(ip) === 0) return;
  if (l === undefined) { d.addresses = [{ ip, at }]; return; }
  if (l.length < MAX_TOKEN_ADDRESSES) { l.push({ ip, at }); return; }
  let oldest = 0;
  for (let i = 1; i < l.length; i++) if (l[i]!.at < l[oldest]!.at) oldest = i;
  if (l[oldest]!.at <= at) l[oldest] = { ip, at };
};
