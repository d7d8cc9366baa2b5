/**
 * Authorization: the one place that decides what a user, a group, a role or a token grants. Every face (native API,
 * verify, forward-auth, JWTs, compat routes) asks here — through the verifier's cache entry on the hot path.
 *
 * - A **role** is a named bundle of permissions. `read`, `write` and `full` are built in: they are the access levels,
 *   as the permissions `tessera:read`, `tessera:write`, `tessera:full` (each level holds those below it).
 * - A **user** holds: everything (`*`) if an admin; otherwise the built-in `full` role (every user may use Tessera's
 *   API for their own tokens, as before), plus their own roles and permissions and those of their groups.
 * - A **token** grants its access level's role, its roles and its permissions. A personal (or command-bound) token
 *   never grants more than its owner holds *now*: each grant the owner does not hold is dropped at every use. A
 *   service token grants what an admin gave it.
 *
 * The catalogue (roles, group grants, permission definitions) is small: it is read whole into a snapshot, reloaded
 * after every change here or on another node (`Change` kind `authz`).
 */
import { hasAccess, type Access } from '../access.js';
import type { AuditRow, AuditService } from '../audit/service.js';
import { fail, invalid, shown } from '../errors.js';
import type { Atomically, AuthzStore, Clock } from '../ports.js';
import { UniqueViolation } from '../ports.js';
import { type Principal, type RequestContext, requireAdmin } from '../principal.js';
import type { GroupGrant, PermissionDef, RoleDef, Token, User } from '../types.js';
import { checkGrants, isPermissionName, PermissionSet, tokenGrants, type TokenGrants } from './permissions.js';

export type { TokenGrants };

export const BUILTIN_ROLES: readonly RoleDef[] = [
  { name: 'read', description: 'Read Tessera resources (the access level read)', permissions: ['tessera:read'] },
  { name: 'write', description: 'Read and change (the access level write)', permissions: ['tessera:read', 'tessera:write'] },
  { name: 'full', description: 'Everything, managing tokens included (the access level full)', permissions: ['tessera:read', 'tessera:write', 'tessera:full'] },
].map((r) => ({ ...r, maxLifetimeSeconds: null, builtin: true, createdAt: 0, updatedAt: 0 }));

const ROLE_NAME = /^[a-z][a-z0-9_-]{0,63}$/;
const GROUP = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** The permission an access level maps to (`?access=write` ≡ `?permission=tessera:write`). */
export const accessPermission = (a: Access): string => `tessera:${a}`;

export interface AuthzOptions {
  /** `permissions.strict`: only catalogued permissions may be granted (to roles, users, groups, tokens). */
  strict: boolean;
  /** The authz store and the Store in one transaction: a change and its audit row commit together. */
  atomically: Atomically<AuthzStore>;
}


interface Snapshot { roles: Map<string, RoleDef>; groups: Map<string, GroupGrant>; catalogue: Map<string, PermissionDef> }

export class AuthzService {
  private snapshot: Promise<Snapshot> | null = null;
  /** The snapshot once loaded (null before, and after a reset): what the synchronous `tokenGrantsNow` reads. */
  private ready: Snapshot | null = null;

  constructor(private readonly store: AuthzStore, private readonly clock: Clock, private readonly audit: AuditService,
    private readonly opts: AuthzOptions, private readonly changed: () => void) {}

  // --- the rules (hot path: called once per verifier cache entry) ---

  /** Forget the snapshot (after a change here, or a `Change` of kind `authz` from another node). */
  reset(): void { this.snapshot = null; this.ready = null; }

  private load(): Promise<Snapshot> {
    if (this.snapshot === null) {
      const s = (async (): Promise<Snapshot> => {
        const [roles, groups, catalogue] = await Promise.all([this.store.listRoles(), this.store.listGroupGrants(), this.store.listPermissionDefs()]);
        return {
          roles: new Map([...BUILTIN_ROLES, ...roles].map((r) => [r.name, r])),
          groups: new Map(groups.map((g) => [g.group, g])),
          catalogue: new Map(catalogue.map((d) => [d.name, d])),
        };
      })();
      this.snapshot = s;
      s.then((loaded) => { if (this.snapshot === s) this.ready = loaded; }, () => { if (this.snapshot === s) this.snapshot = null; });
    }
    return this.snapshot;
  }

