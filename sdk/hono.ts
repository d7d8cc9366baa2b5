/**
 * Hono middleware: `app.use('/deploy/*', tessera({ verifier, permissions: 'deploy:write' }))`. A request that passes
 * has `c.get('tessera')` (the principal); any other is answered 401/403/429 (503 when Tessera cannot be reached)
 * with the error envelope. Works on every runtime Hono runs on whose verifier does (RemoteVerifier: fetch only).
 */
import type { MiddlewareHandler } from 'hono';
import { decide, type GuardOptions, type TesseraPrincipal } from './guard.js';

export type { GuardOptions, TesseraPrincipal } from './guard.js';

declare module 'hono' {
  interface ContextVariableMap { tessera: TesseraPrincipal }
}

export const tessera = (o: GuardOptions): MiddlewareHandler => async (c, next) => {
  const d = await decide((n) => c.req.header(n), o);
  if (!d.ok) return new Response(JSON.stringify(d.body), { status: d.status, headers: { ...d.headers, 'content-type': 'application/json; charset=utf-8' } });
  c.set('tessera', d.principal);
  await next();
  return undefined;
};
