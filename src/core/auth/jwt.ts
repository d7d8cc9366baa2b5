/**
 * Short-lived JWT access tokens (Meshplay's model): a caller exchanges its credential for a signed ES256 JWT that any
 * service can check offline against `/.well-known/jwks.json`. Tessera itself accepts its JWTs wherever a token is
 * accepted, and re-checks the parent on every use, so revoking the parent token, logging out the parent session or
 * disabling the user stops its JWTs at once on this server.
 */
import { type Access, accessRank, ACCESS_LEVELS, isAccess } from '../access.js';
import type { AuditService } from '../audit/service.js';
import { fail, invalid } from '../errors.js';
import type { Atomically, Clock, JwtKeyStore, JwtSigner, Random, Store } from '../ports.js';
import { newId } from '../tokens/format.js';
import type { Verifier, VerifyOptions, VerifyResult } from '../tokens/verifier.js';
import { type Principal, type RequestContext, requireAccess, requireAdmin } from '../principal.js';
import { verifyError } from './codes.js';
import { limitDetails, limitInfo } from '../tokens/limits.js';
import { checkGrants, tokenGrants } from '../authz/permissions.js';
import type { AuthzService } from '../authz/service.js';
import type { TokenGrants } from '../types.js';
import { publicUser } from '../types.js';

export interface JwtOptions {
  defaultTtlSeconds: number;
  maxTtlSeconds: number;
  /** What principals grant: a JWT carries it as the OAuth `scope` claim, or a subset asked for (down-scoping). */
  authz?: Pick<AuthzService, 'principalGrants'>;
  /** The `iss` of Tessera's JWTs (config jwt.issuer). */
  issuer?: string;
  /**
   * The signer's key store bound to the transaction of a change's audit row: a key rotation and its audit row commit
   * together (keys in the database), or the rotation is undone (key files).
   */
  keys: Atomically<JwtKeyStore>;
}

/**
 * A JWT's grants: what its parent grants now, limited to the JWT's `scope` claim (when it has one) and to the JWT's
 * own access level (a `read` JWT of a `write` token never grants `tessera:write`).
 */
const scoped = (parent: TokenGrants | undefined, scope: unknown, access: Access): TokenGrants | undefined => {
  if (parent === undefined) return undefined;
  const permissions = typeof scope === 'string' ? scope.split(' ').filter((p) => p !== '' && parent.set.has(p)) : parent.permissions;
  return tokenGrants(permissions, parent.roles, access);
};

/** What a Tessera JWT was made from: its parent credential (`token_id` only for a token parent). */
export interface JwtParent { type: 'token' | 'session' | 'user'; tokenId: string | null; userId: number | null }

/** A JWT checked like a token (`POST /verify`, introspection): the verification result plus the JWT's own facts. */
export type JwtVerifyResult = VerifyResult & { jwt: { jti: string; exp: number; iat: number; access: Access; parent: JwtParent } | null };

const JWT_SHAPE = /^eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
/**
 * A JWT has three base64url parts and a JSON header (`eyJ…`). Asked of every credential and verified value: a value
 * that does not start so is answered without the expression (one compiled once, not a new object per call).
 */
export const looksLikeJwt = (v: string): boolean => v.startsWith('eyJ') && JWT_SHAPE.test(v);

/**
 * Whether a value is meant as one of Tessera's JWTs: JWT-shaped with our `iss` (the payload is read without checking the
 * signature, only to route the value; the JWT path checks it). Any other value, a foreign JWT included (Query's tokens
 * are HS256 JWTs, issue 17), is a token value and is looked up by its hash.
 */
export const isIssuedJwt = (v: string, issuer: string): boolean => {
  if (!looksLikeJwt(v)) return false;
  const a = v.indexOf('.');
  try {
    const claims: unknown = JSON.parse(Buffer.from(v.slice(a + 1, v.indexOf('.', a + 1)), 'base64url').toString('utf8'));
    return typeof claims === 'object' && claims !== null && (claims as { iss?: unknown }).iss === issuer;
  } catch {
    return false;
  }
};

const lower = (a: Access, b: Access): Access => ACCESS_LEVELS[Math.min(accessRank(a), accessRank(b))]!;

export class JwtService {
  constructor(private readonly signer: JwtSigner, private readonly store: Store, private readonly clock: Clock,
    private readonly random: Random, private readonly verifier: Verifier, private readonly audit: AuditService,
    private readonly opts: JwtOptions) {}

