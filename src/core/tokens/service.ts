/**
 * Token lifecycle: create, list, show, find by value, update, revoke, purge, rotate, reveal. Every surface (native API, compat
 * routes, CLI, UI) goes through here; this is the only place token rules are written.
 */
import { type Access } from '../access.js';
import type { AuditService } from '../audit/service.js';
import { type Principal, type RequestContext, isAdmin, requireAdmin, requireManager } from '../principal.js';
import { fail, invalid, OWNER_UNKNOWN, TesseraError } from '../errors.js';
import type { Cipher, Clock, NewToken, Random, Store, TokenAddress, TokenFilter, TokenLimitFields, TokenPatch } from '../ports.js';
import { MAX_TOKEN_ADDRESSES, OwnerGone, UniqueViolation } from '../ports.js';
import type { Page, Token, TokenBinding, TokenKind, TokenRecord, TokenStatus, User } from '../types.js';
import { publicUser } from '../types.js';
import { displayPrefix, hashValue, isTokenId, newTokenId, newTokenValue, screen, type TokenFormat } from './format.js';
import type { MaybePromise } from '../maybe.js';
import type { UsageRecorder } from './usage.js';
import { effectiveUsage, type LimitInput, limitFields } from './limits.js';
import { publicToken, type Verifier } from './verifier.js';
import { checkCidrs } from '../authz/cidr.js';
import { checkPolicy, NO_POLICY, type TokenPolicy } from '../authz/policy.js';
import type { AuthzService } from '../authz/service.js';

export const LIMITS = {
  nameMax: 100,
  commentMax: 255,
  metadataMaxBytes: 4096,
  graceMaxSeconds: 30 * 86400,
  pageMax: 200,
} as const;

export interface CreateTokenInput extends LimitInput {
  name?: string | null;
  comment?: string;
  access?: Access;
  expiresAt?: number | null;
  expiresInSeconds?: number;
  active?: boolean;
  recoverable?: boolean;
  metadata?: Record<string, unknown> | null;
  kind?: TokenKind;
  /** Admins only: issue a personal token owned by this user (a username or id). Audited. */
  owner?: string | number;
  permissions?: readonly unknown[];
  roles?: readonly unknown[];
  allowedCidrs?: readonly unknown[];
  /**
   * A past `expiresAt` creates the token already expired instead of being refused: for a face whose product accepts
   * such a date (Query's `expiration_date`, seed 003). Listed with status `expired`; verifying it answers EXPIRED.
   */
  allowPastExpiry?: boolean;
}

export interface UpdateTokenInput extends LimitInput, Omit<TokenPatch, 'updatedAt' | keyof TokenLimitFields | 'permissions' | 'roles' | 'allowedCidrs'> {
  permissions?: readonly unknown[];
  roles?: readonly unknown[];
  allowedCidrs?: readonly unknown[];
  /** A past `expiresAt` makes the token expired instead of being refused (see CreateTokenInput). */
  allowPastExpiry?: boolean;
}

export interface ListTokensInput {
  /** Admins only: a user id, a username, or '*' for every owner. Others always see their own. */
  owner?: number | string;
  kind?: TokenKind;
  status?: TokenStatus;
  limit?: number;
  cursor?: string;
  /** Only tokens with exactly this name. */
  name?: string;
  /** Only tokens not revoked. */
  live?: boolean;
  /** Only live tokens that the configured policy (`tokens.policy`) would refuse now. */
  violatesPolicy?: boolean;
  /**
   * Also return the values of recoverable tokens (decrypted). Names the surface asking (e.g. `filebin`), recorded in
   * the one `token.reveal` audit event this call writes when it reveals anything.
   */
  revealVia?: string;
}

/** A listed token; `value` is set only when the listing asked for values and the token is recoverable. */
export interface ListedToken extends TokenView {
  value?: string;
}

export interface TokenView extends Token {
  status: TokenStatus;
  ownerName: string | null;
  /** What the token grants now: its access level's role, roles and permissions, limited to its owner's (core/authz). */
  effectivePermissions: string[];
  /** The distinct client addresses it was last used from, newest first (only when one token is shown: `get`). */
  lastUsedFrom?: TokenAddress[];
}

export interface TokenServiceDeps {
  store: Store;
  clock: Clock;
  random: Random;
  cipher: Cipher;
  usage: UsageRecorder;
  verifier: Verifier;
  audit: AuditService;
  prefix: string;
  /** `tokens.format`: the shape of new values per kind (default DEFAULT_FORMATS). */
  formats?: Readonly<Record<TokenKind, TokenFormat>>;
  /** `max_tokens_per_user`: live personal and bound tokens one user may own. */
  maxPerUser: number;
  /** Roles and permissions (without it: tokens carry none, as unit tests build the service). */
  authz?: AuthzService;
  policy?: TokenPolicy;
}

