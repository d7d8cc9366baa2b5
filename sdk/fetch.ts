/**
 * For fetch-style handlers (Next.js route handlers, Deno, Bun, Cloudflare Workers):
 *
 *   export const POST = withTessera({ verifier, permissions: 'deploy:write' }, async (req, principal) => Response.json({ id: principal.token.id }));
 *
 * The handler runs only for a request that passes; any other is answered 401/403/429 (503 when Tessera cannot be
 * reached) with the error envelope. Extra arguments (Next.js's route context) are passed through. `clientIp` gives
 * the client address for tokens with `allowed_cidrs` (a fetch Request carries none: e.g. a header your proxy sets).
 */
import { decide, type Decision, type GuardOptions, type TesseraPrincipal } from './guard.js';

export type { GuardOptions, TesseraPrincipal } from './guard.js';

/** The decision for a fetch Request: the principal, or the refusal as a Response. */
export interface FetchGuardOptions extends GuardOptions {
  /** The client address of a request (tokens with `allowed_cidrs` need it); undefined: none is sent. */
  clientIp?: (req: Request) => string | undefined;
}

export const check = async (req: Request, o: FetchGuardOptions): Promise<{ principal: TesseraPrincipal; response: null } | { principal: null; response: Response }> => {
  const d: Decision = await decide((n) => req.headers.get(n), o, o.clientIp?.(req));
  if (d.ok) return { principal: d.principal, response: null };
  return { principal: null, response: new Response(JSON.stringify(d.body), { status: d.status, headers: { ...d.headers, 'content-type': 'application/json; charset=utf-8' } }) };
};

export const withTessera = <A extends unknown[]>(o: FetchGuardOptions, handler: (req: Request, principal: TesseraPrincipal, ...rest: A) => Response | Promise<Response>) =>
  async (req: Request, ...rest: A): Promise<Response> => {
    const c = await check(req, o);
    return c.response ?? handler(req, c.principal, ...rest);
  };