  /**
   * Exchanges the caller's credential for a JWT with the same (or a lower) access level. The JWT's `scope` claim is
   * what the caller grants now (space-separated), or `permissions` when asked for — each must be granted by the caller
   * (403 PERMISSION_NOT_HELD otherwise): a down-scoped JWT for a service that needs less.
   */
  async issue(ctx: RequestContext, ttlSeconds?: number, access?: Access, permissions?: readonly unknown[]): Promise<{ jwt: string; expiresAt: number; access: Access; scope: string | null }> {
    const p = requireAccess(ctx.principal, 'read');
    const ttl = ttlSeconds ?? this.opts.defaultTtlSeconds;
    if (!Number.isInteger(ttl) || ttl < 1 || ttl > this.opts.maxTtlSeconds) invalid('ttl_seconds', `ttl_seconds must be an integer from 1 to ${this.opts.maxTtlSeconds}`);
    const level = access ? lower(access, p.access) : p.access;
    const src = p.type === 'token' ? { src_type: 'token' as const, src_id: p.token.id }
      : p.type === 'session' ? { src_type: 'session' as const, src_id: p.sessionId }
        : { src_type: 'user' as const, src_id: String(p.user.id) };
    const sub = p.user ? String(p.user.id) : `token:${(p as Extract<Principal, { type: 'token' }>).token.id}`;
    // What the caller grants, at the JWT's level: a `read` JWT of a `write` credential carries no `tessera:write`.
    const held = this.opts.authz ? await this.opts.authz.principalGrants(p) : null;
    const grants = held !== null && level !== p.access ? tokenGrants(held.permissions, held.roles, level) : held;
    let scope = grants?.scope ?? null;
    if (permissions !== undefined) {
      const asked = checkGrants('permissions', permissions);
      const missing = asked.filter((x) => !grants?.set.has(x));
      if (missing.length > 0) fail('PERMISSION_NOT_HELD', `a JWT cannot carry more than its credential grants; it does not grant ${missing.slice(0, 5).map((m) => `'${m}'`).join(', ')}`, { field: 'permissions' });
      scope = asked.join(' ');
    }
    const jti = newId(this.random, 'jwt');
    const r = await this.signer.sign({ sub, jti, access: level, ...src, ...(p.user ? { name: p.user.username } : {}), ...(scope === null ? {} : { scope }) }, ttl);
    await this.audit.record(ctx, 'jwt.issue', src.src_type === 'token' ? { type: 'token', id: src.src_id } : { type: 'user', id: String(p.user?.id ?? '') },
      { jti, ttl_seconds: ttl, access: level, ...(permissions !== undefined ? { scope } : {}) });
    return { ...r, access: level, scope };
  }

  /** Resolves a JWT to a principal, re-checking its parent; throws the matching 401 otherwise. */
  /** `recheck`: an open stream checking again (the parent token's uses are not spent). */
  async authenticate(jwt: string, recheck = false, ip?: VerifyOptions['ip']): Promise<Principal> {
    const c = await this.signer.verify(jwt);
    if (!c || !isAccess(c.access)) return fail('TOKEN_NOT_FOUND', 'the JWT signature, issuer or expiry is not valid');
    if (c.src_type === 'token') {
      const r = await this.verifier.verifyById(c.src_id, { recheck, ip });
      if (!r.valid) throw verifyError(r, this.clock.now(), `the JWT's parent token is not valid (${r.code})`);
      const access = lower(c.access, r.token.access);
      // The parent's limits after this use: forward-auth's RateLimit-* headers, /verify's usage and rate_limit (an SDK
      // caches no answer that carries them: each use of a limited token must reach the server).
      const limited = r.usage !== undefined || r.rate !== undefined
        ? { limit: limitDetails(r, this.clock.now()).limit, limits: limitInfo(r) } : {};
      return { type: 'token', user: r.owner, token: r.token, access, grants: scoped(r.grants, c.scope, access), jwt: { jti: c.jti, exp: c.exp * 1000 }, ...limited };
    }
    if (c.src_type === 'user') {
      const u = await this.store.getUser(Number(c.src_id));
      if (!u || u.disabled) return fail('TOKEN_DISABLED', 'the JWT\'s user is disabled or deleted');
      const p: Principal = { type: 'user', user: publicUser(u), access: c.access, jwt: { jti: c.jti, exp: c.exp * 1000 } };
      return this.withScope(p, c.scope);
    }
    const s = await this.store.getSession(c.src_id);
    if (!s || s.expiresAt <= this.clock.now()) return fail('SESSION_INVALID', 'the JWT\'s parent session has ended');
    const u = await this.store.getUser(s.userId);
    if (!u || u.disabled) return fail('TOKEN_DISABLED', 'the JWT\'s user is disabled or deleted');
    return this.withScope({ type: 'session', user: publicUser(u), sessionId: s.id, access: c.access, jwt: { jti: c.jti, exp: c.exp * 1000 } }, c.scope);
  }

