/**
 * Token verification: the hot path shared by the HTTP routes, forward-auth and the SDK.
 *
 * An invalid token is a result, not an exception. Order of checks: the value's length, the cache (by SHA-256), then
 * for a value the cache does not know the shape and checksum of Tessera-prefixed values (no store access; values of
 * other formats only need to be printable) and one indexed lookup of SHA-256(value) — or the store's in-memory filter
 * of secret hashes refuses it, when it has one —, then revocation, a rotated-out value past its grace period
 * (ROTATED), the token's expiry, active flag and owner, then the access level.
 * Nothing here writes to the store for tokens without limits: uses are counted by the UsageRecorder and written in
 * batches. A token with a usage limit takes each use with one atomic store write (`Store.consumeUse`).
 */
import { tokenData } from '../webhooks/events.js';
import type { EventSink } from '../webhook-types.js';
import { type Access, hasAccess } from '../access.js';
import { CidrList } from '../authz/cidr.js';
import { tokenGrants } from '../authz/permissions.js';
import { evaluate as evaluateQuery, type PermissionQuery } from '../authz/query.js';
import type { AuthzService, TokenGrants } from '../authz/service.js';
import type { Change, ChangeFeed, ChangeListener, Clock, SecretLookup, Store } from '../ports.js';
import type { Token, User } from '../types.js';
import { BoundedMap } from './bounded-map.js';
import { Doorkeeper } from './doorkeeper.js';
import { hashKey, hashToKey, keyToHash, plausibleLength, sameHash, screen } from './format.js';
import type { UsageRecorder } from './usage.js';
import type { LimitInfo } from './limits.js';
import type { TokenRateLimiter } from '../ports.js';
import { publicUser } from '../types.js';
import { type CounterChild, NO_METRICS, type Metrics } from '../metrics.js';
import type { MaybePromise } from '../maybe.js';

export const VERIFY_CODES = ['VALID', 'MALFORMED', 'NOT_FOUND', 'EXPIRED', 'REVOKED', 'DISABLED', 'INSUFFICIENT_ACCESS', 'BOUND',
  'IP_NOT_ALLOWED', 'INSUFFICIENT_PERMISSIONS', 'USAGE_EXCEEDED', 'RATE_LIMITED', 'ROTATED'] as const;
export type VerifyCode = (typeof VERIFY_CODES)[number];

/** What the token grants (set once its row is found) and, for INSUFFICIENT_PERMISSIONS, what the query lacked. */
export interface AuthzInfo { grants?: TokenGrants; missing?: string[] }

export type VerifyResult = LimitInfo & AuthzInfo & (
  /**
   * `kept`: the result is the cache's own: later verifications of this value without limits return this same object
   * (read it, never change it) until the token changes, so a face may keep what it derives from it (the verify
   * endpoint keeps the answer's JSON). False for a token read for this verification only (a first sighting, which
   * the cache does not admit), and unset on the other paths (limits, rechecks, JWT parents).
   */
  | { valid: true; code: 'VALID'; token: Token; owner: User | null; grants: TokenGrants; kept?: boolean }
  | { valid: false; code: Exclude<VerifyCode, 'VALID'>; token: Token | null; owner: User | null });

/**
 * How a token is presented. `need`: the access level asked for. `use`: `general` (every credential path: routes,
 * verify, forward-auth) refuses command-bound tokens with `BOUND`; `bound` (only `POST /message`) accepts nothing
 * else, and also answers `BOUND` for any other kind (the caller tells the two apart by `token.kind`). `recheck` (an
 * open stream checking its credential again): no use is counted or spent, limits and the address are not applied.
 * `query`: permissions asked for (checked by the caller with `parseQuery`). `ip`: the client's address, checked
 * against the token's `allowedCidrs` (a token with an allowlist is refused when it is missing).
 */
export interface VerifyOptions {
  need?: Access | undefined;
  use?: 'general' | 'bound';
  recheck?: boolean;
  query?: PermissionQuery | undefined;
  /** The client address, or a function that works it out (called at most once, and only for a token that got this far). */
  ip?: string | null | undefined | (() => string | null);
  /**
   * The request's time (ms), when its caller has read the clock already: every verification of one request (the
   * verify endpoint's caller and token) then sees one instant and reads the clock once. Default: the clock, now.
   */
  now?: number | undefined;
}
const NO_OPTIONS: VerifyOptions = Object.freeze({});

