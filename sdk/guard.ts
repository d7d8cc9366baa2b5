/**
 * What every middleware (express.ts, fastify.ts, hono.ts, fetch.ts) does, framework-free: read the credential the
 * way the Tessera server does, verify it (remotely, or from a LocalVerifier's cache), and decide — the principal, or
 * the refusal with its status and the error envelope `{error: {code, message, request_id}}` (docs/errors.md).
 *
 * Credential: `Authorization: Bearer <token>` (scheme case-insensitive; other schemes are ignored) and the headers
 * in `headers` (default `x-api-key`). The same value in several places counts once; two different values are
 * refused (400 AMBIGUOUS_CREDENTIALS), as the server does.
 */
import { ApiError, type ErrorBody } from './errors.js';
import type { Access, PermissionQuery, VerifyAnswer, VerifyRequest } from './verify.js';

/** RemoteVerifier or LocalVerifier (or anything answering like them). */
export interface Verifies { verify(token: string, o?: VerifyRequest): Promise<VerifyAnswer> }

export interface GuardOptions {
  verifier: Verifies;
  /** The access level the route needs. */
  access?: Access;
  /** The permissions the route needs (a name, a list: all of them, or `{and}` / `{or}`). */
  permissions?: PermissionQuery;
  /** Headers besides `Authorization: Bearer` that may carry the token, lower-case. Default `['x-api-key']`. */
  headers?: readonly string[];
  /** Read `Authorization: Bearer`. Default true. */
  bearer?: boolean;
}

/** What a request that passed carries (`req.tessera`, `c.get('tessera')`, the fetch handler's second argument). */
export interface TesseraPrincipal {
  token: NonNullable<VerifyAnswer['token']>;
  permissions: string[];
  roles: string[];
  metadata: Record<string, unknown> | null;
  /** The whole verify answer (rate_limit, usage…). */
  answer: VerifyAnswer;
}

export type Decision =
  | { ok: true; principal: TesseraPrincipal }
  | { ok: false; status: number; body: ErrorBody; headers: Record<string, string> };

const BEARER = /^\s*bearer(?:\s+(.*))?$/i;

type HeaderOf = (name: string) => string | string[] | null | undefined;

/** The token of the request, `null` without one; throws 400 AMBIGUOUS_CREDENTIALS for two different ones. */
export const readCredential = (header: HeaderOf, o: Pick<GuardOptions, 'headers' | 'bearer'> = {}): string | null => {
  const found: [string, string][] = [];
  const add = (source: string, v: string | null | undefined): void => { if (v) found.push([source, v.trim()]); };
  if (o.bearer !== false) {
    const a = first(header('authorization'));
    if (a) add('Authorization header', BEARER.exec(a)?.[1]);
  }
  for (const h of o.headers ?? ['x-api-key']) add(`${h} header`, first(header(h)));
  if (found.length === 0) return null;
  if (found.some(([, v]) => v !== found[0]![1])) {
    throw new ApiError(400, 'AMBIGUOUS_CREDENTIALS', `the request carries different credentials in the ${found.map(([s]) => s).join(' and ')}; send one`);
  }
  return found[0]![1];
};

const first = (v: string | string[] | null | undefined): string | undefined => (Array.isArray(v) ? v[0] : v ?? undefined);