  /** A session's or user's JWT with a `scope` claim grants its user's permissions limited to the claim. */
  private async withScope(p: Principal, scope: unknown): Promise<Principal> {
    if (typeof scope !== 'string' || !this.opts.authz || p.type === 'token') return p;
    return { ...p, grants: scoped((await this.opts.authz.principalGrants(p)) ?? undefined, scope, p.access) };
  }

  /** The `iss` claim of Tessera's JWTs. */
  get issuer(): string { return this.opts.issuer ?? 'tessera'; }

  /** Whether a credential is to be checked as one of Tessera's JWTs rather than looked up as a token value (`isIssuedJwt`). */
  isOwn(v: string): boolean { return isIssuedJwt(v, this.issuer); }

  /**
   * A JWT checked as `Verifier.verify` checks a token value, as a result (never a 401): NOT_FOUND when its signature,
   * issuer or expiry is not valid; else the parent's verdict, with the token's access lowered to the JWT's. A
   * session or user parent has no token (`token: null`). `need` is checked against the JWT's own level first, so a
   * JWT below it does not spend a use of its parent.
   */
  async check(jwt: string, need?: Access, recheck = false): Promise<JwtVerifyResult> {
    const c = await this.signer.verify(jwt);
    if (!c || !isAccess(c.access)) return { valid: false, code: 'NOT_FOUND', token: null, owner: null, jwt: null };
    const access = c.access;
    const facts = (parent: JwtParent) => ({ jti: c.jti, exp: c.exp * 1000, iat: c.iat * 1000, access, parent });
    if (c.src_type === 'token') {
      const j = facts({ type: 'token', tokenId: c.src_id, userId: null });
      if (need && accessRank(c.access) < accessRank(need)) {
        const t = await this.store.getToken(c.src_id);
        return { valid: false, code: 'INSUFFICIENT_ACCESS', token: null, owner: null, jwt: t ? { ...j, parent: { ...j.parent, userId: t.ownerId } } : j };
      }
      const r = await this.verifier.verifyById(c.src_id, { need, recheck });
      const token = r.token === null ? null : { ...r.token, access: lower(c.access, r.token.access) };
      return { ...r, token, jwt: { ...j, parent: { ...j.parent, userId: r.token?.ownerId ?? null } } } as JwtVerifyResult;
    }
    let u = null;
    if (c.src_type === 'user') u = await this.store.getUser(Number(c.src_id));
    else {
      const s = await this.store.getSession(c.src_id);
      if (s && s.expiresAt > this.clock.now()) u = await this.store.getUser(s.userId);
      else return { valid: false, code: 'EXPIRED', token: null, owner: null, jwt: facts({ type: 'session', tokenId: null, userId: null }) };
    }
    const j = facts({ type: c.src_type, tokenId: null, userId: u?.id ?? null });
    if (!u || u.disabled) return { valid: false, code: 'DISABLED', token: null, owner: u ? publicUser(u) : null, jwt: j };
    if (need && accessRank(c.access) < accessRank(need)) return { valid: false, code: 'INSUFFICIENT_ACCESS', token: null, owner: publicUser(u), jwt: j };
    return { valid: true, code: 'VALID', token: null, owner: publicUser(u), jwt: j } as unknown as JwtVerifyResult;
  }

  jwks(): { keys: object[] } {
    return this.signer.jwks();
  }

  /**
   * Admins only: a new signing key signs from now on. The previous key is retired but stays published (and
   * accepted) until the JWTs it signed have expired. Returns key ids only, and records only key ids.
   */
  async rotateKey(ctx: RequestContext): Promise<{ kid: string; publishedKids: string[] }> {
    requireAdmin(ctx.principal);
    let publishedKids: string[] = [];
    const kid = await this.signer.rotate((write, kid) => this.audit.auditedIn(ctx, this.opts.keys, async (k) => {
      await write(k);
      publishedKids = [kid, ...(await k.list()).map((x) => x.kid).filter((x) => x !== kid)];
    }, () => ({ action: 'jwt.key_rotated', target: { type: 'jwt_key', id: kid }, details: { kid, published_kids: publishedKids } })));
    return { kid, publishedKids };
  }
}
