/**
 * RFC 7662 token introspection, without HTTP: who may ask (`requireIntrospector`) and what is answered about a
 * token value (`Introspector.introspect`), for API tokens and Tessera JWTs alike. Introspecting spends no use and
 * counts no request of the token (the verifier's `recheck`); a token whose uses are all spent is inactive.
 */
import type { Access } from '../access.js';
import { fail } from '../errors.js';
import type { Principal } from '../principal.js';
import type { Token, User } from '../types.js';
import type { Verifier } from '../tokens/verifier.js';
import type { JwtService } from './jwt.js';
import { type CodeCounter, NO_METRICS } from '../metrics.js';

/** The one place the RFC's `scope` comes from; today a token's access level (permissions will add theirs here). */
export const scopeOf = (token: { access: Access }): string => token.access;

/** RFC 7662 §2.2's answer; an inactive token is `{ active: false }` and nothing else (§2.2, §4). */
export type Introspection = { active: false } | {
  active: true; scope: string; client_id?: string; username?: string; token_type: 'Bearer';
  exp?: number; iat: number; sub: string; iss: string; jti: string;
};

const INACTIVE: Introspection = Object.freeze({ active: false });

/**
 * RFC 7662 §2.1: the protected resource asking must be authorized to. Here: a service token, or any token (or JWT of
 * a token) with `full` access. Sessions and user/session JWTs are refused: introspection is a server-to-server call.
 */
export const requireIntrospector = (p: Principal | null): Principal => {
  if (p === null) return fail('UNAUTHENTICATED', 'introspection needs a service token or a token with full access');
  if (p.type !== 'token' || (p.token.kind !== 'service' && p.access !== 'full')) {
    return fail('INSUFFICIENT_ACCESS', 'introspection needs a service token or a token with full access');
  }
  return p;
};

const secs = (ms: number): number => Math.floor(ms / 1000);

export class Introspector {
  /** `codes`: counts each answer by its verify code (USAGE_EXCEEDED for a spent token); see src/core/metrics.ts. */
  constructor(private readonly verifier: Verifier, private readonly jwt: JwtService, private readonly codes: CodeCounter = NO_METRICS.verifications('introspect', 'fastify')) {}

  async introspect(value: string): Promise<Introspection> {
    if (this.jwt.isOwn(value)) {
      const r = await this.jwt.check(value, undefined, true);
      this.codes.count(r.valid && spent(r.token) ? 'USAGE_EXCEEDED' : r.code);
      if (!r.valid || r.jwt === null || spent(r.token)) return INACTIVE;
      const j = r.jwt;
      const t = r.token;
      const sub = r.owner ? String(r.owner.id) : `token:${t?.id}`;
      return answer({ scope: scopeOf(t ?? { access: j.access }), clientId: t?.id ?? null, owner: r.owner, exp: j.exp, iat: j.iat, sub, iss: this.jwt.issuer, jti: j.jti });
    }
    const r = await this.verifier.verify(value, { recheck: true });
    this.codes.count(r.valid && spent(r.token) ? 'USAGE_EXCEEDED' : r.code);
    if (!r.valid || spent(r.token)) return INACTIVE;
    const t = r.token;
    return answer({ scope: scopeOf(t), clientId: t.id, owner: r.owner, exp: t.expiresAt, iat: t.createdAt,
      sub: r.owner ? String(r.owner.id) : `token:${t.id}`, iss: this.jwt.issuer, jti: t.id });
  }
}

/** A token with a usage limit and no use left (a refill that is due is applied by the next use, not here). */
const spent = (t: Token | null): boolean => t !== null && t.remaining !== null && t.remaining <= 0
  && t.refill === null;

const answer = (a: { scope: string; clientId: string | null; owner: User | null; exp: number | null; iat: number; sub: string; iss: string; jti: string }): Introspection => ({
  active: true, scope: a.scope,
  ...(a.clientId !== null ? { client_id: a.clientId } : {}),
  ...(a.owner ? { username: a.owner.username } : {}),
  token_type: 'Bearer',
  ...(a.exp !== null ? { exp: secs(a.exp) } : {}),
  iat: secs(a.iat), sub: a.sub, iss: a.iss, jti: a.jti,
});