/**
 * What an invalidation dropped, as `onInvalidate` listeners learn it: one token (by id), one value (`hash`: its
 * SHA-256, hex — a value just created), every token of a user, everything (`all`: grants changed, or the change feed
 * was lost or restored), or a session that ended (`session`: nothing cached changed; open streams re-check).
 */
export type InvalidationEvent =
  | { kind: 'token'; id: string }
  | { kind: 'hash'; id: string }
  | { kind: 'user'; id: number }
  | { kind: 'all'; id: null }
  | { kind: 'session'; id: number };
const ALL: InvalidationEvent = Object.freeze({ kind: 'all', id: null });

export interface VerifierOptions {
  prefix: string;
  /** Most entries kept; the oldest is evicted first. Each entry is one token row (~1 KiB). */
  cacheMaxEntries: number;
  /** How long an entry may be served without re-reading the store (a safety net; changes invalidate at once). */
  cacheTtlMs: number;
  /** Counts requests of tokens that have a rate limit (in memory, or shared through Redis). */
  rateLimiter: TokenRateLimiter;
  /** What tokens grant (roles, permissions, the owner rule); without it, a token grants its access level's role only. */
  authz?: AuthzService;
  /** Tells the other nodes what changed here (multi-node PostgreSQL); without it, changes stay on this node. */
  feed?: ChangeFeed;
  /** Cache hits and misses, secret-filter rejections (src/core/metrics.ts); default: recorded nowhere. */
  metrics?: Metrics;
  /** Webhooks (issue 16): told when a token's last use is taken (`token.usage_exhausted`). */
  events?: EventSink;
}

/**
 * What the cache keeps: the token already stripped of its encrypted value, its owner, the secret's own end, what the
 * token grants now (computed once per entry; grant changes drop the entries) and its compiled address allowlist.
 */
interface Cached {
  token: Token; owner: User | null; secretExpiresAt: number | null; grants: TokenGrants; cidrs: CidrList | null;
  /** The VALID result of a verification without limits from this entry, made at its first (one object per entry). */
  valid: VerifyResult | null;
}
interface Entry { found: Cached; at: number }

const entry = (token: Token, owner: User | null, secretExpiresAt: number | null, grants: TokenGrants): Cached =>
  ({ token, owner, secretExpiresAt, grants, cidrs: token.allowedCidrs.length > 0 ? new CidrList(token.allowedCidrs) : null, valid: null });

export class Verifier implements ChangeListener {
  /**
   * Known tokens by value (the digest's bytes, format.ts `hashKey`; and `id:<token id>` for verifyById, never the
   * same length); the oldest is evicted first.
   */
  private readonly cache: BoundedMap<Entry>;
  /**
   * Values that are not tokens, kept apart (and smaller) so a flood of garbage cannot evict the valid entries.
   * Safe across nodes for values Tessera issues: a random value (of any format) is never unknown first and created
   * later. A value stored from outside (an import) may have been asked about before: the node storing it drops its
   * entry (`invalidateHash`); another node's entry lasts at most `cacheTtlMs` unless the importer invalidates more.
   */
  private readonly unknown: BoundedMap<number>;
  private readonly byToken = new Map<string, Set<string>>();
  /** Admits a value to `cache` on its second lookup (doorkeeper.ts): values seen once do not churn the cache. */
  private readonly door: Doorkeeper;
  /**
   * Bumped by every invalidation. A lookup that started before an invalidation must not cache what it read: the row
   * may predate the change (a revocation on another node lands while this node's read is in flight).
   */
  private gen = 0;
  /** False while the change feed is down: changes made on other nodes could go unseen, so nothing is cached. */
  private caching = true;
  /** Told after every invalidation, local or from another node (open streams re-check their credentials). */
  private readonly watchers = new Set<(e: InvalidationEvent) => void>();
  private readonly hits: CounterChild;
  private readonly unknownHits: CounterChild;
  private readonly misses: CounterChild;
  private readonly filtered: CounterChild;

