import { isIP } from 'node:net';
import { MAX_TOKEN_ADDRESSES, type Clock, type Store, type TokenAddress, type UsageDelta } from '../ports.js';

/**
 * Verification never writes to the store synchronously. Uses are counted in memory and written in batches by
 * `flush()`, which the composition root calls on an interval and once more at shutdown. Each pending token also keeps
 * the distinct client addresses of its uses (newest first, at most MAX_TOKEN_ADDRESSES), written in the same batch.
 */
export class UsageRecorder {
  private pending = new Map<string, UsageDelta>();
  constructor(private readonly store: Store, private readonly clock: Clock) {}

  /**
   * `now`: the verifier passes the time it already read for this verification (one clock read per hit).
   * `ip`: the client address of this use, when known (anything that is not an IP address is not recorded).
   */
  hit(tokenId: string, now = this.clock.now(), ip: string | null = null): void {
    if (ip !== null && isIP(ip) === 0) ip = null;
    const d = this.pending.get(tokenId);
    if (d) {
      d.uses++;
      if (now > d.lastUsedAt) d.lastUsedAt = now;
      if (ip !== null) remember(d, ip, now);
    } else {
      this.pending.set(tokenId, ip === null ? { tokenId, lastUsedAt: now, uses: 1 } : { tokenId, lastUsedAt: now, uses: 1, addresses: [{ ip, at: now }] });
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

/** Adds (or moves up) one address in a delta's newest-first list of distinct addresses, keeping the newest few. */
const remember = (d: UsageDelta, ip: string, at: number): void => {
  const list = d.addresses ?? (d.addresses = []);
  if (list.length > 0 && list[0]!.ip === ip) { if (at > list[0]!.at) list[0]!.at = at; return; } // the common case: same client again
  const i = list.findIndex((a) => a.ip === ip);
  if (i >= 0) { if (list[i]!.at >= at) return; list.splice(i, 1); }
  const entry: TokenAddress = { ip, at };
  const j = list.findIndex((a) => a.at <= at);
  if (j < 0) list.push(entry); else list.splice(j, 0, entry);
  if (list.length > MAX_TOKEN_ADDRESSES) list.length = MAX_TOKEN_ADDRESSES;
};
