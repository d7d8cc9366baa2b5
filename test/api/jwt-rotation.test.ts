/**
 * Rotating the JWT signing key (admins): POST /api/v1/auth/jwt/keys/rotate. A new key signs from then on; JWTs the
 * old key signed keep working, and its public key stays in the JWKS, until they expire. Another node sharing the keys
 * (same data directory here, same database on PostgreSQL) picks the new key up on its next re-read.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { JwtKeyStore } from '../../src/core/ports.js';
import { aesGcmCipher, loadOrCreateKey } from '../../src/infra/cipher.js';
import { fileJwtKeys, jwtSigner } from '../../src/infra/jwt.js';
import { sqlJwtKeys } from '../../src/store/postgres/jwt-keys.js';
import type { SqlStore } from '../../src/store/sql-store.js';
import { bearer, type Harness, startHarness } from '../helpers.js';
import { expectError, lastAuditId } from './support.js';

const ROTATE = '/api/v1/auth/jwt/keys/rotate';

let h: Harness;
before(async () => { h = await startHarness(); });
after(async () => { await h.close(); });

const kidOf = (jwt: string): string => JSON.parse(Buffer.from(jwt.split('.')[0]!, 'base64url').toString('utf8')).kid;
const issue = async (headers: Record<string, string>): Promise<string> => {
  const r = await h.req({ method: 'POST', url: '/api/v1/auth/jwt', headers, payload: {} });
  assert.equal(r.statusCode, 200, r.body);
  return r.json().token;
};
const published = async (): Promise<string[]> => {
  const r = await h.req({ method: 'GET', url: '/.well-known/jwks.json' });
  assert.equal(r.statusCode, 200);
  return r.json().keys.map((k: { kid: string }) => k.kid);
};
const me = (jwt: string) => h.req({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(jwt) });
const rotate = (headers: Record<string, string>) => h.req({ method: 'POST', url: ROTATE, headers });
/** The key store of this harness, as another node sharing it would see it. */
const sharedKeys = (): JwtKeyStore => (h.t.config.database_url
  ? sqlJwtKeys((h.t.services.store as SqlStore).db, aesGcmCipher(loadOrCreateKey(h.dir, h.t.config.secret_key)))
  : fileJwtKeys(h.dir));

