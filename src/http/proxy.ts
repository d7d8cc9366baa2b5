/**
 * Which peers are trusted proxies (`trust_proxy`), as one function used by fastify (its `trustProxy` option, so
 * req.ip, req.protocol and req.host follow it) and by the hot lane (the client address it logs). The client address is
 * then the rightmost X-Forwarded-For entry that is not a trusted proxy (proxy-addr's walk), never the leftmost one,
 * which the client writes itself.
 *
 * - `false` (or `0`): X-Forwarded-* are ignored; the address is the socket's.
 * - a hop count `n`: the last `n` hops (the peer and n-1 X-Forwarded-For entries) are proxies. Fastify 5 refuses a
 *   bare number (it cannot check the peer), so it gets this function instead: use a count only when the server is
 *   reachable through the proxy alone (listening on loopback or a private network).
 * - a list of addresses/CIDRs (and proxy-addr's names loopback, linklocal, uniquelocal): those peers are proxies.
 * - `true`: every hop is trusted (the leftmost entry wins); only for a proxy that overwrites X-Forwarded-For.
 *
 * proxy-addr is fastify's own dependency (@fastify/proxy-addr), not Tessera's: it is loaded from fastify's location,
 * so the lane walks the header with the very copy fastify uses.
 */
import type { IncomingMessage } from 'node:http';
import { createRequire } from 'node:module';

export type TrustFn = (address: string, hop: number) => boolean;

interface ProxyAddr {
  (req: IncomingMessage, trust: TrustFn): string;
  compile(values: string[]): TrustFn;
}

const fromHere = createRequire(import.meta.url);
const proxyAddr = createRequire(fromHere.resolve('fastify'))('@fastify/proxy-addr') as ProxyAddr;

export type TrustProxy = boolean | number | readonly string[];

/** The trust function for a `trust_proxy` value; null when nothing is trusted. Throws on a malformed address. */
export const trustFunction = (tp: TrustProxy): TrustFn | null => {
  if (tp === false || tp === 0) return null;
  if (tp === true) return () => true;
  if (typeof tp === 'number') return (_address, hop) => hop < tp;
  return proxyAddr.compile([...tp]);
};

/** The client address of a raw request under `trust` (what fastify's req.ip gives). */
export const clientAddress = (trust: TrustFn | null) => (req: IncomingMessage): string | undefined =>
  (trust === null ? req.socket.remoteAddress : proxyAddr(req, trust));
