/**
 * Two real `tessera serve` processes on one PostgreSQL database: what one node changes, the other enforces at once.
 * Each node keeps a verification cache with the default 60 s lifetime, so a refusal on B within the polling window
 * can only come from the change feed (LISTEN/NOTIFY), not from the cache running out. The delays are printed.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { pgAdmin } from '../services.js';
import { bearer, type Cluster, needPostgres, pollUntil, startCluster } from './support.js';

const report = (what: string, ms: number): void => { console.log(`  propagation delay (${what}): ${ms.toFixed(1)} ms`); };

if (await needPostgres('multi-node revocation')) {
  describe('two nodes on one PostgreSQL database', () => {
    let c: Cluster;
    let adminA: string;
    before(async () => {
      c = await startCluster(); // both nodes start at the same moment on an empty schema
      adminA = await c.login(c.a);
    });
    after(async () => { await c?.close(); });

    test('both nodes started together on an empty schema: each migration ran once, one admin, one JWT key', async () => {
      for (const n of c.nodes) assert.equal((await n.req('GET', '/readyz')).status, 200, `${n.name} is ready`);
      const migrations = await pgAdmin<{ name: string }>(`select name from ${c.schema.name}.kysely_migration order by name`);
      assert.ok(migrations.length >= 1);
      assert.equal(new Set(migrations.map((m) => m.name)).size, migrations.length, 'no migration recorded twice');
      assert.equal((await pgAdmin(`select id from ${c.schema.name}.users where username = 'admin'`)).length, 1);
      assert.equal((await pgAdmin(`select kid from ${c.schema.name}.jwt_keys`)).length, 1, 'one shared signing key');
      const [ja, jb] = await Promise.all([c.a.req('GET', '/.well-known/jwks.json'), c.b.req('GET', '/.well-known/jwks.json')]);
      assert.deepEqual(ja.body, jb.body, 'both nodes publish the same JWKS');
      // The private key is stored encrypted, never as a JWK in the clear.
      const [row] = await pgAdmin<{ private_enc: string }>(`select private_enc from ${c.schema.name}.jwt_keys`);
      assert.match(row!.private_enc, /^v1\./);
      assert.ok(!row!.private_enc.includes('"d"'));
    });

    test('a token created on A verifies on B; revoked on A, refused on B', async () => {
      const created = await c.a.req('POST', '/api/v1/tokens', { headers: { cookie: adminA }, body: { name: 'cross', access: 'full' } });
      assert.equal(created.status, 201);
      const { id, token } = created.body;
      for (let i = 0; i < 3; i++) assert.equal((await c.b.req('GET', '/api/v1/auth/me', { headers: bearer(token) })).status, 200);
      assert.equal((await c.a.req('DELETE', `/api/v1/tokens/${id}`, { headers: { cookie: adminA } })).status, 200);
      const ms = await pollUntil(async () => (await c.b.req('GET', '/api/v1/auth/me', { headers: bearer(token) })).status === 401);
      report('revoke', ms);
      const r = await c.b.req('GET', '/api/v1/auth/me', { headers: bearer(token) });
      assert.equal(r.body.error.code, 'TOKEN_REVOKED');
    });

    test('a JWT issued on A works on B, and is refused on B once its parent token is revoked on A', async () => {
      const { id, token } = (await c.a.req('POST', '/api/v1/tokens', { headers: { cookie: adminA }, body: { access: 'write' } })).body;
      const issued = await c.a.req('POST', '/api/v1/auth/jwt', { headers: bearer(token), body: {} });
      assert.equal(issued.status, 200);
      const jwt = issued.body.token as string;
      for (let i = 0; i < 3; i++) {
        const me = await c.b.req('GET', '/api/v1/auth/me', { headers: bearer(jwt) });
        assert.equal(me.status, 200, JSON.stringify(me.body));
      }
      // And the other way round: a JWT signed by B verifies on A (one shared key).
      const fromB = (await c.b.req('POST', '/api/v1/auth/jwt', { headers: bearer(token), body: {} })).body.token as string;
      assert.equal((await c.a.req('GET', '/api/v1/auth/me', { headers: bearer(fromB) })).status, 200);
      assert.equal((await c.a.req('DELETE', `/api/v1/tokens/${id}`, { headers: { cookie: adminA } })).status, 200);
      const ms = await pollUntil(async () => (await c.b.req('GET', '/api/v1/auth/me', { headers: bearer(jwt) })).status === 401);
      report('JWT parent revoked', ms);
      assert.equal((await c.b.req('GET', '/api/v1/auth/me', { headers: bearer(jwt) })).body.error.code, 'TOKEN_REVOKED');
      assert.equal((await c.b.req('GET', '/api/v1/auth/me', { headers: bearer(fromB) })).status, 401);
    });

    test('deactivated on A → refused on B; reactivated on A → accepted on B', async () => {
      const { id, token } = (await c.a.req('POST', '/api/v1/tokens', { headers: { cookie: adminA }, body: { access: 'read' } })).body;
      assert.equal((await c.b.req('GET', '/api/v1/auth/me', { headers: bearer(token) })).status, 200);
      assert.equal((await c.a.req('PATCH', `/api/v1/tokens/${id}`, { headers: { cookie: adminA }, body: { active: false } })).status, 200);
      report('deactivate', await pollUntil(async () => (await c.b.req('GET', '/api/v1/auth/me', { headers: bearer(token) })).status === 401));
      assert.equal((await c.b.req('GET', '/api/v1/auth/me', { headers: bearer(token) })).body.error.code, 'TOKEN_DISABLED');
      assert.equal((await c.a.req('PATCH', `/api/v1/tokens/${id}`, { headers: { cookie: adminA }, body: { active: true } })).status, 200);
      await pollUntil(async () => (await c.b.req('GET', '/api/v1/auth/me', { headers: bearer(token) })).status === 200);
    });

    test('rotated on A without grace → the old value is refused on B, the new one accepted', async () => {
      const { id, token } = (await c.a.req('POST', '/api/v1/tokens', { headers: { cookie: adminA }, body: { access: 'read' } })).body;
      assert.equal((await c.b.req('GET', '/api/v1/auth/me', { headers: bearer(token) })).status, 200);
      const rotated = await c.a.req('POST', `/api/v1/tokens/${id}/rotate`, { headers: { cookie: adminA }, body: {} });
      assert.equal(rotated.status, 200);
      report('rotate', await pollUntil(async () => (await c.b.req('GET', '/api/v1/auth/me', { headers: bearer(token) })).status === 401));
      assert.equal((await c.b.req('GET', '/api/v1/auth/me', { headers: bearer(rotated.body.token) })).status, 200);
    });

    test('expiry moved closer on A → B applies the new expiry at once, not its cached row', async () => {
      // Expiries in the past are refused (VALIDATION_ERROR), so the new expiry is 3 s ahead. B caches the token's row
      // (no expiry) first; with a 60 s cache lifetime only the change feed can make B see the new expiry.
      const { id, token } = (await c.a.req('POST', '/api/v1/tokens', { headers: { cookie: adminA }, body: { access: 'read' } })).body;
      const caller = bearer((await c.a.req('POST', '/api/v1/tokens', { headers: { cookie: adminA }, body: { access: 'read' } })).body.token);
      const seenByB = async (): Promise<any> => {
        const r = await c.b.req('POST', '/api/v1/verify', { headers: caller, body: { token } });
        assert.equal(r.status, 200, JSON.stringify(r.body));
        return r.body;
      };
      assert.equal((await c.b.req('GET', '/api/v1/auth/me', { headers: bearer(token) })).status, 200);
      const cached = await seenByB();
      assert.equal(cached.valid, true);
      assert.equal(cached.token.expires_at, null);

      const expiresAt = Date.now() + 3000;
      const iso = new Date(expiresAt).toISOString();
      const patched = await c.a.req('PATCH', `/api/v1/tokens/${id}`, { headers: { cookie: adminA }, body: { expires_at: iso } });
      assert.equal(patched.status, 200, JSON.stringify(patched.body));
      // B's verifier answers with the row it holds: the new expiry shows there as soon as the change has arrived.
      report('expiry change', await pollUntil(async () => (await seenByB()).token.expires_at === iso));
      const still = await c.b.req('GET', '/api/v1/auth/me', { headers: bearer(token) });
      // Answered before the new expiry, so the server checked before it too: the token is still good.
      if (Date.now() < expiresAt) assert.equal(still.status, 200, JSON.stringify(still.body));

      // Once the new expiry passes, B refuses at once (its cached row would have said "never expires" for 60 s).
      await new Promise((r) => setTimeout(r, Math.max(0, expiresAt - Date.now())));
      report('new expiry passed → refused', await pollUntil(async () => (await c.b.req('GET', '/api/v1/auth/me', { headers: bearer(token) })).status === 401));
      assert.equal((await c.b.req('GET', '/api/v1/auth/me', { headers: bearer(token) })).body.error.code, 'TOKEN_EXPIRED');
      const expired = await seenByB();
      assert.equal(expired.valid, false);
      assert.equal(expired.code, 'EXPIRED');
    });

    test('a user disabled on A → their token is refused on B', async () => {
      const u = await c.a.req('POST', '/api/v1/users', { headers: { cookie: adminA }, body: { username: 'carol', password: 'carol-password-1', role: 'user' } });
      assert.equal(u.status, 201);
      const carol = await c.login(c.a, 'carol', 'carol-password-1');
      const { token } = (await c.a.req('POST', '/api/v1/tokens', { headers: { cookie: carol }, body: { access: 'read' } })).body;
      assert.equal((await c.b.req('GET', '/api/v1/auth/me', { headers: bearer(token) })).status, 200);
      assert.equal((await c.a.req('PATCH', `/api/v1/users/${u.body.id}`, { headers: { cookie: adminA }, body: { disabled: true } })).status, 200);
      report('user disabled', await pollUntil(async () => (await c.b.req('GET', '/api/v1/auth/me', { headers: bearer(token) })).status === 401));
      assert.equal((await c.b.req('GET', '/api/v1/auth/me', { headers: bearer(token) })).body.error.code, 'TOKEN_DISABLED');
    });

    test('nodes stop cleanly (exit code 0) and leave no connection behind', async () => {
      const extra = await c.start({ name: 'c' });
      assert.equal((await extra.req('GET', '/readyz')).status, 200);
      assert.equal(await extra.stop(), 0);
      const left = await pgAdmin('select pid from pg_stat_activity where application_name = $1', [extra.appName]);
      assert.equal(left.length, 0);
    });
  });
}
