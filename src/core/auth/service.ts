/**
 * Turning credentials into principals: password logins (throttled, audited), sessions, and API tokens through the
 * verifier. Every surface authenticates through `authenticate`, so the rules are the same everywhere.
 */
import { hash } from 'node:crypto';
import type { Access } from '../access.js';
import type { AuditService } from '../audit/service.js';
import { type ErrorCode, fail, TesseraError } from '../errors.js';
import { hasAccess } from '../access.js';
import { evaluate } from '../authz/query.js';
import type { AuthzService } from '../authz/service.js';
import type { Clock, LoginThrottle, PasswordHasher, Random, Store } from '../ports.js';
import { hashValue, isUuid, isWellFormed, randomBase62 } from '../tokens/format.js';
import type { Verifier, VerifyCode, VerifyOptions, VerifyResult } from '../tokens/verifier.js';
import type { MaybePromise } from '../maybe.js';
import { type LimitInfo, limitDetails, limitInfo } from '../tokens/limits.js';
import { VERIFY_MESSAGES, verifyError } from './codes.js';
import { ThrottledLoginAudit } from './throttled-audit.js';
import { type JwtService, looksLikeJwt } from './jwt.js';
import type { TokenGrants, User } from '../types.js';
import type { JwtInfo, Principal, RequestContext } from '../principal.js';
import { publicUser } from '../types.js';
import { type Metrics, NO_METRICS } from '../metrics.js';

export type Credential = { type: 'token'; value: string } | { type: 'session'; value: string };

/** What `authenticate` checks besides the credential itself (see VerifyOptions). */
export type AuthCheck = Pick<VerifyOptions, 'need' | 'recheck' | 'ip' | 'query' | 'now'>;

export interface AuthOptions {
  sessionTtlMs: number;
  /** The token prefix: a typed username that is a well-formed token is never audited. */
  tokenPrefix: string;
  /** The login throttle's window: refused logins are audited once per limit and window. */
  throttleWindowSeconds: number;
  /** What principals grant (JWTs from sessions check permission queries against their user's). */
  authz?: Pick<AuthzService, 'principalGrants'>;
  /** Refused logins are counted by reason (src/core/metrics.ts). */
  metrics?: Metrics;
}

/** Verification answers for the errors a JWT's check throws. */
const JWT_CODES: Partial<Record<ErrorCode, Exclude<VerifyCode, 'VALID'>>> = {
  TOKEN_MALFORMED: 'MALFORMED', TOKEN_NOT_FOUND: 'NOT_FOUND', TOKEN_EXPIRED: 'EXPIRED', TOKEN_REVOKED: 'REVOKED', TOKEN_ROTATED: 'ROTATED', TOKEN_DISABLED: 'DISABLED',
  SESSION_INVALID: 'REVOKED', IP_NOT_ALLOWED: 'IP_NOT_ALLOWED', USAGE_EXCEEDED: 'USAGE_EXCEEDED', RATE_LIMITED: 'RATE_LIMITED',
  INSUFFICIENT_ACCESS: 'INSUFFICIENT_ACCESS', TOKEN_BOUND: 'BOUND',
};

/** `POST /api/v1/verify` for one of Tessera's JWTs: the verification code, and when valid what it stands for. */
export type JwtVerifyResult = LimitInfo & (
  | { valid: false; code: Exclude<VerifyCode, 'VALID'>; principal: Principal | null; missing?: string[] }
  | { valid: true; code: 'VALID'; principal: Principal & { jwt: JwtInfo }; grants: TokenGrants | null });


const SESSION_PREFIX = 'tss_';
/** A refused token's error as a rejection (`authenticate` throws what `check` returns). */
const rejectError = (r: Principal | TesseraError): Principal | Promise<never> => (r instanceof TesseraError ? Promise.reject(r) : r);
const sha256 = (v: string): string => hash('sha256', v, 'hex');

export class AuthService {
  /** A hash of a random password, verified when the username is unknown so timing does not reveal which users exist. */
  private dummyHash: Promise<string>;

  /** Refused logins, recorded once per limit and window rather than once per attempt. */
  readonly throttledAudit: ThrottledLoginAudit;

  constructor(private readonly store: Store, private readonly clock: Clock, private readonly random: Random,
    private readonly hasher: PasswordHasher, private readonly throttle: LoginThrottle, private readonly verifier: Verifier,
    private readonly audit: AuditService, private readonly jwt: JwtService, private readonly opts: AuthOptions) {
    this.dummyHash = hasher.hash(randomBase62(random, 24));
    this.throttledAudit = new ThrottledLoginAudit(audit, clock, opts.throttleWindowSeconds * 1000);
  }

