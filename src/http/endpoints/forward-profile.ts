/**
 * Forward-auth profiles (issue 19): `GET /api/v1/auth/forward/<profile>`, framework-free like forward.ts (the fastify
 * route in routes/v1/verify.ts and the hot lane both call `ForwardProfiles.answer`). A profile (config
 * `forward_auth.profiles.<name>`) says which credential sources are read — the others are not looked at, so an app's
 * own `token` cookie or `Authorization: Basic` does not collide with the credential — which access level is needed,
 * and how refusals are told (`mode`):
 *
 * - `standard`: the statuses of `/api/v1/auth/forward` (400, 401, 403, 429, 503);
 * - `nginx`: nginx's `auth_request` turns any status but 2xx, 401 and 403 into a bare 500, so every refusal is 401 or
 *   403: 429 (rate or usage limit) → 403 — the caller is known and valid, it may just not go on now; a 401 would tell
 *   the client (and any `error_page 401` login redirect) to authenticate again, which does not help — and 400 (two
 *   different credentials) → 401 (the request names no one caller). Other 4xx → 403. 5xx stay (nginx answers 500: the
 *   server's fault). The real reason is in `X-Tessera-Error` and `Retry-After`/`RateLimit-*` are kept, so the
 *   documented nginx config (docs/proxies/nginx.conf) gives the client its 429 with Retry-After back.
 *
 * Answer headers, always present (empty when they do not apply): X-Tessera-User, X-Tessera-User-Id,
 * X-Tessera-Token-Id (empty for a session), X-Tessera-Access, X-Tessera-Error (empty on 204). Retry-After and
 * RateLimit-Limit/-Remaining/-Reset come with a token that has limits, as on /api/v1/auth/forward.
 */
import { type Access, hasAccess } from '../../core/access.js';
import { fail, TesseraError } from '../../core/errors.js';
import type { Services } from '../../core/services.js';
import { checkCsrf } from '../auth.js';
import { bearerToken, type Found, SESSION_COOKIE } from '../credentials.js';
import { errorReply, limitHeaders } from '../errors.js';
import { PermissionSet } from '../../core/authz/permissions.js';
import { evaluate, parseQuery, type PermissionQuery } from '../../core/authz/query.js';
import { countStoreError, type EndpointAnswer, type EndpointRequest, errorAnswer, type ErrorLog } from './request.js';
import { type CodeCounter, type Metrics, NO_METRICS } from '../../core/metrics.js';

export type ForwardSource = 'bearer' | 'token_header' | 'headers' | 'token_cookie' | 'session_cookie' | 'basic';

/** A profile as configured (config schema `forward_auth.profiles.<name>`). */
export interface ForwardProfileConfig {
  sources: readonly ForwardSource[];
  access?: Access | undefined;
  /** Permissions every request needs (all of them). */
  permissions?: readonly string[] | undefined;
  mode: 'standard' | 'nginx';
}

/** The headers every profile answer carries, in this order (docs/proxies/README.md lists them). */
export const PROFILE_HEADERS = ['x-tessera-user', 'x-tessera-user-id', 'x-tessera-token-id', 'x-tessera-access', 'x-tessera-error', 'x-tessera-permissions'] as const;

const BASIC = /^\s*basic\s+([A-Za-z0-9+/=]+)\s*$/i;

/** The password of an `Authorization: Basic` header (the user name is ignored: the password is the token), or null. */
export const basicPassword = (authorization: string): string | null => {
  const m = BASIC.exec(authorization);
  if (!m) return null;
  const text = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = text.indexOf(':');
  return colon === -1 ? null : text.slice(colon + 1);
};

interface Compiled {
  bearer: boolean; tokenHeader: boolean; headers: boolean; tokenCookie: boolean; sessionCookie: boolean; basic: boolean;
  access: Access | undefined; nginx: boolean;
  /** The profile's required permissions as a query (checked at load). */
  query: PermissionQuery | undefined;
}

