/**
 * Refused logins in the audit log without letting a flood grow it (issue 12): per throttled key — the address, or
 * the username when its delay refused — the first refusal of a window is recorded at once (`auth.login_throttled`,
 * count 1); the rest of that window is counted in memory and recorded as one `auth.login_throttled` row with the
 * count when the window is over (`flush`, run every minute). So a key gets at most two rows per window, however many
 * requests it sends. Keys are held for one window; at most MAX_KEYS at once (beyond that a refusal is only counted
 * in the first row of its key's next window).
 */
import type { AuditService } from '../audit/service.js';
import type { Clock } from '../ports.js';
import type { RequestContext } from '../principal.js';

const MAX_KEYS = 10_000;

interface Window { endsAt: number; more: number; login: string | null; ip: string | null; limit: 'address' | 'username' }

export class ThrottledLoginAudit {
  private readonly windows = new Map<string, Window>();

  constructor(private readonly audit: AuditService, private readonly clock: Clock, private readonly windowMs: number) {}

  /**
   * `login`: as typed (the key of a username's window); `audited`: the login as the audit log may keep it (null for a
   * credential pasted as a username), asked only when a row is written — once a window.
   */
  async refused(ctx: RequestContext, typed: string, limit: 'address' | 'username', audited: () => Promise<string | null>): Promise<void> {
    const key = limit === 'address' ? `ip:${ctx.ip}` : `user:${typed.toLowerCase()}`;
    const now = this.clock.now();
    const w = this.windows.get(key);
    if (w && w.endsAt > now) { w.more++; return; }
    if (w) await this.close(key, w);
    if (this.windows.size >= MAX_KEYS) await this.flush();
    const login = await audited();
    if (this.windows.size < MAX_KEYS) this.windows.set(key, { endsAt: now + this.windowMs, more: 0, login, ip: ctx.ip, limit });
    await this.audit.record(ctx, 'auth.login_throttled', null, { login, limit, count: 1 });
  }

  /** Records the count of every window that is over (every window: at shutdown), and forgets it. */
  async flush(all = false): Promise<void> {
    const now = this.clock.now();
    for (const [key, w] of this.windows) if (all || w.endsAt <= now) await this.close(key, w);
  }

  private async close(key: string, w: Window): Promise<void> {
    this.windows.delete(key);
    if (w.more === 0) return;
    await this.audit.record({ principal: null, ip: w.ip, requestId: null }, 'auth.login_throttled', null,
      { login: w.login, limit: w.limit, count: w.more, window_ended_at: new Date(w.endsAt).toISOString() });
  }
}
