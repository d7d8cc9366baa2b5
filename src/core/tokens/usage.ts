import type { Clock, Store, UsageDelta } from '../ports.js';

/**
 * Verification never writes to the store synchronously. Uses are counted in memory and written in batches by
 * `flush()`, which the composition root calls on an interval and once more at shutdown.
 */
export class UsageRecorder {
  private pending = new Map<string, UsageDelta>();
  constructor(private readonly store: Store, private readonly clock: Clock) {}

  /** `now`: the verifier passes the time it already read for this verification (one clock read per hit). */
  hit(tokenId: string, now = this.clock.now()): void {
    const d = this.pending.get(tokenId);
    if (d) { d.uses++; d.lastUsedAt = now; } else this.pending.set(tokenId, { tokenId, lastUsedAt: now, uses: 1 });
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
        if (cur) { cur.uses += d.uses; cur.lastUsedAt = Math.max(cur.lastUsedAt, d.lastUsedAt); } else this.pending.set(d.tokenId, d);
      }
      throw err;
    }
  }
}