const compile = (p: ForwardProfileConfig): Compiled => {
  const has = (s: ForwardSource): boolean => p.sources.includes(s);
  return {
    bearer: has('bearer'), tokenHeader: has('token_header'), headers: has('headers'), tokenCookie: has('token_cookie'),
    sessionCookie: has('session_cookie'), basic: has('basic'), access: p.access, nginx: p.mode === 'nginx',
    query: p.permissions && p.permissions.length > 0 ? parseQuery([...p.permissions], 'forward_auth.profiles.permissions') : undefined,
  };
};

/**
 * The extractor for a profile: only the sources it reads. An Authorization header of a scheme the profile does not
 * read is not a credential here (the app behind may use it). The same value twice counts once; two different → 400.
 */
export const findProfileCredential = (q: EndpointRequest, c: Compiled, extraHeaders: readonly string[]): Found | null => {
  const h = q.headers;
  const found: Found[] = [];
  if (h.authorization !== undefined && (c.bearer || c.basic)) {
    const b = c.bearer ? bearerToken(h.authorization) : null;
    if (b !== null) found.push({ cred: { type: 'token', value: b }, source: 'authorization', cookie: false });
    else if (c.basic) {
      const p = basicPassword(h.authorization);
      if (p !== null) found.push({ cred: { type: 'token', value: p.trim() }, source: 'basic password', cookie: false });
    }
  }
  if (c.tokenHeader && typeof h.token === 'string') found.push({ cred: { type: 'token', value: h.token.trim() }, source: 'token header', cookie: false });
  if (c.headers) {
    for (const name of extraHeaders) {
      const v = h[name];
      if (typeof v === 'string') found.push({ cred: { type: 'token', value: v.trim() }, source: `${name} header`, cookie: false });
    }
  }
  if ((c.tokenCookie || c.sessionCookie) && h.cookie !== undefined) {
    const jar = q.cookies();
    if (c.tokenCookie && jar.token) found.push({ cred: { type: 'token', value: jar.token.trim() }, source: 'token cookie', cookie: true });
    const s = c.sessionCookie ? jar[SESSION_COOKIE] : undefined;
    if (s) found.push({ cred: { type: 'session', value: s.trim() }, source: 'session cookie', cookie: true });
  }
  if (found.length <= 1) return found[0] ?? null;
  const distinct = new Map<string, Found>();
  for (const f of found) distinct.set(`${f.cred.type}:${f.cred.value}`, f);
  if (distinct.size > 1) {
    return fail('AMBIGUOUS_CREDENTIALS', `the request carries different credentials in the ${[...distinct.values()].map((f) => f.source).join(' and ')}; send one`);
  }
  return { ...found[0]!, cookie: found.every((f) => f.cookie) };
};

/** nginx mode: the status auth_request can pass on (see the file comment). */
export const nginxStatus = (status: number): number => {
  if (status < 400 || status >= 500 || status === 401 || status === 403) return status;
  if (status === 400) return 401;
  return 403;
};

const challenge = (e: unknown): string | null => {
  const { status, code } = e as { status?: number; code?: string };
  return status === 401 && code !== 'UNAUTHENTICATED' ? 'Bearer realm="tessera", error="invalid_token"' : null;
};

export interface ForwardProfileParts {
  services: Services;
  credentialHeaders: readonly string[];
  profiles: Readonly<Record<string, ForwardProfileConfig>>;
  log: ErrorLog;
  metrics?: Metrics;
}

export class ForwardProfiles {
  private readonly compiled = new Map<string, Compiled>();
  private readonly metrics: Metrics;
  /** Answers by code (VALID, or the refusal's error code), through fastify and the hot lane. */
  private readonly codes: CodeCounter;
  private readonly hotCodes: CodeCounter;