  constructor(private readonly store: Store, private readonly clock: Clock, private readonly usage: UsageRecorder,
    private readonly opts: VerifierOptions) {
    const m = opts.metrics ?? NO_METRICS;
    this.hits = m.cacheHit; this.unknownHits = m.cacheUnknownHit; this.misses = m.cacheMiss; this.filtered = m.secretFilterRejections;
    this.cache = new BoundedMap<Entry>(opts.cacheMaxEntries, (key, e) => this.forget(e.found.token.id, key));
    this.unknown = new BoundedMap<number>(Math.min(opts.cacheMaxEntries, 10_000));
    this.door = new Doorkeeper(Math.max(opts.cacheMaxEntries, 1));
  }

  /**
   * Verifies a token value (see VerifyOptions). A value answered without the store (a cache hit, a malformed value,
   * one the secret filter or the negative cache refuses) is answered now, unless its limits make it wait; a lookup
   * returns a promise (core/maybe.ts).
   */
  verify(value: string, o: VerifyOptions = NO_OPTIONS): MaybePromise<VerifyResult> {
    // Tessera-prefixed values must pass the checksum; any other printable value (uuid and filebin formats, imported
    // tokens) is looked up by hash like the rest. A value the cache knows passed that screen when it was first looked
    // up (the cache holds only what a lookup found): only the length rule comes before the hash, the rest after a miss.
    if (!plausibleLength(value, this.opts.prefix)) return MALFORMED;
    // Cached by the digest's bytes (format.ts `hashKey`); the store is asked with its hex form.
    const key = hashKey(value);
    const now = o.now ?? this.clock.now();
    const hit = this.cache.get(key);
    if (hit !== undefined && now - hit.at < this.opts.cacheTtlMs) { this.hits.inc(); return this.evaluate(hit.found, o, now, true); }
    if (!screen(value, this.opts.prefix)) return MALFORMED;
    const hash = keyToHash(key);
    // The store's in-memory filter, when it has one, refuses most unknown values outright: no lookup, no cache entry.
    if (this.store.mayHaveSecret?.(hash) === false) { this.filtered.inc(); return NOT_FOUND; }
    const miss = this.unknown.get(key);
    if (miss !== undefined && now - miss < this.opts.cacheTtlMs) { this.unknownHits.inc(); return NOT_FOUND; }
    this.misses.inc();
    // A store that can read at once (SQLite, no transaction open), with the grants' snapshot loaded: answered now,
    // without a promise (nothing can change between the read and the cache entry).
    const row = this.store.findBySecretHashNow === undefined ? false : this.store.findBySecretHashNow(hash);
    if (row !== false) {
      const grants = row === null ? null : this.grantsNow(row.token, row.owner);
      if (grants !== undefined) return this.found(key, hash, row, grants, o, now, this.gen);
    }
    return this.lookup(key, hash, o, now);
  }

  /** A value the cache could not answer: its row from the store, cached from its second lookup on. */
  private async lookup(key: string, hash: string, o: VerifyOptions, now: number): Promise<VerifyResult> {
    const gen = this.gen;
    const row = await this.store.findBySecretHash(hash);
    const grants = row === null ? null : this.opts.authz ? await this.opts.authz.tokenGrants(row.token, row.owner) : accessOnly(row.token);
    return this.found(key, hash, row, grants, o, now, gen);
  }

  /** The grants of a token at once (undefined: the authorization snapshot is not loaded yet, ask `tokenGrants`). */
  private grantsNow(token: Token, owner: User | null): TokenGrants | undefined {
    if (!this.opts.authz) return accessOnly(token);
    return this.opts.authz.tokenGrantsNow(token, owner) ?? undefined;
  }

  /** What a lookup found (`gen`: the invalidation count when it began), evaluated and cached from its second time on. */
  private found(key: string, hash: string, row: SecretLookup | null, grants: TokenGrants | null, o: VerifyOptions, now: number, gen: number): MaybePromise<VerifyResult> {
    // The index matched on the hash; compare again in constant time as defence in depth.
    if (row === null || grants === null || !sameHash(row.hash, hash)) {
      this.rememberUnknown(key, now, gen);
      return NOT_FOUND;
    }
    const found = entry(row.token, row.owner, row.secretExpiresAt, grants);
    const kept = this.door.admit(hash) && this.remember(key, found, now, gen);
    return this.evaluate(found, o, now, kept);
  }

