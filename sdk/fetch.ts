/**
 * For fetch-style handlers (Next.js route handlers, Deno, Bun, Cloudflare Workers):
 *
 *   export const POST = withTessera({ verifier, permissions: 'deploy:write' }, async (req, principal) => Response.json({ id: principal.token.id }));
 *
 * The handler runs only for a request that passes; any other is answered 401/403/429 (503 when Tessera cannot be
 * reached) with the error envelope. Extra arguments (Next.js's route context) are passed through.
 */
import { decide, type Decision, type GuardOptions, type TesseraPrincipal } from './guard.js';

export type { GuardOptions, TesseraPrincipal } from './guard.js';

/** The decision for a fetch Request: the principal, or the refusal as a Response. */
export const check = async (req: Request, o: GuardOptions): Promise<{ principal: TesseraPrincipal; response: null } | { principal: null; response: Response }> => {
  const d: Decision = await decide((n) => req.headers.get(n), o);
  if (d.ok) return { principal: d.principal, response: null };
  return { principal: null, response: new Response(JSON.stringify(d.body), { status: d.status, headers: { ...d.headers, 'content-type': 'application/json; charset=utf-8' } }) };
};

export const withTessera = <A extends unknown[]>(o: GuardOptions, handler: (req: Request, principal: TesseraPrincipal, ...rest: A) => Response | Promise<Response>) =>
  async (req: Request, ...rest: A): Promise<Response> => {
    const c = await check(req, o);
    return c.response ?? handler(req, c.principal, ...rest);
  };