  private static expand(s: Snapshot, roles: Iterable<string>, into: Set<string>): void {
    for (const r of roles) for (const p of s.roles.get(r)?.permissions ?? []) into.add(p);
  }

  /** Everything the user holds now. */
  async userGrants(user: User): Promise<PermissionSet> {
    if (user.role === 'admin') return ALL;
    return AuthzService.userGrantsIn(await this.load(), user);
  }

  private static userGrantsIn(s: Snapshot, user: User): PermissionSet {
    if (user.role === 'admin') return ALL;
    const out = new Set<string>(user.permissions);
    AuthzService.expand(s, ['full', ...user.roles], out);
    for (const g of user.groups) {
      const gg = s.groups.get(g);
      if (!gg) continue;
      for (const p of gg.permissions) out.add(p);
      AuthzService.expand(s, gg.roles, out);
    }
    return new PermissionSet([...out].sort());
  }

  /** What the token grants now: for a token with an owner, only what the owner holds now. */
  async tokenGrants(token: Token, owner: User | null): Promise<TokenGrants> {
    return AuthzService.tokenGrantsIn(await this.load(), token, owner);
  }

  /**
   * `tokenGrants` answered at once once the roles and groups are loaded (the snapshot every later call reads), or
   * null before: a verification that misses the cache then waits for nothing.
   */
  tokenGrantsNow(token: Token, owner: User | null): TokenGrants | null {
    return this.ready === null ? null : AuthzService.tokenGrantsIn(this.ready, token, owner);
  }

  private static tokenGrantsIn(s: Snapshot, token: Token, owner: User | null): TokenGrants {
    const roles = [token.access, ...token.roles.filter((r) => r !== token.access)];
    const all = new Set<string>(token.permissions);
    AuthzService.expand(s, roles, all);
    let permissions = [...all].sort();
    if (token.kind !== 'service' && owner !== null) permissions = AuthzService.userGrantsIn(s, owner).keep(permissions);
    return tokenGrants(permissions, roles, token.access);
  }

  /** What a principal grants: a token's own grants, else (session, single user, a session's JWT) its user's. */
  async principalGrants(p: Principal): Promise<TokenGrants | null> {
    if (p.grants) return p.grants;
    if (p.type === 'token') return this.tokenGrants(p.token, p.user);
    const set = await this.userGrants(p.user);
    return tokenGrants([...set.grants], [p.access, ...p.user.roles], p.access);
  }

  /**
   * Checks the permissions and roles a client asks to give a token (or a user, or a group): well-formed, known roles,
   * catalogued in strict mode, and — for a token with an owner — held by the owner now. Returns them normalised.
   */
  async checkRequested(input: { permissions?: readonly unknown[]; roles?: readonly unknown[] }, holder: User | null): Promise<{ permissions?: string[]; roles?: string[] }> {
    const s = await this.load();
    const out: { permissions?: string[]; roles?: string[] } = {};
    if (input.permissions !== undefined) out.permissions = this.checkCatalogued(s, 'permissions', checkGrants('permissions', input.permissions));
    if (input.roles !== undefined) {
      for (const r of input.roles) if (typeof r !== 'string' || !s.roles.has(r)) invalid('roles', `roles: ${shown(r, ROLE_NAME)} is not a role (GET /api/v1/roles lists them)`);
      out.roles = [...new Set(input.roles as string[])].sort();
    }
    if (holder !== null) {
      const have = await this.userGrants(holder);
      const asked = new Set(out.permissions ?? []);
      AuthzService.expand(s, out.roles ?? [], asked);
      const missing = have.missing([...asked]);
      if (missing.length > 0) {
        fail('PERMISSION_NOT_HELD', `a token cannot carry more than its owner holds; '${holder.username}' does not hold ${missing.slice(0, 5).map((m) => `'${m}'`).join(', ')}`,
          { field: out.permissions?.some((p) => missing.includes(p)) ? 'permissions' : 'roles' });
      }
    }
    return out;
  }

