/**
 * The native API's surface: every route answers, health and readiness, the OpenAPI 3.1 document lists every route,
 * and Swagger UI is served from this server (no CDN).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { InjectOptions } from 'fastify';
import { type Harness, startHarness } from '../helpers.js';
import { createToken, expectError } from './support.js';

let h: Harness;
let admin: Record<string, string>;
before(async () => { h = await startHarness(); admin = { cookie: h.adminCookie }; });
after(async () => { await h.close(); });

/** Every native route, called the way a client would, and the status it answers. */
const ROUTES: { method: InjectOptions['method']; path: string; status: number; payload?: (ids: Ids) => Record<string, unknown> }[] = [
  { method: 'POST', path: '/api/v1/tokens', status: 201, payload: () => ({ name: 'every-route' }) },
  { method: 'GET', path: '/api/v1/tokens', status: 200 },
  { method: 'GET', path: '/api/v1/tokens/{token}', status: 200 },
  { method: 'PATCH', path: '/api/v1/tokens/{token}', status: 200, payload: () => ({ comment: 'c' }) },
  { method: 'POST', path: '/api/v1/tokens/{token}/rotate', status: 200 },
  { method: 'GET', path: '/api/v1/tokens/{token}/value', status: 200 },
  { method: 'DELETE', path: '/api/v1/tokens/{token}', status: 200 },
  { method: 'POST', path: '/api/v1/verify', status: 200, payload: (ids) => ({ token: ids.value }) },
  { method: 'GET', path: '/api/v1/auth/forward', status: 204 },
  { method: 'GET', path: '/api/v1/auth/me', status: 200 },
  { method: 'POST', path: '/api/v1/users', status: 201, payload: () => ({ username: 'every-route', password: 'every-route-pw' }) },
  { method: 'GET', path: '/api/v1/users', status: 200 },
  { method: 'GET', path: '/api/v1/users/{user}', status: 200 },
  { method: 'PATCH', path: '/api/v1/users/{user}', status: 200, payload: () => ({ groups: ['g'] }) },
  { method: 'DELETE', path: '/api/v1/users/{user}', status: 204 },
  { method: 'GET', path: '/api/v1/audit', status: 200 },
  { method: 'POST', path: '/api/v1/auth/logout', status: 204 },
  { method: 'POST', path: '/api/v1/auth/login', status: 200, payload: () => ({ username: 'admin', password: 'admin-password-1' }) },
  { method: 'GET', path: '/healthz', status: 200 },
  { method: 'GET', path: '/readyz', status: 200 },
];
interface Ids { token: string; value: string; user: number }

describe('every route answers', () => {
  let ids: Ids;
  before(async () => {
    const t = await createToken(h, admin, { name: 'route-target', recoverable: true });
    ids = { token: t.id, value: t.token, user: (await h.createUser('route-user')).id };
  });
  for (const r of ROUTES) {
    test(`${r.method} ${r.path} → ${r.status}`, async () => {
      const url = r.path.replace('{token}', ids.token).replace('{user}', String(ids.user));
      const res = await h.req({ method: r.method, url, headers: admin, ...(r.payload ? { payload: r.payload(ids) } : {}) });
      assert.equal(res.statusCode, r.status, res.body);
    });
  }
});

describe('health', () => {
  test('/healthz and /readyz need no credential', async () => {
    assert.deepEqual((await h.req({ method: 'GET', url: '/healthz' })).json(), { status: 'ok' });
    assert.deepEqual((await h.req({ method: 'GET', url: '/readyz' })).json(), { status: 'ready', verification_cache: 'on' });
  });
  test('/readyz → 503 STORE_UNAVAILABLE when the store is gone; /healthz stays 200', async () => {
    const s = await startHarness({ log_level: 'silent' });
    try {
      await s.t.services.store.close();
      expectError(await s.req({ method: 'GET', url: '/readyz' }), 503, 'STORE_UNAVAILABLE');
      assert.equal((await s.req({ method: 'GET', url: '/healthz' })).statusCode, 200);
    } finally {
      await s.close().catch(() => undefined); // the store is already closed
    }
  });
});

describe('OpenAPI and Swagger UI', () => {
  test('GET /api/openapi.json is OpenAPI 3.1.0 and lists every route with its methods', async () => {
    const r = await h.req({ method: 'GET', url: '/api/openapi.json' });
    assert.equal(r.statusCode, 200);
    const doc = r.json();
    assert.equal(doc.openapi, '3.1.0');
    assert.equal(doc.info.title, 'Tessera');
    const want: Record<string, string[]> = {
      '/api/v1/tokens': ['get', 'post'], '/api/v1/tokens/{id}': ['delete', 'get', 'patch'], '/api/v1/tokens/{id}/rotate': ['post'],
      '/api/v1/tokens/{id}/value': ['get'], '/api/v1/verify': ['post'], '/api/v1/auth/login': ['post'], '/api/v1/auth/logout': ['post'],
      '/api/v1/auth/me': ['get'], '/api/v1/users': ['get', 'post'], '/api/v1/users/{id}': ['delete', 'get', 'patch'], '/api/v1/audit': ['get'],
      '/healthz': ['get'], '/readyz': ['get'],
    };
    for (const [path, methods] of Object.entries(want)) {
      assert.ok(doc.paths[path], `${path} is documented`);
      for (const m of methods) assert.ok(doc.paths[path][m], `${m.toUpperCase()} ${path} is documented`);
    }
    for (const m of ['get', 'post', 'put', 'patch', 'delete']) assert.ok(doc.paths['/api/v1/auth/forward'][m], `${m} forward`);
    assert.deepEqual(Object.keys(doc.components.securitySchemes).sort(), ['bearer', 'session']);
    const create = doc.paths['/api/v1/tokens'].post;
    assert.equal(create.requestBody.content['application/json'].schema.properties.comment.maxLength, 255);
    assert.ok(create.responses['201'] && create.responses['409'], 'success and error responses are documented');
    assert.ok(create.responses['401'].content['application/json'].schema.properties.error, 'errors use the envelope');
  });

  test('GET /docs serves Swagger UI from this server, pointing at the spec', async () => {
    const r = await h.req({ method: 'GET', url: '/docs' });
    assert.equal(r.statusCode, 200);
    assert.match(String(r.headers['content-type']), /^text\/html/);
    assert.match(r.body, /swagger-ui/i);
    const assets = [...r.body.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    assert.ok(assets.length > 0);
    for (const a of assets) {
      assert.ok(a.startsWith('/docs/') || a.startsWith('./'), `${a} is served locally`);
      const url = a.startsWith('./') ? `/docs/${a.slice(2)}` : a;
      assert.equal((await h.req({ method: 'GET', url })).statusCode, 200, url);
    }
    const spec = await h.req({ method: 'GET', url: '/docs/json' });
    assert.equal(spec.json().openapi, '3.1.0');
  });
});
