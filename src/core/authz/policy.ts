/**
 * Token policies (GitLab's maximum lifetime, GitHub's required expiry): `tokens.policy` in the configuration, and a
 * role's `maxLifetimeSeconds` for the tokens that carry it. Checked when a token is created, when its expiry or roles
 * change, and when it is rotated; a refusal is 400 POLICY_VIOLATION naming the rule. Existing tokens are not changed
 * when a policy is tightened: `GET /api/v1/tokens?violates_policy=true` lists them.
 */
import { fail } from '../errors.js';

export interface TokenPolicy {
  requireExpiry: boolean;
  /** No token may expire later than this many seconds after it is created, extended or rotated. */
  maxLifetimeSeconds: number | null;
  /** A new token without an expiry gets this one (null: none); an explicit `expires_at: null` still asks for none. */
  defaultExpirySeconds?: number | null;
}

export const NO_POLICY: TokenPolicy = Object.freeze({ requireExpiry: false, maxLifetimeSeconds: null });

const days = (s: number): string => (s % 86400 === 0 ? `${s / 86400} days` : `${s} seconds`);

/**
 * Refuses an expiry (null = never) that breaks the policy or the tightest role limit (`role`, from
 * AuthzService.roleMaxLifetime). `what` says when: "created", "changed", "rotated"; `field`, the field the caller gave
 * the expiry in (the refusal names it).
 */
export const checkPolicy = (p: TokenPolicy, role: { role: string; seconds: number } | null, expiresAt: number | null, now: number, what: string, field: 'expires_at' | 'expires_in' = 'expires_at'): void => {
  if (p.requireExpiry && expiresAt === null) {
    fail('POLICY_VIOLATION', `tokens.policy.require_expiry: a token ${what} now must have an expiry (expires_at or expires_in)`, { field, rule: 'require_expiry' });
  }
  const limits: { seconds: number; rule: string }[] = [];
  if (p.maxLifetimeSeconds !== null) limits.push({ seconds: p.maxLifetimeSeconds, rule: 'tokens.policy.max_lifetime_seconds' });
  if (role !== null) limits.push({ seconds: role.seconds, rule: `the role '${role.role}' (max_lifetime_seconds)` });
  for (const l of limits) {
    if (expiresAt === null || expiresAt - now > l.seconds * 1000) {
      fail('POLICY_VIOLATION', `${l.rule}: a token ${what} now may live at most ${days(l.seconds)}; give an expiry within that`, { field, rule: 'max_lifetime' });
    }
  }
};