/** Tessera's own format for personal and service tokens; a UUID for bound tokens, as Meeseeks's `token-new` (seed 000). */
export const DEFAULT_FORMATS: Readonly<Record<TokenKind, TokenFormat>> = Object.freeze({ personal: 'tessera', service: 'tessera', bound: 'uuid' });

/**
 * The NOT_FOUND message for a token id. Only what is meant as an id (`tok_…`) is repeated: a token value pasted where
 * its id belongs would otherwise come back in the error (and in the client's logs).
 */
const noToken = (id: string): string =>
  (isTokenId(id) || (id.startsWith('tok_') && id.length <= 40) ? `token '${id}' not found` : 'no token has this id (ids look like tok_…; a token\'s value is never its id)');

export class TokenService {
  constructor(private readonly d: TokenServiceDeps) {}

  /** A new value for a token of this kind, in the format configured for the kind. */
  private newValue(kind: TokenKind): string {
    return newTokenValue(this.d.random, (this.d.formats ?? DEFAULT_FORMATS)[kind], this.d.prefix);
  }

  /** The per-user quota (`max_tokens_per_user`); also the most tokens a listing without paging shows. */
  get maxPerUser(): number { return this.d.maxPerUser; }

  /** Refuses one more token for a user at the quota: early, before anything is prepared (`quotaIn` decides). */
  private async checkQuota(ownerId: number): Promise<void> {
    if (await this.d.store.countLiveTokens(ownerId, this.d.clock.now()) >= this.d.maxPerUser) quotaExceeded(this.d.maxPerUser);
  }

  /**
   * The quota, exactly: in the transaction that writes the tokens (`adding`: owner id → tokens it adds), each owner
   * locked first (`Store.lockUser`, in id order), so concurrent creations for one owner — on any node or worker —
   * count each other's tokens. Throws TOKEN_QUOTA_EXCEEDED, which rolls the transaction back.
   */
  private async quotaIn(s: Store, adding: ReadonlyMap<number, number>): Promise<void> {
    for (const [id, n] of [...adding].sort((a, b) => a[0] - b[0])) {
      await s.lockUser(id);
      if (await s.countLiveTokens(id, this.d.clock.now()) + n > this.d.maxPerUser) quotaExceeded(this.d.maxPerUser);
    }
  }

  async create(ctx: RequestContext, input: CreateTokenInput): Promise<{ token: TokenView; value: string }> {
    const { caller, owner, row, value } = await this.prepare(ctx, input, 0);
    const { kind, name, expiresAt, recoverable } = row;
    let record: TokenRecord;
    try {
      record = await this.d.audit.audited(ctx, async (s) => {
        if (kind === 'personal') await this.quotaIn(s, new Map([[owner.id, 1]]));
        return s.createToken(row);
      }, (r) => ({
        action: 'token.create', target: { type: 'token', id: r.id },
        details: { kind, name, access: r.access, expires_at: expiresAt, recoverable,
          ...(owner.id !== caller.user.id && kind !== 'service' ? { owner: owner.username, issued_by: caller.user.username } : {}),
          ...(r.permissions.length ? { permissions: r.permissions } : {}), ...(r.roles.length ? { roles: r.roles } : {}),
          ...(r.allowedCidrs.length ? { allowed_cidrs: r.allowedCidrs } : {}) },
      }));
    } catch (e) {
      if (e instanceof UniqueViolation) return fail('CONFLICT', `a live token named '${name}' already exists for this owner`, { field: 'name' });
      if (e instanceof OwnerGone) return invalid('owner', OWNER_UNKNOWN);
      throw e;
    }
    this.d.verifier.invalidateHash(row.hash);
    return { token: await this.view(record, caller.user), value };
  }

