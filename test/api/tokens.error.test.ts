/**
 * Refused token requests: each bad field gets 400 VALIDATION_ERROR with a message naming it, conflicts get 409, unknown
 * ids 404, and nothing is written when a request is refused.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Harness, startHarness } from '../helpers.js';
import { createToken, expectError, lastAuditId } from './support.js';

let h: Harness;
let admin: Record<string, string>;
let tokenId: string;
before(async () => {
  h = await startHarness();
  admin = { cookie: h.adminCookie };
  tokenId = (await createToken(h, admin, { name: 'target' })).id;
});
after(async () => { await h.close(); });

const countTokens = async () => (await h.t.services.store.listTokens({ now: h.clock.now(), limit: 1000 })).items.length;

/** Sends a bad request and checks the 4xx, the code, the field named in the message, and that nothing changed. */
const refused = async (method: 'POST' | 'PATCH', url: string, payload: unknown, status: number, code: string, names: RegExp) => {
  const [tokens, audit] = [await countTokens(), await lastAuditId(h)];
  const r = await h.req({ method, url, headers: admin, payload: payload as Record<string, unknown> });
  expectError(r, status, code, names);
  assert.equal(await countTokens(), tokens, 'no token was written');
  assert.equal(await lastAuditId(h), audit, 'nothing was audited');
};

describe('POST /api/v1/tokens', () => {
  const create = (payload: unknown, status: number, code: string, names: RegExp) => refused('POST', '/api/v1/tokens', payload, status, code, names);

  test('comment over 255 characters → 400 naming comment; 255 is fine', async () => {
    await create({ comment: 'c'.repeat(256) }, 400, 'VALIDATION_ERROR', /comment/);
    await createToken(h, admin, { comment: 'c'.repeat(255) });
  });
  test('wrong types are refused, never coerced', async () => {
    await create({ name: 123 }, 400, 'VALIDATION_ERROR', /name.*string/);
    await create({ access: 'admin' }, 400, 'VALIDATION_ERROR', /access/);
    await create({ active: 'true' }, 400, 'VALIDATION_ERROR', /active.*boolean/);
    await create({ expires_in: '60' }, 400, 'VALIDATION_ERROR', /expires_in.*integer/);
    await create({ expires_in: 1.5 }, 400, 'VALIDATION_ERROR', /expires_in/);
    await create({ expires_in: 0 }, 400, 'VALIDATION_ERROR', /expires_in/);
    await create({ metadata: [1, 2] }, 400, 'VALIDATION_ERROR', /metadata/);
    await create({ metadata: 'x' }, 400, 'VALIDATION_ERROR', /metadata/);
    await create({ recoverable: 1 }, 400, 'VALIDATION_ERROR', /recoverable/);
  });
  test('unknown field → 400 naming it', async () => {
    await create({ name: 'x', scopes: ['a'] }, 400, 'VALIDATION_ERROR', /scopes/);
  });
  test('expires_at in the past, now, or not a date → 400 naming expires_at', async () => {
    await create({ expires_at: new Date(h.clock.now() - 1000).toISOString() }, 400, 'VALIDATION_ERROR', /expires_at/);
    await create({ expires_at: new Date(h.clock.now()).toISOString() }, 400, 'VALIDATION_ERROR', /expires_at/);
    await create({ expires_at: 'tomorrow' }, 400, 'VALIDATION_ERROR', /expires_at/);
    await create({ expires_at: new Date(h.clock.now() + 60_000).toISOString(), expires_in: 60 }, 400, 'VALIDATION_ERROR', /expires_in/);
  });
  test('an expiry that cannot be written back as a date → 400, not a 500 after the token was stored', async () => {
    await create({ expires_in: 1e15 }, 400, 'VALIDATION_ERROR', /expires_in/);
    await create({ expires_in: Number.MAX_SAFE_INTEGER }, 400, 'VALIDATION_ERROR', /expires_in/);
    await create({ expires_at: '2099-12-31T23:59:60Z' }, 400, 'VALIDATION_ERROR', /expires_at/); // a leap second: passes the format, is no time
    const { body } = await createToken(h, admin, { expires_at: '9999-12-31T23:59:59Z' });
    assert.equal(body.expires_at, '9999-12-31T23:59:59.000Z');
  });
  test('metadata over 4 KiB → 400 naming metadata; just under is fine', async () => {
    await create({ metadata: { blob: 'x'.repeat(4096) } }, 400, 'VALIDATION_ERROR', /metadata/);
    await createToken(h, admin, { metadata: { blob: 'x'.repeat(4000) } });
  });
  test('name over 100 characters → 400 naming name', async () => {
    await create({ name: 'n'.repeat(101) }, 400, 'VALIDATION_ERROR', /name/);
  });
  test('service tokens need a name', async () => {
    await create({ kind: 'service' }, 400, 'VALIDATION_ERROR', /name/);
    await create({ kind: 'service', name: '   ' }, 400, 'VALIDATION_ERROR', /name/);
  });
  test('a second live token with the same name → 409 CONFLICT, names are trimmed', async () => {
    await create({ name: 'target' }, 409, 'CONFLICT', /target/);
    await create({ name: '  target ' }, 409, 'CONFLICT', /target/);
  });
  test('the body must be a JSON object', async () => {
    await create([{ name: 'x' }], 400, 'VALIDATION_ERROR', /body/);
    const r = await h.req({ method: 'POST', url: '/api/v1/tokens', headers: { ...admin, 'content-type': 'application/json' }, payload: '"name"' });
    expectError(r, 400, 'VALIDATION_ERROR', /body/);
  });
});

