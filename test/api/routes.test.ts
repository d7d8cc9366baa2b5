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

/**
 * Every route of the OpenAPI document (path × method), classified: what a caller without any credential gets. `auth`
 * is a protected route (401 with the native envelope and code, or the compat product's own 401 shape); anything else is
 * the documented public answer. The table must name exactly the documented routes: a new route fails the test until
 * someone decides here what it answers a stranger.
 */
interface Anon {
  status: number;
  /** Native error code of the answer (checked with the envelope). */
  code?: string;
  /** The compat product's own 401 (empty body, Semaphore and Query). */
  empty?: true;
  /** What the body must match (answers that are not the native envelope). */
  body?: RegExp;
  payload?: string | Record<string, unknown>;
  headers?: Record<string, string>;
}
const auth: Anon = { status: 401, code: 'UNAUTHENTICATED' };
const compat401: Anon = { status: 401, empty: true };
const form = { 'content-type': 'application/x-www-form-urlencoded' };
const ANON: Record<string, Anon> = {
  // public
  'GET /healthz': { status: 200 },
  'GET /readyz': { status: 200 },
  'GET /.well-known/jwks.json': { status: 200 },
  'POST /api/v1/auth/login': { status: 401, code: 'INVALID_LOGIN', payload: { username: 'admin', password: 'wrong-password' } },
  // off without slack_signing_secret (documented 404); signed-request refusals are in routes.security.chat.test.ts
  'POST /api/v1/chat/slack': { status: 404, code: 'NOT_FOUND', payload: 'text=help&user_name=admin', headers: form },
  // native, protected
  'POST /api/v1/auth/logout': auth,
  'GET /api/v1/auth/me': auth,
  'POST /api/v1/auth/jwt': auth,
  'POST /api/v1/auth/jwt/keys/rotate': auth,
  'POST /api/v1/tokens': { ...auth, payload: { name: 'anon' } },
  'GET /api/v1/tokens': auth,
  'GET /api/v1/tokens/{id}': auth,
  'PATCH /api/v1/tokens/{id}': { ...auth, payload: { comment: 'c' } },
  'DELETE /api/v1/tokens/{id}': auth,
  'POST /api/v1/tokens/{id}/rotate': auth,
  'GET /api/v1/tokens/{id}/value': auth,
  'POST /api/v1/verify': { ...auth, payload: { token: 'tsr_x' } },
  'GET /api/v1/verify/events': auth,
  'POST /api/v1/introspect': { ...auth, payload: 'token=tsr_x', headers: form },
  'POST /api/v1/users': { ...auth, payload: { username: 'anon', password: 'anon-password' } },
  'GET /api/v1/users': auth,
  'GET /api/v1/users/{id}': auth,
  'PATCH /api/v1/users/{id}': { ...auth, payload: { groups: [] } },
  'DELETE /api/v1/users/{id}': auth,
  // signed by GitHub instead of a credential (test/api/leaks.test.ts)
  'POST /api/v1/leaks/github': { status: 401, code: 'LEAK_SIGNATURE_INVALID', payload: [{ token: 'x' }] as unknown as Record<string, unknown> },
  // no credential: whoever holds a value may revoke it (test/api/revocation.test.ts)
  'POST /api/v1/tokens/revoke-by-value': { status: 202, payload: { token: 'tsr_x' } },
  'POST /api/v1/tokens/revoke': { ...auth, payload: { name_prefix: 'x' } },
  'POST /api/v1/tokens/batch': { ...auth, payload: { tokens: [{ name: 'anon' }] } },
  'POST /api/v1/tokens/import': { ...auth, payload: { format: 'json', rows: [] } },
  'GET /api/v1/permissions': auth,
  'POST /api/v1/permissions': { ...auth, payload: { name: 'deploy:write' } },
  'DELETE /api/v1/permissions/{name}': auth,
  'GET /api/v1/roles': auth,
  'POST /api/v1/roles': { ...auth, payload: { name: 'anon', permissions: [] } },
  'GET /api/v1/roles/{name}': auth,
  'PATCH /api/v1/roles/{name}': { ...auth, payload: { description: 'd' } },
  'DELETE /api/v1/roles/{name}': auth,
  'GET /api/v1/groups': auth,
  'PUT /api/v1/groups/{name}/grants': { ...auth, payload: { roles: [], permissions: [] } },
  'GET /api/v1/audit': auth,
  'GET /api/v1/audit/verify': auth,
  'GET /api/v1/audit/export': auth,
  'GET /api/v1/webhooks': auth,
  'POST /api/v1/webhooks': { ...auth, payload: { url: 'http://127.0.0.1:9/', events: ['token.created'] } },
  'GET /api/v1/webhooks/{id}': auth,
  'PATCH /api/v1/webhooks/{id}': { ...auth, payload: { active: false } },
  'DELETE /api/v1/webhooks/{id}': auth,
  'GET /api/v1/webhooks/{id}/deliveries': auth,
  'POST /api/v1/webhooks/{id}/deliveries/{delivery}/redeliver': auth,
  'GET /api/v1/commands': auth,
  'POST /api/v1/commands/{name}/run': { ...auth, payload: { args: [] } },
  'GET /api/v1/jobs': auth,
  'GET /api/v1/jobs/{id}': auth,
  'GET /api/v1/jobs/{id}/stream': auth,
  'GET /api/v1/channels': auth,
  'GET /api/v1/channels/{name}/messages': auth,
  'GET /api/v1/channels/{name}/stream': auth,
  'POST /api/v1/chat': { ...auth, payload: { text: 'help' } },
  // forward-auth: its own 401 message, same code, on every method
  ...Object.fromEntries(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'].map((m) => [`${m} /api/v1/auth/forward`, auth])),
  // forward-auth profiles: none is configured here, so the profile is unknown → 404 (test/api/forward-profile.test.ts has the rest)
  ...Object.fromEntries(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'].map((m) => [`${m} /api/v1/auth/forward/{profile}`, { status: 404, code: 'ROUTE_NOT_FOUND' }])),
  // /message (Meeseeks): the bound token is missing → 400 TOKEN_MISSING (docs/chat.md), on every method
  ...Object.fromEntries(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'].map((m) => [`${m} /message`, { status: 400, code: 'TOKEN_MISSING' }])),
  // compat: Meshplay
  'GET /api/token': auth,
  'GET /provider': { status: 302 },
  // compat: FileBin (every error is its own 400 shape; no key → api/not-authenticated)
  'GET /api/{version}/{controller}/{function}': { status: 400, body: /"error_id":"api\/not-authenticated"/ },
  'POST /api/{version}/{controller}/{function}': { status: 400, body: /"error_id":"api\/not-authenticated"/ },
  'PUT /api/{version}/{controller}/{function}': { status: 400, body: /"error_id":"api\/not-authenticated"/ },
  'PATCH /api/{version}/{controller}/{function}': { status: 400, body: /"error_id":"api\/not-authenticated"/ },
  'DELETE /api/{version}/{controller}/{function}': { status: 400, body: /"error_id":"api\/not-authenticated"/ },
  'OPTIONS /api/{version}/{controller}/{function}': { status: 400, body: /"error_id":"api\/not-authenticated"/ },
  // compat: Semaphore
  'GET /api/auth/login': { status: 200, body: /^\{"oidc_providers":\[\],"login_with_password":true,"auth_methods":\{\}\}$/ },
  'POST /api/auth/login': { status: 401, empty: true, payload: { auth: 'admin', password: 'wrong-password' } },
  'POST /api/auth/logout': { status: 204 },
  'GET /api/user/tokens': compat401,
  'POST /api/user/tokens': compat401,
  'DELETE /api/user/tokens/{id}': compat401,
  'POST /api/project/{project_id}/tasks': { ...compat401, payload: { template_id: 1 } },
  'GET /api/project/{project_id}/tasks/{id}': compat401,
  'GET /api/project/{project_id}/tasks/{id}/output': compat401,
  // compat: Query
  'POST /_/token': { ...compat401, payload: { name: 'anon' } },
  'GET /_/token': compat401,
  'PUT /_/token': { ...compat401, payload: { name: 'anon' } },
  'DELETE /_/token': compat401,
  'GET /_/token/value': compat401,
};
/** Routes deliberately left out of the document, and what a stranger gets there. */
const HIDDEN: Record<string, Anon> = {
  'GET /api/openapi.json': { status: 200 },
  'GET /docs': { status: 200 },
  'GET /_/anything': { status: 404 }, // Query owns all of /_/ (its catch-all, hidden)
  'POST /_/anything': { status: 404 },
};
const PARAMS: Record<string, string> = { id: '999', name: 'nosuch', project_id: '1', version: 'v2', controller: 'user', function: 'apikeys' };
const fill = (path: string): string => path.replace(/\{([^}]+)\}/g, (_m, k: string) => PARAMS[k] ?? 'x');

const checkAnon = async (key: string, want: Anon): Promise<void> => {
  const [method, path] = key.split(' ') as [InjectOptions['method'], string];
  const payload = want.payload === undefined ? {} : { payload: want.payload };
  const res = await h.req({ method, url: fill(path), headers: want.headers ?? {}, ...payload });
  if (want.code && method !== 'HEAD') expectError(res, want.status, want.code);
  else assert.equal(res.statusCode, want.status, `${key}: ${res.body}`);
  if (want.empty) assert.equal(res.body, '', `${key}: the compat 401 has no body`);
  if (want.body) assert.match(res.body, want.body);
};

describe('every route of the OpenAPI document, without a credential', () => {
  let documented: string[];
  before(async () => {
    const doc = (await h.req({ method: 'GET', url: '/api/openapi.json' })).json() as { paths: Record<string, Record<string, unknown>> };
    documented = Object.entries(doc.paths).flatMap(([p, ms]) => Object.keys(ms).map((m) => `${m.toUpperCase()} ${p}`));
  });
  test('the table classifies exactly the documented routes (a new route needs a decision here)', () => {
    const unclassified = documented.filter((k) => !(k in ANON));
    const stale = Object.keys(ANON).filter((k) => !documented.includes(k));
    assert.deepEqual({ unclassified, stale }, { unclassified: [], stale: [] });
    assert.equal(documented.length, Object.keys(ANON).length);
  });
  test('hidden routes are not in the document', () => {
    for (const k of Object.keys(HIDDEN)) assert.ok(!documented.includes(k), k);
  });
  for (const [key, want] of Object.entries(ANON)) {
    test(`${key} → ${want.status}${want.code ? ` ${want.code}` : ''}`, () => checkAnon(key, want));
  }
  for (const [key, want] of Object.entries(HIDDEN)) {
    test(`(hidden) ${key} → ${want.status}`, () => checkAnon(key, want));
  }
});

/** Every native route, called by the admin the way a client would, and the status it answers. */
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
  { method: 'POST', path: '/api/v1/permissions', status: 201, payload: () => ({ name: 'deploy:write', description: 'deploy' }) },
  { method: 'GET', path: '/api/v1/permissions', status: 200 },
  { method: 'DELETE', path: '/api/v1/permissions/deploy:write', status: 204 },
  { method: 'POST', path: '/api/v1/roles', status: 201, payload: () => ({ name: 'deployer', permissions: ['deploy:*'] }) },
  { method: 'GET', path: '/api/v1/roles', status: 200 },
  { method: 'GET', path: '/api/v1/roles/deployer', status: 200 },
  { method: 'PATCH', path: '/api/v1/roles/deployer', status: 200, payload: () => ({ description: 'deploys' }) },
  { method: 'DELETE', path: '/api/v1/roles/deployer', status: 204 },
  { method: 'PUT', path: '/api/v1/groups/ops/grants', status: 200, payload: () => ({ roles: ['write'], permissions: ['deploy:read'] }) },
  { method: 'GET', path: '/api/v1/groups', status: 200 },
  { method: 'GET', path: '/api/v1/audit', status: 200 },
  { method: 'GET', path: '/api/v1/audit/verify', status: 200 },
  { method: 'GET', path: '/api/v1/audit/export', status: 200 },
  { method: 'POST', path: '/api/v1/webhooks', status: 201, payload: () => ({ url: 'http://127.0.0.1:9/every-route', events: ['user.disabled'] }) },
  { method: 'GET', path: '/api/v1/webhooks', status: 200 },
  { method: 'GET', path: '/api/v1/webhooks/{webhook}', status: 200 },
  { method: 'PATCH', path: '/api/v1/webhooks/{webhook}', status: 200, payload: () => ({ description: 'd' }) },
  { method: 'GET', path: '/api/v1/webhooks/{webhook}/deliveries', status: 200 },
  { method: 'POST', path: '/api/v1/webhooks/{webhook}/deliveries/{delivery}/redeliver', status: 201 },
  { method: 'DELETE', path: '/api/v1/webhooks/{webhook}', status: 204 },
  { method: 'POST', path: '/api/v1/auth/logout', status: 204 },
  { method: 'POST', path: '/api/v1/auth/login', status: 200, payload: () => ({ username: 'admin', password: 'admin-password-1' }) },
  { method: 'GET', path: '/healthz', status: 200 },
  { method: 'GET', path: '/readyz', status: 200 },
];
interface Ids { token: string; value: string; user: number; webhook: string; delivery: number }

describe('every native route answers the admin', () => {
  let ids: Ids;
  before(async () => {
    const w = await h.req({ method: 'POST', url: '/api/v1/webhooks', headers: admin, payload: { url: 'http://127.0.0.1:9/', events: ['token.created'] } });
    const t = await createToken(h, admin, { name: 'route-target', recoverable: true });
    const webhook = w.json().webhook.id as string;
    const delivery = (await h.req({ method: 'GET', url: `/api/v1/webhooks/${webhook}/deliveries`, headers: admin })).json().items[0]?.id as number;
    ids = { token: t.id, value: t.token, user: (await h.createUser('route-user')).id, webhook, delivery };
  });
  for (const r of ROUTES) {
    test(`${r.method} ${r.path} → ${r.status}`, async () => {
      const url = r.path.replace('{token}', ids.token).replace('{user}', String(ids.user)).replace('{webhook}', ids.webhook).replace('{delivery}', String(ids.delivery));
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
    assert.deepEqual(Object.keys(doc.components.securitySchemes).sort(),
      ['basic', 'bearer', 'meshplayTokenHeader', 'session', 'tokenCookie', 'tokenHeader', 'xApiKeyHeader']); // one per credential source
    const create = doc.paths['/api/v1/tokens'].post;
    assert.equal(create.requestBody.content['application/json'].schema.properties.comment.maxLength, 255);
    assert.ok(create.responses['201'] && create.responses['409'], 'success and error responses are documented');
    assert.equal(create.responses['401'].content['application/json'].schema.$ref, '#/components/schemas/Error', 'errors use the envelope');
    assert.ok(doc.components.schemas.Error.properties.error.properties.code, 'the envelope is declared once');
  });

  test('the document lists the answers the shared steps give on every native route, with their headers', async () => {
    const doc = (await h.req({ method: 'GET', url: '/api/openapi.json' })).json();
    const codes = (path: string, m: string): string[] => Object.keys(doc.paths[path][m].responses).sort();
    // A body (413, 415), a caller's own credential (401, 403, 429: an allowlist, a bound token, a rate limit), the store (503).
    assert.deepEqual(codes('/api/v1/tokens', 'post'), ['201', '400', '401', '403', '409', '413', '415', '429', '503']);
    // Path values are checked (400) also where there is no body; GET /auth/me authenticates like every route.
    assert.ok(codes('/api/v1/tokens/{id}', 'get').includes('400'));
    assert.deepEqual(codes('/api/v1/auth/me', 'get'), ['200', '400', '401', '403', '429', '503']);
    const tooMany = doc.paths['/api/v1/tokens'].get.responses['429'];
    assert.deepEqual(Object.keys(tooMany.headers).sort(), ['RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset', 'Retry-After']);
    assert.ok(doc.paths['/api/v1/tokens'].get.responses['401'].headers['WWW-Authenticate']);
    // The compat faces keep their products' shapes: Query's refusals are plain text, Meshplay's /provider a redirect.
    assert.deepEqual(Object.keys(doc.paths['/_/token'].post.responses['400'].content), ['text/plain']);
    assert.deepEqual(Object.keys(doc.paths['/provider'].get.responses), ['302']);
    assert.ok(doc.paths['/provider'].get.responses['302'].headers.Location);
    // Streams say what they are; a body a route reads as {} when left out is not required.
    assert.deepEqual(Object.keys(doc.paths['/api/v1/verify/events'].get.responses['200'].content), ['text/event-stream']);
    assert.deepEqual(Object.keys(doc.paths['/api/v1/audit/export'].get.responses['200'].content), ['application/x-ndjson']);
    assert.equal(doc.paths['/api/v1/tokens/{id}/rotate'].post.requestBody.required, false);
    assert.equal(doc.paths['/api/v1/tokens'].post.requestBody.required, true);
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
