/**
 * Permissions, roles, grants and policies through the API (issue 14): the owner rule at create and at every use,
 * verify with a query, forward-auth ?permission=, address allowlists (with trust_proxy), token policies.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { bearer, type Harness, startHarness } from '../helpers.js';
import { expectError } from './support.js';

let h: Harness;
let admin: Record<string, string>;
let alice: { id: number; cookie: string; token: string };
before(async () => {
  h = await startHarness();
  admin = { cookie: h.adminCookie };
  alice = await h.createUser('alice', { groups: ['ops'] });
});
after(async () => { await h.close(); });

const post = (url: string, payload: unknown, headers = admin) => h.req({ method: 'POST', url, headers, payload: payload as Record<string, unknown> });
const put = (url: string, payload: unknown) => h.req({ method: 'PUT', url, headers: admin, payload: payload as Record<string, unknown> });
const verify = (payload: Record<string, unknown>) => post('/api/v1/verify', payload);

describe('roles, grants and the owner rule', () => {
  let deployToken: string;
  test('an admin defines a role and grants it to a group; a member\'s token may carry it', async () => {
    assert.equal((await post('/api/v1/roles', { name: 'deployer', permissions: ['deploy:*', 'env:staging'] })).statusCode, 201);
    const g = await put('/api/v1/groups/ops/grants', { roles: ['deployer'], permissions: [] });
    assert.equal(g.statusCode, 200, g.body);
    const r = await post('/api/v1/tokens', { name: 'ci', permissions: ['deploy:write'], roles: ['deployer'] }, bearer(alice.token));
    assert.equal(r.statusCode, 201, r.body);
    assert.deepEqual([r.json().permissions, r.json().roles], [['deploy:write'], ['deployer']]);
    deployToken = r.json().token;
  });

  test('a token cannot carry what its owner does not hold → 403 PERMISSION_NOT_HELD; unknown roles → 400', async () => {
    const e = expectError(await post('/api/v1/tokens', { permissions: ['billing:read'] }, bearer(alice.token)), 403, 'PERMISSION_NOT_HELD', /billing:read/);
    assert.equal(e.field, 'permissions');
    expectError(await post('/api/v1/tokens', { roles: ['nope'] }, bearer(alice.token)), 400, 'VALIDATION_ERROR', /nope/);
    expectError(await post('/api/v1/tokens', { permissions: ['deploy*'] }, bearer(alice.token)), 400, 'VALIDATION_ERROR');
  });

  test('verify with a query: effective permissions on success, missing on failure', async () => {
    const ok = (await verify({ token: deployToken, permissions: { and: ['deploy:write', { or: ['env:prod', 'env:staging'] }] } })).json();
    assert.equal(ok.code, 'VALID');
    assert.deepEqual(ok.roles, ['write', 'deployer']);
    assert.ok(ok.permissions.includes('deploy:*') && ok.permissions.includes('tessera:write'), ok.permissions);
    const no = (await verify({ token: deployToken, permissions: ['deploy:write', 'billing:read'] })).json();
    assert.deepEqual([no.valid, no.code, no.missing], [false, 'INSUFFICIENT_PERMISSIONS', ['billing:read']]);
    expectError(await verify({ token: deployToken, permissions: { xor: [] } }), 400, 'VALIDATION_ERROR');
  });

  test('forward-auth: ?permission= (repeatable) and X-Tessera-Permissions', async () => {
    const ok = await h.req({ method: 'GET', url: '/api/v1/auth/forward?permission=deploy:write&permission=env:staging', headers: bearer(deployToken) });
    assert.equal(ok.statusCode, 204, ok.body);
    assert.match(String(ok.headers['x-tessera-permissions']), /(^| )deploy:\*( |$)/);
    expectError(await h.req({ method: 'GET', url: '/api/v1/auth/forward?permission=billing:read', headers: bearer(deployToken) }), 403, 'INSUFFICIENT_PERMISSIONS');
  });

  test('when the owner loses the grant, the token loses it at once', async () => {
    assert.equal((await put('/api/v1/groups/ops/grants', { roles: [], permissions: [] })).statusCode, 200);
    const r = (await verify({ token: deployToken, permissions: 'deploy:write' })).json();
    assert.deepEqual([r.code, r.missing], ['INSUFFICIENT_PERMISSIONS', ['deploy:write']]);
    assert.ok(!r.permissions, 'no permissions are reported for a refused token');
    const again = await put('/api/v1/groups/ops/grants', { roles: ['deployer'], permissions: [] });
    assert.equal(again.statusCode, 200);
    assert.equal((await verify({ token: deployToken, permissions: 'deploy:write' })).json().code, 'VALID');
    // changing the role itself reaches the token too
    assert.equal((await h.req({ method: 'PATCH', url: '/api/v1/roles/deployer', headers: admin, payload: { permissions: ['env:staging'] } })).statusCode, 200);
    assert.equal((await verify({ token: deployToken, permissions: 'deploy:write' })).json().code, 'INSUFFICIENT_PERMISSIONS');
  });

  test('built-in roles cannot be changed or deleted; a service token carries what the admin gives', async () => {
    expectError(await h.req({ method: 'DELETE', url: '/api/v1/roles/full', headers: admin }), 409, 'CONFLICT');
    const s = await post('/api/v1/tokens', { kind: 'service', name: 'svc-perms', permissions: ['billing:read'] });
    assert.equal(s.statusCode, 201, s.body);
    assert.equal((await verify({ token: s.json().token, permissions: 'billing:read' })).json().code, 'VALID');
  });

  test('an admin may issue a token for another user, limited to that user\'s grants, and it is audited', async () => {
    const r = await post('/api/v1/tokens', { name: 'for-alice', owner: 'alice', permissions: ['env:staging'] });
    assert.equal(r.statusCode, 201, r.body);
    assert.equal(r.json().owner.username, 'alice');
    expectError(await post('/api/v1/tokens', { owner: 'alice', permissions: ['billing:read'] }), 403, 'PERMISSION_NOT_HELD');
    expectError(await post('/api/v1/tokens', { owner: 'alice' }, bearer(alice.token)), 403, 'FORBIDDEN');
    const audit = await h.req({ method: 'GET', url: '/api/v1/audit?action=token.create', headers: admin });
    assert.ok(audit.json().items.some((e: { details: { owner?: string; issued_by?: string } }) => e.details?.owner === 'alice' && e.details.issued_by === 'admin'));
  });
});

describe('address allowlists', () => {
  test('verify checks the ip field; a credential is checked against the client address', async () => {
    const t = (await post('/api/v1/tokens', { name: 'net', allowed_cidrs: ['10.0.0.0/8', '2001:db8::/32'] })).json();
    assert.deepEqual(t.allowed_cidrs, ['10.0.0.0/8', '2001:db8::/32']);
    assert.equal((await verify({ token: t.token, ip: '10.1.2.3' })).json().code, 'VALID');
    assert.equal((await verify({ token: t.token, ip: '2001:db8::7' })).json().code, 'VALID');
    assert.equal((await verify({ token: t.token, ip: '192.0.2.1' })).json().code, 'IP_NOT_ALLOWED');
    assert.equal((await verify({ token: t.token })).json().code, 'IP_NOT_ALLOWED');
    // the harness's requests come from 127.0.0.1
    expectError(await h.req({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(t.token) }), 403, 'IP_NOT_ALLOWED');
    expectError(await h.req({ method: 'GET', url: '/api/v1/auth/forward', headers: bearer(t.token) }), 403, 'IP_NOT_ALLOWED');
    // From elsewhere the token says only that: not whether it has the access or the permissions asked for.
    const v = await verify({ token: t.token, ip: '192.0.2.1', access: 'full', permissions: 'deploy:prod' });
    assert.equal(v.json().code, 'IP_NOT_ALLOWED');
    assert.equal(v.json().missing, undefined);
    assert.equal((await verify({ token: t.token, access: 'full', permissions: 'deploy:prod' })).json().code, 'IP_NOT_ALLOWED');
    expectError(await h.req({ method: 'GET', url: '/api/v1/auth/forward?permission=deploy:prod', headers: bearer(t.token) }), 403, 'IP_NOT_ALLOWED');
    const readOnly = (await post('/api/v1/tokens', { name: 'net-read', access: 'read', allowed_cidrs: ['10.0.0.0/8'] })).json();
    expectError(await h.req({ method: 'GET', url: '/api/v1/auth/forward?access=full', headers: bearer(readOnly.token) }), 403, 'IP_NOT_ALLOWED');
    assert.equal((await verify({ token: readOnly.token, ip: '10.1.2.3', access: 'full' })).json().code, 'INSUFFICIENT_ACCESS', 'from inside, the access is checked');
    const local = (await post('/api/v1/tokens', { name: 'local', allowed_cidrs: ['127.0.0.0/8'] })).json();
    assert.equal((await h.req({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(local.token) })).statusCode, 200);
    expectError(await post('/api/v1/tokens', { allowed_cidrs: ['10.0.0.0/33'] }), 400, 'VALIDATION_ERROR');
  });

  test('behind a trusted proxy the forwarded address is the one checked', async () => {
    const p = await startHarness({ trust_proxy: true });
    try {
      const t = (await p.req({ method: 'POST', url: '/api/v1/tokens', headers: { cookie: p.adminCookie }, payload: { name: 'proxied', allowed_cidrs: ['10.0.0.0/8'] } })).json();
      const via = (ip: string) => p.req({ method: 'GET', url: '/api/v1/auth/forward', headers: { ...bearer(t.token), 'x-forwarded-for': ip } });
      assert.equal((await via('10.9.8.7')).statusCode, 204);
      assert.equal((await via('192.0.2.9')).statusCode, 403);
    } finally {
      await p.close();
    }
  });
});

describe('token policies', () => {
  test('require_expiry and max_lifetime on create, update and rotate; violating tokens are listed', async () => {
    const p = await startHarness({ tokens: { policy: { require_expiry: true, max_lifetime_seconds: 86_400, default_expiry_seconds: null } } });
    try {
      const a = { cookie: p.adminCookie };
      const create = (payload: Record<string, unknown>) => p.req({ method: 'POST', url: '/api/v1/tokens', headers: a, payload });
      expectError(await create({ name: 'forever' }), 400, 'POLICY_VIOLATION', /require_expiry/);
      const long = await create({ name: 'long', expires_in: 2 * 86_400 });
      expectError(long, 400, 'POLICY_VIOLATION', /max_lifetime_seconds/);
      assert.equal(long.json().error.field, 'expires_in', 'the field the caller gave the expiry in');
      assert.equal((await create({ name: 'long-at', expires_at: new Date(Date.now() + 2 * 86_400_000).toISOString() })).json().error.field, 'expires_at');
      const ok = await create({ name: 'short', expires_in: 3600 });
      assert.equal(ok.statusCode, 201, ok.body);
      const id = ok.json().id;
      expectError(await p.req({ method: 'PATCH', url: `/api/v1/tokens/${id}`, headers: a, payload: { expires_at: null } }), 400, 'POLICY_VIOLATION');
      assert.equal((await p.req({ method: 'POST', url: `/api/v1/tokens/${id}/rotate`, headers: a })).statusCode, 200);
      assert.deepEqual((await p.req({ method: 'GET', url: '/api/v1/tokens?violates_policy=true', headers: a })).json().items, []);
      // a token made before the policy was tightened: no expiry
      await p.t.services.store.updateToken(id, { expiresAt: null, updatedAt: p.clock.now() });
      p.t.services.verifier.invalidateToken(id);
      assert.deepEqual((await p.req({ method: 'GET', url: '/api/v1/tokens?violates_policy=true', headers: a })).json().items.map((t: { id: string }) => t.id), [id]);
      expectError(await p.req({ method: 'POST', url: `/api/v1/tokens/${id}/rotate`, headers: a }), 400, 'POLICY_VIOLATION');
      // a role's own maximum lifetime
      assert.equal((await p.req({ method: 'POST', url: '/api/v1/roles', headers: a, payload: { name: 'brief', permissions: [], max_lifetime_seconds: 600 } })).statusCode, 201);
      expectError(await create({ name: 'brief-long', roles: ['brief'], expires_in: 3600 }), 400, 'POLICY_VIOLATION', /brief/);
      assert.equal((await create({ name: 'brief-ok', roles: ['brief'], expires_in: 300 })).statusCode, 201);
    } finally {
      await p.close();
    }
  });

  test('default_expiry_seconds: a token created without an expiry gets it; the listing shows what it grants now', async () => {
    const p = await startHarness({ tokens: { policy: { require_expiry: true, max_lifetime_seconds: null, default_expiry_seconds: 3600 } } });
    try {
      const r = await p.req({ method: 'POST', url: '/api/v1/tokens', headers: { cookie: p.adminCookie }, payload: { name: 'defaulted', permissions: ['deploy:write'] } });
      assert.equal(r.statusCode, 201, r.body);
      assert.equal(Date.parse(r.json().expires_at), p.clock.now() + 3_600_000);
      assert.deepEqual(r.json().effective_permissions, ['deploy:write', 'tessera:read', 'tessera:write']);
    } finally {
      await p.close();
    }
  });
});
