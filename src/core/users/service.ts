/** Users: accounts with a password, a role and groups. Admin-only management; the first admin is bootstrapped. */
import type { AuthzService } from '../authz/service.js';
import type { AuditService } from '../audit/service.js';
import { type RequestContext, requireAdmin } from '../principal.js';
import { fail, invalid, TesseraError } from '../errors.js';
import type { Clock, PasswordHasher, Store, UserPatch } from '../ports.js';
import { UniqueViolation } from '../ports.js';
import type { Page, Role, User } from '../types.js';
import type { Verifier } from '../tokens/verifier.js';
import { publicUser } from '../types.js';

const USERNAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const GROUP = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
/** Default shortest password (config `password_min_length`). */
export const PASSWORD_MIN = 8;

export interface CreateUserInput {
  username: string;
  password: string;
  email?: string | null;
  role?: Role;
  groups?: string[];
  /** Roles and permissions granted to the user directly (core/authz checks them). */
  roles?: readonly unknown[];
  permissions?: readonly unknown[];
  disabled?: boolean;
}

export type UpdateUserInput = Partial<Omit<CreateUserInput, 'username'>> & { username?: string };

export interface UserServiceOptions {
  /** Shortest password accepted when a user is created or a password changed (default PASSWORD_MIN). */
  passwordMinLength?: number;
  /** Checks roles and permissions granted to a user; without it, users cannot be granted any. */
  authz?: Pick<AuthzService, 'checkRequested'>;
}

export class UserService {
  private readonly passwordMin: number;

  constructor(private readonly store: Store, private readonly clock: Clock, private readonly hasher: PasswordHasher,
    private readonly verifier: Verifier, private readonly audit: AuditService, opts: UserServiceOptions = {}) {
    this.passwordMin = opts.passwordMinLength ?? PASSWORD_MIN;
    this.authz = opts.authz;
  }

  private readonly authz: UserServiceOptions['authz'];

  private async grants(input: { roles?: readonly unknown[]; permissions?: readonly unknown[] }): Promise<{ roles?: string[]; permissions?: string[] }> {
    if (input.roles === undefined && input.permissions === undefined) return {};
    if (!this.authz) return invalid(input.roles !== undefined ? 'roles' : 'permissions', 'permissions are not enabled on this server');
    return this.authz.checkRequested({ roles: input.roles, permissions: input.permissions }, null);
  }

  async create(ctx: RequestContext, input: CreateUserInput, opts: { bootstrap?: boolean } = {}): Promise<User> {
    if (!opts.bootstrap) requireAdmin(ctx.principal);
    checkUsername(input.username);
    // The first admin's password is the configured admin_password (the config checks it against the minimum) or a
    // random 24-character one, which a higher configured minimum must not refuse.
    checkPassword(input.password, opts.bootstrap ? Math.min(this.passwordMin, PASSWORD_MIN) : this.passwordMin);
    const groups = checkGroups(input.groups ?? []);
    const grants = await this.grants(input);
    const passwordHash = await this.hasher.hash(input.password); // before the transaction: argon2 takes its time
    let user: User;
    try {
      user = await this.audit.audited(ctx, (s) => s.createUser({
        username: input.username, email: input.email ?? null, passwordHash,
        role: input.role ?? 'user', groups, disabled: input.disabled ?? false, createdAt: this.clock.now(), ...grants,
      }), (u) => ({ action: 'user.create', target: { type: 'user', id: u.id }, details: { username: u.username, role: u.role, groups } }));
    } catch (e) {
      if (e instanceof UniqueViolation) return fail('CONFLICT', `a user named '${input.username}' already exists`, { field: 'username' });
      throw e;
    }
    return user;
  }

  async list(ctx: RequestContext, limit = 50, cursor?: string): Promise<Page<User>> {
    requireAdmin(ctx.principal);
    if (!Number.isInteger(limit) || limit < 1 || limit > 200) invalid('limit', 'limit must be an integer from 1 to 200');
    return this.store.listUsers(limit, cursor);
  }

  async get(ctx: RequestContext, id: number): Promise<User> {
    requireAdmin(ctx.principal);
    const u = await this.store.getUser(id);
    if (!u) return fail('NOT_FOUND', `user ${id} not found`);
    return publicUser(u);
  }