  /**
   * Bulk creation (`POST /api/v1/tokens/batch`): up to `BATCH_MAX` tokens, each under the rules of `create` (who may
   * create what, owner, expiry, policy, permissions the owner holds, the per-user quota counting the batch's own
   * tokens), all written in one transaction: the batch lands whole or not at all. An error names the item
   * (`items[i].field`). Audited as one `token.batch_create` event listing the ids.
   */
  async createBatch(ctx: RequestContext, inputs: readonly CreateTokenInput[]): Promise<{ token: TokenView; value: string }[]> {
    requireManager(ctx.principal);
    if (inputs.length === 0 || inputs.length > BATCH_MAX) invalid('tokens', `give from 1 to ${BATCH_MAX} tokens`);
    const prepared: Prepared[] = [];
    const quota = new Map<number, number>();
    const names = new Set<string>();
    for (let i = 0; i < inputs.length; i++) {
      let p: Prepared;
      try {
        p = await this.prepare(ctx, inputs[i]!, 0, quota);
      } catch (e) {
        throw itemError(e, i);
      }
      if (p.row.name !== null) {
        const key = `${p.row.ownerId ?? 0}:${p.row.name}`;
        if (names.has(key)) fail('CONFLICT', `tokens[${i}]: the name '${p.row.name}' is used twice in this batch`, { field: `tokens[${i}].name` });
        names.add(key);
      }
      prepared.push(p);
    }
    const adding = new Map<number, number>();
    for (const p of prepared) if (p.row.kind === 'personal' && p.row.ownerId !== null) adding.set(p.row.ownerId, (adding.get(p.row.ownerId) ?? 0) + 1);
    try {
      await this.d.audit.audited(ctx, async (s) => { await this.quotaIn(s, adding); await s.insertTokens(prepared.map((p) => p.row)); },
        () => ({ action: 'token.batch_create', details: { count: prepared.length, ids: prepared.map((p) => p.row.id) } }));
    } catch (e) {
      if (e instanceof UniqueViolation) return fail('CONFLICT', 'a live token with one of these names already exists for its owner; nothing was created', { field: 'name' });
      if (e instanceof OwnerGone) return invalid('owner', OWNER_UNKNOWN);
      throw e;
    }
    for (const p of prepared) this.d.verifier.invalidateHash(p.row.hash);
    const caller = prepared[0]!.caller;
    const now = this.d.clock.now();
    const out: { token: TokenView; value: string }[] = [];
    // Tokens of one batch mostly grant the same: computed once per owner, access, roles and permissions (waited for
    // only then, not once a token).
    const grants = new Map<string, string[]>();
    for (const p of prepared) {
      const owner = p.row.ownerId === null ? null : p.row.ownerId === caller.user.id ? caller.user : p.owner;
      const t = viewNew(p.row, owner, now);
      const key = `${t.ownerId}|${t.kind}|${t.access}|${t.roles.join(',')}|${t.permissions.join(',')}`;
      let effective = grants.get(key);
      if (effective === undefined) {
        effective = this.d.authz ? (await this.d.authz.tokenGrants(t, owner)).permissions : [];
        grants.set(key, effective);
      }
      t.effectivePermissions = [...effective];
      out.push({ token: t, value: p.value });
    }
    return out;
  }

  /** Checks one creation request and builds its row and value (nothing is written). `quota`: counts of a batch so far. */
  private async prepare(ctx: RequestContext, input: CreateTokenInput, _i: number, quota?: Map<number, number>): Promise<Prepared> {
    const kind = input.kind ?? 'personal';
    if (kind === 'bound') invalid('kind', 'command-bound tokens are created with the chat command token-new (POST /api/v1/chat)');
    const caller = kind === 'service' ? requireAdmin(ctx.principal) : requireManager(ctx.principal);
    const now = this.d.clock.now();
    let owner: User = caller.user;
    if (input.owner !== undefined) {
      if (kind === 'service') invalid('owner', 'a service token has no owner');
      requireAdmin(ctx.principal);
      owner = await this.userNamed(input.owner) ?? invalid('owner', OWNER_UNKNOWN);
    }
    const name = normaliseName(input.name);
    if (kind === 'service' && name === null) invalid('name', 'name is required for service tokens');
    const comment = checkComment(input.comment ?? '');
    checkMetadata(input.metadata);
    if (input.expiresAt != null && input.expiresInSeconds != null) invalid('expires_in', 'give either expires_at or expires_in, not both');
    let expiresAt = input.expiresAt ?? null;
    if (input.expiresInSeconds != null) {
      if (!Number.isInteger(input.expiresInSeconds) || input.expiresInSeconds <= 0) invalid('expires_in', 'expires_in must be a positive number of seconds');
      expiresAt = now + input.expiresInSeconds! * 1000;
    }
    if (expiresAt !== null) checkExpiry(input.expiresInSeconds != null ? 'expires_in' : 'expires_at', expiresAt, now, input.allowPastExpiry === true && input.expiresInSeconds == null);
    // The policy's default expiry applies when the request names none (every face: API, UI, CLI, compat routes).
    else if (input.expiresAt === undefined && this.d.policy?.defaultExpirySeconds != null) expiresAt = now + this.d.policy.defaultExpirySeconds * 1000;
    const limits = limitFields(input, null, now);
    // Most tokens ask for no permissions or roles: then neither check waits for anything (a batch makes 1,000).
    const asked = this.grantsOf(input, kind === 'service' ? null : owner);
    const grants = asked instanceof Promise ? await asked : asked;
    const allowedCidrs = input.allowedCidrs === undefined ? [] : checkCidrs('allowed_cidrs', input.allowedCidrs);
    const policy = this.checkPolicy(expiresAt, grants.roles ?? [], now, 'created', input.expiresInSeconds != null ? 'expires_in' : 'expires_at');
    if (policy !== undefined) await policy;
    if (kind === 'personal') {
      if (quota === undefined) await this.checkQuota(owner.id);
      else {
        // A batch: the stored count once per owner, plus the batch's own tokens so far.
        const n = quota.get(owner.id) ?? await this.d.store.countLiveTokens(owner.id, now);
        if (n >= this.d.maxPerUser) quotaExceeded(this.d.maxPerUser);
        quota.set(owner.id, n + 1);
      }
    }

    const value = this.newValue(kind);
    const recoverable = input.recoverable ?? false;
    const row: NewToken = {
      id: newTokenId(this.d.random, now), hash: hashValue(value), kind, ownerId: kind === 'service' ? null : owner.id, name, comment,
      access: input.access ?? 'write', prefix: displayPrefix(value, this.d.prefix), metadata: input.metadata ?? null,
      active: input.active ?? true, recoverable, secretEnc: recoverable ? this.d.cipher.encrypt(value) : null,
      expiresAt, createdAt: now, ...limits, ...grants, allowedCidrs,
    };
    return { caller, owner, row, value };
  }