  /**
   * Verifies a token by id rather than by value: used for credentials derived from a token (Tessera's JWTs), so
   * revoking or disabling the parent stops them too. Cached and invalidated like value lookups.
   */
  async verifyById(tokenId: string, o: VerifyOptions = NO_OPTIONS): Promise<VerifyResult> {
    const key = `id:${tokenId}`;
    const now = o.now ?? this.clock.now();
    const hit = this.cache.get(key);
    if (hit !== undefined && now - hit.at < this.opts.cacheTtlMs) { this.hits.inc(); return this.evaluate(hit.found, o, now); }
    this.misses.inc();
    const gen = this.gen;
    const token = await this.store.getToken(tokenId);
    if (!token) return NOT_FOUND;
    const owner = token.ownerId !== null ? await this.store.getUser(token.ownerId) : null;
    const pub = publicToken(token);
    const pubOwner = owner ? publicUser(owner) : null;
    const found = entry(pub, pubOwner, null, this.opts.authz ? await this.opts.authz.tokenGrants(pub, pubOwner) : accessOnly(pub));
    this.remember(key, found, now, gen);
    return this.evaluate(found, { ...o, use: 'general' }, now);
  }

  private evaluate(found: Cached, o: VerifyOptions, now: number, kept = false): VerifyResult | Promise<VerifyResult> {
    const { token, owner, grants } = found;
    const use = o.use ?? 'general';
    const need = o.need;
    if (token.revokedAt !== null) return { valid: false, code: 'REVOKED', token, owner };
    // A value replaced by a rotation (past its grace period) says so, whatever the token's own expiry.
    if (found.secretExpiresAt !== null && found.secretExpiresAt <= now) return { valid: false, code: 'ROTATED', token, owner };
    if (token.expiresAt !== null && token.expiresAt <= now) return { valid: false, code: 'EXPIRED', token, owner };
    if (!token.active) return { valid: false, code: 'DISABLED', token, owner };
    if (token.kind === 'personal' && (owner === null || owner.disabled)) return { valid: false, code: 'DISABLED', token, owner };
    if ((token.kind === 'bound') !== (use === 'bound')) return { valid: false, code: 'BOUND', token, owner };
    // The client address, worked out once: for the allowlist and the token's last-used addresses (usage batch). The
    // allowlist comes before access and permissions: used from elsewhere, a token says only that, not what it grants.
    let ip: string | null | undefined;
    if (found.cidrs !== null && !o.recheck) {
      ip = (typeof o.ip === 'function' ? o.ip() : o.ip) ?? null;
      if (!found.cidrs.allows(ip)) return { valid: false, code: 'IP_NOT_ALLOWED', token, owner, grants };
    }
    if (need && !hasAccess(token.access, need)) return { valid: false, code: 'INSUFFICIENT_ACCESS', token, owner, grants };
    if (o.query !== undefined) {
      const q = evaluateQuery(o.query, grants.set);
      if (!q.ok) return { valid: false, code: 'INSUFFICIENT_PERMISSIONS', token, owner, grants, missing: q.missing };
    }
    if (o.recheck) return token.remaining === null ? { valid: true, code: 'VALID', token, owner, grants } : this.withUsesNow(token, owner, grants);
    if (ip === undefined) ip = (typeof o.ip === 'function' ? o.ip() : o.ip) ?? null;
    // Tokens without limits stay on the write-free path; limited ones take a rate point, then one use, atomically.
    if (token.remaining !== null || token.rateLimit !== null) return this.limited(token, owner, grants, ip);
    this.usage.hit(token.id, now, ip);
    if (!kept) return { valid: true, code: 'VALID', token, owner, grants, kept: false };
    return found.valid ??= { valid: true, code: 'VALID', token, owner, grants, kept: true };
  }