  private checkCatalogued(s: Snapshot, field: string, grants: string[]): string[] {
    if (!this.opts.strict) return grants;
    for (const g of grants) {
      const known = g.endsWith('*') ? [...s.catalogue.keys()].some((n) => new PermissionSet([g]).has(n)) : s.catalogue.has(g) || g.startsWith('tessera:');
      if (!known) invalid(field, `${field}: '${g}' is not in the permission catalogue (permissions.strict is on; POST /api/v1/permissions adds it)`);
    }
    return grants;
  }

  /** The smallest `maxLifetimeSeconds` among these roles (null: none sets one). */
  async roleMaxLifetime(roles: readonly string[]): Promise<{ role: string; seconds: number } | null> {
    const s = await this.load();
    let best: { role: string; seconds: number } | null = null;
    for (const r of roles) {
      const m = s.roles.get(r)?.maxLifetimeSeconds;
      if (m != null && (best === null || m < best.seconds)) best = { role: r, seconds: m };
    }
    return best;
  }

  // --- the catalogue (admins) ---

  async listPermissions(ctx: RequestContext): Promise<PermissionDef[]> {
    requireRead(ctx);
    return [...(await this.load()).catalogue.values()];
  }

  async definePermission(ctx: RequestContext, name: string, description: string): Promise<PermissionDef> {
    requireAdmin(ctx.principal);
    if (!isPermissionName(name)) invalid('name', `name: '${String(name).slice(0, 140)}' is not a permission name (segments of letters, digits, _ or - separated by ':' or '.')`);
    if (description.length > 500) invalid('description', 'description may be at most 500 characters');
    const d = await this.unique(() => this.change(ctx, (a) => a.createPermissionDef({ name, description, createdAt: this.clock.now() }),
      () => ({ action: 'permission.define', target: { type: 'permission', id: name } })), `permission '${name}' is already defined`);
    return d;
  }

  async deletePermission(ctx: RequestContext, name: string): Promise<void> {
    requireAdmin(ctx.principal);
    const did = await this.change(ctx, (a) => a.deletePermissionDef(name), (d) => (d ? { action: 'permission.delete', target: { type: 'permission', id: name } } : null));
    if (!did) fail('NOT_FOUND', `permission '${name}' is not defined`);
  }

  async listRoles(ctx: RequestContext): Promise<RoleDef[]> {
    requireRead(ctx);
    return [...(await this.load()).roles.values()];
  }

  async getRole(ctx: RequestContext, name: string): Promise<RoleDef> {
    requireRead(ctx);
    return (await this.load()).roles.get(name) ?? fail('NOT_FOUND', `role '${name}' not found`);
  }

  async createRole(ctx: RequestContext, input: { name: string; description?: string; permissions: readonly unknown[]; maxLifetimeSeconds?: number | null }): Promise<RoleDef> {
    requireAdmin(ctx.principal);
    if (!ROLE_NAME.test(input.name)) invalid('name', 'name must be 1-64 lower-case letters, digits, _ or -, starting with a letter');
    const s = await this.load();
    if (BUILTIN_ROLES.some((r) => r.name === input.name)) fail('CONFLICT', `'${input.name}' is a built-in role`, { field: 'name' });
    const permissions = this.checkCatalogued(s, 'permissions', checkGrants('permissions', input.permissions));
    const now = this.clock.now();
    const description = checkDescription(input.description ?? '');
    const maxLifetimeSeconds = checkLifetime(input.maxLifetimeSeconds ?? null);
    return this.unique(() => this.change(ctx, (a) => a.createRole({ name: input.name, description, permissions, maxLifetimeSeconds, createdAt: now, updatedAt: now }),
      (role) => ({ action: 'role.create', target: { type: 'role', id: role.name }, details: { permissions } })), `a role named '${input.name}' already exists`);
  }

