/**
 * Fastify hook: `app.get('/deploy', { preHandler: tessera({ verifier, permissions: 'deploy:write' }) }, handler)`, or
 * `app.addHook('preHandler', tessera({ verifier }))` for every route. A request that passes gets `request.tessera`;
 * any other is answered 401/403/429 (503 when Tessera cannot be reached) with the error envelope. `ip: true` passes
 * `request.ip` (fastify's `trustProxy` applies).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { decide, type GuardOptions, type TesseraPrincipal } from './guard.js';

export type { GuardOptions, TesseraPrincipal } from './guard.js';

declare module 'fastify' {
  interface FastifyRequest { tessera?: TesseraPrincipal }
}

export const tessera = (o: GuardOptions & { ip?: boolean }) => async (req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
  const d = await decide((n) => req.headers[n], o, o.ip ? req.ip : undefined);
  if (d.ok) { req.tessera = d.principal; return undefined; }
  // Returning the reply tells fastify the hook answered: the route's handler does not run.
  return reply.code(d.status).headers({ ...d.headers, 'content-type': 'application/json; charset=utf-8' }).send(JSON.stringify(d.body));
};
