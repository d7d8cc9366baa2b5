/**
 * Every place a request may carry a credential, in one function used by every route:
 * `Authorization: Bearer` (scheme case-insensitive), the `TOKEN` header (Meeseeks), the configured extra headers
 * (default `X-API-Key`, `meshplay-token`), the `token` cookie (Meshplay), the session cookie, and the body field
 * `apikey` (FileBin; form or JSON). The same value in several places counts once; two different values are refused.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Credential } from '../core/auth/service.js';
import { fail } from '../core/errors.js';

export const SESSION_COOKIE = 'tessera_session';

/** `cookie`: the browser sends it by itself, so a write that relies on it needs the CSRF check. */
export interface Found { cred: Credential; source: string; cookie: boolean }

/**
 * How a route's face reads credentials, where a seed product differs from the rule above (route config `credentials`):
 * - `anyScheme`: the `Authorization` value after its first space, whatever the scheme word (Query takes the second
 *   space-separated part and never looks at the first);
 * - `apikeyOverSession`: an `apikey` body field is the credential even when a session cookie is sent too (FileBin's
 *   `apilogin` replaces the session), instead of two different credentials.
 */
export interface CredentialRules { anyScheme?: boolean; apikeyOverSession?: boolean }

const BEARER = /^\s*bearer(?:\s+(.*))?$/i;

/** The token of an `Authorization` header: its value after `Bearer` (scheme case-insensitive), `''` for a bare
 * `Bearer`, `null` for another scheme. */
export const bearerToken = (authorization: string): string | null => {
  // The usual spelling, `Bearer <value>`, without the regular expression: the same answer for any header value (its
  // characters are one byte each, so the only ones `.` does not match are CR and LF; test/unit/credentials.test.ts).
  if (authorization.startsWith('Bearer ') && authorization.indexOf('\n') === -1 && authorization.indexOf('\r') === -1) {
    return authorization.slice(7).trim();
  }
  const m = BEARER.exec(authorization);
  return m ? (m[1] ?? '').trim() : null;
};

/** `anyScheme`: what follows the first space of an Authorization value ('' without one: no credential to find). */
const afterScheme = (authorization: string): string => {
  const v = authorization.trim();
  const sp = v.search(/\s/);
  return sp === -1 ? '' : v.slice(sp + 1).trim();
};

/** The field's value: a form's repeated field keeps its last value (PHP's `$_POST`, docs/compat.md), as every field does. */
const apikeyField = (v: unknown): string =>
  Array.isArray(v) ? (v.length > 0 ? apikeyField(v[v.length - 1]) : '')
    : typeof v === 'string' ? v : typeof v === 'object' && v !== null && 'value' in v ? String((v as { value: unknown }).value) : String(v);

/** The `apikey` field is a credential, not part of a route's payload: routes that do not keep it get a body without it. */
export const dropApikeyField = (body: unknown): void => {
  if (body && typeof body === 'object' && 'apikey' in body) delete (body as { apikey?: unknown }).apikey;
};

/** Appends to a list made on the first credential, of exactly one element (`[]` and a push reserve 17). */
const add = (list: Found[] | undefined, f: Found): Found[] => {
  if (list === undefined) return [f];
  list.push(f);
  return list;
};

/**
 * The extractor, on plain values (auth.ts's credential step calls it for every route and both endpoints).
 * `extraHeaders` must be lower-case (buildApp lower-cases the configured `credential_headers` once).
 */
export const findCredential = (h: IncomingHttpHeaders, body: unknown, cookies: () => Record<string, string | undefined>,
  extraHeaders: readonly string[], rules?: CredentialRules): Found | null => {
  // Runs on every authenticated request: no closures, an array of one for one credential (`add`), no Map unless two
  // were found.
  let found: Found[] | undefined;
  if (h.authorization !== undefined) {
    const value = rules?.anyScheme ? afterScheme(h.authorization) : bearerToken(h.authorization);
    if (value === null) return fail('UNAUTHENTICATED', 'the Authorization header must use the Bearer scheme');
    found = add(found, { cred: { type: 'token', value }, source: 'authorization', cookie: false });
  }
  if (typeof h.token === 'string') found = add(found, { cred: { type: 'token', value: h.token.trim() }, source: 'token header', cookie: false });
  for (let i = 0; i < extraHeaders.length; i++) {
    const v = h[extraHeaders[i]!];
    if (typeof v === 'string') found = add(found, { cred: { type: 'token', value: v.trim() }, source: `${extraHeaders[i]} header`, cookie: false });
  }
  const b = body as Record<string, unknown> | undefined;
  const apikey = b && typeof b === 'object' && !Array.isArray(b) && 'apikey' in b;
  if (h.cookie !== undefined) {
    // Parsed here, only when there is a Cookie header (@fastify/cookie runs with `hook: false`, see app.ts).
    const c = cookies();
    if (c.token) found = add(found, { cred: { type: 'token', value: c.token.trim() }, source: 'token cookie', cookie: true });
    const s = c[SESSION_COOKIE];
    if (s && !(apikey && rules?.apikeyOverSession)) found = add(found, { cred: { type: 'session', value: s.trim() }, source: 'session cookie', cookie: true });
  }
  if (apikey) {
    found = add(found, { cred: { type: 'token', value: apikeyField(b.apikey).trim() }, source: 'apikey field', cookie: false });
  }
  if (found === undefined) return null;
  if (found.length === 1) return found[0]!;
  const distinct = new Map<string, Found>();
  for (const f of found) distinct.set(`${f.cred.type}:${f.cred.value}`, f);
  if (distinct.size > 1) {
    const sources = [...distinct.values()].map((f) => f.source).join(' and ');
    return fail('AMBIGUOUS_CREDENTIALS', `the request carries different credentials in the ${sources}; send one`);
  }
  // The same value in several places: a copy outside the cookies shows the sender knew it, so no CSRF check.
  return { ...found[0]!, cookie: found.every((f) => f.cookie) };
};