  async updateRole(ctx: RequestContext, name: string, input: { description?: string; permissions?: readonly unknown[]; maxLifetimeSeconds?: number | null }): Promise<RoleDef> {
    requireAdmin(ctx.principal);
    const s = await this.load();
    if (BUILTIN_ROLES.some((r) => r.name === name)) fail('CONFLICT', `'${name}' is a built-in role and cannot be changed`);
    const patch: Parameters<AuthzStore['updateRole']>[1] = { updatedAt: this.clock.now() };
    if (input.description !== undefined) patch.description = checkDescription(input.description);
    if (input.permissions !== undefined) patch.permissions = this.checkCatalogued(s, 'permissions', checkGrants('permissions', input.permissions));
    if (input.maxLifetimeSeconds !== undefined) patch.maxLifetimeSeconds = checkLifetime(input.maxLifetimeSeconds);
    const role = await this.change(ctx, (a) => a.updateRole(name, patch),
      (r) => (r === null ? null : { action: 'role.update', target: { type: 'role', id: name }, details: { fields: Object.keys(patch).filter((k) => k !== 'updatedAt') } }));
    return role ?? fail('NOT_FOUND', `role '${name}' not found`);
  }

  async deleteRole(ctx: RequestContext, name: string): Promise<void> {
    requireAdmin(ctx.principal);
    if (BUILTIN_ROLES.some((r) => r.name === name)) fail('CONFLICT', `'${name}' is a built-in role and cannot be deleted`);
    const did = await this.change(ctx, (a) => a.deleteRole(name), (d) => (d ? { action: 'role.delete', target: { type: 'role', id: name } } : null));
    if (!did) fail('NOT_FOUND', `role '${name}' not found`);
  }

  async listGroupGrants(ctx: RequestContext): Promise<GroupGrant[]> {
    requireAdmin(ctx.principal);
    return [...(await this.load()).groups.values()];
  }

  async setGroupGrant(ctx: RequestContext, group: string, input: { roles: readonly unknown[]; permissions: readonly unknown[] }): Promise<GroupGrant> {
    requireAdmin(ctx.principal);
    if (!GROUP.test(group)) invalid('group', `'${group.slice(0, 70)}' is not a valid group name`);
    const c = await this.checkRequested(input, null);
    return this.change(ctx, (a) => a.setGroupGrant({ group, roles: c.roles ?? [], permissions: c.permissions ?? [], updatedAt: this.clock.now() }),
      (g) => ({ action: 'group.grant', target: { type: 'group', id: group }, details: { roles: g.roles, permissions: g.permissions } }));
  }

  private async unique<T>(fn: () => Promise<T>, message: string): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      if (e instanceof UniqueViolation) return fail('CONFLICT', message, { field: 'name' });
      throw e;
    }
  }

  /**
   * A change and its audit row in one transaction; once committed, the snapshot is reloaded and every node drops its
   * cached verifications (also when nothing changed: harmless).
   */
  private async change<T>(ctx: RequestContext, make: (a: AuthzStore) => Promise<T>, row: (r: T) => AuditRow | null): Promise<T> {
    const r = await this.audit.auditedIn(ctx, this.opts.atomically, make, row);
    this.reset();
    this.changed();
    return r;
  }
}

const ALL = new PermissionSet(['*']);

/** Reading the catalogue needs a credential that may read (any user; service tokens with read access too). */
const requireRead = (ctx: RequestContext): void => {
  const p = ctx.principal;
  if (!p) fail('UNAUTHENTICATED', 'this route needs a credential');
  else if (!hasAccess(p.access, 'read')) fail('INSUFFICIENT_ACCESS', 'needs access level read');
};

const checkDescription = (d: string): string => (d.length > 500 ? invalid('description', 'description may be at most 500 characters') : d);
const checkLifetime = (s: number | null): number | null =>
  s === null ? null : Number.isInteger(s) && s >= 60 && s <= 100 * 365 * 86400 ? s : invalid('max_lifetime_seconds', 'max_lifetime_seconds must be an integer from 60 to 3153600000, or null');