  constructor(private readonly p: ForwardProfileParts) {
    const m = this.metrics = p.metrics ?? NO_METRICS;
    this.codes = m.verifications('forward_profile', 'fastify'); this.hotCodes = m.verifications('forward_profile', 'hot');
    for (const [name, cfg] of Object.entries(p.profiles)) this.compiled.set(name, compile(cfg));
  }

  has(name: string): boolean { return this.compiled.has(name); }

  /** Whether the profile reads a cookie (the hot lane leaves such requests with a Cookie header to fastify). */
  readsCookies(name: string): boolean { const c = this.compiled.get(name); return c !== undefined && (c.tokenCookie || c.sessionCookie); }

  /** Never rejects. An unknown profile is 404 ROUTE_NOT_FOUND (a proxy misconfiguration, whatever the mode). */
  async answer(q: EndpointRequest, name: string): Promise<EndpointAnswer> {
    const c = this.compiled.get(name);
    if (c === undefined) return errorAnswer(q, new TesseraError('ROUTE_NOT_FOUND', 'no forward-auth profile of this name (config forward_auth.profiles)'), this.p.log);
    try {
      const found = findProfileCredential(q, c, this.p.credentialHeaders);
      if (!found) return this.refuse(q, c, new TesseraError('UNAUTHENTICATED', 'no credential'));
      if (found.cookie) checkCsrf(q, found, true);
      const need = c.access;
      const p = await this.p.services.auth.check(found.cred, { need, ip: q.ip, query: c.query });
      if (p instanceof TesseraError) return this.refuse(q, c, p);
      if (need && !hasAccess(p.access, need)) return this.refuse(q, c, new TesseraError('INSUFFICIENT_ACCESS', `needs access level '${need}'; the credential has '${p.access}'`));
      // What the credential grants (a token's came checked against the profile's permissions; JWTs and sessions here).
      const grants = p.grants ?? await this.p.services.authz.principalGrants(p);
      if (c.query !== undefined) {
        const r = evaluate(c.query, grants?.set ?? PermissionSet.EMPTY);
        if (!r.ok) return this.refuse(q, c, new TesseraError('INSUFFICIENT_PERMISSIONS', `the credential does not grant ${r.missing.map((m) => `'${m}'`).join(', ')}`));
      }
      const h: Record<string, string | number> = {
        'x-tessera-user': p.user ? p.user.username : '',
        'x-tessera-user-id': p.user ? String(p.user.id) : '',
        'x-tessera-token-id': p.type === 'token' ? p.token.id : '',
        'x-tessera-access': p.access,
        'x-tessera-error': '',
        'x-tessera-permissions': grants?.scope ?? '',
      };
      if (p.type === 'token' && p.limit) limitHeaders({ limit: p.limit }, h as Record<string, string>);
      (q.hot ? this.hotCodes : this.codes).count('VALID');
      return { status: 204, headers: h, body: undefined };
    } catch (e) {
      return this.refuse(q, c, e);
    }
  }

  private refuse(q: EndpointRequest, c: Compiled, err: unknown): EndpointAnswer {
    const e = errorReply(err, q.id, q.headers['content-type'], challenge(err));
    if (e.error.code === 'INTERNAL_ERROR') this.p.log.error({ err, reqId: q.id }, 'unhandled error');
    countStoreError(this.metrics, e.error.code, err);
    (q.hot ? this.hotCodes : this.codes).count(e.error.code);
    const body = JSON.stringify(e.body);
    const h: Record<string, string | number> = e.headers;
    h['x-tessera-user'] = ''; h['x-tessera-user-id'] = ''; h['x-tessera-token-id'] = ''; h['x-tessera-access'] = ''; h['x-tessera-permissions'] = '';
    h['x-tessera-error'] = e.error.code;
    h['content-length'] = Buffer.byteLength(body);
    let status = e.status;
    if (c.nginx) {
      status = nginxStatus(e.status);
      if (status === 401 && e.status !== 401) h['www-authenticate'] = 'Bearer realm="tessera"';
    }
    return { status, headers: h, body };
  }
}
