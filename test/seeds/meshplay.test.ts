/**
 * Seed 004 (Meshplay) against a listening Tessera with real curl: the seed's curl example (its two unclosed quotes
 * closed, nothing else changed), "Get Token" (GET /api/token, Meshplay's auth.json), the `/provider` page the seed
 * sends users to, then the §9 vectors of reference/seed-products.md — reproduced, or the deviation docs/compat.md
 * ("Meshplay") gives, asserted as it is. Provider None is single-user mode.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { loadConfig } from '../../src/config/load.js';
import { createTessera } from '../../src/main.js';
import { bearer } from '../helpers.js';
import { expectJson, type Server, sh, startServer } from './support.js';

/** The seed's curl example as its page shows it (HTML entities decoded), byte for byte. */
const SEED_LINE = `curl --location 'localhost:9081/api/<endpoint>' \\
--header 'meshplay-token: <yourToken>\\
--header 'Cookie: meshplay-provider=Meshplay; meshplay.khulnasoft.com_ref=/;token=<yourToken>`;

/**
 * The seed's first --header lacks its closing quote, so as printed the shell reads that quote on to the opening quote
 * of the second --header: curl gets one broken header, and the `;` in the cookie then ends the command. Closing it
 * (with the space the line continuation needs) leaves the second --header's quote open to the end of the line, so
 * it is closed too. Nothing else changes.
 */
const FIRST_FIXED = SEED_LINE.replace("<yourToken>\\\n", "<yourToken>' \\\n");
const FIXED_LINE = `${FIRST_FIXED}'`;

/** The fixed line with host, port, endpoint and token filled in. */
const seedLine = (port: number, endpoint: string, token: string): string =>
  FIXED_LINE.replace('localhost:9081', `localhost:${port}`).replace('<endpoint>', endpoint).replaceAll('<yourToken>', token);

/** `bash -n`: does the line parse? */
const parses = (line: string): Promise<boolean> =>
  new Promise((resolve) => { execFile('bash', ['-n', '-c', line], (err) => resolve(err === null)); });

/** Meshplay's own cookie format: base64 (no padding) of an oauth2.Token JSON around the JWT (reference §5.2). */
const oauth2Cookie = (jwt: string): string =>
  Buffer.from(JSON.stringify({ access_token: jwt, token_type: 'bearer', refresh_token: 'r', expiry: '2030-01-01T00:00:00Z' })).toString('base64').replace(/=+$/, '');