  /**
   * The limits of a token that passed every other check: the rate limit first (a refused request does not spend a
   * use), then one use through `Store.consumeUse` — one atomic statement, so exactly one caller gets each use even
   * across nodes. The cached row only says *whether* the token has limits; the counts come from the store.
   */
  private async limited(token: Token, owner: User | null, grants: TokenGrants, ip: string | null): Promise<VerifyResult> {
    const info: LimitInfo = {};
    if (token.rateLimit !== null) {
      const { limit, windowSeconds } = token.rateLimit;
      const d = await this.opts.rateLimiter.consume(token.id, limit, windowSeconds);
      info.rate = { limit, remaining: d.remaining, resetAt: this.clock.now() + d.msBeforeReset };
      if (!d.allowed) return { valid: false, code: 'RATE_LIMITED', token, owner, grants, ...info };
    }
    if (token.remaining !== null) {
      const u = await this.store.consumeUse(token.id, this.clock.now());
      // null: the limit was removed (or the token purged) since this row was read; the change invalidates the cache.
      if (u !== null) {
        info.usage = { remaining: u.remaining, resetAt: u.resetAt };
        if (!u.granted) return { valid: false, code: 'USAGE_EXCEEDED', token, owner, grants, ...info };
        // Exactly one caller takes the last use (consumeUse is atomic), so the event is emitted once per exhaustion.
        if (u.remaining === 0 && this.opts.events) {
          this.opts.events.emit('token.usage_exhausted', { token: tokenData(token, owner), reset_at: u.resetAt === null ? null : new Date(u.resetAt).toISOString() })
            .catch(() => undefined);
        }
      }
    }
    this.usage.hit(token.id, undefined, ip);
    return { valid: true, code: 'VALID', token, owner, grants, ...info };
  }

  /**
   * A recheck of a token with a usage limit (introspection, an open stream): valid, spending nothing, with the uses
   * left as the store has them now — the cached row's count is the one it was read with.
   */
  private async withUsesNow(token: Token, owner: User | null, grants: TokenGrants): Promise<VerifyResult> {
    const now = await this.store.getToken(token.id);
    const current = now === null ? token : { ...token, remaining: now.remaining, refill: now.refill };
    return { valid: true, code: 'VALID', token: current, owner, grants };
  }

  /**
   * Resolves once the invalidations published so far are on their way to every other node (`ChangeFeed.sent`), or
   * after 250 ms at most: a change's request awaits it before it answers.
   */
  published(): Promise<void> {
    const sent = this.opts.feed?.sent?.();
    if (sent === undefined) return Promise.resolve();
    let timer: NodeJS.Timeout | undefined;
    return Promise.race([sent, new Promise<void>((r) => { timer = setTimeout(r, 250); })]).finally(() => clearTimeout(timer));
  }

  /** Forget everything cached about one token (after revoke, update, rotate, purge), here and on every other node. */
  invalidateToken(tokenId: string): void {
    this.dropToken(tokenId);
    this.opts.feed?.publish({ kind: 'token', id: tokenId });
  }

  /**
   * Forget a value's negative entry (after it was created). Local only: other nodes cannot have it, since a value is
   * never looked up before it exists (and for them the token row is new anyway).
   */
  invalidateHash(hash: string): void {
    this.bump();
    const key = hashToKey(hash);
    this.unknown.delete(key);
    const e = this.cache.get(key);
    if (e !== undefined) { this.cache.delete(key); this.forget(e.found.token.id, key); }
    this.notify({ kind: 'hash', id: hash });
  }

  /** After a change to a user (role, disabled, deletion affect every token they own), here and on every other node. */
  invalidateUser(userId: number): void {
    this.dropAll({ kind: 'user', id: userId });
    this.opts.feed?.publish({ kind: 'user', id: userId });
  }

  /** After roles, group grants or the permission catalogue changed: every cached grant is stale, here and everywhere. */
  invalidateAuthz(): void {
    this.dropAll();
    this.opts.feed?.publish({ kind: 'authz' });
  }

  /** After a logout: nothing cached changes, but whoever watches (open streams) re-checks, here and on every other node. */
  sessionEnded(userId: number): void {
    this.notify({ kind: 'session', id: userId });
    this.opts.feed?.publish({ kind: 'session', id: userId });
  }