/** Refusals by verify code: status and the server's error code (docs/errors.md). */
const REFUSALS: Record<Exclude<VerifyAnswer['code'], 'VALID'>, [number, string, string]> = {
  MALFORMED: [401, 'TOKEN_MALFORMED', 'the token is malformed (a bad checksum after the Tessera prefix, or an empty or unprintable value)'],
  NOT_FOUND: [401, 'TOKEN_NOT_FOUND', 'the token is not known'],
  EXPIRED: [401, 'TOKEN_EXPIRED', 'the token has expired'],
  REVOKED: [401, 'TOKEN_REVOKED', 'the token was revoked'],
  ROTATED: [401, 'TOKEN_ROTATED', 'the token\'s value was replaced by a rotation'],
  DISABLED: [401, 'TOKEN_DISABLED', 'the token is inactive, or its owner is disabled'],
  BOUND: [403, 'TOKEN_BOUND', 'the token is bound to one command and is not a general credential'],
  INSUFFICIENT_ACCESS: [403, 'INSUFFICIENT_ACCESS', 'the token\'s access level is below what this route needs'],
  INSUFFICIENT_PERMISSIONS: [403, 'INSUFFICIENT_PERMISSIONS', 'the token does not grant the permissions this route needs'],
  IP_NOT_ALLOWED: [403, 'IP_NOT_ALLOWED', 'the token may not be used from this address'],
  RATE_LIMITED: [429, 'RATE_LIMITED', 'the token\'s rate limit is used up for this window'],
  USAGE_EXCEEDED: [429, 'USAGE_EXCEEDED', 'the token has no uses left'],
};

/** A request id: the caller's X-Request-Id when it looks like one, else a new UUID. */
export const requestIdOf = (header: HeaderOf): string => {
  const r = first(header('x-request-id'));
  return r && /^[\w.:-]{1,128}$/.test(r) ? r : globalThis.crypto.randomUUID();
};

const refuse = (status: number, code: string, message: string, requestId: string, headers: Record<string, string> = {}): Decision =>
  ({ ok: false, status, body: { error: { code, message, request_id: requestId } }, headers: { 'cache-control': 'no-store', ...headers } });

const retryAfter = (resetAt: string | null | undefined): Record<string, string> => {
  if (!resetAt) return {};
  return { 'retry-after': String(Math.max(1, Math.ceil((Date.parse(resetAt) - Date.now()) / 1000))) };
};

/** The decision for one request. `ip`: the client address, passed to the verifier (tokens with allowlists). */
export const decide = async (header: HeaderOf, o: GuardOptions, ip?: string): Promise<Decision> => {
  const rid = requestIdOf(header);
  let token: string | null;
  try {
    token = readCredential(header, o);
  } catch (e) {
    const err = e as ApiError;
    return refuse(err.status, err.code, err.message, rid);
  }
  if (token === null) return refuse(401, 'UNAUTHENTICATED', 'this route needs a credential', rid, { 'www-authenticate': 'Bearer' });
  let a: VerifyAnswer;
  try {
    a = await o.verifier.verify(token, {
      ...(o.access ? { access: o.access } : {}), ...(o.permissions !== undefined ? { permissions: o.permissions } : {}), ...(ip ? { ip } : {}),
    });
  } catch (e) {
    const err = e instanceof ApiError ? e : new ApiError(0, 'NETWORK_ERROR', String(e));
    // The server refused the question itself (a wildcard or malformed name in `permissions`, an unknown `access`):
    // the guard's own options are wrong, which no retry mends.
    if (err.status === 400) return refuse(500, 'GUARD_MISCONFIGURED', `this route's guard asks the verifier a question it refuses: ${err.message}`, rid);
    // The verifier itself failed (network, or the service's own credential refused): not the caller's fault.
    return refuse(503, 'VERIFIER_UNAVAILABLE', `the token could not be checked (${err.code})`, rid, { 'retry-after': '1' });
  }
  if (a.valid && a.token !== null) {
    return { ok: true, principal: { token: a.token, permissions: a.permissions ?? [], roles: a.roles ?? [], metadata: (a.metadata ?? null) as Record<string, unknown> | null, answer: a } };
  }
  const code = a.code === 'VALID' ? 'NOT_FOUND' : a.code;
  const [status, errCode, message] = REFUSALS[code];
  const extra = code === 'RATE_LIMITED' ? retryAfter(a.rate_limit?.reset_at) : code === 'USAGE_EXCEEDED' ? retryAfter(a.usage?.reset_at) : {};
  const msg = code === 'INSUFFICIENT_PERMISSIONS' && a.missing?.length ? `${message} (missing: ${a.missing.join(', ')})` : message;
  return refuse(status, errCode, msg, rid, status === 401 ? { ...extra, 'www-authenticate': 'Bearer' } : extra);
};
