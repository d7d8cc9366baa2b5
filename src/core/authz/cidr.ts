/**
 * Address allowlists (Vault's CIDR-bound tokens): a token with `allowedCidrs` works only from a client address inside
 * one of them, IPv4 or IPv6 (an IPv4-mapped IPv6 address counts as its IPv4 one). Matching is node's BlockList.
 */
import { BlockList, isIP } from 'node:net';
import { invalid, shown } from '../errors.js';

export const CIDRS_MAX = 50;

/** What an address or a CIDR block is made of: a refused value of this shape is repeated in the message (`shown`). */
const ADDRESS_LIKE = /^[0-9A-Fa-f.:/]{1,64}$/;

/** `10.0.0.0/8`, `2001:db8::/32`, or a bare address (a /32 or /128). Returns the normalised text. */
const parseCidr = (field: string, c: unknown): { text: string; addr: string; bits: number; family: 'ipv4' | 'ipv6' } => {
  const bad = (): never => invalid(field, `${field}: ${shown(c, ADDRESS_LIKE, 60)} is not an address or CIDR block (e.g. 10.0.0.0/8, 2001:db8::/32)`);
  if (typeof c !== 'string' || c.length > 64) return bad();
  const [addr, bitsText, extra] = c.split('/');
  const v = isIP(addr ?? '');
  if (v === 0 || extra !== undefined) return bad();
  const max = v === 4 ? 32 : 128;
  const bits = bitsText === undefined ? max : /^\d{1,3}$/.test(bitsText) ? Number(bitsText) : -1;
  if (bits < 0 || bits > max) return bad();
  return { text: `${addr!.toLowerCase()}/${bits}`, addr: addr!, bits, family: v === 4 ? 'ipv4' : 'ipv6' };
};

/** Checks a client's list; returns it normalised (`a.b.c.d/n`), unique, in the given order. */
export const checkCidrs = (field: string, list: readonly unknown[]): string[] => {
  if (list.length > CIDRS_MAX) invalid(field, `${field} may hold at most ${CIDRS_MAX} entries`);
  return [...new Set(list.map((c) => parseCidr(field, c).text))];
};

const MAPPED = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i;

/** A compiled allowlist; `allows(ip)` is false for anything that is not an address. */
export class CidrList {
  private readonly list = new BlockList();
  constructor(cidrs: readonly string[]) {
    for (const c of cidrs) {
      const p = parseCidr('allowed_cidrs', c);
      this.list.addSubnet(p.addr, p.bits, p.family);
    }
  }

  allows(ip: string | null | undefined): boolean {
    if (!ip) return false;
    const v4 = MAPPED.exec(ip)?.[1];
    if (v4 !== undefined) return this.list.check(v4, 'ipv4');
    const v = isIP(ip);
    return v !== 0 && this.list.check(ip, v === 4 ? 'ipv4' : 'ipv6');
  }
}
