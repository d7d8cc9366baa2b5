/**
 * A credential's access level bounds its `tessera:` permissions on every face: `?access=write` and
 * `?permission=tessera:write` always agree (docs/permissions.md), whatever roles, wildcards or JWT scopes say.
 * Found from outside: a `read` token given the role `full`, and a `read` JWT of a `write` token, passed
 * `?permission=tessera:full` / `tessera:write` while `?access=` refused them.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { bearer, type Harness, startHarness } from '../helpers.js';

let h: Harness;
let admin: Record<string, string>;
let alice: { id: number; cookie: string; token: string };
before(async () => {
  h = await startHarness();
  admin = { cookie: h.adminCookie };
  alice = await h.createUser('alice');
});
after(async () => { await h.close(); });

const forward = async (headers: Record<string, string>, query: string): Promise<{ status: number; permissions: string; roles: string }> => {
  const r = await h.req({ method: 'GET', url: `/api/v1/auth/forward?${query}`, headers });
  return { status: r.statusCode, permissions: String(r.headers['x-tessera-permissions'] ?? ''), roles: String(r.headers['x-tessera-roles'] ?? '') };
};
const verify = async (body: Record<string, unknown>) => {
  const r = await h.req({ method: 'POST', url: '/api/v1/verify', headers: admin, payload: body });
  assert.equal(r.statusCode, 200, r.body);
  return r.json();
};
const create = async (headers: Record<string, string>, body: Record<string, unknown>): Promise<string> => {
  const r = await h.req({ method: 'POST', url: '/api/v1/tokens', headers, payload: body });
  assert.equal(r.statusCode, 201, r.body);
  return r.json().token as string;
};
const jwtOf = async (headers: Record<string, string>, body: Record<string, unknown>) => {
  const r = await h.req({ method: 'POST', url: '/api/v1/auth/jwt', headers, payload: body });
  assert.equal(r.statusCode, 200, r.body);
  return r.json() as { token: string; access: string; scope: string | null };
};
const claims = (jwt: string): Record<string, unknown> => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;

/** Both spellings of each level above `read` are refused; `read` passes both ways. */
const readOnly = async (headers: Record<string, string>): Promise<void> => {
  for (const level of ['write', 'full']) {
    assert.equal((await forward(headers, `access=${level}`)).status, 403, `?access=${level}`);
    assert.equal((await forward(headers, `permission=tessera:${level}`)).status, 403, `?permission=tessera:${level}`);
  }
  const ok = await forward(headers, 'permission=tessera:read');
  assert.equal(ok.status, 204);
  assert.doesNotMatch(ok.permissions, /tessera:(write|full)/, 'X-Tessera-Permissions names no level above read');
  assert.equal((await forward(headers, 'access=read')).status, 204);
};

describe('the access level bounds tessera: permissions', () => {
  test('a read token given the role full grants tessera:read only (forward-auth, verify)', async () => {
    const t = await create(bearer(alice.token), { name: 'r-full', access: 'read', roles: ['full'] });
    await readOnly(bearer(t));
    const v = await verify({ token: t, permissions: ['tessera:full'] });
    assert.deepEqual([v.valid, v.code, v.missing], [false, 'INSUFFICIENT_PERMISSIONS', ['tessera:full']]);
    const ok = await verify({ token: t });
    assert.equal(ok.token.access, 'read');
    assert.deepEqual(ok.roles, ['read'], 'no level above the token\'s own among its roles');
    assert.deepEqual(ok.permissions, ['tessera:read']);
  });

  test('a read JWT of a write token: no tessera:write in its scope claim, on forward-auth or in /verify', async () => {
    const w = await create(bearer(alice.token), { name: 'w', access: 'write' });
    const j = await jwtOf(bearer(w), { access: 'read' });
    assert.equal(j.access, 'read');
    assert.equal(j.scope, 'tessera:read');
    assert.equal(claims(j.token).scope, 'tessera:read');
    await readOnly(bearer(j.token));
    const v = await verify({ token: j.token, permissions: ['tessera:write'] });
    assert.deepEqual([v.valid, v.code, v.missing], [false, 'INSUFFICIENT_PERMISSIONS', ['tessera:write']]);
    const ok = await verify({ token: j.token });
    assert.deepEqual([ok.code, ok.token.access, ok.jwt.access, ok.permissions], ['VALID', 'read', 'read', ['tessera:read']]);
    // Asking for a level above the JWT's own is asking for more than it may carry.
    const more = await h.req({ method: 'POST', url: '/api/v1/auth/jwt', headers: bearer(w), payload: { access: 'read', permissions: ['tessera:write'] } });
    assert.equal(more.statusCode, 403, more.body);
    assert.equal(more.json().error.code, 'PERMISSION_NOT_HELD');
  });

  test('an admin\'s read JWT and a read service token holding * still grant no level above read', async () => {
    const j = await jwtOf(admin, { access: 'read' });
    await readOnly(bearer(j.token));
    assert.equal((await forward(bearer(j.token), 'permission=deploy:write')).status, 204, 'the wildcard still covers the rest');
    const svc = await create(admin, { name: 'svc', kind: 'service', access: 'read', permissions: ['*'] });
    await readOnly(bearer(svc));
    assert.equal((await forward(bearer(svc), 'permission=billing:read')).status, 204);
  });

  test('a full token keeps every level', async () => {
    const f = await create(bearer(alice.token), { name: 'f', access: 'full' });
    for (const level of ['read', 'write', 'full']) assert.equal((await forward(bearer(f), `permission=tessera:${level}`)).status, 204, level);
  });
});
