/**
 * Who is calling, and the rules every surface applies to them. A credential carries an access level; admin rights
 * come from the owner's role *now* (never copied into a token), so a personal token never has more rights than its
 * owner currently has.
 */
import { type Access, hasAccess } from './access.js';
import { fail, type LimitState } from './errors.js';
import type { LimitInfo, Token, TokenGrants, User } from './types.js';

/** Set when the credential was one of Tessera's JWTs; the rest of the principal is its parent's. */
export interface JwtInfo { jti: string; exp: number }

export type Principal =
  | { type: 'session'; user: User; sessionId: string; access: Access; jwt?: JwtInfo; grants?: TokenGrants }
  | { type: 'token'; user: User | null; token: Token; access: Access; jwt?: JwtInfo;
    /** What the token grants now (roles, permissions; limited to its owner's). */
    grants?: TokenGrants;
    /** For a token with usage or rate limits: its window after this request (forward-auth passes it on as `RateLimit-*`). */
    limit?: LimitState;
    /** A JWT of a limited token: the parent's uses left and rate window after this request (`/verify` answers them). */
    limits?: LimitInfo }
  /** No credential at all: single-user mode (provider `none`), or a JWT minted there. Acts as that user. */
  | { type: 'user'; user: User; access: Access; jwt?: JwtInfo; grants?: TokenGrants };

/** Per-request facts the core records in the audit log. The HTTP layer, the CLI and tests build it. */
export interface RequestContext {
  principal: Principal | null;
  ip: string | null;
  requestId: string | null;
}

export const systemContext = (): RequestContext => ({ principal: null, ip: null, requestId: null });

export const isAdmin = (p: Principal | null): boolean => p?.user?.role === 'admin';

export const requireAccess = (p: Principal | null, need: Access): Principal => {
  if (!p) return fail('UNAUTHENTICATED', 'this route needs a credential');
  if (!hasAccess(p.access, need)) {
    return fail('INSUFFICIENT_ACCESS', `this action needs access level '${need}'; the credential has '${p.access}'`);
  }
  return p;
};

/** Managing tokens needs a `full` credential that belongs to a user (service tokens manage nothing, as in Query). */
export const requireManager = (p: Principal | null): Principal & { user: User } => {
  const q = requireAccess(p, 'full');
  if (!q.user) return fail('FORBIDDEN', 'a service token cannot manage tokens or users');
  return q as Principal & { user: User };
};

export const requireAdmin = (p: Principal | null): Principal & { user: User } => {
  const q = requireManager(p);
  if (q.user.role !== 'admin') return fail('FORBIDDEN', 'this action needs an admin');
  return q;
};
