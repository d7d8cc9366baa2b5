/**
 * Offline JWT checks (sdk/jwt.ts) against a real server's JWKS: a Tessera JWT passes with its claims, a tampered one
 * and one for another issuer do not, and — the documented limit — revoking its parent token does not stop it
 * offline, while the server itself refuses it at once.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createJwtVerifier } from '../../sdk/jwt.js';
import { startSdkServer, type SdkServer } from './server.js';

let s: SdkServer;
before(async () => { s = await startSdkServer(); });
after(async () => { await s.close(); });

test('offline JWT check: valid, tampered, wrong issuer; valid until exp even after the parent is revoked', async () => {
  const t = await s.token({ name: 'jwt-parent', access: 'write' });
  const r = await fetch(`${s.baseUrl}/api/v1/auth/jwt`, { method: 'POST', headers: { authorization: `Bearer ${t.token}`, 'content-type': 'application/json' }, body: '{}' });
  assert.equal(r.status, 200, await r.clone().text());
  const jwt = ((await r.json()) as { jwt?: string; token?: string; access_token?: string });
  const value = jwt.jwt ?? jwt.access_token ?? jwt.token!;
  const check = createJwtVerifier({ baseUrl: s.baseUrl });
  const claims = await check(value);
  assert.equal(claims.access, 'write');
  assert.equal(claims.src_type, 'token');
  assert.equal(claims.src_id, t.id);
  const [h, p, sig] = value.split('.');
  await assert.rejects(check(`${h}.${p}.${sig!.slice(0, -4)}AAAA`));
  await assert.rejects(createJwtVerifier({ baseUrl: s.baseUrl, issuer: 'someone-else' })(value));
  await s.revoke(t.id);
  assert.equal((await check(value)).src_id, t.id, 'offline: still valid until exp (the documented limit)');
  const me = await fetch(`${s.baseUrl}/api/v1/auth/me`, { headers: { authorization: `Bearer ${value}` } });
  assert.equal(me.status, 401, 'the server refuses it at once');
});

test('a key rotation is picked up within seconds, not jose\'s 30: a JWT signed with the new key verifies', async () => {
  const t = await s.token({ name: 'jwt-rotation', access: 'read' });
  const mint = async (): Promise<string> => {
    const r = await fetch(`${s.baseUrl}/api/v1/auth/jwt`, { method: 'POST', headers: { authorization: `Bearer ${t.token}`, 'content-type': 'application/json' }, body: '{}' });
    return ((await r.json()) as { token: string }).token;
  };
  const check = createJwtVerifier({ baseUrl: s.baseUrl });
  await check(await mint()); // the set is fetched and cached
  const rot = await s.h.req({ method: 'POST', url: '/api/v1/auth/jwt/keys/rotate', headers: { cookie: s.h.adminCookie } });
  assert.equal(rot.statusCode, 200, rot.body);
  const fresh = await mint();
  const t0 = Date.now();
  let ok = false;
  while (!ok && Date.now() - t0 < 15_000) {
    try { await check(fresh); ok = true; } catch { await new Promise((r) => setTimeout(r, 100)); }
  }
  assert.ok(ok, 'the new key was fetched');
  // jose's default waits 30 s between fetches; the SDK's 1 s (a generous bound: this is not a timing test).
  assert.ok(Date.now() - t0 < 10_000, `picked up after ${Date.now() - t0} ms`);
});

test('a JWT with a new key met right after the set was fetched verifies at its first check (the check waits out the cooldown)', async () => {
  const t = await s.token({ name: 'jwt-cooldown', access: 'read' });
  const mint = async (): Promise<string> => {
    const r = await fetch(`${s.baseUrl}/api/v1/auth/jwt`, { method: 'POST', headers: { authorization: `Bearer ${t.token}`, 'content-type': 'application/json' }, body: '{}' });
    return ((await r.json()) as { token: string }).token;
  };
  // A long cooldown, so the new key is surely met within it: jose alone would refuse it (ERR_JWKS_NO_MATCHING_KEY).
  const check = createJwtVerifier({ baseUrl: s.baseUrl, jwksCooldownMs: 3000 });
  await check(await mint()); // the set is fetched now
  const rot = await s.h.req({ method: 'POST', url: '/api/v1/auth/jwt/keys/rotate', headers: { cookie: s.h.adminCookie } });
  assert.equal(rot.statusCode, 200, rot.body);
  const fresh = await mint();
  const [a, b] = await Promise.all([check(fresh), check(fresh)]);
  assert.equal(a.src_id, t.id);
  assert.equal(b.src_id, t.id);
  // A key the server never had is still refused, after one more wait.
  const [h, p, sig] = fresh.split('.');
  const header = JSON.parse(Buffer.from(h!, 'base64url').toString()) as Record<string, unknown>;
  const forged = `${Buffer.from(JSON.stringify({ ...header, kid: 'no-such-key' })).toString('base64url')}.${p}.${sig}`;
  await assert.rejects(check(forged), (e: Error & { code?: string }) => e.code === 'ERR_JWKS_NO_MATCHING_KEY');
});