  /**
   * The typed username as the audit log may keep it: people paste tokens into login forms, and the audit log must
   * never hold a token value. A user's own username or email (`known`) is kept; any other value is recorded as null
   * when it looks like a credential (a Tessera token with a valid checksum, a session value, a UUID token or a JWT)
   * or is one — a token of any format (FileBin's 32 characters, an imported value) is found by its hash.
   */
  private async auditedLogin(login: string, known: boolean): Promise<string | null> {
    if (known) return login;
    const secretLike = isWellFormed(login, this.opts.tokenPrefix) || isUuid(login) || looksLikeJwt(login) || login.startsWith(SESSION_PREFIX);
    if (secretLike || (await this.store.findBySecretHash(hashValue(login))) !== null) return null;
    return login;
  }

  /** Checks a password and opens a session. Returns the cookie value (shown to the client once, stored hashed). */
  async login(ctx: RequestContext, login: string, password: string, userAgent: string | null): Promise<{ user: User; session: string; expiresAt: number }> {
    // Counted before the (slow) password check, so concurrent guesses cannot get past the limit.
    const refused = await this.throttle.attempt(login, ctx.ip);
    const metrics = this.opts.metrics ?? NO_METRICS;
    if (refused?.busy) {
      metrics.loginFailure('throttled').inc();
      return fail('RATE_LIMITED', 'too many logins in progress from this address at once; try again in a second', { retryAfterS: 1 });
    }
    if (refused) {
      metrics.loginFailure('throttled').inc();
      await this.throttledAudit.refused(ctx, login, refused.limit, () => this.auditedLogin(login, false));
      return fail('RATE_LIMITED', `too many failed logins; try again in ${refused.waitSeconds} seconds`, { retryAfterS: refused.waitSeconds });
    }
    // From here on the attempt is counted as one in progress until `failed` or `succeeded` has settled it; an error
    // before that (the database unavailable) gives it back, or a few such errors would refuse the address's logins as
    // "in progress" until the window passes.
    let settled = false;
    let rec: Awaited<ReturnType<Store['getUserByLogin']>>;
    try {
      rec = await this.store.getUserByLogin(login);
      const ok = rec ? await this.hasher.verify(rec.passwordHash, password) : (await this.hasher.verify(await this.dummyHash, password), false);
      if (!rec || !ok || rec.disabled) {
        metrics.loginFailure(!rec || !ok ? 'bad_credentials' : 'disabled').inc();
        await this.throttle.failed(login, ctx.ip);
        settled = true;
        await this.audit.record(ctx, 'auth.login_failed', rec ? { type: 'user', id: rec.id } : null, { login: await this.auditedLogin(login, rec !== null), reason: !rec || !ok ? 'bad_credentials' : 'disabled' });
        return fail('INVALID_LOGIN', 'wrong username or password, or the user is disabled');
      }
      await this.throttle.succeeded(login, ctx.ip);
      settled = true;
    } finally {
      if (!settled) await this.throttle.abandoned(ctx.ip).catch(() => undefined);
    }
    const value = SESSION_PREFIX + randomBase62(this.random, 43);
    const now = this.clock.now();
    const expiresAt = now + this.opts.sessionTtlMs;
    // The session and its audit row in one transaction: no session is usable without its login in the log.
    await this.audit.audited(ctx, (s) => s.createSession({ id: sha256(value), userId: rec.id, createdAt: now, expiresAt, ip: ctx.ip, userAgent }),
      () => ({ action: 'auth.login', target: { type: 'user', id: rec.id }, actor: { type: 'user', id: String(rec.id), name: rec.username } }));
    const user = publicUser(rec);
    return { user, session: value, expiresAt };
  }

  async logout(ctx: RequestContext): Promise<void> {
    const p = ctx.principal;
    if (p?.type !== 'session') return fail('VALIDATION_ERROR', 'logout needs a session cookie; tokens are revoked with DELETE /api/v1/tokens/{id}');
    await this.audit.audited(ctx, (s) => s.deleteSession(p.sessionId), () => ({ action: 'auth.logout', target: { type: 'user', id: p.user.id } }));
    this.verifier.sessionEnded(p.user.id);
  }

  /**
   * Resolves a credential to a principal, or throws the matching 401/403 error. `need`: the access level asked for;
   * `ip`: the client address (for tokens with an address allowlist); `query`: permissions asked for; `recheck`: a
   * credential already accepted is checked again (open streams): nothing is counted or spent.
   */
  authenticate(cred: Credential, o: AuthCheck = {}): MaybePromise<Principal> {
    if (cred.type === 'session') return this.session(cred.value);
    if (this.jwt.isOwn(cred.value)) return this.jwt.authenticate(cred.value, o.recheck ?? false, o.ip);
    // An API token the verifier answers from its cache is answered now (core/maybe.ts); a refusal is still a
    // rejected promise, as from the other credentials.
    const r = this.checkToken(cred.value, o);
    return r instanceof Promise ? r.then(rejectError) : rejectError(r);
  }

