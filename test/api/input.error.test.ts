/**
 * Bad input on every route that takes a body or parameters: bad JSON, the wrong content type, an oversized body,
 * garbage shapes, odd query strings. Each gets a 4xx with a stable code in the error envelope; none is a 500.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { InjectOptions } from 'fastify';
import { bearer, type Harness, startHarness } from '../helpers.js';
import { createToken, expectError } from './support.js';

const BODY_LIMIT = 2048;
let h: Harness;
let admin: Record<string, string>;
let token: string; // the credential of the parameter tests
let tokenId: string; // the target of the body tests
before(async () => {
  h = await startHarness({ body_limit_bytes: BODY_LIMIT });
  admin = { cookie: h.adminCookie };
  tokenId = (await createToken(h, admin, { name: 'target' })).id;
  token = (await createToken(h, admin, { name: 'caller', access: 'full' })).token;
});
after(async () => { await h.close(); });

/** Every route with a body, with the credential it needs (login needs none). */
const BODY_ROUTES: { method: InjectOptions['method']; path: string }[] = [
  { method: 'POST', path: '/api/v1/tokens' },
  { method: 'PATCH', path: '/api/v1/tokens/{id}' },
  { method: 'POST', path: '/api/v1/tokens/{id}/rotate' },
  { method: 'POST', path: '/api/v1/users' },
  { method: 'PATCH', path: '/api/v1/users/1' },
  { method: 'POST', path: '/api/v1/verify' },
  { method: 'POST', path: '/api/v1/auth/login' },
];
const send = (r: (typeof BODY_ROUTES)[number], headers: Record<string, string>, payload: string) =>
  h.req({ method: r.method, url: r.path.replace('{id}', tokenId), headers: { ...admin, ...headers }, payload });

for (const r of BODY_ROUTES) {
  describe(`${r.method} ${r.path}`, () => {
    test('bad JSON → 400 INVALID_JSON, and the message does not echo the body', async () => {
      for (const body of ['{', `{"name": "${token}`, '{"a":1,}', 'nul']) {
        const res = await send(r, { 'content-type': 'application/json' }, body);
        const e = expectError(res, 400, 'INVALID_JSON');
        assert.ok(!e.message.includes(token));
      }
    });
    test('text/plain → 415 UNSUPPORTED_MEDIA_TYPE naming the type', async () => {
      expectError(await send(r, { 'content-type': 'text/plain' }, 'name=x'), 415, 'UNSUPPORTED_MEDIA_TYPE', /text\/plain/);
      expectError(await send(r, { 'content-type': 'application/xml' }, '<a/>'), 415, 'UNSUPPORTED_MEDIA_TYPE', /application\/xml/);
    });
    test('a body over body_limit_bytes → 413 PAYLOAD_TOO_LARGE', async () => {
      expectError(await send(r, { 'content-type': 'application/json' }, JSON.stringify({ comment: 'x'.repeat(BODY_LIMIT) })), 413, 'PAYLOAD_TOO_LARGE');
    });
    test('garbage shapes → 4xx with a stable code, never a 500', async () => {
      const garbage = ['[]', 'null', '123', '"text"', 'true', '{"__proto__":{"admin":true}}', '{"constructor":{"prototype":{"x":1}}}',
        JSON.stringify({ a: { b: { c: { d: [1, { e: null }] } } } }), JSON.stringify({ name: '\u0000\uffff😀', password: 1e308, username: [] })];
      for (const body of garbage) {
        const res = await send(r, { 'content-type': 'application/json' }, body);
        assert.ok(res.statusCode >= 400 && res.statusCode < 500, `${body} → ${res.statusCode} ${res.body}`);
        assert.match(res.json().error.code, /^[A-Z_]+$/);
      }
    });
  });
}

describe('parameters', () => {
  test('odd path and query values → 4xx, never a 500', async () => {
    const urls = ['/api/v1/users/0', '/api/v1/users/-1', '/api/v1/users/1.5', '/api/v1/users/99999999999999999999', '/api/v1/users/%00',
      '/api/v1/tokens/%E2%98%83', '/api/v1/tokens?limit=1&limit=2', '/api/v1/tokens?owner=a&owner=b', '/api/v1/tokens?cursor=' + 'A'.repeat(600),
      '/api/v1/tokens?cursor=WzEsMl0', '/api/v1/audit?since=yesterday', '/api/v1/audit?cursor=WyJ4Il0', '/api/v1/users?cursor=bm9wZQ'];
    for (const url of urls) {
      const res = await h.req({ method: 'GET', url, headers: bearer(token) });
      assert.ok(res.statusCode >= 400 && res.statusCode < 500, `${url} → ${res.statusCode} ${res.body}`);
      assert.match(res.json().error.code, /^(VALIDATION_ERROR|INVALID_CURSOR|NOT_FOUND)$/, url);
    }
  });
  test('an unknown user id → 404 NOT_FOUND, a non-numeric one → 400 naming id', async () => {
    expectError(await h.req({ method: 'GET', url: '/api/v1/users/4242', headers: bearer(token) }), 404, 'NOT_FOUND', /4242/);
    expectError(await h.req({ method: 'GET', url: '/api/v1/users/alice', headers: bearer(token) }), 400, 'VALIDATION_ERROR', /id/);
  });
  test('a malformed percent-escape or an over-long path segment → 400 in the envelope', async () => {
    // The path is not repeated: it may hold a token value.
    const bad = expectError(await h.req({ method: 'GET', url: '/api/v1/tokens/%zz', headers: bearer(token) }), 400, 'VALIDATION_ERROR', /path is not valid/);
    assert.doesNotMatch(bad.message, /%zz/);
    expectError(await h.req({ method: 'GET', url: `/api/v1/tokens/${'x'.repeat(200)}`, headers: bearer(token) }), 400, 'VALIDATION_ERROR');
  });
  test('without a credential the body is not looked at: 401, not 400', async () => {
    expectError(await h.req({ method: 'POST', url: '/api/v1/tokens', payload: { name: 123, junk: true } }), 401, 'UNAUTHENTICATED');
    expectError(await h.req({ method: 'PATCH', url: '/api/v1/users/1', payload: {} }), 401, 'UNAUTHENTICATED');
  });
  test('an unknown route → 404 ROUTE_NOT_FOUND in the envelope', async () => {
    expectError(await h.req({ method: 'GET', url: '/api/v1/nothing-here' }), 404, 'ROUTE_NOT_FOUND', /\/api\/v1\/nothing-here/);
    expectError(await h.req({ method: 'PUT', url: '/api/v1/tokens' }), 404, 'ROUTE_NOT_FOUND');
  });
  test('an Authorization header that is not Bearer → 401', async () => {
    expectError(await h.req({ method: 'GET', url: '/api/v1/auth/me', headers: { authorization: 'Basic YWRtaW46eA==' } }), 401, 'UNAUTHENTICATED', /Bearer/);
    expectError(await h.req({ method: 'GET', url: '/api/v1/auth/me', headers: { authorization: 'Bearer' } }), 401, 'TOKEN_MALFORMED');
  });
  test('nothing above was logged as an unhandled error', () => {
    assert.ok(!h.logs().includes('unhandled error'), 'no 500 was logged');
    assert.ok(!h.logs().includes('"level":50'), 'no error-level log line');
  });
});
