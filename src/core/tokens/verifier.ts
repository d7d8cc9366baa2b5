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

/** What the cache keeps: the token already stripped of its encrypted value, its owner, and the secret's own end. */
interface Cached { token: Token; owner: User | null; secretExpiresAt: number | null }
interface Entry { found: Cached; at: number }

export class Verifier {
  /** Known tokens by value hash (and `id:<token id>` for verifyById), oldest first. */
  private readonly cache = new Map<string, Entry>();
  /**
   * Values that are not tokens, kept apart (and smaller) so a flood of garbage cannot evict the valid entries.
   * Safe across nodes: a value is never unknown first and created later (values are random, 160 bits).
   */
  private readonly unknown = new Map<string, number>();
  private readonly byToken = new Map<string, Set<string>>();

  constructor(private readonly store: Store, private readonly clock: Clock, private readonly usage: UsageRecorder,
    private readonly opts: VerifierOptions) {}

  async verify(value: string, need?: Access): Promise<VerifyResult> {
    if (!isWellFormed(value, this.opts.prefix)) return MALFORMED;
    const hash = hashValue(value);
    const now = this.clock.now();
    const hit = this.cache.get(hash);
    if (hit !== undefined && now - hit.at < this.opts.cacheTtlMs) return this.evaluate(hit.found, need, now);
    const miss = this.unknown.get(hash);
    if (miss !== undefined && now - miss < this.opts.cacheTtlMs) return NOT_FOUND;
    const lookup = await this.store.findBySecretHash(hash);
    // The index matched on the hash; compare again in constant time as defence in depth.
    if (lookup === null || !sameHash(lookup.hash, hash)) {
      this.rememberUnknown(hash, now);
      return NOT_FOUND;
    }
    const found = { token: publicToken(lookup.token), owner: lookup.owner, secretExpiresAt: lookup.secretExpiresAt };
    this.remember(hash, found, now);
    return this.evaluate(found, need, now);
  }

  /**
   * Verifies a token by id rather than by value: used for credentials derived from a token (Tessera's JWTs), so
   * revoking or disabling the parent stops them too. Cached and invalidated like value lookups.
   */
  async verifyById(tokenId: string, need?: Access): Promise<VerifyResult> {
    const key = `id:${tokenId}`;
    const now = this.clock.now();
    const hit = this.cache.get(key);
    if (hit !== undefined && now - hit.at < this.opts.cacheTtlMs) return this.evaluate(hit.found, need, now);
    const token = await this.store.getToken(tokenId);
    if (!token) return NOT_FOUND;
    const owner = token.ownerId !== null ? await this.store.getUser(token.ownerId) : null;
    const found = { token: publicToken(token), owner: owner ? stripUser(owner) : null, secretExpiresAt: null };
    this.remember(key, found, now);
    return this.evaluate(found, need, now);
  }

  private evaluate(found: Cached, need: Access | undefined, now: number): VerifyResult {
    const { token, owner } = found;
    if (token.revokedAt !== null) return { valid: false, code: 'REVOKED', token, owner };
    if ((token.expiresAt !== null && token.expiresAt <= now) || (found.secretExpiresAt !== null && found.secretExpiresAt <= now)) {
      return { valid: false, code: 'EXPIRED', token, owner };
    }
    if (!token.active) return { valid: false, code: 'DISABLED', token, owner };
    if (token.kind === 'personal' && (owner === null || owner.disabled)) return { valid: false, code: 'DISABLED', token, owner };
    if (need && !hasAccess(token.access, need)) return { valid: false, code: 'INSUFFICIENT_ACCESS', token, owner };
    this.usage.hit(token.id);
    return { valid: true, code: 'VALID', token, owner };
  }

  /** Forget everything cached about one token (after revoke, update, rotate, purge). */
  invalidateToken(tokenId: string): void {
    const keys = this.byToken.get(tokenId);
    if (!keys) return;
    for (const k of keys) this.cache.delete(k);
    this.byToken.delete(tokenId);
  }

  /** Forget a value's negative entry (after it was created). */
  invalidateHash(hash: string): void {
    this.unknown.delete(hash);
    this.cache.delete(hash);
  }

  /** Forget everything (after a user change: role, disabled, deletion affect every token they own). */
  invalidateAll(): void {
    this.cache.clear();
    this.unknown.clear();
    this.byToken.clear();
  }

  get cacheSize(): number { return this.cache.size; }

  private remember(key: string, found: Cached, at: number): void {
    if (this.opts.cacheMaxEntries === 0) return;
    if (this.cache.size >= this.opts.cacheMaxEntries) {
      const oldest = this.cache.keys().next().value as string;
      const e = this.cache.get(oldest)!;
      this.cache.delete(oldest);
      this.byToken.get(e.found.token.id)?.delete(oldest);
    }
    this.cache.delete(key);
    this.cache.set(key, { found, at });
    let keys = this.byToken.get(found.token.id);
    if (!keys) this.byToken.set(found.token.id, (keys = new Set()));
    keys.add(key);
  }

  private rememberUnknown(hash: string, at: number): void {
    const max = Math.min(this.opts.cacheMaxEntries, 10_000);
    if (max === 0) return;
    if (this.unknown.size >= max) this.unknown.delete(this.unknown.keys().next().value as string);
    this.unknown.set(hash, at);
  }
}

const MALFORMED: VerifyResult = Object.freeze({ valid: false, code: 'MALFORMED', token: null, owner: null });
const NOT_FOUND: VerifyResult = Object.freeze({ valid: false, code: 'NOT_FOUND', token: null, owner: null });

const stripUser = (u: User & { passwordHash?: string }): User => {
  const { passwordHash: _p, ...rest } = u;
  return rest;
};

export const publicToken = (t: Token & { secretEnc?: string | null }): Token => {
  const { secretEnc: _drop, ...rest } = t as Token & { secretEnc?: string | null };
  return rest;
};