  private async session(value: string): Promise<Principal> {
    const id = sha256(value);
    const s = value.startsWith(SESSION_PREFIX) ? await this.store.getSession(id) : null;
    if (!s || s.expiresAt <= this.clock.now()) return fail('SESSION_INVALID', 'the session is unknown or has expired; log in again');
    const u = await this.store.getUser(s.userId);
    if (!u || u.disabled) return fail('SESSION_INVALID', 'the session\'s user is disabled or deleted');
    return { type: 'session', user: publicUser(u), sessionId: id, access: 'full' };
  }

  /**
   * Like `authenticate`, but a refused API token is returned as its TesseraError instead of thrown: forward-auth
   * answers an attacker's garbage this way without unwinding an exception through the async calls (~3 µs a
   * request). Sessions and JWTs, and faults, still throw.
   */
  check(cred: Credential, o: AuthCheck = {}): MaybePromise<Principal | TesseraError> {
    if (cred.type === 'session' || this.jwt.isOwn(cred.value)) return this.authenticate(cred, o);
    return this.checkToken(cred.value, o);
  }

  private checkToken(value: string, o: AuthCheck): MaybePromise<Principal | TesseraError> {
    // `then` written out: a cached answer makes no closure (every authenticated request comes here).
    const r = this.verifier.verify(value, o);
    return r instanceof Promise ? r.then((x) => this.tokenPrincipal(x, o)) : this.tokenPrincipal(r, o);
  }

  private tokenPrincipal(r: VerifyResult, o: AuthCheck): Principal | TesseraError {
    if (!r.valid) {
      const why = r.code === 'INSUFFICIENT_ACCESS' ? ` (needs '${o.need}', has '${r.token?.access}')`
        : r.code === 'INSUFFICIENT_PERMISSIONS' ? ` (missing ${r.missing!.map((m) => `'${m}'`).join(', ')})` : '';
      return verifyError(r, this.clock.now(), VERIFY_MESSAGES[r.code] + why);
    }
    if (r.usage === undefined && r.rate === undefined) return { type: 'token', user: r.owner, token: r.token, access: r.token.access, grants: r.grants };
    return { type: 'token', user: r.owner, token: r.token, access: r.token.access, grants: r.grants, limit: limitDetails(r, this.clock.now()).limit };
  }

  /**
   * Verifies one of Tessera's JWTs the way `Verifier.verify` verifies a token value (its parent is checked now, its
   * access and `scope` limit it), for the verify endpoint: a refusal is a result, not an exception.
   */
  async verifyJwt(value: string, o: Pick<VerifyOptions, 'need' | 'query' | 'ip'>): Promise<JwtVerifyResult> {
    let p: Principal;
    try {
      p = await this.jwt.authenticate(value, false, o.ip);
    } catch (e) {
      const code = e instanceof TesseraError ? JWT_CODES[e.code] : undefined;
      if (code === undefined) throw e;
      return { valid: false, code, principal: null, ...limitInfo((e as TesseraError).details) };
    }
    const limits = limitInfo(p.type === 'token' ? p.limits : undefined);
    if (o.need && !hasAccess(p.access, o.need)) return { valid: false, code: 'INSUFFICIENT_ACCESS', principal: p, ...limits };
    const grants = this.opts.authz ? await this.opts.authz.principalGrants(p) : p.grants ?? null;
    if (o.query !== undefined) {
      const r = evaluate(o.query, grants?.set ?? { has: () => false });
      if (!r.ok) return { valid: false, code: 'INSUFFICIENT_PERMISSIONS', principal: p, missing: r.missing, ...limits };
    }
    return { valid: true, code: 'VALID', principal: p as Principal & { jwt: JwtInfo }, grants, ...limits };
  }

  /** Single-user mode (provider `none`): the principal of a request without a credential — the `admin` user. */
  async singleUser(): Promise<Principal> {
    const u = await this.store.getUserByLogin('admin');
    if (!u || u.disabled || u.role !== 'admin') return fail('UNAUTHENTICATED', 'single-user mode needs an enabled admin user named admin');
    return { type: 'user', user: publicUser(u), access: 'full' };
  }

  sweepSessions(): Promise<number> {
    return this.store.deleteExpiredSessions(this.clock.now());
  }

  /** Every minute: the counts of refused logins whose window is over go to the audit log; spent counters are dropped. */
  async sweepThrottle(): Promise<void> {
    await this.throttledAudit.flush();
    await this.throttle.sweep();
  }
}
