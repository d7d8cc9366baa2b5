/** A small HTTP client for set-up requests (login, token creation, sanity checks). Loopback only. */
import { Agent, type IncomingHttpHeaders, request as httpRequest } from 'node:http';

export interface Reply { status: number; headers: IncomingHttpHeaders; body: string }

const agent = new Agent({ keepAlive: true, maxSockets: 64 });

export const assertLoopback = (base: string): URL => {
  const u = new URL(base);
  if (u.hostname !== '127.0.0.1' || u.protocol !== 'http:') throw new Error(`benchmarks only target http://127.0.0.1, not ${base}`);
  return u;
};

export const request = (base: string, method: string, path: string,
  o: { headers?: Record<string, string>; json?: unknown; timeoutMs?: number; keepAlive?: boolean } = {}): Promise<Reply> => {
  const u = assertLoopback(base);
  const body = o.json === undefined ? undefined : JSON.stringify(o.json);
  const headers: Record<string, string> = { ...o.headers };
  if (body !== undefined) { headers['content-type'] = 'application/json'; headers['content-length'] = String(Buffer.byteLength(body)); }
  return new Promise((res, rej) => {
    const req = httpRequest({
      host: u.hostname, port: u.port, method, path, headers, agent: o.keepAlive === false ? false : agent, timeout: o.timeoutMs ?? 10_000,
    }, (r) => {
      let text = '';
      r.setEncoding('utf8').on('data', (c: string) => { text += c; }).on('end', () => res({ status: r.statusCode ?? 0, headers: r.headers, body: text }));
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${path}: timed out`)));
    req.on('error', rej);
    req.end(body);
  });
};

export const json = <T>(r: Reply, what: string, status: number): T => {
  if (r.status !== status) throw new Error(`${what}: expected ${status}, got ${r.status}: ${r.body.slice(0, 300)}`);
  return JSON.parse(r.body) as T;
};

/** Runs `fn(i)` for i in [0, count) with at most `concurrency` in flight; results in index order. */
export const pool = async <T>(count: number, concurrency: number, fn: (i: number) => Promise<T>): Promise<T[]> => {
  const out = new Array<T>(count);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < count) {
      const i = next++;
      out[i] = await fn(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane));
  return out;
};