  /**
   * A command-bound token (Meeseeks's `token-new`), admins only: it runs `binding.command` with `binding.args` as
   * `owner`, reporting into `binding.channel`, and works only on `POST /message`. Whether the owner may run the
   * command is checked each time the token is used, not now (seed 000); the caller checks that command and channel
   * exist. Never recoverable: the value is shown once.
   */
  async createBound(ctx: RequestContext, input: { owner: User; binding: TokenBinding; comment?: string; expiresAt?: number | null; via?: string }): Promise<{ token: TokenView; value: string }> {
    const caller = requireAdmin(ctx.principal);
    const now = this.d.clock.now();
    const comment = checkComment(input.comment ?? '');
    const expiresAt = input.expiresAt ?? null;
    if (expiresAt !== null) checkExpiry('expires_at', expiresAt, now);
    const b = input.binding;
    if (b.command.length === 0 || b.channel.length === 0) fail('VALIDATION_ERROR', 'a bound token needs a command and a channel');
    await this.checkQuota(input.owner.id);
    const value = this.newValue('bound');
    const hash = hashValue(value);
    let record: TokenRecord;
    try {
      record = await this.d.audit.audited(ctx, async (s) => {
        await this.quotaIn(s, new Map([[input.owner.id, 1]]));
        return s.createToken({
          id: newTokenId(this.d.random, now), hash, kind: 'bound', ownerId: input.owner.id, name: null, comment, access: 'write',
          prefix: displayPrefix(value, this.d.prefix), metadata: null, active: true, recoverable: false, secretEnc: null, expiresAt,
          createdAt: now, binding: { command: b.command, args: [...b.args], channel: b.channel },
        });
      }, (r) => ({
        action: 'token.create', target: { type: 'token', id: r.id },
        details: { kind: 'bound', owner: input.owner.username, command: b.command, args: b.args, channel: b.channel, expires_at: expiresAt, via: input.via ?? null },
      }));
    } catch (e) {
      if (e instanceof OwnerGone) return invalid('owner', OWNER_UNKNOWN);
      throw e;
    }
    this.d.verifier.invalidateHash(hash);
    return { token: await this.view(record, caller.user), value };
  }

