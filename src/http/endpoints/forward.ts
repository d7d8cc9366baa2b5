/**
 * /api/v1/auth/forward (reverse proxies: nginx auth_request, Traefik/Caddy forward_auth), framework-free: the fastify
 * route (routes/v1/verify.ts) and the hot lane (hot-lane.ts) both call `ForwardEndpoint.answer`. It checks the
 * request's own credential (auth.ts's credential step, with the CSRF rule for a cookie, counting the method a proxy
 * reports) and answers 204 with X-Tessera-* headers, or the refusal.
 */
import { type Access, hasAccess } from '../../core/access.js';
import { PermissionSet } from '../../core/authz/permissions.js';
import { evaluate, type PermissionQuery } from '../../core/authz/query.js';
import { TesseraError } from '../../core/errors.js';
import { type MaybePromise, settle, then } from '../../core/maybe.js';
import type { Principal } from '../../core/principal.js';
import type { Services } from '../../core/services.js';
import { findCaller } from '../auth.js';
import { limitHeaders, statusOf } from '../errors.js';
import { type CodeCounter, type Metrics, NO_METRICS } from '../../core/metrics.js';
import { type EndpointAnswer, type EndpointRequest, errorAnswer, type ErrorLog } from './request.js';

export const FORWARD_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

const PLAIN_QUERY = /^(?:access=(read|write|full))?$/;

/**
 * The access level asked for by a plain query string (`''` or `access=read|write|full`), or false for any other
 * query: the hot lane leaves those to fastify, which validates them against the route's query schema.
 */
export const plainForwardQuery = (query: string): Access | undefined | false => {
  const m = PLAIN_QUERY.exec(query);
  return m === null ? false : (m[1] as Access | undefined);
};

/** RFC 6750 §3.1: a forward-auth request with no credential gets the bare challenge, a bad credential `invalid_token`. */
const challenge = (e: unknown): string | null =>
  e instanceof TesseraError && e.code !== 'UNAUTHENTICATED' && statusOf(e.code) === 401 ? 'Bearer realm="tessera", error="invalid_token"' : null;

export interface ForwardParts {
  services: Services;
  /** Lower-case header names that may carry a credential (besides Authorization and TOKEN). */
  credentialHeaders: readonly string[];
  log: ErrorLog;
  metrics?: Metrics;
}

export class ForwardEndpoint {
  private readonly metrics: Metrics;
  /** Answers by code (VALID, or the refusal's error code), through fastify and the hot lane. */
  private readonly codes: CodeCounter;
  private readonly hotCodes: CodeCounter;

  constructor(private readonly p: ForwardParts) {
    const m = this.metrics = p.metrics ?? NO_METRICS;
    this.codes = m.verifications('forward', 'fastify'); this.hotCodes = m.verifications('forward', 'hot');
  }

  /**
   * The answer for a request asking for `need` (it goes into the verification, so a token below it is refused before
   * it spends a use). Never throws or rejects: a refusal (returned by `AuthService.check` or thrown) becomes its
   * answer. A token the verifier answers from its cache is answered now, without a promise (core/maybe.ts).
   */
  answer(q: EndpointRequest, need: Access | undefined, query?: PermissionQuery): MaybePromise<EndpointAnswer> {
    return settle(() => {
      const found = findCaller(q, this.p.credentialHeaders, true, true);
      if (!found) return this.refuse(q, new TesseraError('UNAUTHENTICATED', 'no credential'));
      return then(this.p.services.auth.check(found.cred, { need, ip: q.ip, query }), (p) => this.checked(q, p, need, query));
    }, (e) => this.refuse(q, e));
  }

  private checked(q: EndpointRequest, p: Principal | TesseraError, need: Access | undefined, query: PermissionQuery | undefined): MaybePromise<EndpointAnswer> {
    if (p instanceof TesseraError) return this.refuse(q, p);
    if (need && !hasAccess(p.access, need)) return this.refuse(q, new TesseraError('INSUFFICIENT_ACCESS', `needs access level '${need}'; the credential has '${p.access}'`));
    // What the credential grants: a token's come with it (and the verifier checked `query`), a JWT's are limited to
    // its scope, a session's are its user's. The query is checked here too, for JWTs and sessions.
    return then(p.grants ?? this.p.services.authz.principalGrants(p), (grants) => {
      if (query !== undefined) {
        const r = evaluate(query, grants?.set ?? PermissionSet.EMPTY);
        if (!r.ok) return this.refuse(q, new TesseraError('INSUFFICIENT_PERMISSIONS', `the credential does not grant ${r.missing.map((m) => `'${m}'`).join(', ')}`));
      }
      const h: Record<string, string | number> = {};
      if (grants) h['x-tessera-permissions'] = grants.scope;
      if (p.user) { h['x-tessera-user'] = p.user.username; h['x-tessera-user-id'] = String(p.user.id); }
      if (p.type === 'token') {
        h['x-tessera-token-id'] = p.token.id;
        if (p.limit) limitHeaders({ limit: p.limit }, h as Record<string, string>);
      }
      h['x-tessera-access'] = p.access;
      (q.hot ? this.hotCodes : this.codes).count('VALID');
      return { status: 204, headers: h, body: undefined };
    });
  }

  private refuse(q: EndpointRequest, e: unknown): EndpointAnswer {
    const a = errorAnswer(q, e, this.p.log, challenge(e), this.metrics);
    (q.hot ? this.hotCodes : this.codes).count(a.code!);
    return a;
  }
}