  /**
   * Calls `fn` after every invalidation (local or from another node) with what was dropped; returns the function that
   * stops it.
   */
  onInvalidate(fn: (e: InvalidationEvent) => void): () => void {
    this.watchers.add(fn);
    return () => { this.watchers.delete(fn); };
  }

  private notify(e: InvalidationEvent): void {
    for (const fn of this.watchers) fn(e);
  }

  // ChangeListener: what the feed reports from other nodes. Applied locally, never published again.

  changed(c: Change): void {
    if (c.kind === 'message') return; // a channel's, nothing cached here
    if (c.kind === 'token') this.dropToken(c.id);
    else if (c.kind === 'session') this.notify({ kind: 'session', id: c.id });
    else {
      if (c.kind === 'authz' || c.kind === 'all') this.opts.authz?.reset();
      this.dropAll(c.kind === 'user' ? { kind: 'user', id: c.id } : ALL);
    }
  }

  lost(): void {
    this.caching = false;
    this.opts.authz?.reset();
    this.dropAll();
  }

  restored(): void {
    this.opts.authz?.reset();
    this.dropAll();
    this.caching = true;
  }

  /** Whether results are cached now (false while the change feed is down). */
  get cachingEnabled(): boolean { return this.caching; }

  private dropToken(tokenId: string): void {
    this.bump();
    const keys = this.byToken.get(tokenId);
    if (keys) {
      for (const k of keys) this.cache.delete(k);
      this.byToken.delete(tokenId);
    }
    this.notify({ kind: 'token', id: tokenId });
  }

  private dropAll(e: InvalidationEvent = ALL): void {
    this.bump();
    this.cache.clear();
    this.unknown.clear();
    this.byToken.clear();
    this.notify(e);
  }

  /**
   * After every invalidation: lookups in flight may not cache what they read (`gen`), and a store that reads from a
   * snapshot starts a new one, so no lookup from now on reads what was there before the change.
   */
  private bump(): void {
    this.gen++;
    this.store.readFresh?.();
  }

  /** An evicted entry's key leaves its token's set, and the set leaves `byToken` with its last key (no leak per token ever seen). */
  private forget(tokenId: string, key: string): void {
    const keys = this.byToken.get(tokenId);
    if (keys === undefined) return;
    keys.delete(key);
    if (keys.size === 0) this.byToken.delete(tokenId);
  }

  /** Caches `found` under `key`; false when it may not (no cache, caching off, or an invalidation since the read). */
  private remember(key: string, found: Cached, at: number, gen: number): boolean {
    if (this.opts.cacheMaxEntries === 0 || !this.caching || gen !== this.gen) return false;
    this.cache.set(key, { found, at });
    let keys = this.byToken.get(found.token.id);
    if (!keys) this.byToken.set(found.token.id, (keys = new Set()));
    keys.add(key);
    return true;
  }

  private rememberUnknown(hash: string, at: number, gen: number): void {
    if (!this.caching || gen !== this.gen) return;
    this.unknown.set(hash, at);
  }
}

const MALFORMED: VerifyResult = Object.freeze({ valid: false, code: 'MALFORMED', token: null, owner: null });
const NOT_FOUND: VerifyResult = Object.freeze({ valid: false, code: 'NOT_FOUND', token: null, owner: null });

/** Without an AuthzService (unit tests, micro-benchmarks): the access level's built-in role and the token's own grants. */
const LEVEL_GRANTS: Record<Access, string[]> = { read: ['tessera:read'], write: ['tessera:read', 'tessera:write'], full: ['tessera:full', 'tessera:read', 'tessera:write'] };
const accessOnly = (t: Token): TokenGrants => {
  const permissions = [...new Set([...LEVEL_GRANTS[t.access], ...t.permissions])].sort();
  return tokenGrants(permissions, [t.access, ...t.roles], t.access);
};

export const publicToken = (t: Token & { secretEnc?: string | null }): Token => {
  const { secretEnc: _drop, ...rest } = t as Token & { secretEnc?: string | null };
  return rest;
};
