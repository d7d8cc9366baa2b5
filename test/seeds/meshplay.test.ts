/**
 * Seed 004 (Meshplay): the token from "Get Token" (GET /api/token) is accepted in the `meshplay-token` header and the
 * `token` cookie, exactly as the seed's curl example sends it; provider None is single-user mode.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { loadConfig } from '../../src/config/load.js';
import { createTessera } from '../../src/main.js';
import { bearer, type Harness, startHarness } from '../helpers.js';

/** Runs a shell command line with real curl (asynchronously: the server is in this process) → status and body. */
const curl = async (line: string): Promise<{ status: number; body: string }> => {
  const { stdout: out } = await promisify(execFile)('bash', ['-c', `${line} -s -w '\\n%{http_code}'`], { encoding: 'utf8' });
  const i = out.lastIndexOf('\n');
  return { status: Number(out.slice(i + 1)), body: out.slice(0, i) };
};

describe('Meshplay, local provider', () => {
  let h: Harness;
  let base: string;
  before(async () => {
    h = await startHarness();
    await h.t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `localhost:${(h.t.app.server.address() as { port: number }).port}`;
  });
  after(async () => { await h.close(); });

  test('GET /api/token returns the provider and a JWT for the logged-in user (auth.json)', async () => {
    const r = await h.req({ method: 'GET', url: '/api/token', headers: { cookie: h.adminCookie } });
    assert.equal(r.statusCode, 200);
    assert.equal(r.json()['meshplay-provider'], 'Local');
    assert.match(r.json().token, /^eyJ[\w-]+\.[\w-]+\.[\w-]+$/);
    assert.equal((await h.req({ method: 'GET', url: '/api/token' })).statusCode, 401);
  });

  test('the seed\'s curl command line works as written (host and port aside)', async () => {
    const token = (await h.req({ method: 'GET', url: '/api/token', headers: { cookie: h.adminCookie } })).json().token;
    // The seed's line, with <endpoint> = v1/auth/me and <yourToken> filled in. The seed's first --header lacks its
    // closing quote (a typo that makes the shell swallow the next line); it is closed here.
    const line = `curl --location '${base}/api/v1/auth/me' \\
--header 'meshplay-token: ${token}' \\
--header 'Cookie: meshplay-provider=Meshplay; meshplay.khulnasoft.com_ref=/;token=${token}'`;
    const r = await curl(line);
    assert.equal(r.status, 200, r.body);
    assert.equal(JSON.parse(r.body).user.username, 'admin');
    assert.equal(JSON.parse(r.body).credential.jwt, true);
    // Each source alone works too, and so does a plain Tessera token in them.
    assert.equal((await curl(`curl '${base}/api/v1/auth/me' --header 'meshplay-token: ${token}'`)).status, 200);
    assert.equal((await curl(`curl '${base}/api/v1/auth/me' --header 'Cookie: meshplay-provider=Meshplay; token=${token}'`)).status, 200);
    const plain = await h.adminToken({ name: 'meshplay-plain' });
    assert.equal((await curl(`curl '${base}/api/v1/tokens' --header 'meshplay-token: ${plain.token}'`)).status, 200);
    assert.equal((await curl(`curl '${base}/api/v1/tokens' --header 'meshplay-token: ${token}x'`)).status, 401);
  });

  test('Swagger UI and the OpenAPI document are served (the seed\'s "Swagger UI Playground")', async () => {
    const ui = await curl(`curl '${base}/docs/'`);
    assert.equal(ui.status, 200);
    assert.match(ui.body, /swagger/i);
    const spec = JSON.parse((await curl(`curl '${base}/api/openapi.json'`)).body);
    assert.equal(spec.openapi, '3.1.0');
    assert.ok(spec.paths['/api/token']);
    assert.ok(spec.paths['/api/v1/auth/jwt']);
    assert.ok((spec.tags as { name: string }[]).some((t) => t.name === 'compat: meshplay'));
  });

  test('a revoked parent token stops the JWT derived from it', async () => {
    const parent = await h.adminToken({ name: 'meshplay-parent' });
    const jwt = (await h.req({ method: 'GET', url: '/api/token', headers: bearer(parent.token) })).json().token;
    assert.equal((await curl(`curl '${base}/api/v1/auth/me' --header 'meshplay-token: ${jwt}'`)).status, 200);
    await h.req({ method: 'DELETE', url: `/api/v1/tokens/${parent.id}`, headers: { cookie: h.adminCookie } });
    assert.equal((await curl(`curl '${base}/api/v1/auth/me' --header 'meshplay-token: ${jwt}'`)).status, 401);
  });
});

describe('Meshplay provider None: single-user mode', () => {
  let h: Harness;
  before(async () => { h = await startHarness({ provider: 'none', host: '127.0.0.1' }); });
  after(async () => { await h.close(); });

  test('every request without a credential acts as the built-in admin; no login needed', async () => {
    const me = await h.req({ method: 'GET', url: '/api/v1/auth/me' });
    assert.equal(me.statusCode, 200);
    assert.equal(me.json().user.username, 'admin');
    assert.equal(me.json().credential.type, 'user');
    const created = await h.req({ method: 'POST', url: '/api/v1/tokens', payload: { name: 'single' } });
    assert.equal(created.statusCode, 201);
    const t = await h.req({ method: 'GET', url: '/api/token' });
    assert.equal(t.json()['meshplay-provider'], 'None');
    const viaJwt = await h.req({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(t.json().token) });
    assert.equal(viaJwt.json().credential.jwt, true);
  });

  test('a page on another origin cannot act as the admin', async () => {
    const r = await h.req({ method: 'POST', url: '/api/v1/tokens', headers: { origin: 'https://evil.example' }, payload: { name: 'x' } });
    assert.equal(r.statusCode, 403);
    assert.equal(r.json().error.code, 'CSRF_REJECTED');
  });

  test('a presented credential is still checked', async () => {
    const r = await h.req({ method: 'GET', url: '/api/v1/auth/me', headers: bearer('tsr_garbage') });
    assert.equal(r.statusCode, 401);
  });

  test('refused at start on a non-loopback host unless forced', async () => {
    const cfg = loadConfig({}, { provider: 'none', host: '0.0.0.0', data_dir: `${h.dir}/other` });
    await assert.rejects(createTessera(cfg), /provider 'none'.*refused on host '0.0.0.0'/);
    const forced = await createTessera(loadConfig({}, { provider: 'none', host: '0.0.0.0', allow_insecure_none: true, data_dir: `${h.dir}/forced`, log_level: 'silent' }));
    await forced.close();
  });
});