  async update(ctx: RequestContext, id: number, input: UpdateUserInput): Promise<User> {
    requireAdmin(ctx.principal);
    const cur = await this.store.getUser(id);
    if (!cur) return fail('NOT_FOUND', `user ${id} not found`);
    const patch: UserPatch = { updatedAt: this.clock.now() };
    if (input.username !== undefined) { checkUsername(input.username); patch.username = input.username; }
    if (input.password !== undefined) { checkPassword(input.password, this.passwordMin); patch.passwordHash = await this.hasher.hash(input.password); }
    if (input.email !== undefined) patch.email = input.email;
    if (input.role !== undefined) patch.role = input.role;
    if (input.groups !== undefined) patch.groups = checkGroups(input.groups);
    if (input.disabled !== undefined) patch.disabled = input.disabled;
    Object.assign(patch, await this.grants(input));
    const losesAdmin = cur.role === 'admin' && !cur.disabled && (patch.role === 'user' || patch.disabled === true);
    const fields = Object.keys(patch).filter((k) => k !== 'updatedAt').map((k) => (k === 'passwordHash' ? 'password' : k));
    let updated: User | null;
    try {
      updated = await this.audit.audited(ctx, async (s) => {
        if (losesAdmin) await keepOneAdmin(s, id);
        const u = await s.updateUser(id, patch);
        if (u && (patch.disabled === true || patch.passwordHash !== undefined)) await s.deleteUserSessions(id);
        return u;
      }, (u) => (u === null ? null : { action: 'user.update', target: { type: 'user', id }, details: { fields } }));
    } catch (e) {
      if (e instanceof UniqueViolation) return fail('CONFLICT', `a user named '${input.username}' already exists`, { field: 'username' });
      throw e;
    }
    if (!updated) return fail('NOT_FOUND', `user ${id} not found`);
    // Role, disabled flag and groups are read at verification time: drop cached lookups so they apply at once.
    this.verifier.invalidateUser(id);
    await this.verifier.published();
    return updated;
  }

  /** Deletes the user with their sessions and tokens. */
  async delete(ctx: RequestContext, id: number): Promise<void> {
    requireAdmin(ctx.principal);
    const cur = await this.store.getUser(id);
    if (!cur) return fail('NOT_FOUND', `user ${id} not found`);
    const wasAdmin = cur.role === 'admin' && !cur.disabled;
    await this.audit.audited(ctx, async (s) => { if (wasAdmin) await keepOneAdmin(s, id); return s.deleteUser(id); }, () => ({ action: 'user.delete', target: { type: 'user', id }, details: { username: cur.username } }));
    this.verifier.invalidateUser(id);
    await this.verifier.published();
  }

  /**
   * Deletes a user that owns no token and has no session (audited as `user.delete`); false, with nothing changed, when
   * it has either. For a user an import created for rows that were not imported after all: another import may have
   * found the user meanwhile and written its tokens for it (core/import/service.ts).
   */
  async deleteIfUnused(ctx: RequestContext, id: number): Promise<boolean> {
    requireAdmin(ctx.principal);
    const cur = await this.store.getUser(id);
    if (!cur) return false;
    const deleted = await this.audit.audited(ctx, (s) => s.deleteUserIfUnused(id),
      (gone) => (gone ? { action: 'user.delete', target: { type: 'user', id }, details: { username: cur.username } } : null));
    if (!deleted) return false;
    this.verifier.invalidateUser(id);
    await this.verifier.published();
    return true;
  }

  /** First start: create `admin` with the given password when the store has no user at all. */
  async bootstrapAdmin(password: string): Promise<User | null> {
    if ((await this.store.countUsers()) > 0) return null;
    try {
      return await this.create({ principal: null, ip: null, requestId: null }, { username: 'admin', password, role: 'admin' }, { bootstrap: true });
    } catch (e) {
      // Several nodes starting at once on an empty database: one of them made the admin first.
      if (e instanceof TesseraError && e.code === 'CONFLICT') return null;
      throw e;
    }
  }

}

/**
 * In the transaction of a change that takes admin rights from `leavingId` (a demotion, disabling, deletion): refuses
 * it when no other active admin would be left. The admins' rows are held (`lockActiveAdmins`), so two such changes at
 * once — each leaving the other's admin as the last — cannot both pass: the second sees the first's.
 */
const keepOneAdmin = async (s: Store, leavingId: number): Promise<void> => {
  if (!(await s.lockActiveAdmins()).some((id) => id !== leavingId)) fail('CONFLICT', 'this would leave no active admin');
};

const checkUsername = (u: string): void => {
  if (!USERNAME.test(u)) invalid('username', 'username must be 1-64 characters of letters, digits, ".", "_" or "-", starting with a letter or digit');
};
const checkPassword = (p: string, min: number): void => {
  if (p.length < min) invalid('password', `password must be at least ${min} characters`);
  if (p.length > 1024) invalid('password', 'password may be at most 1024 characters');
};
const checkGroups = (g: string[]): string[] => {
  for (const x of g) if (!GROUP.test(x)) invalid('groups', `groups: '${x}' is not a valid group name`);
  return [...new Set(g)].sort();
};
