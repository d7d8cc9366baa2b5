/**
 * Conformance of the authorization tables (issue 14) on every dialect: the AuthzStore (permission catalogue, roles,
 * group grants) and the grant columns of users and tokens (permissions, roles, allowed_cidrs), written and read back
 * exactly. A dialect file says how to open an empty store.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { UniqueViolation } from '../../src/core/ports.js';
import type { SqlStore } from '../../src/store/sql-store.js';
import { SqlAuthzStore } from '../../src/store/sql-authz.js';

export interface AuthzStoreFactory { open(): Promise<SqlStore>; cleanup?(): Promise<void> }

const T0 = 1_700_000_000_000;

export const authzConformance = (name: string, factory: AuthzStoreFactory): void => {
  describe(`authz store conformance: ${name}`, () => {
    let store: SqlStore;
    let a: SqlAuthzStore;
    before(async () => { store = await factory.open(); a = new SqlAuthzStore(store.db); });
    after(async () => { await store.close(); await factory.cleanup?.(); });

    test('permission definitions: create, list in name order, a taken name is a UniqueViolation, delete', async () => {
      await a.createPermissionDef({ name: 'deploy:write', description: 'deploy', createdAt: T0 });
      await a.createPermissionDef({ name: 'billing.invoices:read', description: '', createdAt: T0 + 1 });
      await assert.rejects(a.createPermissionDef({ name: 'deploy:write', description: 'again', createdAt: T0 }), UniqueViolation);
      assert.deepEqual(await a.listPermissionDefs(), [
        { name: 'billing.invoices:read', description: '', createdAt: T0 + 1 },
        { name: 'deploy:write', description: 'deploy', createdAt: T0 },
      ]);
      assert.equal(await a.deletePermissionDef('deploy:write'), true);
      assert.equal(await a.deletePermissionDef('deploy:write'), false);
      assert.deepEqual((await a.listPermissionDefs()).map((d) => d.name), ['billing.invoices:read']);
    });

    test('roles: create, update each field, a taken name is a UniqueViolation, delete', async () => {
      const r = await a.createRole({ name: 'deployer', description: 'd', permissions: ['deploy:*', 'env:staging'], maxLifetimeSeconds: 3600, createdAt: T0, updatedAt: T0 });
      assert.deepEqual(r, { name: 'deployer', description: 'd', permissions: ['deploy:*', 'env:staging'], maxLifetimeSeconds: 3600, builtin: false, createdAt: T0, updatedAt: T0 });
      await assert.rejects(a.createRole({ name: 'deployer', description: '', permissions: [], maxLifetimeSeconds: null, createdAt: T0, updatedAt: T0 }), UniqueViolation);
      const u = await a.updateRole('deployer', { permissions: ['env:prod'], maxLifetimeSeconds: null, updatedAt: T0 + 5 });
      assert.deepEqual(u, { ...r, permissions: ['env:prod'], maxLifetimeSeconds: null, updatedAt: T0 + 5 });
      assert.equal(await a.updateRole('nobody', { description: 'x', updatedAt: T0 }), null);
      assert.deepEqual(await a.listRoles(), [u]);
      assert.equal(await a.deleteRole('deployer'), true);
      assert.deepEqual(await a.listRoles(), []);
    });

    test('group grants: set, replace (upsert), empty lists remove the row', async () => {
      await a.setGroupGrant({ group: 'ops', roles: ['deployer'], permissions: ['env:prod'], updatedAt: T0 });
      await a.setGroupGrant({ group: 'dev', roles: [], permissions: ['env:dev'], updatedAt: T0 });
      await a.setGroupGrant({ group: 'ops', roles: ['write'], permissions: [], updatedAt: T0 + 1 });
      assert.deepEqual(await a.listGroupGrants(), [
        { group: 'dev', roles: [], permissions: ['env:dev'], updatedAt: T0 },
        { group: 'ops', roles: ['write'], permissions: [], updatedAt: T0 + 1 },
      ]);
      await a.setGroupGrant({ group: 'dev', roles: [], permissions: [], updatedAt: T0 + 2 });
      assert.deepEqual((await a.listGroupGrants()).map((g) => g.group), ['ops']);
    });

    test('users and tokens keep their grants: created, read by id and by secret, patched, cleared', async () => {
      const u = await store.createUser({ username: 'gina', email: null, passwordHash: 'h', role: 'user', groups: ['ops'], roles: ['deployer'], permissions: ['env:prod'], disabled: false, createdAt: T0 });
      assert.deepEqual([u.roles, u.permissions], [['deployer'], ['env:prod']]);
      const p = await store.updateUser(u.id, { roles: [], permissions: ['a:b', 'c:*'], updatedAt: T0 + 1 });
      assert.deepEqual([p?.roles, p?.permissions], [[], ['a:b', 'c:*']]);
      const t = await store.createToken({
        id: 'tok_authz000000000001', hash: 'f'.repeat(64), kind: 'personal', ownerId: u.id, name: 'g', comment: '', access: 'write', prefix: 'tsr_x',
        metadata: null, active: true, recoverable: false, secretEnc: null, expiresAt: null, createdAt: T0,
        permissions: ['deploy:write'], roles: ['deployer'], allowedCidrs: ['10.0.0.0/8', '2001:db8::/32'],
      });
      assert.deepEqual([t.permissions, t.roles, t.allowedCidrs], [['deploy:write'], ['deployer'], ['10.0.0.0/8', '2001:db8::/32']]);
      const found = await store.findBySecretHash('f'.repeat(64));
      assert.deepEqual([found?.token.allowedCidrs, found?.owner?.permissions], [['10.0.0.0/8', '2001:db8::/32'], ['a:b', 'c:*']]);
      const cleared = await store.updateToken(t.id, { permissions: [], roles: [], allowedCidrs: [], updatedAt: T0 + 2 });
      assert.deepEqual([cleared?.permissions, cleared?.roles, cleared?.allowedCidrs], [[], [], []]);
      const plain = await store.createToken({
        id: 'tok_authz000000000002', hash: 'e'.repeat(64), kind: 'service', ownerId: null, name: 's', comment: '', access: 'read', prefix: 'tsr_y',
        metadata: null, active: true, recoverable: false, secretEnc: null, expiresAt: null, createdAt: T0,
      });
      assert.deepEqual([plain.permissions, plain.roles, plain.allowedCidrs], [[], [], []]);
    });

    test('violates: tokens without expiry or expiring too late, live ones only', async () => {
      const mk = (n: number, expiresAt: number | null) => store.createToken({
        id: `tok_viol_${n}`, hash: String(n).repeat(64).slice(0, 64), kind: 'service', ownerId: null, name: `v${n}`, comment: '', access: 'read',
        prefix: 'tsr_v', metadata: null, active: true, recoverable: false, secretEnc: null, expiresAt, createdAt: T0 + n,
      });
      await mk(1, null); await mk(2, T0 + 10_000); await mk(3, T0 + 100_000); await mk(4, null);
      await store.revokeToken('tok_viol_4', T0);
      const ids = async (violates: { requireExpiry: boolean; expiresAfter: number | null }) =>
        (await store.listTokens({ now: T0, limit: 100, live: true, violates })).items.map((x) => x.id).filter((x) => x.startsWith('tok_viol')).sort();
      assert.deepEqual(await ids({ requireExpiry: true, expiresAfter: null }), ['tok_viol_1']);
      assert.deepEqual(await ids({ requireExpiry: false, expiresAfter: T0 + 50_000 }), ['tok_viol_1', 'tok_viol_3']);
      assert.deepEqual(await ids({ requireExpiry: false, expiresAfter: null }), []);
    });
  });
};
