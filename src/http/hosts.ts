/**
 * Which Host names the server answers (issue 12: DNS rebinding). A page whose name an attacker rebinds to 127.0.0.1
 * is same-origin with itself, so only the Host header (the page's own name) tells it from a real client. In
 * single-user mode (`provider: none`) every request without a credential is the admin, so by default only the
 * loopback names, the configured `host` and `public_url`'s host are answered. An explicit `allowed_hosts` applies in
 * every mode. Entries match the host name case-insensitively, any port; `*.example.org` matches its subdomains.
 */
import { fail } from '../core/errors.js';

export const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]'];
const WILDCARD_ADDRESSES = new Set(['0.0.0.0', '::', '[::]']);

/** The list to enforce, or null for "any Host" (provider local without an explicit list). */
export const allowedHostList = (c: { provider: 'local' | 'none'; host: string; public_url?: string | undefined; allowed_hosts?: readonly string[] | undefined }): string[] | null => {
  if (c.allowed_hosts !== undefined) return [...c.allowed_hosts];
  if (c.provider !== 'none') return null;
  const list = [...LOOPBACK_HOSTS];
  if (!WILDCARD_ADDRESSES.has(c.host)) list.push(c.host.includes(':') && !c.host.startsWith('[') ? `[${c.host}]` : c.host);
  if (c.public_url !== undefined) list.push(new URL(c.public_url).hostname);
  return list;
};

/** The name part of a Host header value: `[::1]:80` → `[::1]`, `Example.org:443` → `example.org`. */
const hostName = (host: string): string => {
  const h = host.trim().toLowerCase();
  if (h.startsWith('[')) { const end = h.indexOf(']'); return end === -1 ? h : h.slice(0, end + 1); }
  const colon = h.indexOf(':');
  return colon === -1 ? h : h.slice(0, colon);
};

export type HostMatcher = (host: string | undefined) => boolean;

export const hostMatcher = (list: readonly string[]): HostMatcher => {
  const exact = new Set<string>();
  const suffixes: string[] = [];
  for (const e of list) {
    const l = e.toLowerCase();
    if (l.startsWith('*.')) suffixes.push(l.slice(1)); else exact.add(l);
  }
  return (host) => {
    if (host === undefined || host === '') return false;
    const name = hostName(host);
    if (exact.has(name)) return true;
    for (const s of suffixes) if (name.length > s.length && name.endsWith(s)) return true;
    return false;
  };
};

/** Throws HOST_NOT_ALLOWED unless the Host header, and the host fastify derived (a trusted X-Forwarded-Host), are allowed. */
export const checkHost = (allowed: HostMatcher, rawHost: string | undefined, derivedHost: string | undefined): void => {
  if (!allowed(rawHost)) fail('HOST_NOT_ALLOWED', `host '${(rawHost ?? '').slice(0, 100)}' is not allowed here (allowed_hosts)`);
  if (derivedHost !== undefined && derivedHost !== rawHost && !allowed(derivedHost)) {
    fail('HOST_NOT_ALLOWED', `forwarded host '${derivedHost.slice(0, 100)}' is not allowed here (allowed_hosts)`);
  }
};