describe('Meshplay (seed 004), local provider', () => {
  let srv: Server;
  let jwt: string;
  const url = (path: string) => `${srv.origin}${path}`;
  before(async () => {
    srv = await startServer();
    jwt = (await srv.h.req({ method: 'GET', url: '/api/token', headers: { cookie: srv.h.adminCookie } })).json().token;
  });
  after(async () => { await srv.close(); });

  describe('the seed, as written', () => {
    test('the curl example differs from the fixed one by the two closing quotes only', async () => {
      assert.equal(FIXED_LINE.length, SEED_LINE.length + 3);
      assert.equal(FIXED_LINE.replace("<yourToken>' \\\n", '<yourToken>\\\n').slice(0, -1), SEED_LINE);
      assert.equal(await parses(FIXED_LINE), true);
      // Closing the first quote alone leaves the second one open: the line no longer parses.
      assert.equal(await parses(FIRST_FIXED), false);
    });

    test('the curl example works with the token from Get Token, on Meshplay\'s /api/token and on the native API', async () => {
      const me = expectJson(await sh(seedLine(srv.port, 'v1/auth/me', jwt)), 200);
      assert.equal(me.user.username, 'admin');
      assert.equal(me.credential.jwt, true);
      // <endpoint> = token: Meshplay's own "Get Token" through the seed's line gives the next auth.json.
      const again = expectJson(await sh(seedLine(srv.port, 'token', jwt)), 200);
      assert.deepEqual(Object.keys(again), ['meshplay-provider', 'token']);
      assert.equal(again['meshplay-provider'], 'Local');
      assert.match(again.token, /^eyJ[\w-]+\.[\w-]+\.[\w-]+$/);
      // A plain Tessera token (made natively or through another seed's API) works in its place.
      const plain = await srv.h.adminToken({ name: 'meshplay-plain' });
      assert.equal((await sh(seedLine(srv.port, 'v1/tokens', plain.token))).status, 200);
      assert.equal((await sh(seedLine(srv.port, 'v1/tokens', `${jwt}x`))).status, 401);
    });

    test('Get Token: GET /api/token returns the provider and a JWT for the logged-in user (auth.json)', async () => {
      const r = expectJson(await sh(`curl -s ${url('/api/token')} --cookie '${srv.h.adminCookie}'`), 200);
      assert.equal(r['meshplay-provider'], 'Local');
      assert.match(r.token, /^eyJ[\w-]+\.[\w-]+\.[\w-]+$/);
      assert.equal((await sh(`curl -s ${url('/api/token')}`)).status, 401);
    });

    test('the provider page the seed links (:9081/provider) leads to the web UI\'s login', async () => {
      const r = await sh(`curl -s ${url('/provider')}`);
      assert.equal(r.status, 302);
      assert.equal(r.headers.location, '/');
      const followed = await sh(`curl -s -L -H 'Accept: text/html' ${url('/provider')}`);
      assert.equal(followed.status, 200);
      assert.match(followed.headers['content-type'] ?? '', /^text\/html/);
    });

    test('Swagger UI and the OpenAPI document are served (the seed\'s "Swagger UI Playground")', async () => {
      const ui = await sh(`curl -s ${url('/docs/')}`);
      assert.equal(ui.status, 200);
      assert.match(ui.body, /swagger/i);
      const spec = expectJson(await sh(`curl -s ${url('/api/openapi.json')}`), 200);
      assert.equal(spec.openapi, '3.1.0');
      assert.ok(spec.paths['/api/token']);
      assert.ok(spec.paths['/provider']);
      assert.ok(spec.paths['/api/v1/auth/jwt']);
      assert.ok((spec.tags as { name: string }[]).some((t) => t.name === 'compat: meshplay'));
    });
  });

  describe('§9 vectors', () => {
    test('GET /api/token with Cookie meshplay-provider=None: the cookie does not choose single-user mode → 401', async () => {
      // Meshplay would answer {"meshplay-provider":"None","token":""} here (None among its providers). Tessera's
      // provider is its configuration's: a client cannot switch authentication off. (Provider none: see below.)
      const r = expectJson(await sh(`curl -s ${url('/api/token')} --header 'Cookie: meshplay-provider=None'`), 401);
      assert.equal(r.error.code, 'UNAUTHENTICATED');
    });

    test('no provider and no credential: 401 with the error envelope, not 302 /provider', async () => {
      for (const path of ['/api/token', '/api/v1/auth/me', '/api/v1/tokens']) {
        const r = await sh(`curl -s ${url(path)}`);
        assert.equal(expectJson(r, 401).error.code, 'UNAUTHENTICATED');
        assert.equal(r.headers.location, undefined);
      }
    });

    test('Cookie meshplay-provider=Meshplay; token=<valid> → 200; an invalid or expired token → 401, not 302 /auth/login', async () => {
      const cookie = (t: string) => `--header 'Cookie: meshplay-provider=Meshplay; token=${t}'`;
      const ok = expectJson(await sh(`curl -s ${url('/api/v1/auth/me')} ${cookie(jwt)}`), 200);
      assert.equal(ok.user.username, 'admin');
      assert.equal((await sh(`curl -s ${url('/api/token')} ${cookie(jwt)}`)).status, 200);
      const forged = `${jwt.slice(0, -4)}AAAA`;
      assert.equal(expectJson(await sh(`curl -s ${url('/api/v1/auth/me')} ${cookie(forged)}`), 401).error.code, 'TOKEN_NOT_FOUND');
      // Meshplay's own cookie value (base64 of an oauth2.Token JSON) is not a Tessera credential.
      assert.equal((await sh(`curl -s ${url('/api/v1/auth/me')} ${cookie(oauth2Cookie(jwt))}`)).status, 401);
      // An expired JWT (Meshplay: ErrTokenExpired → redirect) is a 401 too.
      const short = (await srv.h.req({ method: 'POST', url: '/api/v1/auth/jwt', headers: { cookie: srv.h.adminCookie }, payload: { ttl_seconds: 60 } })).json().token;
      assert.equal((await sh(`curl -s ${url('/api/v1/auth/me')} ${cookie(short)}`)).status, 200);
      srv.h.clock.advance(61_000);
      assert.equal((await sh(`curl -s ${url('/api/v1/auth/me')} ${cookie(short)}`)).status, 401);
      jwt = (await srv.h.req({ method: 'GET', url: '/api/token', headers: { cookie: srv.h.adminCookie } })).json().token;
    });

    test('meshplay-provider cookie + meshplay-token header only: the header is read (the seed documents it) on every method', async () => {
      const hdr = `--header 'Cookie: meshplay-provider=Meshplay' --header 'meshplay-token: ${jwt}'`;
      assert.equal(expectJson(await sh(`curl -s ${url('/api/v1/auth/me')} ${hdr}`), 200).user.username, 'admin');
      // Meshplay: a GET without the cookie redirects to the provider's login, other methods get 404.
      const made = expectJson(await sh(`curl -s -X POST ${url('/api/v1/tokens')} ${hdr} -H 'content-type: application/json' -d '{"name":"via-header"}'`), 201);
      assert.equal(made.name, 'via-header');
      assert.equal(expectJson(await sh(`curl -s -X DELETE ${url(`/api/v1/tokens/${made.id}`)} ${hdr}`), 200).status, 'revoked');
    });
  });

  test('a revoked parent token stops the JWT derived from it', async () => {
    const parent = await srv.h.adminToken({ name: 'meshplay-parent' });
    const derived = (await srv.h.req({ method: 'GET', url: '/api/token', headers: bearer(parent.token) })).json().token;
    assert.equal((await sh(`curl -s ${url('/api/v1/auth/me')} --header 'meshplay-token: ${derived}'`)).status, 200);
    await srv.h.req({ method: 'DELETE', url: `/api/v1/tokens/${parent.id}`, headers: { cookie: srv.h.adminCookie } });
    assert.equal((await sh(`curl -s ${url('/api/v1/auth/me')} --header 'meshplay-token: ${derived}'`)).status, 401);
  });
});

