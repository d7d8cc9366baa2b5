/**
 * Audit rows to an HTTP endpoint (issue 16, `audit.forward.webhook`): each batch is one POST of
 * `{"entries": [row, …]}` (rows as `auditWire`), signed with HMAC-SHA256 under the configured secret:
 *
 *   X-Tessera-Timestamp: <unix seconds>
 *   X-Tessera-Signature: sha256=<hex HMAC-SHA256(secret, timestamp + "." + body)>
 *
 * Any answer but 2xx (or no answer within the timeout) fails the batch; the forwarder retries it.
 */
import { createHmac } from 'node:crypto';
import { auditWire } from '../core/audit/forward.js';
import type { AuditSink } from '../core/ports.js';

export const signAuditBody = (secret: string, timestamp: number, body: string): string =>
  `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;

export const auditWebhookSink = (o: { url: string; secret: string; timeoutMs?: number }): AuditSink => {
  /** The sends in flight: `close` (shutdown giving up on them) ends them. */
  const inFlight = new Set<AbortController>();
  return {
    name: `webhook ${new URL(o.url).origin}`,
    async send(batch) {
      const body = JSON.stringify({ entries: batch.map(auditWire) });
      const ts = Math.floor(Date.now() / 1000);
      const ctl = new AbortController();
      const timer = setTimeout(() => ctl.abort(new Error('timed out')), o.timeoutMs ?? 10_000);
      inFlight.add(ctl);
      try {
        const res = await fetch(o.url, {
          method: 'POST', body, redirect: 'error', signal: ctl.signal,
          headers: { 'content-type': 'application/json', 'user-agent': 'tessera', 'x-tessera-timestamp': String(ts), 'x-tessera-signature': signAuditBody(o.secret, ts, body) },
        }).catch((e: Error & { cause?: { code?: string } }) => { throw new Error(e.cause?.code ?? e.name ?? 'request failed'); }); // the cause, never the URL
        await res.arrayBuffer().catch(() => undefined); // drain, so the connection is reused
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
      } finally {
        clearTimeout(timer);
        inFlight.delete(ctl);
      }
    },
    async close() {
      for (const c of inFlight) c.abort(new Error('shutting down'));
    },
  };
};
