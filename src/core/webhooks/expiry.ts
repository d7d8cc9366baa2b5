/**
 * Expiry warnings (issue 16): a periodic scan emits `token.expiring` once per token and threshold (days before expiry,
 * `webhooks.expiry_warning_days`, default 7 and 1) and `token.expired` once when a token's expiry has passed; the
 * owner gets an e-mail with each warning when SMTP is configured and they have an address. A token first seen inside
 * several thresholds gets one warning (the nearest) and the farther ones are marked sent. Once per token across
 * nodes: the notice row and the event are written in one transaction, and only the first writer gets `true`.
 */
import type { Clock, Store } from '../ports.js';
import { makeEvent, tokenData } from './events.js';
import type { ExpiringToken, Mailer, WebhookStore } from '../webhook-types.js';

const DAY = 86_400_000;

export class ExpiryScanner {
  constructor(private readonly d: {
    store: Store; webhooks: WebhookStore; clock: Clock; days: readonly number[]; mailer?: Mailer; kick?: () => void;
    onError?: (err: unknown, tokenId: string) => void;
  }) {}

  /** One scan; returns how many notices it sent (events written). */
  async scan(): Promise<{ expiring: number; expired: number; mailed: number }> {
    const now = this.d.clock.now();
    const days = [...new Set(this.d.days)].sort((a, b) => a - b);
    const horizon = (days[days.length - 1] ?? 0) * DAY;
    const out = { expiring: 0, expired: 0, mailed: 0 };
    if (days.length > 0) {
      for (const t of await this.d.webhooks.tokensExpiringBetween(now, now + horizon)) {
        const within = days.filter((d) => t.expiresAt - now <= d * DAY);
        if (within.length === 0) continue;
        const owner = t.ownerId === null ? null : await this.d.store.getUser(t.ownerId);
        const ev = makeEvent('token.expiring', { token: tokenData(t, owner), days: within[0], expires_at: new Date(t.expiresAt).toISOString() }, now);
        if (!(await this.d.webhooks.noticeOnce(t.id, within.map((d) => `expiring:${d}`), [ev], now))) continue;
        out.expiring++;
        if (this.d.mailer && owner?.email && !owner.disabled) {
          try {
            await this.d.mailer.send(mail(owner.email, t, owner.username));
            out.mailed++;
          } catch (e) { this.d.onError?.(e, t.id); }
        }
      }
    }
    // Expired since the last scans (looking back as far as the farthest warning, at least a day).
    for (const t of await this.d.webhooks.tokensExpiringBetween(now - Math.max(horizon, DAY), now)) {
      const owner = t.ownerId === null ? null : await this.d.store.getUser(t.ownerId);
      const ev = makeEvent('token.expired', { token: tokenData(t, owner), expired_at: new Date(t.expiresAt).toISOString() }, now);
      if (await this.d.webhooks.noticeOnce(t.id, ['expired'], [ev], now)) out.expired++;
    }
    if (out.expiring + out.expired > 0) this.d.kick?.();
    return out;
  }
}

const mail = (to: string, t: ExpiringToken, username: string): { to: string; subject: string; text: string } => {
  const name = t.name ?? t.id;
  const when = new Date(t.expiresAt).toISOString();
  return {
    to,
    subject: `Tessera token ${name} expires on ${when.slice(0, 10)}`,
    text: `Hello ${username},\n\nyour Tessera token "${name}" (id ${t.id}) expires at ${when}.\n`
      + 'Rotate it or create a new one before then, or it will stop working.\n',
  };
};
