/**
 * A change and its audit row are one transaction: when the audit row cannot be written (here the database itself
 * refuses it, by a trigger), the change is not made either — no token, import, revocation, rotation, user, session, role,
 * permission, group grant, webhook or JWT signing key stands without its row in the log — and the request fails. On both stores (TESSERA_TEST_STORE=postgres).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ADMIN_PASSWORD, bearer, type Harness, onDatabase, startHarness } from '../helpers.js';
import { createToken } from './support.js';
import { aesGcmCipher, loadOrCreateKey } from '../../src/infra/cipher.js';
import { fileJwtKeys, jwtSigner } from '../../src/infra/jwt.js';
import { sqlJwtKeys } from '../../src/store/postgres/jwt-keys.js';
import type { SqlStore } from '../../src/store/sql-store.js';


const refuseAudit = (h: Harness) => onDatabase(h, h.t.config.database_url === undefined
  ? `create trigger refuse_audit before insert on audit begin select raise(abort, 'audit refused by the test'); end;`
  : `create function refuse_audit() returns trigger language plpgsql as $$ begin raise exception 'audit refused by the test'; end $$;
     create trigger refuse_audit before insert on audit for each row execute function refuse_audit();`);
const allowAudit = (h: Harness) => onDatabase(h, h.t.config.database_url === undefined
  ? 'drop trigger refuse_audit;' : 'drop trigger refuse_audit on audit; drop function refuse_audit();');

describe('no change without its audit row', () => {
  let h: Harness;
  let admin: Record<string, string>;
  before(async () => { h = await startHarness(); admin = { cookie: h.adminCookie }; });
  after(async () => { await h.close(); });

  const verify = async (token: string) => (await h.req({ method: 'POST', url: '/api/v1/verify', headers: admin, payload: { token } })).json();
  const failed = (r: { statusCode: number; body: string }, what: string) => {
    assert.ok(r.statusCode >= 500, `${what}: ${r.statusCode} ${r.body}`);
    assert.ok(!r.body.includes('tsr_'), `${what}: no value in the error`);
  };

  test('token creation, batch creation, update, rotation, revocation and purge are undone', async () => {
    const t = await createToken(h, admin, { name: 'kept-as-it-was', access: 'full' });
    const auditRows = (await h.t.services.audit.list({ limit: 1000 })).items.length;
    await refuseAudit(h);
    try {
      failed(await h.req({ method: 'POST', url: '/api/v1/tokens', headers: admin, payload: { name: 'never-made' } }), 'create');
      failed(await h.req({ method: 'POST', url: '/api/v1/tokens/batch', headers: admin, payload: { tokens: [{ name: 'b1' }, { name: 'b2' }] } }), 'batch');
      failed(await h.req({ method: 'PATCH', url: `/api/v1/tokens/${t.id}`, headers: admin, payload: { name: 'renamed', access: 'read' } }), 'update');
      failed(await h.req({ method: 'POST', url: `/api/v1/tokens/${t.id}/rotate`, headers: admin, payload: { grace_seconds: 0 } }), 'rotate');
      failed(await h.req({ method: 'DELETE', url: `/api/v1/tokens/${t.id}`, headers: admin }), 'revoke');
      failed(await h.req({ method: 'POST', url: '/api/v1/tokens/revoke-by-value', payload: { token: t.token } }), 'revoke by value');
      failed(await h.req({ method: 'POST', url: '/api/v1/tokens/import', headers: admin, payload: { format: 'json', rows: [{ value: 'legacy-never-imported-01', owner: 'admin' }] } }), 'import');
      // The token is as it was, and still works — on a fresh read too (the caches were not told of a change).
      const v = await verify(t.token);
      assert.deepEqual([v.valid, v.token?.name, v.token?.access], [true, 'kept-as-it-was', 'full'], JSON.stringify(v));
    } finally {
      await allowAudit(h);
    }
    const names = (await h.req({ method: 'GET', url: '/api/v1/tokens?limit=100', headers: admin })).json().items.map((x: { name: string }) => x.name);
    for (const n of ['never-made', 'b1', 'b2', 'renamed']) assert.ok(!names.includes(n), `${n} is not stored`);
    assert.equal((await verify('legacy-never-imported-01')).code, 'NOT_FOUND', 'the import made nothing');
    const shown = (await h.req({ method: 'GET', url: `/api/v1/tokens/${t.id}`, headers: admin })).json();
    assert.deepEqual([shown.name, shown.status ?? (shown.revoked_at === null ? 'active' : 'revoked')], ['kept-as-it-was', 'active']);
    assert.equal((await h.t.services.audit.list({ limit: 1000 })).items.length, auditRows, 'nothing was recorded');
    // With the log writable again, the same requests work and are recorded; the chain is whole.
    assert.equal((await h.req({ method: 'DELETE', url: `/api/v1/tokens/${t.id}`, headers: admin })).statusCode, 200);
    assert.equal((await verify(t.token)).code, 'REVOKED');
    const chain = (await h.req({ method: 'GET', url: '/api/v1/audit/verify', headers: admin })).json();
    assert.equal(chain.ok, true, JSON.stringify(chain));
  });

  test('a user is not created, changed or disabled, and a login makes no session, without the row', async () => {
    const made = await h.req({ method: 'POST', url: '/api/v1/users', headers: admin, payload: { username: 'carol', password: 'carol-password-1' } });
    assert.equal(made.statusCode, 201, made.body);
    const carol = made.json().user?.id ?? made.json().id;
    const session = await h.login('carol', 'carol-password-1');
    await refuseAudit(h);
    try {
      failed(await h.req({ method: 'POST', url: '/api/v1/users', headers: admin, payload: { username: 'dave', password: 'dave-password-1' } }), 'user create');
      failed(await h.req({ method: 'PATCH', url: `/api/v1/users/${carol}`, headers: admin, payload: { disabled: true } }), 'user disable');
      const login = await h.req({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'admin', password: ADMIN_PASSWORD } });
      failed(login, 'login');
      assert.equal(login.cookies.find((c) => c.name === 'tessera_session')?.value ?? '', '', 'no session cookie');
    } finally {
      await allowAudit(h);
    }
    assert.equal((await h.req({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: session } })).statusCode, 200, 'carol is not disabled, her session stands');
    const users = (await h.req({ method: 'GET', url: '/api/v1/users?limit=100', headers: admin })).json().items.map((u: { username: string }) => u.username);
    assert.ok(!users.includes('dave'));
    // A bearer check too: a token of carol's still works.
    const own = await createToken(h, { cookie: session }, { name: 'carols' });
    assert.equal((await h.req({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(own.token) })).statusCode, 200);
  });

  test('permissions, roles and group grants are not changed without the row', async () => {
    const role = await h.req({ method: 'POST', url: '/api/v1/roles', headers: admin, payload: { name: 'deployer', permissions: ['deploy:run'] } });
    assert.equal(role.statusCode, 201, role.body);
    await refuseAudit(h);
    try {
      failed(await h.req({ method: 'POST', url: '/api/v1/permissions', headers: admin, payload: { name: 'never:defined', description: 'x' } }), 'permission define');
      failed(await h.req({ method: 'POST', url: '/api/v1/roles', headers: admin, payload: { name: 'never-made', permissions: ['x:y'] } }), 'role create');
      failed(await h.req({ method: 'PATCH', url: '/api/v1/roles/deployer', headers: admin, payload: { permissions: ['deploy:everything'] } }), 'role update');
      failed(await h.req({ method: 'PUT', url: '/api/v1/groups/ops/grants', headers: admin, payload: { roles: ['deployer'], permissions: [] } }), 'group grant');
      failed(await h.req({ method: 'DELETE', url: '/api/v1/roles/deployer', headers: admin }), 'role delete');
    } finally {
      await allowAudit(h);
    }
    const roles = (await h.req({ method: 'GET', url: '/api/v1/roles', headers: admin })).json();
    const list = (roles.items ?? roles.roles ?? roles) as { name: string; permissions: string[] }[];
    assert.deepEqual(list.find((r) => r.name === 'deployer')?.permissions, ['deploy:run'], 'the role is as it was');
    assert.ok(!list.some((r) => r.name === 'never-made'));
    const perms = JSON.stringify((await h.req({ method: 'GET', url: '/api/v1/permissions', headers: admin })).json());
    assert.ok(!perms.includes('never:defined'));
    const grants = JSON.stringify((await h.req({ method: 'GET', url: '/api/v1/groups', headers: admin })).json());
    assert.ok(!grants.includes('"ops"'), grants);
  });

  test('a JWT signing key is not rotated without the row: the old key keeps signing, nothing new is published', async () => {
    const kids = async (): Promise<string[]> => (await h.req({ method: 'GET', url: '/.well-known/jwks.json' })).json().keys.map((k: { kid: string }) => k.kid);
    const signingKid = async (): Promise<string> => {
      const r = await h.req({ method: 'POST', url: '/api/v1/auth/jwt', headers: admin, payload: {} });
      assert.equal(r.statusCode, 200, r.body);
      return JSON.parse(Buffer.from((r.json().token as string).split('.')[0]!, 'base64url').toString('utf8')).kid;
    };
    const before = await kids();
    const signing = await signingKid();
    await refuseAudit(h);
    try {
      failed(await h.req({ method: 'POST', url: '/api/v1/auth/jwt/keys/rotate', headers: admin }), 'key rotation');
    } finally {
      await allowAudit(h);
    }
    assert.deepEqual(await kids(), before, 'the published keys are as they were');
    assert.equal(await signingKid(), signing, 'the old key still signs');
    // The keys as stored (files or rows), read afresh: a server started on them signs with the old key too.
    const stored = h.t.config.database_url
      ? sqlJwtKeys((h.t.services.store as SqlStore).db, aesGcmCipher(loadOrCreateKey(h.dir, h.t.config.secret_key)))
      : fileJwtKeys(h.dir);
    const fresh = await jwtSigner(stored, h.clock, { issuer: h.t.config.jwt.issuer, maxTtlSeconds: h.t.config.jwt.max_ttl_seconds });
    assert.deepEqual(fresh.jwks().keys.map((k) => (k as { kid: string }).kid), before);
    const { jwt } = await fresh.sign({ sub: 'x', jti: 'y' } as never, 60);
    assert.equal(JSON.parse(Buffer.from(jwt.split('.')[0]!, 'base64url').toString('utf8')).kid, signing);
    fresh.close();
    const rotated = await h.req({ method: 'POST', url: '/api/v1/auth/jwt/keys/rotate', headers: admin });
    assert.equal(rotated.statusCode, 200, rotated.body);
    const kid = rotated.json().kid as string;
    assert.equal(await signingKid(), kid);
    const row = (await h.t.services.audit.list({ limit: 1000 })).items.find((e) => e.action === 'jwt.key_rotated');
    assert.deepEqual([row?.targetId, (row?.details as { published_kids?: string[] })?.published_kids?.[0]], [kid, kid]);
  });

  test('webhooks are not created, changed or deleted without the row', async () => {
    const made = await h.req({ method: 'POST', url: '/api/v1/webhooks', headers: admin, payload: { url: 'http://127.0.0.1:9/kept', events: ['token.created'] } });
    assert.equal(made.statusCode, 201, made.body);
    const id = made.json().webhook.id as string;
    await refuseAudit(h);
    try {
      failed(await h.req({ method: 'POST', url: '/api/v1/webhooks', headers: admin, payload: { url: 'http://127.0.0.1:9/never', events: ['token.created'] } }), 'webhook create');
      failed(await h.req({ method: 'PATCH', url: `/api/v1/webhooks/${id}`, headers: admin, payload: { url: 'http://127.0.0.1:9/changed', active: false } }), 'webhook update');
      failed(await h.req({ method: 'DELETE', url: `/api/v1/webhooks/${id}`, headers: admin }), 'webhook delete');
    } finally {
      await allowAudit(h);
    }
    const list = JSON.stringify((await h.req({ method: 'GET', url: '/api/v1/webhooks', headers: admin })).json());
    assert.ok(list.includes('/kept') && !list.includes('/never') && !list.includes('/changed'), list);
    const shown = (await h.req({ method: 'GET', url: `/api/v1/webhooks/${id}`, headers: admin })).json();
    assert.equal((shown.webhook ?? shown).active, true);
  });
});
