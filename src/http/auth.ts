/**
 * Authentication and CSRF for every route, driven by the route's `config.auth`:
 * - `none`: no credential is read (login, health, docs);
 * - `optional`: a credential is used if present (and must then be valid);
 * - `required`: no credential → 401 UNAUTHENTICATED;
 * - `endpoint`: the route's endpoint (endpoints/) calls the same step (`authenticateCaller`, `findCaller`) itself.
 * Access levels and roles are checked by the core services, not here.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Principal, RequestContext } from '../core/principal.js';
import type { MaybePromise } from '../core/maybe.js';
import type { Credential } from '../core/auth/service.js';
import { fail } from '../core/errors.js';
import type { Services } from '../core/services.js';
import { refuseNul } from './input.js';
import { type CredentialRules, dropApikeyField, findCredential, type Found } from './credentials.js';
import { type EndpointRequest, endpointRequest } from './endpoints/request.js';

export type AuthMode = 'none' | 'optional' | 'required' | 'endpoint';

declare module 'fastify' {
  /**
   * `sameOrigin`: refuse the request when its Origin is present and foreign (logins: against login CSRF);
   * `credentials`: how this route's face reads credentials (credentials.ts `CredentialRules`).
   */
  interface FastifyContextConfig { auth?: AuthMode; keepApikeyField?: boolean; sameOrigin?: boolean; credentials?: CredentialRules; needsCaller?: boolean }
  /**
   * `credential`: the one the request authenticated with (open streams check it again later), or null;
   * `early`: the credential found outside the body and its principal, before the body was read (`registerAuth`);
   * `awaitingCredential`: a route that needs a credential found none outside the body, whose parse is under way.
   */
  interface FastifyRequest { ctx: RequestContext; credential: Credential | null; early: { found: Found; principal: Principal } | null; awaitingCredential: boolean }
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

export const ownOrigin = (req: FastifyRequest): string => `${req.protocol}://${req.host}`;

/** A fastify request as the endpoints and the auth step read it. */
export const fromFastify = (req: FastifyRequest): EndpointRequest => endpointRequest(req.method, req.headers, req.body, req.query ?? null, req.id,
  () => req.cookies ?? (req.cookies = req.server.parseCookie(req.headers.cookie!)), () => ownOrigin(req), () => req.ip ?? null);

/**
 * The one origin rule: a request that carries an Origin header must come from this server's own origin (`null`, an
 * opaque origin, never does). Requests without Origin (curl, server-to-server) pass. `what` names the request in the
 * message.
 */
export const checkOrigin = (q: { headers: { origin?: string | undefined }; ownOrigin: () => string }, what: string): void => {
  const origin = q.headers.origin;
  if (origin === undefined) return;
  const own = q.ownOrigin();
  if (origin === 'null' || origin !== own) {
    fail('CSRF_REJECTED', `${what} from origin '${origin.slice(0, 200)}' is refused; the server's origin is ${own}`);
  }
};

/**
 * The methods a request stands for: its own, and for forward-auth the original request's as a proxy reports it
 * (Traefik: X-Forwarded-Method; nginx setups: X-Original-Method). A browser cannot set these on a cross-site request
 * without a preflight, and they only ever add a method, so they can make the CSRF rule stricter, never looser.
 */
const requestMethods = (q: EndpointRequest, forwarded: boolean): string[] => {
  const out = [q.method];
  if (!forwarded) return out;
  for (const name of ['x-forwarded-method', 'x-original-method']) {
    const v = q.headers[name];
    if (typeof v === 'string' && v !== '') out.push(v.trim().toUpperCase());
  }
  return out;
};

/**
 * A cookie-authenticated write (session cookie or Meshplay's `token` cookie: both are sent by the browser on its own)
 * must not come from another origin. The request is a write if any of its methods (`requestMethods`) is unsafe.
 */
export const checkCsrf = (q: EndpointRequest, found: Found | { cookie: true }, forwarded = false): void => {
  if (!found.cookie) return;
  const methods = requestMethods(q, forwarded);
  if (methods.every((m) => SAFE.has(m))) return;
  checkOrigin(q, `a cookie-authenticated ${methods.find((m) => !SAFE.has(m))}`);
};

