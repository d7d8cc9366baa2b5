/**
 * Posts a webhook event signed per Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`:
 * `v1,` + base64 HMAC-SHA256 of `id.timestamp.body` with the `whsec_` secret), with the `standardwebhooks` package.
 * Redirects are not followed; the answer body is drained and dropped; a timeout or network error is reported, not thrown.
 */
import { Webhook } from 'standardwebhooks';
import type { SignedPoster } from '../core/webhook-types.js';

export const signedPoster = (): SignedPoster => ({
  async post({ url, secret, msgId, at, body, timeoutMs }) {
    const started = performance.now();
    try {
      const signature = new Webhook(secret).sign(msgId, at, body);
      const res = await fetch(url, {
        method: 'POST', redirect: 'manual', signal: AbortSignal.timeout(timeoutMs), body,
        headers: {
          'content-type': 'application/json', 'user-agent': 'tessera-webhooks',
          'webhook-id': msgId, 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': signature,
        },
      });
      await res.arrayBuffer().catch(() => undefined);
      return { statusCode: res.status, durationMs: performance.now() - started, error: null };
    } catch (e) {
      const err = e as Error & { cause?: { code?: string } };
      return { statusCode: null, durationMs: performance.now() - started, error: err.cause?.code ?? (err.name === 'TimeoutError' ? 'timeout' : err.message.slice(0, 200)) };
    }
  },
});
