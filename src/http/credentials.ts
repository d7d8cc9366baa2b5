/**
 * Every place a request may carry a credential, in one function used by every route:
 * `Authorization: Bearer` (scheme case-insensitive), the `TOKEN` header (Meeseeks), the configured extra headers
 * (default `X-API-Key`, `meshplay-token`), the `token` cookie (Meshplay), the session cookie, and the body field
 * `apikey` (FileBin; form or JSON). The same value in several places counts once; two different values are refused.
 */
import type { FastifyRequest } from 'fastify';
import type { Credential } from '../core/auth/service.js';
import { fail } from '../core/errors.js';

export const SESSION_COOKIE = 'tessera_session';

/** `cookie`: the browser sends it by itself, so a write that relies on it needs the CSRF check. */
export interface Found { cred: Credential; source: string; cookie: boolean }

export const extractCredential = (req: FastifyRequest, extraHeaders: readonly string[]): Found | null => {
  const found: Found[] = [];
  const add = (type: Credential['type'], value: string, source: string, cookie = false): void => {
    found.push({ cred: { type, value: value.trim() }, source, cookie });
  };
  const authz = req.headers.authorization;
  if (authz !== undefined) {
    const m = /^\s*bearer(?:\s+(.*))?$/i.exec(authz);
    if (!m) return fail('UNAUTHENTICATED', 'the Authorization header must use the Bearer scheme');
    add('token', m[1] ?? '', 'authorization');
  }
  const tok = req.headers.token;
  if (typeof tok === 'string') add('token', tok, 'token header');
  for (const h of extraHeaders) {
    const v = req.headers[h.toLowerCase()];
    if (typeof v === 'string') add('token', v, `${h} header`);
  }
  const cookies = (req as FastifyRequest & { cookies?: Record<string, string | undefined> }).cookies ?? {};
  if (cookies.token) add('token', cookies.token, 'token cookie', true);
  if (cookies[SESSION_COOKIE]) add('session', cookies[SESSION_COOKIE]!, 'session cookie', true);
  const body = req.body as Record<string, unknown> | undefined;
  if (body && typeof body === 'object' && !Array.isArray(body) && 'apikey' in body) {
    const v = body.apikey;
    add('token', typeof v === 'string' ? v : typeof v === 'object' && v !== null && 'value' in v ? String((v as { value: unknown }).value) : String(v), 'apikey field');
  }
  if (found.length === 0) return null;
  const distinct = new Map<string, Found>();
  for (const f of found) distinct.set(`${f.cred.type}:${f.cred.value}`, f);
  if (distinct.size > 1) {
    const sources = [...distinct.values()].map((f) => f.source).join(' and ');
    return fail('AMBIGUOUS_CREDENTIALS', `the request carries different credentials in the ${sources}; send one`);
  }
  // The same value in several places: a copy outside the cookies shows the sender knew it, so no CSRF check.
  return { ...found[0]!, cookie: found.every((f) => f.cookie) };
};
