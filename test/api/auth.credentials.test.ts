/**
 * The credential extractor: every place a request may carry a credential works on every route, two different
 * credentials are refused, and the same value in two places is one credential.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { InjectOptions } from 'fastify';
import { type Harness, startHarness } from '../helpers.js';
import { createToken, expectError, unknownToken } from './support.js';

let h: Harness;
let token: string;
let tokenId: string;
let other: string;
before(async () => {
  h = await startHarness();
  ({ id: tokenId, token } = await createToken(h, { cookie: h.adminCookie }, { name: 'cred', access: 'full' }));
  other = (await createToken(h, { cookie: h.adminCookie }, { name: 'other', access: 'full' })).token;
});
after(async () => { await h.close(); });

const me = (o: Partial<InjectOptions>) => h.req({ method: 'GET', url: '/api/v1/auth/me', ...o } as InjectOptions);
const asToken = async (o: Partial<InjectOptions>) => {
  const r = await me(o);
  assert.equal(r.statusCode, 200, r.body);
  assert.equal(r.json().credential.token_id, tokenId);
};

describe('sources', () => {
  test('Authorization: Bearer, with the scheme in any case and extra spaces', async () => {
    for (const v of [`Bearer ${token}`, `bearer ${token}`, `BEARER ${token}`, `Bearer   ${token}  `]) await asToken({ headers: { authorization: v } });
  });
  test('the TOKEN header (Meeseeks)', async () => { await asToken({ headers: { token } }); });
  test('X-API-Key', async () => { await asToken({ headers: { 'X-API-Key': token } }); });
  test('meshplay-token (Meshplay)', async () => { await asToken({ headers: { 'meshplay-token': token } }); });
  test('the token cookie (Meshplay)', async () => { await asToken({ headers: { cookie: `token=${token}` } }); });
  test('the session cookie', async () => {
    const r = await me({ headers: { cookie: h.adminCookie } });
    assert.equal(r.json().credential.type, 'session');
  });
  test('the apikey field of a JSON body (FileBin), which is not taken for a payload field', async () => {
    const r = await h.req({ method: 'POST', url: '/api/v1/tokens', payload: { apikey: token, name: 'via-json-apikey' } });
    assert.equal(r.statusCode, 201, r.body);
    assert.equal(r.json().owner.username, 'admin');
    const v = await h.req({ method: 'POST', url: '/api/v1/verify', payload: { apikey: token, token: other } });
    assert.deepEqual([v.statusCode, v.json().code], [200, 'VALID']);
  });
  test('the apikey field of a urlencoded form (FileBin)', async () => {
    const r = await h.req({ method: 'POST', url: '/api/v1/verify', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `apikey=${token}&token=${other}&access=read` });
    assert.deepEqual([r.statusCode, r.json().code], [200, 'VALID']);
    const c = await h.req({ method: 'POST', url: '/api/v1/tokens', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `apikey=${token}&name=via-form-apikey&comment=from+a+form` });
    assert.equal(c.statusCode, 201, c.body);
    assert.equal(c.json().comment, 'from a form');
  });
  test('a credential in an apikey field is checked like any other', async () => {
    // A value without the Tessera prefix may be a token of another format (or an imported one): it is looked up.
    expectError(await h.req({ method: 'POST', url: '/api/v1/tokens', payload: { apikey: 'nope', name: 'x' } }), 401, 'TOKEN_NOT_FOUND');
    expectError(await h.req({ method: 'POST', url: '/api/v1/tokens', payload: { apikey: 12345, name: 'x' } }), 401, 'TOKEN_NOT_FOUND');
    expectError(await h.req({ method: 'POST', url: '/api/v1/tokens', payload: { apikey: 'tsr_nope', name: 'x' } }), 401, 'TOKEN_MALFORMED');
    expectError(await h.req({ method: 'POST', url: '/api/v1/tokens', payload: { apikey: unknownToken(), name: 'x' } }), 401, 'TOKEN_NOT_FOUND');
  });
});

describe('two credentials', () => {
  const pairs: [string, (a: string, b: string) => Partial<InjectOptions>][] = [
    ['Bearer and X-API-Key', (a, b) => ({ headers: { authorization: `Bearer ${a}`, 'x-api-key': b } })],
    ['TOKEN header and meshplay-token', (a, b) => ({ headers: { token: a, 'meshplay-token': b } })],
    ['Bearer and token cookie', (a, b) => ({ headers: { authorization: `Bearer ${a}`, cookie: `token=${b}` } })],
    ['X-API-Key and apikey field', (a, b) => ({ method: 'POST', url: '/api/v1/verify', headers: { 'x-api-key': a }, payload: { apikey: b, token: a } })],
  ];
  for (const [name, build] of pairs) {
    test(`${name}: different values → 400 AMBIGUOUS_CREDENTIALS naming both places; the same value twice is fine`, async () => {
      const o = build(token, other);
      const r = await h.req({ method: 'GET', url: '/api/v1/auth/me', ...o } as InjectOptions);
      const e = expectError(r, 400, 'AMBIGUOUS_CREDENTIALS');
      assert.ok(!e.message.includes(token) && !e.message.includes(other), 'the message names places, not values');
      const same = await h.req({ method: 'GET', url: '/api/v1/auth/me', ...build(token, token) } as InjectOptions);
      assert.equal(same.statusCode, 200, same.body);
    });
  }
  test('a session cookie and a token → 400 AMBIGUOUS_CREDENTIALS', async () => {
    expectError(await me({ headers: { cookie: h.adminCookie, 'x-api-key': token } }), 400, 'AMBIGUOUS_CREDENTIALS', /session cookie/);
  });
  test('a valid and an invalid credential → 400 AMBIGUOUS_CREDENTIALS, the valid one is not picked', async () => {
    expectError(await me({ headers: { authorization: `Bearer ${token}`, token: 'garbage' } }), 400, 'AMBIGUOUS_CREDENTIALS');
  });
});

describe('configured headers', () => {
  let c: Harness;
  before(async () => { c = await startHarness({ credential_headers: ['X-Custom-Token'] }); });
  after(async () => { await c.close(); });
  test('credential_headers replaces the default custom headers', async () => {
    const { token: t } = await createToken(c, { cookie: c.adminCookie }, { access: 'read' });
    assert.equal((await c.req({ method: 'GET', url: '/api/v1/auth/me', headers: { 'x-custom-token': t } })).statusCode, 200);
    expectError(await c.req({ method: 'GET', url: '/api/v1/auth/me', headers: { 'x-api-key': t } }), 401, 'UNAUTHENTICATED');
    assert.equal((await c.req({ method: 'GET', url: '/api/v1/auth/me', headers: { token: t } })).statusCode, 200, 'TOKEN is always read');
  });
});

describe('the caller before the body', () => {
  const post = (headers: Record<string, string>, payload: string) =>
    h.req({ method: 'POST', url: '/api/v1/tokens', headers: { 'content-type': 'application/json', ...headers }, payload });
  test('no credential and a body that cannot be read → 401 UNAUTHENTICATED, not the body\'s error', async () => {
    expectError(await post({}, '{bad'), 401, 'UNAUTHENTICATED');
    expectError(await h.req({ method: 'POST', url: '/api/v1/tokens', headers: { 'content-type': 'text/csv' }, payload: 'a,b' }), 401, 'UNAUTHENTICATED');
    // Semaphore's face: the empty 401.
    const s = await h.req({ method: 'POST', url: '/api/user/tokens', headers: { 'content-type': 'application/json' }, payload: '{bad' });
    assert.deepEqual([s.statusCode, s.body], [401, '']);
  });
  test('a bad credential is refused before the body is read; a good one gets the body\'s error', async () => {
    expectError(await post({ authorization: `Bearer ${unknownToken()}` }, '{bad'), 401, 'TOKEN_NOT_FOUND');
    expectError(await post({ authorization: `Bearer ${token}` }, '{bad'), 400, 'INVALID_JSON');
  });
  test('a credential in the body (apikey) still works when no other is sent', async () => {
    const r = await post({}, JSON.stringify({ apikey: token, name: 'via-body-only' }));
    assert.equal(r.statusCode, 201, r.body);
  });
});
