/**
 * How the server serves the built web UI (src/http/static.ts), without a browser: the strict CSP and hardening headers,
 * index.html for a browser reloading one of the UI's pages, the server's own paths never answered with the UI, ETags,
 * gzip, and a server without a build.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import fastify from 'fastify';
import { after, before, describe, test } from 'node:test';
import { CONTENT_SECURITY_POLICY, SECURITY_HEADERS, webUi } from '../../src/http/static.js';
import { type Harness, startHarness } from '../helpers.js';
import { ensureWebBuilt, indexAssets, WEB_DIST } from './build.js';

const HTML = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
const isIndex = (body: string) => body.includes('<div id="app"></div>');

describe('web UI served by the server', () => {
  let h: Harness;
  let index: string;
  before(async () => {
    await ensureWebBuilt();
    index = readFileSync(join(WEB_DIST, 'index.html'), 'utf8');
    h = await startHarness();
  });
  after(async () => { await h.close(); });

  const get = (url: string, headers: Record<string, string> = {}) => h.req({ method: 'GET', url, headers });
  const assertHardened = (headers: Record<string, unknown>) => {
    assert.equal(headers['content-security-policy'], CONTENT_SECURITY_POLICY);
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) assert.equal(headers[k], v, k);
  };

  test('the build needs no CSP exception: no inline script or style, every script and stylesheet from the server', () => {
    assert.match(CONTENT_SECURITY_POLICY, /script-src 'self'(;|$)/);
    assert.doesNotMatch(CONTENT_SECURITY_POLICY, /unsafe-inline|unsafe-eval|\*/);
    assert.equal([...index.matchAll(/<script\b[^>]*>/g)].filter((m) => !/\ssrc="\//.test(m[0])).length, 0, 'inline <script>');
    assert.doesNotMatch(index, /<style\b|\sstyle="/);
    const assets = indexAssets();
    assert.ok(assets.some((a) => /^\/assets\/.+\.js$/.test(a)) && assets.some((a) => /^\/assets\/.+\.css$/.test(a)), assets.join());
  });

  test('GET / is index.html with the CSP and hardening headers, revalidated (no-cache)', async () => {
    const r = await get('/', { accept: HTML });
    assert.equal(r.statusCode, 200);
    assert.match(String(r.headers['content-type']), /^text\/html; charset=utf-8/);
    assert.equal(r.body, index);
    assertHardened(r.headers);
    assert.equal(r.headers['cache-control'], 'no-cache');
    assert.match(String(r.headers.etag), /^"[\w-]+"$/);
  });

  test('every file index.html loads is served with its type, the same headers, and hashed assets cached for good', async () => {
    for (const url of indexAssets()) {
      const r = await get(url);
      assert.equal(r.statusCode, 200, url);
      assert.equal(r.rawPayload.equals(readFileSync(join(WEB_DIST, url))), true, url);
      assertHardened(r.headers);
      const type = String(r.headers['content-type']);
      if (url.endsWith('.js')) assert.match(type, /^text\/javascript/);
      if (url.endsWith('.css')) assert.match(type, /^text\/css/);
      if (url.endsWith('.svg')) assert.match(type, /^image\/svg\+xml/);
      assert.equal(r.headers['cache-control'], url.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache', url);
    }
  });

  test('a browser reloading a UI page (/tokens, /admin/users, /jobs/42) gets index.html with the headers', async () => {
    for (const url of ['/tokens', '/admin/users', '/jobs/42', '/channels/ops?x=1']) {
      const r = await get(url, { accept: HTML });
      assert.equal(r.statusCode, 200, url);
      assert.equal(r.body, index, url);
      assertHardened(r.headers);
    }
  });

  test('the same paths without Accept: text/html, or with another method, keep the API\'s 404 ROUTE_NOT_FOUND', async () => {
    for (const accept of ['application/json', '*/*']) {
      const r = await get('/tokens', { accept });
      assert.equal(r.statusCode, 404);
      assert.equal(r.json().error.code, 'ROUTE_NOT_FOUND');
    }
    const post = await h.req({ method: 'POST', url: '/tokens', headers: { accept: HTML }, payload: {} });
    assert.equal(post.statusCode, 404);
    assert.equal(post.json().error.code, 'ROUTE_NOT_FOUND');
  });

  test('the server\'s own paths never get the UI, even asked by a browser', async () => {
    for (const url of ['/api/v1/nothing', '/api/nothing', '/api', '/healthz/x', '/readyz/x', '/.well-known/nothing', '/message/x', '/docs/nothing/here']) {
      const r = await get(url, { accept: HTML });
      assert.equal(isIndex(r.body), false, url);
      assert.ok(r.statusCode === 404, `${url}: ${r.statusCode}`);
    }
    const api = await get('/api/v1/nothing', { accept: HTML });
    assert.equal(api.json().error.code, 'ROUTE_NOT_FOUND');
    // Query's /_/ space has its own not-found answer.
    const q = await get('/_/nothing', { accept: HTML });
    assert.equal(isIndex(q.body), false);
    assert.ok(q.statusCode >= 400, String(q.statusCode));
  });

  test('an API route answers as before: JSON, no UI page', async () => {
    const r = await get('/api/v1/auth/me', { accept: HTML, cookie: h.adminCookie });
    assert.equal(r.statusCode, 200);
    assert.equal(r.json().user.username, 'admin');
  });

  test('paths that try to leave web/dist get index.html or 404, never a file from elsewhere', async () => {
    for (const url of ['/../package.json', '/assets/../../package.json', '/%2e%2e/package.json', '/assets/..%2f..%2fpackage.json', '/..%2f..%2fpackage.json', '/assets/%2e%2e/%2e%2e/package.json']) {
      const r = await get(url, { accept: HTML });
      assert.doesNotMatch(r.body, /"name": "tessera"/, url);
      assert.ok(r.statusCode === 200 ? r.body === index : r.statusCode >= 400, `${url}: ${r.statusCode}`);
    }
  });

  test('If-None-Match with the current ETag → 304 without a body; a stale ETag → 200', async () => {
    const js = indexAssets().find((a) => a.endsWith('.js'))!;
    for (const url of ['/', js, '/tokens']) {
      const first = await get(url, { accept: HTML });
      const etag = String(first.headers.etag);
      const again = await get(url, { accept: HTML, 'if-none-match': etag });
      assert.equal(again.statusCode, 304, url);
      assert.equal(again.rawPayload.length, 0, url);
      assert.equal(again.headers.etag, etag);
      assertHardened(again.headers);
      const stale = await get(url, { accept: HTML, 'if-none-match': '"something-else"' });
      assert.equal(stale.statusCode, 200, url);
    }
    assert.notEqual((await get('/')).headers.etag, (await get(js)).headers.etag);
  });

  test('gzip when the client accepts it (the decompressed body is the file); identity otherwise', async () => {
    const js = indexAssets().find((a) => a.endsWith('.js'))!;
    const file = readFileSync(join(WEB_DIST, js));
    const gz = await get(js, { 'accept-encoding': 'gzip, deflate, br' });
    assert.equal(gz.statusCode, 200);
    assert.equal(gz.headers['content-encoding'], 'gzip');
    assert.match(String(gz.headers.vary), /accept-encoding/i);
    assert.ok(gz.rawPayload.length < file.length);
    assert.equal(gunzipSync(gz.rawPayload).equals(file), true);
    const plain = await get(js, { 'accept-encoding': 'identity' });
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.equal(plain.rawPayload.equals(file), true);
  });
});

describe('a server without a web build', () => {
  let dir: string;
  before(() => { dir = mkdtempSync(join(tmpdir(), 'tessera-noweb-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('still starts; / says how to build the UI (with the headers), UI paths are not answered with a page', async () => {
    const ui = webUi({ dir });
    const app = fastify({ logger: false });
    await app.register(ui.plugin);
    app.setNotFoundHandler((req, reply) => { if (!ui.page(req, reply)) void reply.code(404).send('api 404'); });
    try {
      const r = await app.inject({ method: 'GET', url: '/', headers: { accept: HTML } });
      assert.equal(r.statusCode, 200);
      assert.match(String(r.headers['content-type']), /^text\/plain/);
      assert.match(r.body, /npm run build:web/);
      assert.equal(r.headers['content-security-policy'], CONTENT_SECURITY_POLICY);
      const page = await app.inject({ method: 'GET', url: '/tokens', headers: { accept: HTML } });
      assert.equal(page.statusCode, 404);
      assert.equal(page.body, 'api 404');
    } finally {
      await app.close();
    }
  });
});
