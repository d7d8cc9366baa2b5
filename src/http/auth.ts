/**
 * Authentication and CSRF for every route, driven by the route's `config.auth`:
 * - `none`: no credential is read (login, health, docs);
 * - `optional`: a credential is used if present (and must then be valid);
 * - `required`: no credential → 401 UNAUTHENTICATED.
 * Access levels and roles are checked by the core services, not here.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { RequestContext } from '../core/principal.js';
import type { Credential } from '../core/auth/service.js';
import { fail } from '../core/errors.js';
import type { Services } from '../core/services.js';
import { refuseNul } from './input.js';
import { dropApikeyField, extractCredential, type Found } from './credentials.js';

export type AuthMode = 'none' | 'optional' | 'required';

declare module 'fastify' {
  /** `sameOrigin`: refuse the request when its Origin is present and foreign (logins: against login CSRF). */
  interface FastifyContextConfig { auth?: AuthMode; keepApikeyField?: boolean; sameOrigin?: boolean }
  /** `credential`: the one the request authenticated with (open streams check it again later), or null. */
  interface FastifyRequest { ctx: RequestContext; credential: Credential | null }
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

export const ownOrigin = (req: FastifyRequest): string => `${req.protocol}://${req.host}`;

/**
 * The one origin rule: a request that carries an Origin header must come from this server's own origin (`null`, an
 * opaque origin, never does). Requests without Origin (curl, server-to-server) pass. `what` names the request in the
 * message.
 */
export const checkOrigin = (req: FastifyRequest, what: string): void => {
  const origin = req.headers.origin;
  if (origin === undefined) return;
  if (origin === 'null' || origin !== ownOrigin(req)) {
    fail('CSRF_REJECTED', `${what} from origin '${origin.slice(0, 200)}' is refused; the server's origin is ${ownOrigin(req)}`);
  }
};

/**
 * A cookie-authenticated write (session cookie or Meshplay's `token` cookie: both are sent by the browser on its own)
 * must not come from another origin. `methods` are the request's method and any original method a proxy reports
 * (forward-auth): the request is a write if any of them is unsafe.
 */
export const checkCsrf = (req: FastifyRequest, found: Found | { cookie: true }, methods: readonly string[] = [req.method]): void => {
  if (!found.cookie || methods.every((m) => SAFE.has(m))) return;
  checkOrigin(req, `a cookie-authenticated ${methods.find((m) => !SAFE.has(m))}`);
};

export const registerAuth = (app: FastifyInstance, services: Services, extraHeaders: readonly string[], provider: 'local' | 'none' = 'local'): void => {
  app.decorateRequest('ctx', null as unknown as RequestContext);
  app.decorateRequest('credential', null);

  // Callback style, not async: routes without authentication (forward-auth reads its own credential) skip a promise.
  const anonymous = (req: FastifyRequest, _reply: FastifyReply, done: () => void): void => {
    req.ctx = { principal: null, ip: req.ip ?? null, requestId: req.id };
    done();
  };
  // A login sets the session cookie: a foreign page must not log the browser in (as the attacker). The hook runs
  // before body validation, so nothing about the login is looked at.
  const sameOrigin = (req: FastifyRequest, reply: FastifyReply, done: () => void): void => {
    checkOrigin(req, `a ${req.method} ${req.routeOptions.url}`);
    anonymous(req, reply, done);
  };
  const authenticating = (mode: 'optional' | 'required', keepApikey: boolean) => async (req: FastifyRequest): Promise<void> => {
    req.ctx = { principal: null, ip: req.ip ?? null, requestId: req.id };
    const found = extractCredential(req, extraHeaders);
    if (!keepApikey) dropApikeyField(req.body);
    if (!found) {
      // Single-user mode: no credential means the built-in admin (the operator chose this at start).
      // A browser page on another origin must not act as that admin either: treat it like a cookie credential.
      if (provider === 'none') { checkCsrf(req, { cookie: true }); req.ctx.principal = await services.auth.singleUser(); return; }
      if (mode === 'required') fail('UNAUTHENTICATED', 'this route needs a credential: a Bearer token, an API key header or a session cookie');
      return;
    }
    checkCsrf(req, found);
    req.ctx.principal = await services.auth.authenticate(found.cred);
    req.credential = found.cred;
  };

  // The hook is chosen once per route (not looked up per request), and put first among the route's preValidation
  // hooks: after the body is parsed (for the `apikey` field), before schema validation, so a request without a
  // credential gets 401 whatever its body. Then the NUL rule (input.ts), for every route, schema or not.
  app.addHook('onRoute', (route) => {
    const cfg = route.config as { auth?: AuthMode; keepApikeyField?: boolean; sameOrigin?: boolean } | undefined;
    const mode = cfg?.auth ?? 'none';
    if (cfg?.sameOrigin && mode !== 'none') throw new Error(`${route.url}: sameOrigin is for routes without authentication (logins)`);
    const hook = mode === 'none' ? (cfg?.sameOrigin ? sameOrigin : anonymous) : authenticating(mode, cfg?.keepApikeyField === true);
    const rest = route.preValidation === undefined ? [] : Array.isArray(route.preValidation) ? route.preValidation : [route.preValidation];
    route.preValidation = [hook, refuseNul, ...rest];
  });
};
