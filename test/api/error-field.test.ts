/**
 * The error envelope's `field`: a client (the web UI, the SDK) learns which input an error is about without reading
 * the message. It comes from the schema validator (fastify/ajv) and from the core's own checks alike, and is absent
 * when an error is not about one field.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Harness, startHarness } from '../helpers.js';
import { createToken, expectError } from './support.js';

let h: Harness;
let admin: Record<string, string>;
before(async () => {
  h = await startHarness();
  admin = { cookie: h.adminCookie };
});
after(async () => { await h.close(); });

const fieldOf = async (method: 'POST' | 'PATCH' | 'GET', url: string, payload: unknown, status: number, code: string): Promise<string | undefined> => {
  const r = await h.req({ method, url, headers: admin, ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) });
  return expectError(r, status, code).field;
};

describe('field in the error envelope', () => {
  test('schema errors name the field: wrong type, unknown field, missing field, nested field, query parameter', async () => {
    assert.equal(await fieldOf('POST', '/api/v1/tokens', { name: 123 }, 400, 'VALIDATION_ERROR'), 'name');
    assert.equal(await fieldOf('POST', '/api/v1/tokens', { colour: 'red' }, 400, 'VALIDATION_ERROR'), 'colour');
    assert.equal(await fieldOf('POST', '/api/v1/users', { password: 'correct horse battery' }, 400, 'VALIDATION_ERROR'), 'username');
    assert.equal(await fieldOf('POST', '/api/v1/tokens', { rate_limit: { limit: 'x', window_seconds: 60 } }, 400, 'VALIDATION_ERROR'), 'rate_limit.limit');
    assert.equal(await fieldOf('GET', '/api/v1/tokens?limit=0', undefined, 400, 'VALIDATION_ERROR'), 'limit');
  });

  test("the core's own checks name the field: a past expiry, both expiries, a refill without uses, a bad ttl", async () => {
    assert.equal(await fieldOf('POST', '/api/v1/tokens', { expires_at: '2001-01-01T00:00:00Z' }, 400, 'VALIDATION_ERROR'), 'expires_at');
    assert.equal(await fieldOf('POST', '/api/v1/tokens', { expires_at: '2999-01-01T00:00:00Z', expires_in: 60 }, 400, 'VALIDATION_ERROR'), 'expires_in');
    assert.equal(await fieldOf('POST', '/api/v1/tokens', { refill: { amount: 5, interval_seconds: 60 } }, 400, 'VALIDATION_ERROR'), 'refill');
    assert.equal(await fieldOf('POST', '/api/v1/users', { username: '-bad', password: 'correct horse battery' }, 400, 'VALIDATION_ERROR'), 'username');
  });

  test('a NUL byte names its field, in the body (nested too), the query and the path', async () => {
    assert.equal(await fieldOf('POST', '/api/v1/tokens', { name: 'a\u0000b' }, 400, 'VALIDATION_ERROR'), 'name');
    assert.equal(await fieldOf('POST', '/api/v1/tokens', { metadata: { tags: ['x', 'y\u0000'] } }, 400, 'VALIDATION_ERROR'), 'metadata.tags[1]');
    assert.equal(await fieldOf('GET', '/api/v1/tokens?owner=a%00b', undefined, 400, 'VALIDATION_ERROR'), 'owner');
    assert.equal(await fieldOf('GET', '/api/v1/tokens/tok_%00', undefined, 400, 'VALIDATION_ERROR'), 'id');
    assert.equal(await fieldOf('POST', '/api/v1/verify', { token: 'x\u0000' }, 400, 'VALIDATION_ERROR'), 'token');
  });

  test('a taken name is a CONFLICT about name', async () => {
    await createToken(h, admin, { name: 'taken' });
    assert.equal(await fieldOf('POST', '/api/v1/tokens', { name: 'taken' }, 409, 'CONFLICT'), 'name');
  });

  test('errors about no one field carry none: bad JSON, an unknown route, a missing credential, an unknown id', async () => {
    const bad = await h.req({ method: 'POST', url: '/api/v1/tokens', headers: { ...admin, 'content-type': 'application/json' }, payload: '{' });
    assert.equal(expectError(bad, 400, 'INVALID_JSON').field, undefined);
    assert.equal(expectError(await h.req({ method: 'GET', url: '/api/v1/nothing-here', headers: admin }), 404, 'ROUTE_NOT_FOUND').field, undefined);
    assert.equal(expectError(await h.req({ method: 'GET', url: '/api/v1/tokens' }), 401, 'UNAUTHENTICATED').field, undefined);
    assert.equal(expectError(await h.req({ method: 'GET', url: '/api/v1/tokens/tok_nothing', headers: admin }), 404, 'NOT_FOUND').field, undefined);
  });
});

describe('the message of a value that fits none of a union\'s shapes', () => {
  const message = async (method: 'POST' | 'GET', url: string, payload?: Record<string, unknown>): Promise<string> => {
    const r = await h.req({ method, url, headers: admin, ...(payload === undefined ? {} : { payload }) });
    return expectError(r, 400, 'VALIDATION_ERROR').message;
  };

  test('a constant that is not one of them lists them; a repeated query parameter must be given once', async () => {
    assert.equal(await message('GET', '/api/v1/auth/forward?access=bogus'), "querystring.access must be one of 'read', 'write', 'full'");
    assert.equal(await message('GET', '/api/v1/auth/forward?access=read&access=write'), 'querystring.access must be given once');
    assert.equal(await message('POST', '/api/v1/tokens', { name: 'u', access: 'root' }), "body.access must be one of 'read', 'write', 'full'");
  });

  test('a value of one shape\'s type gets that shape\'s complaint: too many repeated permissions, one too long', async () => {
    const many = Array.from({ length: 51 }, (_, i) => `permission=p${i}`).join('&');
    assert.equal(await message('GET', `/api/v1/auth/forward?${many}`), 'querystring.permission must NOT have more than 50 items');
    assert.equal(await message('GET', `/api/v1/auth/forward?permission=${'x'.repeat(129)}`), 'querystring.permission must NOT have more than 128 characters');
  });
});
