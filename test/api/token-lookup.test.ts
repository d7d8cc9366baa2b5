/**
 * Issue 17: values without the Tessera prefix are looked up by their hash on every face — tokens of the uuid and
 * filebin formats, and values of any shape stored by hash (as an import stores them: a Query JWT, a Semaphore token).
 * A Tessera-prefixed value with a bad checksum is still refused without a lookup; the secret filter and the negative
 * cache guard the lookup of every other value.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { hashValue, newId, randomUuid } from '../../src/core/tokens/format.js';
import { cryptoRandom } from '../../src/infra/system.js';
import { bearer, type Harness, startHarness } from '../helpers.js';
import { createToken, expectError } from './support.js';

const random = cryptoRandom();
const form = { 'content-type': 'application/x-www-form-urlencoded' };
/** A Query token (HS256 JWT, iss "token"), shaped like Query's own (reference §4.1); signed with a key Tessera never sees. */
const QUERY_JWT = `${Buffer.from('{"alg":"HS256","typ":"JWT"}').toString('base64url')}.${Buffer.from('{"sub":"5f0c","exp":1893456000,"iat":1700000000,"iss":"token"}').toString('base64url')}.dGhpcy1pcy1ub3QtdGVzc2VyYXMtc2lnbmF0dXJl`;
/** A Semaphore token: lower-cased base64url of 32 bytes (reference §3.2). */
const SEMAPHORE = 'kwofd61g93-yuqvex8efmhjkgnbxlo8mp1tin6spyhu=';

let h: Harness;
let admin: string;
before(async () => {
  h = await startHarness({ log_level: 'warn' });
  admin = (await h.adminToken({ name: 'lookup-admin' })).token;
});
after(async () => { await h.close(); });

/** Stores a token for `value` by its hash only, the way an import does; full access, owned by the admin. */
const storeByHash = async (value: string, name: string): Promise<string> => {
  const id = newId(random, 'tok');
  await h.t.services.store.createToken({
    id, hash: hashValue(value), kind: 'personal', ownerId: 1, name, comment: '', access: 'full', prefix: value.slice(0, 8),
    metadata: null, active: true, recoverable: false, secretEnc: null, expiresAt: null, createdAt: h.clock.now(),
  });
  h.t.services.verifier.invalidateHash(hashValue(value));
  return id;
};
const verify = async (token: string): Promise<string> =>
  (await h.req({ method: 'POST', url: '/api/v1/verify', headers: bearer(admin), payload: { token } })).json().code;

describe('values of any shape, stored by hash', () => {
  test('a Query JWT and a Semaphore token verify on verify, a route, forward-auth, introspection and Semaphore\'s own route', async () => {
    for (const [value, name] of [[QUERY_JWT, 'from-query'], [SEMAPHORE, 'from-semaphore']] as const) {
      await storeByHash(value, name);
      assert.equal(await verify(value), 'VALID', name);
      const me = await h.req({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(value) });
      assert.equal(me.statusCode, 200, me.body);
      assert.equal((await h.req({ method: 'GET', url: '/api/v1/auth/forward', headers: bearer(value) })).statusCode, 204);
      assert.equal((await h.req({ method: 'GET', url: '/api/user/tokens', headers: bearer(value) })).statusCode, 200);
      const intro = await h.req({ method: 'POST', url: '/api/v1/introspect', headers: { ...bearer(admin), ...form }, payload: `token=${encodeURIComponent(value)}` });
      assert.equal(intro.json().active, true, intro.body);
    }
  });

  test('a JWT with Tessera\'s iss is checked as Tessera\'s JWT (a forged one is refused), not looked up', async () => {
    const forged = `${Buffer.from('{"alg":"ES256","typ":"JWT"}').toString('base64url')}.${Buffer.from('{"sub":"1","iss":"tessera","access":"full","src_type":"user","src_id":"1","jti":"x"}').toString('base64url')}.Zm9yZ2Vk`;
    await storeByHash(forged, 'never-reached');
    expectError(await h.req({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(forged) }), 401, 'TOKEN_NOT_FOUND');
    assert.equal(await verify(forged), 'NOT_FOUND');
  });

  test('revoke by value works for a value of another format', async () => {
    const value = randomUuid(random);
    await storeByHash(value, 'revoke-me');
    const r = await h.req({ method: 'POST', url: '/api/v1/tokens/revoke-by-value', payload: { token: value } });
    assert.equal(r.statusCode, 202, r.body);
    assert.equal(await verify(value), 'REVOKED');
  });
});

describe('what is looked up', () => {
  test('a bad checksum after the prefix, an empty or unprintable value: MALFORMED without a lookup; any other value: one lookup, then the negative cache', async () => {
    const store = h.t.services.store;
    const real = store.findBySecretHash.bind(store);
    let lookups = 0;
    store.findBySecretHash = async (hash: string) => { lookups++; return real(hash); };
    // SQLite also reads at once when it can (`false`, "ask findBySecretHash", is not a read).
    const realNow = store.findBySecretHashNow;
    if (realNow) store.findBySecretHashNow = (hash: string) => { const r = realNow.call(store, hash); if (r !== false) lookups++; return r; };
    const may = store.mayHaveSecret;
    try {
      await verify(admin); // the caller is cached
      const t = await createToken(h, { cookie: h.adminCookie }, { name: 'checksummed' });
      lookups = 0;
      for (const bad of [t.token.slice(0, -1) + (t.token.endsWith('A') ? 'B' : 'A'), 'tsr_abc', 'bell\u0007']) assert.equal(await verify(bad), 'MALFORMED');
      assert.equal(lookups, 0);
      // The SQLite filter refuses an unknown UUID without a lookup once it is built; PostgreSQL has none.
      const filter = (store as { secrets?: { settled(): Promise<void> } }).secrets;
      if (filter) {
        await filter.settled();
        assert.equal(await verify(randomUuid(random)), 'NOT_FOUND');
        assert.equal(lookups, 0, 'the secret filter refused it');
      }
      store.mayHaveSecret = () => true; // as a store without a filter (or a filter that cannot tell)
      for (const unknown of [randomUuid(random), 'not-a-tessera-token', `${QUERY_JWT.slice(0, -4)}AAAA`]) {
        lookups = 0;
        assert.equal(await verify(unknown), 'NOT_FOUND');
        assert.equal(await verify(unknown), 'NOT_FOUND');
        assert.equal(lookups, 1, `one lookup for ${unknown.slice(0, 12)}…, then the negative cache`);
      }
    } finally {
      store.findBySecretHash = real;
      if (realNow) store.findBySecretHashNow = realNow;
      if (may) store.mayHaveSecret = may; else delete store.mayHaveSecret;
    }
  });
});
