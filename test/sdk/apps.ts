/**
 * The same three routes (/whoami: any valid token, /write: access write, /deploy: permission deploy:write) in each
 * framework the SDK supports: the Express and Hono examples (examples/), a Fastify app and a fetch handler. Each is
 * reached the way it runs: Express and Fastify listen on a port, Hono and the fetch handler are called with Requests.
 */
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { createApp as expressApp } from '../../examples/express-app.js';
import { createApp as honoApp } from '../../examples/hono-app.js';
import { withTessera } from '../../sdk/fetch.js';
import { tessera as fastifyTessera } from '../../sdk/fastify.js';
import type { Verifies } from '../../sdk/guard.js';

/** Errors the Fastify app's handlers threw (none expected: refused requests never reach a handler). */
export const handlerErrors: Error[] = [];

export interface App { name: string; get(path: string, headers?: Record<string, string>): Promise<Response>; close(): Promise<void> }

export const APPS: Record<string, (v: Verifies) => Promise<App>> = {
  async express(v) {
    const server = expressApp(v).listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return { name: 'express', get: (p, headers) => fetch(base + p, { headers }), close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }) };
  },
  async fastify(v) {
    const app = Fastify();
    // A refused request must not reach the handler (it would fail on req.tessera!): counted to prove it.
    app.addHook('onError', async (_req, _reply, err) => { handlerErrors.push(err); });
    app.get('/whoami', { preHandler: fastifyTessera({ verifier: v }) }, async (req) => ({ token: req.tessera!.token.id, owner: req.tessera!.token.owner }));
    app.get('/write', { preHandler: fastifyTessera({ verifier: v, access: 'write' }) }, async () => ({ ok: true }));
    app.get('/deploy', { preHandler: fastifyTessera({ verifier: v, permissions: 'deploy:write' }) }, async (req) => ({ deployed: true, by: req.tessera!.token.id }));
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    return { name: 'fastify', get: (p, headers) => fetch(base + p, { headers }), close: () => app.close() };
  },
  async hono(v) {
    const app = honoApp(v);
    return { name: 'hono', get: async (p, headers) => app.fetch(new Request(`http://app.test${p}`, { headers })), close: async () => undefined };
  },
  async fetch(v) {
    const routes: Record<string, (req: Request) => Promise<Response>> = {
      '/whoami': withTessera({ verifier: v }, async (_req, p) => Response.json({ token: p.token.id, owner: p.token.owner })),
      '/write': withTessera({ verifier: v, access: 'write' }, async () => Response.json({ ok: true })),
      '/deploy': withTessera({ verifier: v, permissions: 'deploy:write' }, async (_req, p) => Response.json({ deployed: true, by: p.token.id })),
    };
    return { name: 'fetch', get: (p, headers) => routes[p]!(new Request(`http://app.test${p}`, { headers })), close: async () => undefined };
  },
};
