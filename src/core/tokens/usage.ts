import { isIP } from 'node:net';
import { MAX_TOKEN_ADDRESSES, type Clock, type Store, type UsageDelta } from '../ports.js';

/**
 * Verification never writes to the store synchronously. Uses are counted in memory and written in batches by
 * `flush()`, which the composition root calls on an interval and once more at shutdown. Each pending token also keeps
 * the distinct client addresses of its uses (the newest MAX_TOKEN_ADDRESSES), written in the same batch.
 */
export class UsageRecorder {
  private pending = new Map<string, UsageDelta>();
  constructor(private readonly store: Store, private readonly clock: Clock) {}

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

  async flush(): Promise<void> {
    if (this.pending.size === 0) return;
    const batch = [...this.pending.values()];
    this.pending = new Map();
    try {
      await this.store.recordUsage(batch);
    } catch (err) {
      // Put the batch back so a store outage loses no counts; the next flush retries it.
      for (const d of batch) {
        const cur = this.pending.get(d.tokenId);
        if (!cur) { this.pending.set(d.tokenId, d); continue; }
        cur.uses += d.uses;
        cur.lastUsedAt = Math.max(cur.lastUsedAt, d.lastUsedAt);
        for (const a of d.addresses ?? []) remember(cur, a.ip, a.at);
      }
      throw err;
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