describe('Meshplay provider None: single-user mode', () => {
  let srv: Server;
  before(async () => { srv = await startServer({ provider: 'none', host: '127.0.0.1' }); });
  after(async () => { await srv.close(); });

  test('§9: GET /api/token Cookie meshplay-provider=None → 200 {"meshplay-provider":"None","token":""}', async () => {
    const r = await sh(`curl -s ${srv.origin}/api/token --header 'Cookie: meshplay-provider=None'`);
    expectJson(r, 200);
    assert.equal(r.body, '{"meshplay-provider":"None","token":""}');
    // Without any cookie too (Tessera's provider comes from its configuration).
    assert.equal((await sh(`curl -s ${srv.origin}/api/token`)).body, '{"meshplay-provider":"None","token":""}');
  });

  test('the seed\'s curl example with that empty token works (curl drops the empty header; the empty cookie is no credential)', async () => {
    const me = expectJson(await sh(seedLine(srv.port, 'v1/auth/me', '')), 200);
    assert.equal(me.user.username, 'admin');
    assert.equal(me.credential.type, 'user');
  });

  test('every request without a credential acts as the built-in admin; no login needed', async () => {
    const me = await srv.h.req({ method: 'GET', url: '/api/v1/auth/me' });
    assert.equal(me.statusCode, 200);
    assert.equal(me.json().user.username, 'admin');
    assert.equal(me.json().credential.type, 'user');
    const created = await srv.h.req({ method: 'POST', url: '/api/v1/tokens', payload: { name: 'single' } });
    assert.equal(created.statusCode, 201);
    // With a credential, Get Token gives a JWT for it (Meshplay's None has no credentials at all).
    const t = await srv.h.req({ method: 'GET', url: '/api/token', headers: bearer(created.json().token) });
    assert.equal(t.json()['meshplay-provider'], 'None');
    const viaJwt = await srv.h.req({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(t.json().token) });
    assert.equal(viaJwt.statusCode, 200);
    assert.equal(viaJwt.json().credential.jwt, true);
  });

  test('a page on another origin cannot act as the admin', async () => {
    const r = await srv.h.req({ method: 'POST', url: '/api/v1/tokens', headers: { origin: 'https://evil.example' }, payload: { name: 'x' } });
    assert.equal(r.statusCode, 403);
    assert.equal(r.json().error.code, 'CSRF_REJECTED');
  });

  test('not even to read: a cross-origin fetch (Origin) or an image, script or link of another site (Sec-Fetch-Site) is refused', async () => {
    const refused = [
      { origin: 'https://evil.example' }, { origin: 'null' },
      { 'sec-fetch-site': 'cross-site' }, { 'sec-fetch-site': 'same-site' }, // same-site: another port of localhost
    ];
    for (const headers of refused) {
      for (const url of ['/api/v1/tokens', '/api/v1/auth/me', '/api/token']) {
        const r = await srv.h.req({ method: 'GET', url, headers });
        assert.equal(r.statusCode, 403, `${url} ${JSON.stringify(headers)}`);
        assert.equal(r.json().error.code, 'CSRF_REJECTED');
        assert.doesNotMatch(r.body, /"tokens"|"username"/);
      }
    }
    // The UI's own requests, a typed address, and requests with a credential of their own still pass.
    for (const headers of [{ 'sec-fetch-site': 'same-origin', origin: srv.origin }, { 'sec-fetch-site': 'none' }] as Record<string, string>[]) {
      const r = await fetch(`${srv.origin}/api/v1/auth/me`, { headers });
      assert.equal(r.status, 200, JSON.stringify(headers));
    }
    const created = await srv.h.req({ method: 'POST', url: '/api/v1/tokens', payload: { name: 'own-credential' } });
    const own = await srv.h.req({ method: 'GET', url: '/api/v1/auth/me', headers: { ...bearer(created.json().token), 'sec-fetch-site': 'cross-site' } });
    assert.equal(own.statusCode, 200);
  });

  test('a presented credential is still checked', async () => {
    const r = await srv.h.req({ method: 'GET', url: '/api/v1/auth/me', headers: bearer('tsr_garbage') });
    assert.equal(r.statusCode, 401);
  });

  test('refused at start on a non-loopback host unless forced', async () => {
    const cfg = loadConfig({}, { provider: 'none', host: '0.0.0.0', data_dir: `${srv.h.dir}/other` });
    await assert.rejects(createTessera(cfg), /provider 'none'.*refused on host '0.0.0.0'/);
    const forced = await createTessera(loadConfig({}, { provider: 'none', host: '0.0.0.0', allow_insecure_none: true, data_dir: `${srv.h.dir}/forced`, log_level: 'silent' }));
    await forced.close();
  });
});
