/**
 * Permissions are strings an operator's own services define: segments of letters, digits, `_` and `-`, separated by
 * `:` or `.` (`deploy:write`, `billing.invoices:read`). A granted permission may end in a wildcard segment (`deploy:*`,
 * `billing.*`) or be `*` (everything). A wildcard covers whole segments only: `deploy:*` covers `deploy:write` and
 * `deploy:prod:write`, never `deploy2:write` nor `deploy` itself.
 *
 * A `PermissionSet` is a compiled set of granted permissions: exact names in a Set, wildcard prefixes in a short list.
 * It is built once per cache entry, so checking a permission on the hot path is a Set lookup and a few `startsWith`.
 */
import type { Access } from '../access.js';
import { invalid } from '../errors.js';

export const PERMISSION_MAX = 128;
/** `*`, or segments with an optional final `*` segment. */
const GRANT = /^(?:\*|[A-Za-z0-9_-]+(?:[.:][A-Za-z0-9_-]+)*(?:[.:]\*)?)$/;
/** What a request may ask for: no wildcard. */
const NAME = /^[A-Za-z0-9_-]+(?:[.:][A-Za-z0-9_-]+)*$/;

export const isPermissionGrant = (p: unknown): p is string => typeof p === 'string' && p.length <= PERMISSION_MAX && GRANT.test(p);
export const isPermissionName = (p: unknown): p is string => typeof p === 'string' && p.length <= PERMISSION_MAX && NAME.test(p);

/** Checks a list of grants from a client; refuses with VALIDATION_ERROR naming `field`. Returns them sorted, unique. */
export const checkGrants = (field: string, list: readonly unknown[], max = 100): string[] => {
  if (list.length > max) invalid(field, `${field} may hold at most ${max} entries`);
  for (const p of list) {
    if (!isPermissionGrant(p)) {
      invalid(field, `${field}: '${String(p).slice(0, 140)}' is not a permission (segments of letters, digits, _ or - separated by ':' or '.', optionally ending in ':*' or '.*', at most ${PERMISSION_MAX} characters)`);
    }
  }
  return [...new Set(list as string[])].sort();
};

import type { PermissionCheck, TokenGrants } from '../types.js';

export type { TokenGrants };

/**
 * The access levels' permissions (and built-in roles) above each level: what a credential of that level never grants,
 * whatever its roles, permissions or wildcards say, so that `?access=write` and `?permission=tessera:write` always
 * agree (a `read` token given the role `full`, a `read` JWT of a `write` token, an admin's `*` in a `read` JWT).
 */
const ABOVE: Record<Access, readonly string[]> = { read: ['tessera:write', 'tessera:full'], write: ['tessera:full'], full: [] };
const ROLES_ABOVE: Record<Access, readonly string[]> = { read: ['write', 'full'], write: ['full'], full: [] };

/**
 * What a credential of access level `access` grants: `permissions` and `roles` (the access level first) without the
 * levels above `access` (`ABOVE`); the compiled set refuses those levels even through a wildcard.
 */
export const tokenGrants = (permissions: string[], roles: string[], access: Access): TokenGrants => {
  const above = ABOVE[access];
  if (above.length === 0) return { permissions, roles, set: new PermissionSet(permissions), scope: permissions.join(' ') };
  const kept = permissions.filter((p) => !above.includes(p));
  const rolesAbove = ROLES_ABOVE[access];
  return { permissions: kept, roles: roles.filter((r) => !rolesAbove.includes(r)), set: new PermissionSet(kept, above), scope: kept.join(' ') };
};

export class PermissionSet implements PermissionCheck {
  private readonly exact: Set<string>;
  /** Wildcard grants without their `*`: `deploy:` for `deploy:*`. */
  private readonly prefixes: string[];
  readonly all: boolean;

  /** `denied`: names this set never grants, whatever its grants (the access levels above a credential's). */
  constructor(readonly grants: readonly string[], private readonly denied: readonly string[] = []) {
    this.exact = new Set();
    this.prefixes = [];
    let all = false;
    for (const g of grants) {
      if (g === '*') all = true;
      else if (g.endsWith('*')) this.prefixes.push(g.slice(0, -1));
      else this.exact.add(g);
    }
    this.all = all;
  }

  static readonly EMPTY = new PermissionSet([]);

  /** Whether this set grants the permission `name` (a name, or a grant: `deploy:*` is covered by `deploy:*` or `*`). */
  has(name: string): boolean {
    if (this.denied.length !== 0 && this.denied.includes(name)) return false;
    if (this.all || this.exact.has(name)) return true;
    for (let i = 0; i < this.prefixes.length; i++) if (name.startsWith(this.prefixes[i]!)) return true;
    return false;
  }

  /** Whether every grant of `other` is covered by this set. */
  covers(grants: readonly string[]): boolean {
    return grants.every((g) => this.has(g));
  }

  /** The grants of `grants` this set does not cover. */
  missing(grants: readonly string[]): string[] {
    return grants.filter((g) => !this.has(g));
  }

  /** The grants of `grants` this set covers (a token's grants limited to what its owner holds now). */
  keep(grants: readonly string[]): string[] {
    return grants.filter((g) => this.has(g));
  }
}