describe('PATCH /api/v1/tokens/{id}', () => {
  const patch = (payload: unknown, status: number, code: string, names: RegExp) => refused('PATCH', `/api/v1/tokens/${tokenId}`, payload, status, code, names);
  test('an empty patch → 400', async () => { await patch({}, 400, 'VALIDATION_ERROR', /body/); });
  test('bad fields → 400 naming them', async () => {
    await patch({ comment: 'c'.repeat(256) }, 400, 'VALIDATION_ERROR', /comment/);
    await patch({ access: 'root' }, 400, 'VALIDATION_ERROR', /access/);
    await patch({ active: 0 }, 400, 'VALIDATION_ERROR', /active/);
    await patch({ expires_at: new Date(h.clock.now() - 1).toISOString() }, 400, 'VALIDATION_ERROR', /expires_at/);
    await patch({ expires_at: '2099-06-30T23:59:60Z' }, 400, 'VALIDATION_ERROR', /expires_at/);
    await patch({ metadata: { blob: 'x'.repeat(5000) } }, 400, 'VALIDATION_ERROR', /metadata/);
    await patch({ owner: 2 }, 400, 'VALIDATION_ERROR', /owner/);
    await patch({ kind: 'service' }, 400, 'VALIDATION_ERROR', /kind/);
  });
  test('an unknown id → 404 NOT_FOUND', async () => {
    await refused('PATCH', '/api/v1/tokens/tok_doesnotexist0000', { comment: 'x' }, 404, 'NOT_FOUND', /tok_doesnotexist0000/);
  });
});

describe('other token routes', () => {
  test('unknown ids → 404 NOT_FOUND on show, revoke, purge, rotate and reveal', async () => {
    for (const [method, url] of [['GET', '/api/v1/tokens/tok_nope'], ['DELETE', '/api/v1/tokens/tok_nope'], ['DELETE', '/api/v1/tokens/tok_nope?purge=true'],
      ['POST', '/api/v1/tokens/tok_nope/rotate'], ['GET', '/api/v1/tokens/tok_nope/value']] as const) {
      expectError(await h.req({ method, url, headers: admin }), 404, 'NOT_FOUND', /tok_nope/);
    }
  });
  test('an over-long id → 400 naming id', async () => {
    expectError(await h.req({ method: 'GET', url: `/api/v1/tokens/${'x'.repeat(65)}`, headers: admin }), 400, 'VALIDATION_ERROR', /id/);
  });
  test('rotate: grace_seconds out of range or of the wrong type → 400 naming grace_seconds', async () => {
    const url = `/api/v1/tokens/${tokenId}/rotate`;
    await refused('POST', url, { grace_seconds: -1 }, 400, 'VALIDATION_ERROR', /grace_seconds/);
    await refused('POST', url, { grace_seconds: 30 * 86400 + 1 }, 400, 'VALIDATION_ERROR', /grace_seconds/);
    await refused('POST', url, { grace_seconds: '10' }, 400, 'VALIDATION_ERROR', /grace_seconds/);
    await refused('POST', url, { grace: 10 }, 400, 'VALIDATION_ERROR', /grace/);
  });
  test('DELETE ?purge must be a boolean', async () => {
    expectError(await h.req({ method: 'DELETE', url: `/api/v1/tokens/${tokenId}?purge=maybe`, headers: admin }), 400, 'VALIDATION_ERROR', /purge/);
    assert.equal((await h.req({ method: 'GET', url: `/api/v1/tokens/${tokenId}`, headers: admin })).json().status, 'active');
  });
});