/** `Sec-Fetch-Site` values of a request a browser did not make for a page of another origin (`none`: typed, a bookmark). */
const OWN_SITE = new Set(['same-origin', 'none']);

/**
 * Single-user mode's rule for a request without a credential, which acts as the admin: whatever its method, a
 * browser's request for a page of another origin is refused — by its Origin (as `checkOrigin`) or, for the requests
 * a browser sends without one (an image, a script, a link followed), by its `Sec-Fetch-Site`. Requests without either
 * header (curl, scripts) pass.
 */
export const checkSameSite = (q: EndpointRequest): void => {
  checkOrigin(q, `a ${q.method} without a credential in single-user mode`);
  const site = q.headers['sec-fetch-site'];
  if (typeof site === 'string' && !OWN_SITE.has(site)) {
    fail('CSRF_REJECTED', `a ${q.method} without a credential from another site (Sec-Fetch-Site: ${site.slice(0, 40)}) is refused in single-user mode`);
  }
};

/**
 * The credential step every authenticating path shares: the request's one credential (the extractor), the `apikey`
 * field dropped from the body unless kept, and the CSRF rule (`forwarded`: forward-auth's original methods count).
 */
export const findCaller = (q: EndpointRequest, extraHeaders: readonly string[], keepApikey: boolean, forwarded = false, rules?: CredentialRules): Found | null => {
  const found = findCredential(q.headers, q.body, q.cookies, extraHeaders, rules);
  if (!keepApikey) dropApikeyField(q.body);
  if (found !== null && found.cookie) checkCsrf(q, found, forwarded);
  return found;
};

/** How a route authenticates its caller (chosen once per route, not per request). */
export interface AuthRule {
  services: Services; extraHeaders: readonly string[]; provider: 'local' | 'none'; mode: 'optional' | 'required'; keepApikey: boolean;
  rules?: CredentialRules;
}

/**
 * The one auth step, for fastify's preValidation hook and the endpoints alike: `findCaller`, then the principal.
 * Null: no credential and none needed. Not async: it returns what the service returns, the principal itself when the
 * verifier answered from its cache (core/maybe.ts). `now`: the request's time, when the caller read it already.
 */
export const authenticateCaller = (rule: AuthRule, q: EndpointRequest, now?: number, early?: { found: Found; principal: Principal } | null): MaybePromise<Principal> | null => {
  const found = findCaller(q, rule.extraHeaders, rule.keepApikey, false, rule.rules);
  // The credential authenticated before the body was read (`registerAuth`), found again with the body: its principal.
  if (found !== null && early && found.cred.type === early.found.cred.type && found.cred.value === early.found.cred.value) {
    q.credential = found.cred;
    return early.principal;
  }
  if (!found) {
    // Single-user mode: no credential means the built-in admin (the operator chose this at start).
    // A browser page on another origin must not act as that admin, not even to read.
    if (rule.provider === 'none') { checkSameSite(q); return rule.services.auth.singleUser(); }
    if (rule.mode === 'required') fail('UNAUTHENTICATED', 'this route needs a credential: a Bearer token, an API key header or a session cookie');
    return null;
  }
  q.credential = found.cred;
  return rule.services.auth.authenticate(found.cred, { ip: q.ip, now });
};

/** A route's hooks of one kind as a list (fastify takes one hook or an array). */
const hookList = <H>(h: H | H[] | undefined): H[] => (h === undefined ? [] : Array.isArray(h) ? h : [h]);