describe('JWT signing-key rotation', () => {
  test('an admin rotates: a new kid signs, and JWTs signed before still verify until they expire', async () => {
    const before = await issue({ cookie: h.adminCookie });
    const oldKid = kidOf(before);
    assert.deepEqual(await published(), [oldKid]);

    const r = await rotate({ cookie: h.adminCookie });
    assert.equal(r.statusCode, 200, r.body);
    const body = r.json() as { kid: string; published_kids: string[] };
    assert.deepEqual(Object.keys(body).sort(), ['kid', 'published_kids']);
    assert.notEqual(body.kid, oldKid);
    assert.deepEqual(body.published_kids, [body.kid, oldKid]);
    assert.deepEqual((await published()).sort(), [body.kid, oldKid].sort(), 'the JWKS has the new key and still the old one');

    // The JWT from before: accepted by Tessera as a credential, and its kid is still published.
    const still = await me(before);
    assert.equal(still.statusCode, 200, still.body);
    assert.equal(still.json().credential.jwt, true);
    assert.ok((await published()).includes(kidOf(before)));

    const after = await issue({ cookie: h.adminCookie });
    assert.equal(kidOf(after), body.kid, 'a JWT issued after the rotation carries the new kid');
    assert.equal((await me(after)).statusCode, 200);

    // An admin's token (and a JWT derived from it) may rotate too; each rotation retires the previous key.
    const token = await h.adminToken({ name: 'rotator' });
    const again = await rotate(bearer(token.token));
    assert.equal(again.statusCode, 200, again.body);
    assert.deepEqual(again.json().published_kids.slice().sort(), [again.json().kid, body.kid, oldKid].sort());
    const viaJwt = await rotate(bearer(await issue(bearer(token.token))));
    assert.equal(viaJwt.statusCode, 200, viaJwt.body);
    assert.equal((await me(before)).statusCode, 200, 'still valid after two more rotations');

    // Once the old JWT has expired, it is refused like any expired JWT.
    h.clock.advance(901_000);
    assert.equal((await me(before)).statusCode, 401);
  });

  test('a non-admin gets 403 FORBIDDEN, a read credential 403 INSUFFICIENT_ACCESS, no credential 401; nothing changes', async () => {
    const u = await h.createUser('rotation-user');
    const read = await h.adminToken({ name: 'rotation-read', access: 'read' });
    const keys = await published();
    const audit = await lastAuditId(h);
    expectError(await rotate({ cookie: u.cookie }), 403, 'FORBIDDEN', /admin/);
    expectError(await rotate(bearer(u.token)), 403, 'FORBIDDEN');
    expectError(await rotate(bearer(read.token)), 403, 'INSUFFICIENT_ACCESS');
    expectError(await rotate({}), 401, 'UNAUTHENTICATED');
    assert.deepEqual(await published(), keys, 'no key was made');
    assert.equal(await lastAuditId(h), audit, 'a refused rotation records nothing');
  });

  test('the rotation is audited with key ids only, never key material', async () => {
    const r = await rotate({ cookie: h.adminCookie });
    assert.equal(r.statusCode, 200);
    const { kid } = r.json();
    const a = await h.req({ method: 'GET', url: '/api/v1/audit?action=jwt.key_rotated', headers: { cookie: h.adminCookie } });
    assert.equal(a.statusCode, 200);
    const event = a.json().items.find((e: { target: { id: string } | null }) => e.target?.id === kid);
    assert.ok(event, a.body);
    assert.equal(event.action, 'jwt.key_rotated');
    assert.deepEqual(event.target, { type: 'jwt_key', id: kid });
    assert.equal(event.actor.name, 'admin');
    assert.deepEqual(Object.keys(event.details).sort(), ['kid', 'published_kids']);
    assert.equal(event.details.kid, kid);
    assert.deepEqual(event.details.published_kids, r.json().published_kids);
    // No private (or public) key part anywhere: neither in the audit log nor in the answer.
    const keys = await sharedKeys().list();
    assert.ok(keys.length >= 2);
    for (const k of keys) {
      const { d, x, y } = JSON.parse(k.privateJwk) as { d: string; x: string; y: string };
      for (const part of [d, x, y]) {
        assert.ok(!a.body.includes(part), 'the audit log holds no key material');
        assert.ok(!r.body.includes(part), 'the answer holds no key material');
      }
    }
  });

  test('another node sharing the keys signs with the new key after its next re-read, and accepts the old one', async () => {
    const other = await jwtSigner(sharedKeys(), h.clock, { issuer: h.t.config.jwt.issuer, maxTtlSeconds: h.t.config.jwt.max_ttl_seconds, refreshMs: 50 });
    try {
      const claims = { sub: '1', jti: 'jwt_other', access: 'full', src_type: 'user' as const, src_id: '1', name: 'admin' };
      const fromOtherBefore = (await other.sign(claims, 600)).jwt;
      const oldKid = kidOf(fromOtherBefore);
      const fromHereBefore = await issue({ cookie: h.adminCookie });
      assert.equal(kidOf(fromHereBefore), oldKid, 'both nodes sign with the same key');

      const r = await rotate({ cookie: h.adminCookie });
      assert.equal(r.statusCode, 200);
      const newKid: string = r.json().kid;

      // The other node's refresh timer picks the rotation up without being asked.
      const deadline = Date.now() + 5000;
      let kid = oldKid;
      while (kid !== newKid && Date.now() < deadline) {
        await new Promise((done) => setTimeout(done, 25));
        kid = kidOf((await other.sign(claims, 60)).jwt);
      }
      assert.equal(kid, newKid, 'the other node signs with the new key');
      assert.ok(other.jwks().keys.some((k) => (k as { kid: string }).kid === newKid), 'and publishes it');

      // Both old JWTs still verify on both nodes; the other node's new JWT is accepted here.
      assert.equal((await other.verify(fromHereBefore))?.sub, '1');
      assert.equal((await other.verify(fromOtherBefore))?.sub, '1');
      assert.equal((await me(fromOtherBefore)).statusCode, 200);
      assert.equal((await me((await other.sign(claims, 60)).jwt)).statusCode, 200);
    } finally {
      other.close();
    }
  });
});
