/**
 * The AuthzStore port over Kysely (SQLite and PostgreSQL): the permission catalogue, roles and group grants
 * (migration 009). Uses the same Kysely instance as SqlStore. A name that exists is reported by `on conflict do
 * nothing` returning no row, the same on both dialects.
 */
import type { Kysely, Selectable } from 'kysely';
import type { AuthzStore } from '../core/ports.js';
import { UniqueViolation } from '../core/ports.js';
import type { GroupGrant, PermissionDef, RoleDef } from '../core/types.js';
import type { Database, RolesTable } from './schema.js';

const num = (v: number | string | bigint | null): number | null => (v === null ? null : Number(v));
const list = (s: string): string[] => JSON.parse(s) as string[];

const toRole = (r: Selectable<RolesTable>): RoleDef => ({
  name: r.name, description: r.description, permissions: list(r.permissions), maxLifetimeSeconds: num(r.max_lifetime_seconds),
  builtin: false, createdAt: num(r.created_at)!, updatedAt: num(r.updated_at)!,
});

export class SqlAuthzStore implements AuthzStore {
  constructor(private readonly db: Kysely<Database>) {}

  async listPermissionDefs(): Promise<PermissionDef[]> {
    const rows = await this.db.selectFrom('permission_defs').selectAll().orderBy('name').execute();
    return rows.map((r) => ({ name: r.name, description: r.description, createdAt: num(r.created_at)! }));
  }

  async createPermissionDef(d: PermissionDef): Promise<PermissionDef> {
    const r = await this.db.insertInto('permission_defs').values({ name: d.name, description: d.description, created_at: d.createdAt })
      .onConflict((oc) => oc.column('name').doNothing()).returningAll().executeTakeFirst();
    if (!r) throw new UniqueViolation('name');
    return d;
  }

  async deletePermissionDef(name: string): Promise<boolean> {
    const r = await this.db.deleteFrom('permission_defs').where('name', '=', name).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  async listRoles(): Promise<RoleDef[]> {
    return (await this.db.selectFrom('roles').selectAll().orderBy('name').execute()).map(toRole);
  }

  async createRole(role: Omit<RoleDef, 'builtin'>): Promise<RoleDef> {
    const r = await this.db.insertInto('roles').values({
      name: role.name, description: role.description, permissions: JSON.stringify(role.permissions),
      max_lifetime_seconds: role.maxLifetimeSeconds, created_at: role.createdAt, updated_at: role.updatedAt,
    }).onConflict((oc) => oc.column('name').doNothing()).returningAll().executeTakeFirst();
    if (!r) throw new UniqueViolation('name');
    return toRole(r);
  }

  async updateRole(name: string, p: Partial<Pick<RoleDef, 'description' | 'permissions' | 'maxLifetimeSeconds'>> & { updatedAt: number }): Promise<RoleDef | null> {
    const set: Partial<RolesTable> = { updated_at: p.updatedAt };
    if (p.description !== undefined) set.description = p.description;
    if (p.permissions !== undefined) set.permissions = JSON.stringify(p.permissions);
    if (p.maxLifetimeSeconds !== undefined) set.max_lifetime_seconds = p.maxLifetimeSeconds;
    const r = await this.db.updateTable('roles').set(set).where('name', '=', name).returningAll().executeTakeFirst();
    return r ? toRole(r) : null;
  }

  async deleteRole(name: string): Promise<boolean> {
    const r = await this.db.deleteFrom('roles').where('name', '=', name).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  async listGroupGrants(): Promise<GroupGrant[]> {
    const rows = await this.db.selectFrom('group_grants').selectAll().orderBy('group_name').execute();
    return rows.map((r) => ({ group: r.group_name, roles: list(r.roles), permissions: list(r.permissions), updatedAt: num(r.updated_at)! }));
  }

  async setGroupGrant(g: GroupGrant): Promise<GroupGrant> {
    if (g.roles.length === 0 && g.permissions.length === 0) {
      await this.db.deleteFrom('group_grants').where('group_name', '=', g.group).execute();
      return g;
    }
    const values = { roles: JSON.stringify(g.roles), permissions: JSON.stringify(g.permissions), updated_at: g.updatedAt };
    await this.db.insertInto('group_grants').values({ group_name: g.group, ...values })
      .onConflict((oc) => oc.column('group_name').doUpdateSet(values)).execute();
    return g;
  }
}
