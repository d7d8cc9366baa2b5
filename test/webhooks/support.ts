/**
 * Webhook tests' peers: a real HTTP receiver on loopback that records each request (headers, raw body) and answers
 * with a status the test chooses, and checks of the Standard Webhooks signature with the `standardwebhooks` package.
 */
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
  /** The status this request was answered with. */
  status: number;
}

export class Receiver {
  readonly got: Received[] = [];
  /** The status of the next answers (one per request, then `status`). */
  queue: number[] = [];
  status = 200;
  private server: Server;
  private waiters: (() => void)[] = [];

  private constructor(server: Server) { this.server = server; }

  static async start(port = 0): Promise<Receiver> {
    const server = createServer();
    const r = new Receiver(server);
    server.on('request', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const status = r.queue.shift() ?? r.status;
        r.got.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now(), status });
        res.statusCode = status;
        res.end('ok');
        for (const w of r.waiters.splice(0)) w();
      });
    });
    server.listen(port, '127.0.0.1');
    await once(server, 'listening');
    return r;
  }

  get port(): number { return (this.server.address() as AddressInfo).port; }
  get url(): string { return `http://127.0.0.1:${this.port}/hook`; }

  /** Waits until `pred` holds over what was received (or fails after `ms`). */
  async until(pred: (got: Received[]) => boolean, ms = 10_000, what = 'deliveries'): Promise<Received[]> {
    const end = Date.now() + ms;
    while (!pred(this.got)) {
      const left = end - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}; got ${this.got.length}: ${this.got.map((g) => g.body.slice(0, 120)).join('\n')}`);
      await new Promise<void>((res) => { const t = setTimeout(res, Math.min(left, 200)); this.waiters.push(() => { clearTimeout(t); res(); }); });
    }
    return this.got;
  }

  events(): { id: string; type: string; data: Record<string, unknown>; timestamp: string }[] {
    return this.got.map((g) => ({ id: String(g.headers['webhook-id']), ...(JSON.parse(g.body) as { type: string; data: Record<string, unknown>; timestamp: string }) }));
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((res) => this.server.close(() => res()));
  }
}

/** Throws unless the request carries a valid Standard Webhooks signature for `secret` (the package's own check). */
export const verifySignature = (secret: string, r: Received): unknown => new Webhook(secret).verify(r.body, {
  'webhook-id': String(r.headers['webhook-id']), 'webhook-timestamp': String(r.headers['webhook-timestamp']),
  'webhook-signature': String(r.headers['webhook-signature']),
});

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Settings that make the dispatcher and the expiry scan quick in tests. */
export const FAST = { poll_ms: 50, retry_base_ms: 200, timeout_ms: 2000, max_attempts: 3, expiry_warning_days: [7, 1], expiry_scan_ms: 100 };
