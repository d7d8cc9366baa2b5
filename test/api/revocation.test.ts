/**
 * Revoking in a hurry (issue 16): by value with no credential (the same answer for any value; rate-limited), and in
 * bulk by a filter, where the dry run lists exactly what the real run revokes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { bearer, type Harness, startHarness } from '../helpers.js';
import { expectError } from './support.js';

let h: Harness;
let admin: Record<string, string>;
before(async () => { h = await startHarness(); admin = { cookie: h.adminCookie }; });
after(async () => { await h.close(); });

const byValue = (token: string, ip = '198.51.100.7') => h.req({ method: 'POST', url: '/api/v1/tokens/revoke-by-value', payload: { token }, remoteAddress: ip });

describe('POST /api/v1/tokens/revoke-by-value', () => {
  test('anyone holding a value revokes it; the answer is the same for any value', async () => {
    const t = await h.adminToken({ name: 'found-on-a-pastebin' });
    const known = await byValue(t.token);
    assert.equal(known.statusCode, 202, known.body);
    expectError(await h.req({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(t.token) }), 401, 'TOKEN_REVOKED');
    for (const other of [t.token, 'tsr_unknownvalue', 'garbage']) {
      const r = await byValue(other);
      assert.deepEqual([r.statusCode, r.body], [known.statusCode, known.body], other);
    }
    const audit = (await h.req({ method: 'GET', url: `/api/v1/audit?action=token.revoke`, headers: admin })).json().items;
    assert.deepEqual(audit.filter((e: { target: { id: string } }) => e.target.id === t.id).map((e: { details: unknown }) => e.details), [{ via: 'value' }]);
  });

  test('rate-limited per address: 429 with Retry-After', async () => {
    let last = await byValue('tsr_x', '203.0.113.9');
    for (let i = 0; i < 40 && last.statusCode === 202; i++) last = await byValue('tsr_x', '203.0.113.9');
    expectError(last, 429, 'RATE_LIMITED');
    assert.ok(Number(last.headers['retry-after']) >= 1);
    assert.equal((await byValue('tsr_x', '203.0.113.10')).statusCode, 202, 'another address is not limited');
  });
});

describe('POST /api/v1/tokens/revoke (bulk)', () => {
  test('the dry run lists exactly what the real run revokes; other tokens keep working', async () => {
    const ci = [await h.adminToken({ name: 'ci-1' }), await h.adminToken({ name: 'ci-2' })];
    const keep = await h.adminToken({ name: 'deploy-1' });
    const dry = await h.req({ method: 'POST', url: '/api/v1/tokens/revoke', headers: admin, payload: { name_prefix: 'ci-', dry_run: true } });
    assert.equal(dry.statusCode, 200, dry.body);
    assert.deepEqual(dry.json().tokens.map((t: { id: string }) => t.id).sort(), ci.map((t) => t.id).sort());
    for (const t of ci) assert.equal((await h.req({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(t.token) })).statusCode, 200, 'a dry run changes nothing');
    const real = await h.req({ method: 'POST', url: '/api/v1/tokens/revoke', headers: admin, payload: { name_prefix: 'ci-' } });
    assert.deepEqual([real.json().count, real.json().tokens], [dry.json().count, dry.json().tokens]);
    for (const t of ci) expectError(await h.req({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(t.token) }), 401, 'TOKEN_REVOKED');
    assert.equal((await h.req({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(keep.token) })).statusCode, 200);
  });

  test('by owner and by permission; admins only; a filter is required', async () => {
    const bo = await h.createUser('bo');
    const p = await h.req({ method: 'POST', url: '/api/v1/tokens', headers: admin, payload: { kind: 'service', name: 'svc-deploy', permissions: ['deploy:write'] } });
    const byPerm = (await h.req({ method: 'POST', url: '/api/v1/tokens/revoke', headers: admin, payload: { permission: 'deploy:write', dry_run: true } })).json();
    assert.deepEqual(byPerm.tokens.map((t: { id: string }) => t.id), [p.json().id]);
    const byOwner = (await h.req({ method: 'POST', url: '/api/v1/tokens/revoke', headers: admin, payload: { owner: 'bo', dry_run: true } })).json();
    assert.deepEqual(byOwner.tokens.map((t: { id: string }) => t.id), [bo.tokenId]);
    expectError(await h.req({ method: 'POST', url: '/api/v1/tokens/revoke', headers: bearer(bo.token), payload: { owner: 'bo' } }), 403, 'FORBIDDEN');
    expectError(await h.req({ method: 'POST', url: '/api/v1/tokens/revoke', headers: admin, payload: {} }), 400, 'VALIDATION_ERROR');
    expectError(await h.req({ method: 'POST', url: '/api/v1/tokens/revoke', headers: admin, payload: { owner: 'nobody' } }), 400, 'VALIDATION_ERROR');
  });
});