export const registerAuth = (app: FastifyInstance, services: Services, extraHeaders: readonly string[], provider: 'local' | 'none' = 'local'): void => {
  app.decorateRequest('ctx', null as unknown as RequestContext);
  app.decorateRequest('credential', null);
  app.decorateRequest('early', null);
  app.decorateRequest('awaitingCredential', false);

  // Callback style, not async: routes without authentication (forward-auth reads its own credential) skip a promise.
  const anonymous = (req: FastifyRequest, _reply: FastifyReply, done: () => void): void => {
    req.ctx = { principal: null, ip: req.ip ?? null, requestId: req.id };
    req.awaitingCredential = false;
    done();
  };
  // A login sets the session cookie: a foreign page must not log the browser in (as the attacker). The hook runs
  // before the body is read, so nothing about the login is looked at (a cross-site form may carry JSON as text/plain,
  // which Semaphore's login reads as JSON).
  const sameOrigin = async (req: FastifyRequest, _reply: FastifyReply, payload: unknown): Promise<unknown> => {
    checkOrigin({ headers: req.headers, ownOrigin: () => ownOrigin(req) }, `a ${req.method} ${req.routeOptions.url}`);
    return payload;
  };
  const authenticating = (rule: AuthRule) => async (req: FastifyRequest): Promise<void> => {
    req.ctx = { principal: null, ip: req.ip ?? null, requestId: req.id };
    req.awaitingCredential = false;
    const q = fromFastify(req);
    req.ctx.principal = await authenticateCaller(rule, q, undefined, req.early);
    req.credential = q.credential;
  };
  /**
   * Before the body is read: a credential outside it (header, cookie) is checked at once, so a refused caller gets its
   * 401 whatever its body — a bad one included (Query and Semaphore check the caller first). Without one, a route
   * that needs a credential waits for the body (FileBin's `apikey` field), and a body that cannot be read carries
   * none: errors.ts answers it 401 (`awaitingCredential`).
   */
  const beforeBody = (rule: AuthRule) => async (req: FastifyRequest, _reply: FastifyReply, payload: unknown): Promise<unknown> => {
    req.ctx = { principal: null, ip: req.ip ?? null, requestId: req.id };
    const q = fromFastify(req);
    q.body = undefined;
    const found = findCaller(q, rule.extraHeaders, true, false, rule.rules);
    if (found === null) {
      req.awaitingCredential = rule.mode === 'required' && rule.provider !== 'none';
      return payload;
    }
    const principal = await rule.services.auth.authenticate(found.cred, { ip: q.ip });
    req.early = { found, principal };
    req.ctx.principal = principal;
    return payload;
  };

  /**
   * Before the body of an endpoint route that needs a caller (`needsCaller`: verify, unless its policy is public): a
   * request with no credential outside the body whose body cannot be read is 401, as on every route that needs one
   * (`beforeBody`). The endpoint authenticates the caller itself once the body is read.
   */
  const awaitCaller = (rules: CredentialRules | undefined) => async (req: FastifyRequest, _reply: FastifyReply, payload: unknown): Promise<unknown> => {
    const q = fromFastify(req);
    q.body = undefined;
    req.awaitingCredential = provider !== 'none' && findCaller(q, extraHeaders, false, false, rules) === null;
    return payload;
  };

  // The hook is chosen once per route (not looked up per request), and put first among the route's preValidation
  // hooks: after the body is parsed (for the `apikey` field), before schema validation, so a request without a
  // credential gets 401 whatever its body. Then the NUL rule (input.ts), for every route, schema or not.
  app.addHook('onRoute', (route) => {
    const cfg = route.config as { auth?: AuthMode; keepApikeyField?: boolean; sameOrigin?: boolean; credentials?: CredentialRules; needsCaller?: boolean } | undefined;
    const mode = cfg?.auth ?? 'none';
    if (cfg?.sameOrigin && mode !== 'none') throw new Error(`${route.url}: sameOrigin is for routes without authentication (logins)`);
    const rest = hookList(route.preValidation);
    // An endpoint route (endpoints/) authenticates, checks for NUL and validates in its endpoint, in this order.
    if (mode === 'endpoint') {
      if (cfg?.needsCaller) route.preParsing = [awaitCaller(cfg.credentials), ...hookList(route.preParsing)] as never;
      route.preValidation = [anonymous, ...rest];
      return;
    }
    if (mode === 'none') {
      if (cfg?.sameOrigin) route.preParsing = [sameOrigin, ...hookList(route.preParsing)] as never;
      route.preValidation = [anonymous, refuseNul, ...rest];
      return;
    }
    const rule: AuthRule = { services, extraHeaders, provider, mode, keepApikey: cfg?.keepApikeyField === true, ...(cfg?.credentials ? { rules: cfg.credentials } : {}) };
    route.preParsing = [beforeBody(rule), ...hookList(route.preParsing)] as never;
    route.preValidation = [authenticating(rule), refuseNul, ...rest];
  });
};
