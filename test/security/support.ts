/** Shared pieces of the security suites: a request over a real socket (reaches the hot lane, unlike inject()). */
import { request } from 'node:http';
import type { Harness } from '../helpers.js';

export interface RawAnswer { status: number; headers: Record<string, string | string[] | undefined>; body: string }

export const listen = async (h: Harness): Promise<number> => {
  await h.t.app.listen({ port: 0, host: '127.0.0.1' });
  return (h.t.app.server.address() as { port: number }).port;
};

export const overSocket = (port: number, r: { method: string; path: string; headers?: Record<string, string>; body?: string }): Promise<RawAnswer> =>
  new Promise((resolve, reject) => {
    const headers = { ...(r.headers ?? {}) };
    if (r.body !== undefined) headers['content-length'] ??= String(Buffer.byteLength(r.body));
    const q = request({ host: '127.0.0.1', port, method: r.method, path: r.path, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    q.on('error', reject);
    q.end(r.body);
  });
