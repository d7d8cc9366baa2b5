/** Slack-compatible incoming webhooks: POST {"text": ...} as JSON with fetch, with a per-attempt timeout. */
import type { WebhookSender } from '../core/ports.js';

export const fetchWebhook = (opts: { timeoutMs?: number } = {}): WebhookSender => ({
  async post(url, body) {
    try {
      const res = await fetch(url, {
        method: 'POST', headers: { 'content-type': 'application/json', 'user-agent': 'tessera' },
        body: JSON.stringify(body), redirect: 'error', signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
      });
      await res.arrayBuffer().catch(() => undefined); // drain, so the connection is reused
      return { ok: res.ok, detail: `HTTP ${res.status}` };
    } catch (e) {
      const err = e as Error & { cause?: { code?: string } };
      return { ok: false, detail: err.cause?.code ?? err.name ?? 'request failed' };
    }
  },
});
