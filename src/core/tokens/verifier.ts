/**
 * Token verification: the hot path shared by the HTTP routes, forward-auth and the SDK.
 *
 * An invalid token is a result, not an exception. Order of checks: shape and checksum (no store access), then one
 * indexed lookup of SHA-256(value) — answered from a bounded cache when possible —, then revocation, expiry
 * (of the token, and of a rotated-out value's grace period), active flag and owner, then the access level.
 * Nothing here writes to the store: uses are counted by the UsageRecorder and written in batches.
 */
import { type Access, hasAccess } from '../access.js';
import type { Clock, SecretLookup, Store } from '../ports.js';
import type { Token, User } from '../types.js';
import { hashValue, isWellFormed, sameHash } from './format.js';
import type { UsageRecorder } from './usage.js';

export const VERIFY_CODES = ['VALID', 'MALFORMED', 'NOT_FOUND', 'EXPIRED', 'REVOKED', 'DISABLED', 'INSUFFICIENT_ACCESS'] as const;
export type VerifyCode = (typeof VERIFY_CODES)[number];

export type VerifyResult =
  | { valid: true; code: 'VALID'; token: Token; owner: User | null }
  | { valid: false; code: Exclude<VerifyCode, 'VALID'>; token: Token | null; owner: User | null };

export interface VerifierOptions {
  prefix: string;
  /** Most entries kept; the oldest is evicted first. Each entry is one token row (~1 KiB). */
  cacheMaxEntries: number;
  /** How long an entry may be served without re-reading the store (a safety net; changes invalidate at once). */
  cacheTtlMs: number;
}

interface Entry { lookup: SecretLookup | null; hash: string; at: number }

export class Verifier {
  private readonly cache = new Map<string, Entry>();
  private readonly byToken = new Map<string, Set<string>>();

  constructor(private readonly store: Store, private readonly clock: Clock, private readonly usage: UsageRecorder,
    private readonly opts: VerifierOptions) {}

  async verify(value: string, need?: Access): Promise<VerifyResult> {
    if (!isWellFormed(value, this.opts.prefix)) return { valid: false, code: 'MALFORMED', token: null, owner: null };
    const hash = hashValue(value);
    const lookup = await this.lookup(hash);
    if (lookup === null || !sameHash(lookup.hash, hash)) {
      return { valid: false, code: 'NOT_FOUND', token: null, owner: null };
    }
    return this.evaluate(lookup, need);
  }

  /**
   * Verifies a token by id rather than by value: used for credentials derived from a token (Tessera's JWTs), so
   * revoking or disabling the parent stops them too. Cached and invalidated like value lookups.
   */
  async verifyById(tokenId: string, need?: Access): Promise<VerifyResult> {
    const key = `id:${tokenId}`;
    const now = this.clock.now();
    const hit = this.cache.get(key);
    let lookup: SecretLookup | null;
    if (hit && now - hit.at < this.opts.cacheTtlMs) lookup = hit.lookup;
    else {
      const token = await this.store.getToken(tokenId);
      const owner = token?.ownerId != null ? await this.store.getUser(token.ownerId) : null;
      lookup = token ? { hash: '', token, secretExpiresAt: null, owner: owner ? stripUser(owner) : null } : null;
      this.remember(key, lookup, now);
    }
    if (lookup === null) return { valid: false, code: 'NOT_FOUND', token: null, owner: null };
    return this.evaluate(lookup, need);
  }

  private evaluate(lookup: SecretLookup, need: Access | undefined): VerifyResult {
    const now = this.clock.now();
    const { token, owner } = lookup;
    const pub = publicToken(token);
    if (token.revokedAt !== null) return { valid: false, code: 'REVOKED', token: pub, owner };
    if ((token.expiresAt !== null && token.expiresAt <= now) || (lookup.secretExpiresAt !== null && lookup.secretExpiresAt <= now)) {
      return { valid: false, code: 'EXPIRED', token: pub, owner };
    }
    if (!token.active) return { valid: false, code: 'DISABLED', token: pub, owner };
    if (token.kind === 'personal' && (owner === null || owner.disabled)) return { valid: false, code: 'DISABLED', token: pub, owner };
    if (need && !hasAccess(token.access, need)) return { valid: false, code: 'INSUFFICIENT_ACCESS', token: pub, owner };
    this.usage.hit(token.id);
    return { valid: true, code: 'VALID', token: pub, owner };
  }

  /** Forget everything cached about one token (after revoke, update, rotate, purge). */
  invalidateToken(tokenId: string): void {
    const hashes = this.byToken.get(tokenId);
    if (!hashes) return;
    for (const h of hashes) this.cache.delete(h);
    this.byToken.delete(tokenId);
  }

  /** Forget a value's negative entry (after it was created). */
  invalidateHash(hash: string): void {
    this.cache.delete(hash);
  }

  /** Forget everything (after a user change: role, disabled, deletion affect every token they own). */
  invalidateAll(): void {
    this.cache.clear();
    this.byToken.clear();
  }

  get cacheSize(): number { return this.cache.size; }

  private async lookup(hash: string): Promise<SecretLookup | null> {
    const now = this.clock.now();
    const hit = this.cache.get(hash);
    if (hit && now - hit.at < this.opts.cacheTtlMs) return hit.lookup;
    const lookup = await this.store.findBySecretHash(hash);
    this.remember(hash, lookup, now);
    return lookup;
  }

  private remember(hash: string, lookup: SecretLookup | null, at: number): void {
    if (this.cache.size >= this.opts.cacheMaxEntries) {
      const oldest = this.cache.keys().next().value as string | undefined;
      if (oldest !== undefined) {
        const e = this.cache.get(oldest)!;
        this.cache.delete(oldest);
        if (e.lookup) this.byToken.get(e.lookup.token.id)?.delete(oldest);
      }
    }
    this.cache.delete(hash);
    this.cache.set(hash, { lookup, hash, at });
    if (lookup) {
      let s = this.byToken.get(lookup.token.id);
      if (!s) this.byToken.set(lookup.token.id, (s = new Set()));
      s.add(hash);
    }
  }
}

/** The token without its encrypted value. */
const stripUser = (u: User & { passwordHash?: string }): User => {
  const { passwordHash: _p, ...rest } = u;
  return rest;
};

export const publicToken = (t: Token & { secretEnc?: string | null }): Token => {
  const { secretEnc: _drop, ...rest } = t as Token & { secretEnc?: string | null };
  return rest;
};
