/**
 * Hono middleware: `app.use('/deploy/*', tessera({ verifier, permissions: 'deploy:write' }))`. A request that passes
 * has `c.get('tessera')` (the principal); any other is answered 401/403/429 (503 when Tessera cannot be reached)
 * with the error envelope. Works on every runtime Hono runs on whose verifier does (RemoteVerifier: fetch only).
 * `clientIp` gives the client address for tokens with `allowed_cidrs` (Hono has no runtime-independent one: e.g.
 * `(c) => getConnInfo(c).remote.address` from `@hono/node-server/conninfo`, or a header your proxy sets).
 */
import type { Context, MiddlewareHandler } from 'hono';
import { decide, type GuardOptions, type TesseraPrincipal } from './guard.js';

export type { GuardOptions, TesseraPrincipal } from './guard.js';

declare module 'hono' {
  interface ContextVariableMap { tessera: TesseraPrincipal }
}

export const tessera = (o: GuardOptions & { clientIp?: (c: Context) => string | undefined }): MiddlewareHandler => async (c, next) => {
  const d = await decide((n) => c.req.header(n), o, o.clientIp?.(c));
  if (!d.ok) return new Response(JSON.stringify(d.body), { status: d.status, headers: { ...d.headers, 'content-type': 'application/json; charset=utf-8' } });
  c.set('tessera', d.principal);
  await next();
  return undefined;
};
