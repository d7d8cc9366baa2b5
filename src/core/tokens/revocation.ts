/**
 * Revoking in a hurry (issue 16): by value, by anyone who holds it (a leaked value can be killed by whoever finds
 * it, as GitHub's and Slack's token-revocation endpoints allow), and in bulk by a filter, with a dry run that lists
 * exactly what the real run stops.
 */
import type { AuditService } from '../audit/service.js';
import type { AuthzService } from '../authz/service.js';
import { fail, invalid, OWNER_UNKNOWN } from '../errors.js';
import type { Clock, Store, TokenRateLimiter } from '../ports.js';
import { type RequestContext, requireAdmin, systemContext } from '../principal.js';
import type { TokenKind, TokenRecord, User } from '../types.js';
import { publicUser } from '../types.js';
import { hashValue, screen } from './format.js';
import type { Verifier } from './verifier.js';

/** Requests per address and minute to the unauthenticated revoke-by-value. */
export const REVOKE_BY_VALUE_PER_MINUTE = 30;
/** The most tokens one bulk revocation touches. */
export const BULK_MAX = 10_000;

export interface BulkFilter {
  /** A user id or username. */
  owner?: number | string;
  kind?: TokenKind;
  createdBefore?: number;
  lastUsedBefore?: number;
  namePrefix?: string;
  /** Tokens that grant this permission now. */
  permission?: string;
}

export interface BulkTarget { id: string; name: string | null; kind: TokenKind; ownerId: number | null; prefix: string }

export class Revocation {
  constructor(private readonly d: { store: Store; verifier: Verifier; audit: AuditService; clock: Clock; limiter: TokenRateLimiter; prefix: string; authz?: AuthzService }) {}

  /**
   * Revokes the token this value belongs to, if any: no credential needed. The answer is the same whether the value
   * was a live token, a revoked one or nothing at all; only the audit log knows.
   */
  async byValue(ctx: RequestContext, value: string): Promise<void> {
    const d = await this.d.limiter.consume(`revoke-by-value:${ctx.ip ?? 'unknown'}`, REVOKE_BY_VALUE_PER_MINUTE, 60);
    if (!d.allowed) fail('RATE_LIMITED', `at most ${REVOKE_BY_VALUE_PER_MINUTE} revocations by value per minute from one address`, { retryAfterS: Math.max(1, Math.ceil(d.msBeforeReset / 1000)) });
    if (!screen(value, this.d.prefix)) return;
    const found = await this.d.store.findBySecretHash(hashValue(value));
    if (!found || found.token.revokedAt !== null) return;
    await this.d.audit.audited({ ...systemContext(), ip: ctx.ip, requestId: ctx.requestId }, (s) => s.revokeToken(found.token.id, this.d.clock.now()),
      (did) => (did ? { action: 'token.revoke', target: { type: 'token', id: found.token.id }, details: { via: 'value' } } : null));
    this.d.verifier.invalidateToken(found.token.id);
    await this.d.verifier.published();
  }

  /** Admins: every live token matching the filter; `dryRun` only lists them. Returns what was (or would be) revoked. */
  async bulk(ctx: RequestContext, f: BulkFilter, dryRun: boolean): Promise<{ count: number; tokens: BulkTarget[] }> {
    requireAdmin(ctx.principal);
    if (Object.values(f).every((v) => v === undefined)) invalid('filter', 'give at least one filter (owner, kind, created_before, last_used_before, name_prefix, permission)');
    if (typeof f.owner === 'string') {
      const u = /^\d+$/.test(f.owner) ? await this.d.store.getUser(Number(f.owner)) : await this.d.store.getUserByLogin(f.owner);
      if (!u) invalid('owner', OWNER_UNKNOWN);
      f = { ...f, owner: u!.id };
    }
    const targets = await this.match(f);
    if (!dryRun) {
      const now = this.d.clock.now();
      // All of them and their audit row, or none.
      // In id order: concurrent changes of the same tokens then take their row locks in the same order.
      const ids = targets.map((t) => t.id).sort();
      await this.d.audit.audited(ctx, async (s) => { for (const id of ids) await s.revokeToken(id, now); }, () => ({
        action: 'token.bulk_revoke', details: { count: targets.length, filter: { ...f }, ids: targets.slice(0, 1000).map((t) => t.id) },
      }));
      for (const t of targets) this.d.verifier.invalidateToken(t.id);
      await this.d.verifier.published();
    }
    return { count: targets.length, tokens: targets };
  }

  private async match(f: BulkFilter): Promise<BulkTarget[]> {
    const out: BulkTarget[] = [];
    const owners = new Map<number, User | null>();
    let cursor: string | undefined;
    do {
      const page = await this.d.store.listTokens({ now: this.d.clock.now(), limit: 200, live: true, ...(typeof f.owner === 'number' ? { ownerId: f.owner } : {}),
        ...(f.kind ? { kind: f.kind } : {}), ...(cursor ? { cursor } : {}) });
      for (const t of page.items) if (await this.matches(t, f, owners)) out.push({ id: t.id, name: t.name, kind: t.kind, ownerId: t.ownerId, prefix: t.prefix });
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined && out.length < BULK_MAX);
    return out.slice(0, BULK_MAX);
  }

  private async matches(t: TokenRecord, f: BulkFilter, owners: Map<number, User | null>): Promise<boolean> {
    if (f.createdBefore !== undefined && !(t.createdAt < f.createdBefore)) return false;
    if (f.lastUsedBefore !== undefined && !(t.lastUsedAt === null || t.lastUsedAt < f.lastUsedBefore)) return false;
    if (f.namePrefix !== undefined && !(t.name ?? '').startsWith(f.namePrefix)) return false;
    if (f.permission !== undefined) {
      if (!this.d.authz) return false;
      let owner: User | null = null;
      if (t.ownerId !== null) {
        if (!owners.has(t.ownerId)) { const u = await this.d.store.getUser(t.ownerId); owners.set(t.ownerId, u ? publicUser(u) : null); }
        owner = owners.get(t.ownerId)!;
      }
      if (!(await this.d.authz.tokenGrants(t, owner)).set.has(f.permission)) return false;
    }
    return true;
  }
}
