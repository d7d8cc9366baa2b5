/**
 * Express middleware: `app.get('/deploy', tessera({ verifier, permissions: 'deploy:write' }), handler)`. A request
 * that passes gets `req.tessera` (the principal); any other is answered 401/403/429 (503 when Tessera cannot be
 * reached) with the error envelope. `ip: true` passes `req.ip` (set express's `trust proxy` as needed) to the check.
 */
import type { RequestHandler } from 'express';
import { decide, type GuardOptions, type TesseraPrincipal } from './guard.js';

export type { GuardOptions, TesseraPrincipal } from './guard.js';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express { interface Request { tessera?: TesseraPrincipal } }
}

export const tessera = (o: GuardOptions & { ip?: boolean }): RequestHandler => (req, res, next) => {
  decide((n) => req.headers[n], o, o.ip ? req.ip : undefined).then((d) => {
    if (d.ok) { req.tessera = d.principal; next(); return; }
    res.status(d.status).set(d.headers).json(d.body);
  }, next);
};