  /**
   * Live (not revoked) bound tokens for the chat command `tokens`, newest first: optionally only those running as
   * `ownerId`, reporting into `channel`, or whose `command args` text starts with `commandPrefix` (as Meeseeks).
   */
  async listBound(ctx: RequestContext, f: { ownerId?: number; channel?: string; commandPrefix?: string; limit: number }): Promise<TokenView[]> {
    const caller = requireAdmin(ctx.principal);
    const out: TokenView[] = [];
    const names = new Map<number, User | null>();
    let cursor: string | undefined;
    do {
      const page = await this.d.store.listTokens({ now: this.d.clock.now(), limit: LIMITS.pageMax, kind: 'bound', ownerId: f.ownerId, cursor });
      for (const t of page.items) {
        const b = t.binding;
        if (t.revokedAt !== null || b === null) continue;
        if (f.channel !== undefined && b.channel !== f.channel) continue;
        if (f.commandPrefix !== undefined && ![b.command, ...b.args].join(' ').startsWith(f.commandPrefix)) continue;
        out.push(await this.view(t, caller.user, names));
        if (out.length >= f.limit) return out;
      }
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
    return out;
  }

  async list(ctx: RequestContext, input: ListTokensInput): Promise<Page<ListedToken>> {
    const caller = requireManager(ctx.principal);
    const admin = isAdmin(caller);
    const f: TokenFilter = { now: this.d.clock.now(), limit: clampLimit(input.limit), status: input.status };
    if (input.cursor !== undefined) f.cursor = input.cursor;
    if (input.name !== undefined) f.name = input.name;
    if (input.live) f.live = true;
    if (input.violatesPolicy) {
      const p = this.d.policy ?? NO_POLICY;
      f.live = true;
      f.violates = { requireExpiry: p.requireExpiry, expiresAfter: p.maxLifetimeSeconds === null ? null : f.now + p.maxLifetimeSeconds * 1000 };
    }
    // A non-admin naming anyone but themselves is refused before any lookup: the same answer whether that user
    // exists or not, so the listing cannot be used to enumerate usernames.
    if (!admin && input.owner !== undefined && input.owner !== caller.user.id && input.owner !== caller.user.username && input.owner !== String(caller.user.id)) {
      fail('FORBIDDEN', 'only admins may list other users\' tokens');
    }
    if (!admin && input.owner !== undefined) input = { ...input, owner: caller.user.id };
    if (typeof input.owner === 'string' && input.owner !== '*') {
      const u = /^\d+$/.test(input.owner) ? await this.d.store.getUser(Number(input.owner)) : await this.d.store.getUserByLogin(input.owner);
      if (!u) return invalid('owner', OWNER_UNKNOWN);
      input = { ...input, owner: u.id };
    }
    if (admin && (input.owner !== undefined || input.kind !== undefined)) {
      if (typeof input.owner === 'number') f.ownerId = input.owner;
      if (input.kind) f.kind = input.kind;
    } else {
      if (!admin && (input.owner !== undefined && input.owner !== caller.user.id)) fail('FORBIDDEN', 'only admins may list other users\' tokens');
      if (!admin && input.kind === 'service') fail('FORBIDDEN', 'only admins may list service tokens');
      if (!admin && input.kind === 'bound') fail('FORBIDDEN', 'only admins may list command-bound tokens');
      f.ownerId = caller.user.id;
      // Your own tokens are your personal ones; bound tokens that run as you are admins' business (ask for kind=bound).
      f.kind = input.kind ?? 'personal';
    }
    const page = await this.d.store.listTokens(f);
    const names = new Map<number, User | null>();
    const items: ListedToken[] = [];
    const revealed: string[] = [];
    for (const t of page.items) {
      const item: ListedToken = await this.view(t, caller.user, names);
      if (input.revealVia !== undefined && t.recoverable && t.secretEnc !== null) {
        item.value = this.d.cipher.decrypt(t.secretEnc);
        revealed.push(t.id);
      }
      items.push(item);
    }
    if (revealed.length > 0) await this.d.audit.record(ctx, 'token.reveal', null, { count: revealed.length, via: input.revealVia, ids: revealed });
    return { items, nextCursor: page.nextCursor };
  }

  /**
   * The token a value belongs to, if the caller may see it (their own, or any for an admin); null when the value is
   * malformed, unknown or not visible. Lets surfaces that name tokens by value (FileBin, Semaphore) manage them.
   * A rotated-out value still names its token.
   */
  async findByValue(ctx: RequestContext, value: string): Promise<TokenView | null> {
    const caller = requireManager(ctx.principal);
    if (!screen(value, this.d.prefix)) return null;
    const found = await this.d.store.findBySecretHash(hashValue(value));
    if (!found || !this.canSee(caller, found.token)) return null;
    // The lookup reads a token without its uses (SecretLookup): the view shows them, from the whole record.
    const t = await this.d.store.getToken(found.token.id);
    return t === null ? null : this.view(t, caller.user);
  }

  /**
   * A token named the way chat users and compat clients name one: by id (`tok_…`) or by value. Null when unknown or
   * not visible to the caller (as `findByValue`).
   */
  async findByRef(ctx: RequestContext, ref: string): Promise<TokenView | null> {
    if (!isTokenId(ref)) return this.findByValue(ctx, ref);
    const caller = requireManager(ctx.principal);
    const t = await this.d.store.getToken(ref);
    return t && this.canSee(caller, t) ? this.view(t, caller.user) : null;
  }

  /** One token, with the addresses it was last used from (stored, merged with the not yet written batch). */
  async get(ctx: RequestContext, id: string): Promise<TokenView> {
    const caller = requireManager(ctx.principal);
    const t = await this.visible(caller, id);
    const [view, stored] = await Promise.all([this.view(t, caller.user), this.d.store.listTokenAddresses(t.id)]);
    return { ...view, lastUsedFrom: mergeAddresses(stored, this.d.usage.peek(t.id)?.addresses ?? []) };
  }

  async update(ctx: RequestContext, id: string, input: UpdateTokenInput): Promise<TokenView> {
    const caller = requireManager(ctx.principal);
    const t = await this.visible(caller, id);
    if (t.revokedAt !== null) fail('CONFLICT', 'a revoked token cannot be changed');
    const patch: Parameters<Store['updateToken']>[1] = { updatedAt: this.d.clock.now() };
    if (input.name !== undefined) {
      patch.name = normaliseName(input.name);
      if (t.kind === 'service' && patch.name === null) invalid('name', 'name is required for service tokens');
    }
    if (input.comment !== undefined) patch.comment = checkComment(input.comment);
    if (input.access !== undefined) patch.access = input.access;
    if (input.active !== undefined) patch.active = input.active;
    if (input.expiresAt !== undefined) {
      if (input.expiresAt !== null) checkExpiry('expires_at', input.expiresAt, patch.updatedAt, input.allowPastExpiry === true);
      patch.expiresAt = input.expiresAt;
    }
    if (input.metadata !== undefined) { checkMetadata(input.metadata); patch.metadata = input.metadata; }
    Object.assign(patch, limitFields(input, t, patch.updatedAt));
    if (input.permissions !== undefined || input.roles !== undefined) {
      const owner = t.kind === 'service' || t.ownerId === null ? null : await this.d.store.getUser(t.ownerId);
      Object.assign(patch, await this.grantsOf(input, owner));
    }
    if (input.allowedCidrs !== undefined) patch.allowedCidrs = checkCidrs('allowed_cidrs', input.allowedCidrs);
    if (patch.expiresAt !== undefined || patch.roles !== undefined) {
      await this.checkPolicy(patch.expiresAt !== undefined ? patch.expiresAt : t.expiresAt, patch.roles ?? t.roles, patch.updatedAt, 'changed');
    }
    const changed = Object.keys(patch).filter((k) => k !== 'updatedAt');
    // An expired token given a later expiry is live again: it counts against its owner's quota once more.
    const now = patch.updatedAt;
    const revives = t.ownerId !== null && t.kind !== 'service' && t.expiresAt !== null && t.expiresAt <= now
      && patch.expiresAt !== undefined && (patch.expiresAt === null || patch.expiresAt > now);
    let updated: TokenRecord | null;
    try {
      updated = await this.d.audit.audited(ctx, async (s) => {
        if (revives) await this.quotaIn(s, new Map([[t.ownerId!, 1]]));
        return s.updateToken(id, patch);
      },
        (r) => (r === null ? null : { action: 'token.update', target: { type: 'token', id }, details: { fields: changed } }));
    } catch (e) {
      if (e instanceof UniqueViolation) return fail('CONFLICT', `a live token named '${patch.name}' already exists for this owner`, { field: 'name' });
      throw e;
    }
    if (!updated) return fail('NOT_FOUND', noToken(id));
    this.d.verifier.invalidateToken(id);
    await this.d.verifier.published();
    return this.view(updated, caller.user);
  }

  /** Soft revocation: the token stops working at once and stays listed with status `revoked`. Idempotent. */
  async revoke(ctx: RequestContext, id: string): Promise<TokenView> {
    const caller = requireManager(ctx.principal);
    await this.visible(caller, id);
    await this.d.audit.audited(ctx, (s) => s.revokeToken(id, this.d.clock.now()),
      (did) => (did ? { action: 'token.revoke', target: { type: 'token', id } } : null));
    this.d.verifier.invalidateToken(id);
    await this.d.verifier.published();
    // Gone meanwhile (purged, or its owner deleted in a concurrent request): nothing is left to show.
    const after = await this.d.store.getToken(id);
    return after ? this.view(after, caller.user) : fail('NOT_FOUND', noToken(id));
  }

  /** Removes the token row and its secrets for good (admins only). */
  async purge(ctx: RequestContext, id: string): Promise<void> {
    const caller = requireAdmin(ctx.principal);
    await this.visible(caller, id);
    await this.d.audit.audited(ctx, (s) => s.purgeToken(id), () => ({ action: 'token.purge', target: { type: 'token', id } }));
    this.d.verifier.invalidateToken(id);
    await this.d.verifier.published();
  }

  /** Issues a new value; the previous one keeps working for `graceSeconds` (0 = stops at once). */
  async rotate(ctx: RequestContext, id: string, graceSeconds = 0): Promise<{ token: TokenView; value: string }> {
    const caller = requireManager(ctx.principal);
    const t = await this.visible(caller, id);
    if (t.revokedAt !== null) fail('CONFLICT', 'a revoked token cannot be rotated');
    if (!Number.isInteger(graceSeconds) || graceSeconds < 0 || graceSeconds > LIMITS.graceMaxSeconds) {
      invalid('grace_seconds', `grace_seconds must be an integer from 0 to ${LIMITS.graceMaxSeconds}`);
    }
    const now = this.d.clock.now();
    await this.checkPolicy(t.expiresAt, t.roles, now, 'rotated');
    const value = this.newValue(t.kind);
    const hash = hashValue(value);
    const updated = await this.d.audit.audited(ctx, (s) => s.rotateSecret(id, hash, t.recoverable ? this.d.cipher.encrypt(value) : null,
      displayPrefix(value, this.d.prefix), now, now + graceSeconds * 1000),
    (r) => (r === null ? null : { action: 'token.rotate', target: { type: 'token', id }, details: { grace_seconds: graceSeconds } }));
    if (!updated) return fail('NOT_FOUND', noToken(id));
    this.d.verifier.invalidateToken(id);
    await this.d.verifier.published();
    this.d.verifier.invalidateHash(hash);
    return { token: await this.view(updated, caller.user), value };
  }

  /** The value of a recoverable token. Audited. */
  async reveal(ctx: RequestContext, id: string): Promise<{ token: TokenView; value: string }> {
    const caller = requireManager(ctx.principal);
    const t = await this.visible(caller, id);
    if (!t.recoverable || t.secretEnc === null) return fail('TOKEN_NOT_RECOVERABLE', `token '${id}' was not created recoverable; its value cannot be shown again`);
    const value = this.d.cipher.decrypt(t.secretEnc);
    await this.d.audit.record(ctx, 'token.reveal', { type: 'token', id });
    return { token: await this.view(t, caller.user), value };
  }

  /** A user by username or id (admins issuing a token for someone). */
  private async userNamed(ref: string | number): Promise<User | null> {
    const u = typeof ref === 'number' || /^\d+$/.test(ref) ? await this.d.store.getUser(Number(ref)) : await this.d.store.getUserByLogin(ref);
    return u ? publicUser(u) : null;
  }

  /**
   * The permissions and roles asked for, checked by core/authz (a token with an owner: never more than the owner
   * holds). Answered at once when none are asked for (most tokens: a batch makes 1,000), else a promise.
   */
  private grantsOf(input: { permissions?: readonly unknown[]; roles?: readonly unknown[] }, owner: User | null): MaybePromise<{ permissions?: string[]; roles?: string[] }> {
    if (input.permissions === undefined && input.roles === undefined) return {};
    if (!this.d.authz) return invalid(input.permissions !== undefined ? 'permissions' : 'roles', 'permissions are not enabled on this server');
    return this.d.authz.checkRequested(input, owner);
  }

  /** The lifetime policy (config, and the roles' own limits): checked at once for a token without roles (undefined), else a promise. */
  private checkPolicy(expiresAt: number | null, roles: readonly string[], now: number, what: string, field: 'expires_at' | 'expires_in' = 'expires_at'): Promise<void> | undefined {
    const policy = this.d.policy ?? NO_POLICY;
    if (!this.d.authz || roles.length === 0) { checkPolicy(policy, null, expiresAt, now, what, field); return undefined; }
    return this.d.authz.roleMaxLifetime(roles).then((role) => checkPolicy(policy, role, expiresAt, now, what, field));
  }

  /** Loads a token the caller may see; others' tokens are reported as not found so ids reveal nothing. */
  private async visible(caller: Principal & { user: User }, id: string): Promise<TokenRecord> {
    const t = await this.d.store.getToken(id);
    if (!t || !this.canSee(caller, t)) return fail('NOT_FOUND', noToken(id));
    return t;
  }

  private canSee(caller: Principal & { user: User }, t: Token): boolean {
    return (t.kind === 'personal' && t.ownerId === caller.user.id) || isAdmin(caller);
  }

  private async view(t: TokenRecord, caller: User, names?: Map<number, User | null>): Promise<TokenView> {
    let owner: User | null = null;
    if (t.ownerId !== null) {
      if (t.ownerId === caller.id) owner = caller;
      else if (names?.has(t.ownerId)) owner = names.get(t.ownerId)!;
      else {
        const u = await this.d.store.getUser(t.ownerId);
        owner = u ? publicUser(u) : null;
        names?.set(t.ownerId, owner);
      }
    }
    const ownerName = owner?.username ?? null;
    const effectivePermissions = this.d.authz ? (await this.d.authz.tokenGrants(t, owner)).permissions : [];
    const pub = publicToken(t);
    const pending = this.d.usage.peek(t.id);
    if (pending) { pub.useCount += pending.uses; pub.lastUsedAt = Math.max(pub.lastUsedAt ?? 0, pending.lastUsedAt); }
    Object.assign(pub, effectiveUsage(pub, this.d.clock.now()));
    return { ...pub, status: statusOf(pub, this.d.clock.now()), ownerName, effectivePermissions };
  }
}

/** The most tokens one `createBatch` call creates. */
export const BATCH_MAX = 1000;

interface Prepared { caller: Principal & { user: User }; owner: User; row: NewToken; value: string }

/** The view of a token just inserted (no store read: what was written is known); its effective permissions come after. */
const viewNew = (r: NewToken, owner: User | null, now: number): TokenView => {
  const t: TokenView = {
    id: r.id, kind: r.kind, ownerId: r.ownerId, name: r.name, comment: r.comment, access: r.access, prefix: r.prefix, metadata: r.metadata,
    active: r.active, recoverable: r.recoverable, expiresAt: r.expiresAt, revokedAt: null, createdAt: r.createdAt, updatedAt: r.createdAt,
    lastUsedAt: null, useCount: 0, remaining: r.remaining ?? null, refill: r.refill ?? null, refilledAt: r.refilledAt ?? null,
    rateLimit: r.rateLimit ?? null, binding: null, permissions: r.permissions ?? [], roles: r.roles ?? [], allowedCidrs: r.allowedCidrs ?? [],
    status: 'active', ownerName: owner?.username ?? null, effectivePermissions: [],
  };
  t.status = statusOf(t, now);
  return t;
};

/** An error of one batch item, named by its index (`tokens[i]` in the message and field); other errors pass through. */
const itemError = (e: unknown, i: number): unknown => {
  if (!(e instanceof TesseraError)) return e;
  const details = typeof e.details?.field === 'string' ? { ...e.details, field: `tokens[${i}].${e.details.field}` } : e.details;
  return new TesseraError(e.code, `tokens[${i}]: ${e.message}`, details);
};

/** Newest first, one entry per address (its latest time), at most MAX_TOKEN_ADDRESSES. */
const mergeAddresses = (a: TokenAddress[], b: TokenAddress[]): TokenAddress[] => {
  const latest = new Map<string, number>();
  for (const x of [...a, ...b]) if ((latest.get(x.ip) ?? -1) < x.at) latest.set(x.ip, x.at);
  return [...latest].map(([ip, at]) => ({ ip, at }))
    .sort((x, y) => y.at - x.at || (x.ip < y.ip ? -1 : 1)).slice(0, MAX_TOKEN_ADDRESSES);
};

const statusOf = (t: Token, now: number): TokenStatus =>
  t.revokedAt !== null ? 'revoked' : t.expiresAt !== null && t.expiresAt <= now ? 'expired' : t.active ? 'active' : 'inactive';

const normaliseName = (name: string | null | undefined): string | null => {
  if (name === undefined || name === null) return null;
  const n = name.trim();
  if (n.length === 0) return null;
  if (n.length > LIMITS.nameMax) invalid('name', `name may be at most ${LIMITS.nameMax} characters`);
  return n;
};

/** The latest time RFC 3339 can write (year 9999): every stored expiry must be shown back as a date. */
export const MAX_TIME = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

const quotaExceeded = (max: number): never =>
  fail('TOKEN_QUOTA_EXCEEDED', `a user may have at most ${max} live tokens (max_tokens_per_user); revoke one first`);

const checkExpiry = (field: 'expires_at' | 'expires_in', at: number, now: number, pastAllowed = false): void => {
  if (!Number.isFinite(at)) invalid(field, `${field} is not a valid time`);
  if (at <= now && !pastAllowed) invalid(field, `${field} must be in the future`, 'future');
  if (at > MAX_TIME) invalid(field, `${field} must be before the year 10000`);
  // A past expiry (a face that takes one, as Query's does) still needs a date: none before the epoch.
  if (at < 0) invalid(field, `${field} must be after 1970-01-01`);
};

const checkComment = (c: string): string => {
  if (c.length > LIMITS.commentMax) invalid('comment', `comment may be at most ${LIMITS.commentMax} characters`);
  return c;
};

const checkMetadata = (m: Record<string, unknown> | null | undefined): void => {
  if (m === undefined || m === null) return;
  if (typeof m !== 'object' || Array.isArray(m)) invalid('metadata', 'metadata must be a JSON object');
  if (Buffer.byteLength(JSON.stringify(m)) > LIMITS.metadataMaxBytes) invalid('metadata', `metadata may be at most ${LIMITS.metadataMaxBytes} bytes of JSON`);
};

const clampLimit = (l: number | undefined): number => {
  if (l === undefined) return 50;
  if (!Number.isInteger(l) || l < 1 || l > LIMITS.pageMax) invalid('limit', `limit must be an integer from 1 to ${LIMITS.pageMax}`);
  return l;
};
