/**
 * Forward-auth profiles (issue 19): `GET /api/v1/auth/forward/<profile>` reads only the profile's credential sources,
 * needs its access level, always sends the X-Tessera-* headers, and in mode nginx tells every refusal as 401 or 403
 * with the reason in X-Tessera-Error. Requests the lane takes go both ways (socket and inject) and must agree.
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { nginxStatus } from '../../src/http/endpoints/forward-profile.js';
import { bearer, type Harness, startHarness } from '../helpers.js';
import { buildFixture, createToken, type Fixture } from './support.js';

interface Answer { status: number; headers: Record<string, string>; body: string }

const overSocket = (port: number, url: string, headers: Record<string, string>, method = 'GET'): Promise<Answer> => new Promise((resolve, reject) => {
  const q = request({ host: '127.0.0.1', port, method, path: url, headers }, (res) => {
    let body = '';
    res.setEncoding('utf8');
    res.on('data', (c: string) => { body += c; });
    res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers as Record<string, string>, body }));
  });
  q.on('error', reject);
  q.end();
});

const VOLATILE = new Set(['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding']);
const normal = (a: Answer): Answer => ({
  status: a.status, body: a.body.replace(/req_[0-9a-z]+/g, 'req_ID'),
  headers: Object.fromEntries(Object.entries(a.headers).filter(([k]) => !VOLATILE.has(k))),
});

const PROFILES = {
  bearer: { sources: ['bearer'], mode: 'standard' },
  headers: { sources: ['bearer', 'token_header', 'headers'], mode: 'standard' },
  basic: { sources: ['basic'], mode: 'standard' },
  cookies: { sources: ['token_cookie', 'session_cookie'], mode: 'standard' },
  edge: { sources: ['bearer', 'token_header', 'headers'], mode: 'nginx' },
  'edge-write': { sources: ['bearer'], access: 'write', mode: 'nginx' },
} as const;

let h: Harness;
let f: Fixture;
let port: number;
before(async () => {
  h = await startHarness({ forward_auth: { profiles: PROFILES as never } });
  f = await buildFixture(h);
  await h.t.app.listen({ port: 0, host: '127.0.0.1' });
  port = (h.t.app.server.address() as { port: number }).port;
});
after(async () => { await h.close(); });

const url = (p: string): string => `/api/v1/auth/forward/${p}`;
const HEADERS = ['x-tessera-user', 'x-tessera-user-id', 'x-tessera-token-id', 'x-tessera-access', 'x-tessera-error'];

/** Over the socket (through the lane when `viaLane`), then through fastify; both must agree. */
const both = async (profile: string, headers: Record<string, string>, want: number, viaLane = true, method = 'GET'): Promise<Answer> => {
  const lane = h.t.app.hotLane;
  const before = lane.served;
  const a = await overSocket(port, url(profile), headers, method);
  assert.equal(lane.served - before, viaLane ? 1 : 0, viaLane ? 'the lane answered' : 'fastify answered');
  const i = await h.req({ method: method as 'GET', url: url(profile), headers });
  assert.deepEqual(normal(a), normal({ status: i.statusCode, headers: i.headers as Record<string, string>, body: i.body }));
  assert.equal(a.status, want, a.body);
  for (const k of HEADERS) assert.equal(typeof a.headers[k], 'string', `${k} is always present`);
  return a;
};

describe('credential sources', () => {
  test('a valid Bearer token: 204 with every X-Tessera-* header, X-Tessera-Error empty', async () => {
    const a = await both('bearer', bearer(f.alice.write), 204);
    assert.equal(a.headers['x-tessera-user'], 'alice');
    assert.match(a.headers['x-tessera-user-id']!, /^\d+$/);
    assert.match(a.headers['x-tessera-token-id']!, /^tok_/);
    assert.equal(a.headers['x-tessera-access'], 'write');
    assert.equal(a.headers['x-tessera-error'], '');
    const s = await both('bearer', bearer(f.service), 204);
    assert.equal(s.headers['x-tessera-user'], '', 'a service token has no user: present and empty');
  });

  test('a source the profile does not read is not looked at: TOKEN header, X-API-Key, cookies, Basic', async () => {
    assert.equal((await both('bearer', { token: f.alice.read }, 401)).headers['x-tessera-error'], 'UNAUTHENTICATED');
    assert.equal((await both('bearer', { 'x-api-key': f.alice.read }, 401)).headers['x-tessera-error'], 'UNAUTHENTICATED');
    await both('headers', { 'x-api-key': f.alice.read }, 204);
    await both('headers', { token: f.alice.read }, 204);
    // The app's own `token` cookie next to a Bearer token: no AMBIGUOUS_CREDENTIALS (the lane takes it: no cookie read).
    await both('bearer', { ...bearer(f.alice.read), cookie: 'token=the-apps-own; tessera_session=xyz' }, 204);
    // An app's own Basic auth is not a credential for a Bearer profile.
    const basic = `Basic ${Buffer.from('bob:secret').toString('base64')}`;
    assert.equal((await both('bearer', { authorization: basic }, 401)).headers['x-tessera-error'], 'UNAUTHENTICATED');
  });

  test('basic: the password is the token (user name ignored); a wrong one is refused', async () => {
    const ok = await both('basic', { authorization: `Basic ${Buffer.from(`anything:${f.alice.read}`).toString('base64')}` }, 204);
    assert.equal(ok.headers['x-tessera-user'], 'alice');
    const bad = await both('basic', { authorization: `Basic ${Buffer.from('x:tsr_nope').toString('base64')}` }, 401);
    assert.equal(bad.headers['x-tessera-error'], 'TOKEN_MALFORMED');
    await both('basic', bearer(f.alice.read), 401); // Bearer is not read by this profile
  });

  test('cookies: the token cookie and the session cookie (X-Tessera-Token-Id present and empty for a session)', async () => {
    await both('cookies', { cookie: `token=${f.alice.read}` }, 204, false);
    const u = await h.createUser('profilecookie');
    const s = await both('cookies', { cookie: u.cookie }, 204, false);
    assert.equal(s.headers['x-tessera-user'], 'profilecookie');
    assert.equal(s.headers['x-tessera-token-id'], '');
    // A cookie-authenticated write from another origin is refused (the CSRF rule of /api/v1/auth/forward).
    // (Over the socket only: the message names the server's origin, which inject() sees differently.)
    const csrf = await overSocket(port, url('cookies'), { cookie: u.cookie, origin: 'https://evil.example', 'x-forwarded-method': 'POST' });
    assert.equal(csrf.status, 403, csrf.body);
    assert.equal(csrf.headers['x-tessera-error'], 'CSRF_REJECTED');
  });

  test('two different credentials among the read sources: 400 (standard), 401 (nginx); unknown profile 404', async () => {
    const two = { ...bearer(f.alice.read), 'x-api-key': f.alice.write };
    assert.equal((await both('headers', two, 400)).headers['x-tessera-error'], 'AMBIGUOUS_CREDENTIALS');
    assert.equal((await both('edge', two, 401)).headers['x-tessera-error'], 'AMBIGUOUS_CREDENTIALS');
    for (const name of ['nope', 'Edge', 'a.b', '_x', 'x'.repeat(70), '__proto__', 'constructor']) {
      const r = await h.req({ method: 'GET', url: url(name), headers: bearer(f.alice.read) });
      assert.equal(r.statusCode, 404, `${name}: ${r.body}`);
      assert.equal(r.json().error.code, 'ROUTE_NOT_FOUND');
    }
  });
});

describe('access and the nginx mode', () => {
  test('access: write refuses a read token with 403 INSUFFICIENT_ACCESS', async () => {
    assert.equal((await both('edge-write', bearer(f.alice.read), 403)).headers['x-tessera-error'], 'INSUFFICIENT_ACCESS');
    await both('edge-write', bearer(f.alice.write), 204);
  });

  test('nginx: a rate-limited token → 403 with X-Tessera-Error RATE_LIMITED and Retry-After/RateLimit-* kept', async () => {
    const t = await createToken(h, { cookie: h.adminCookie }, { access: 'full', rate_limit: { limit: 1, window_seconds: 3600 } });
    const ok = await overSocket(port, url('edge'), bearer(t.token));
    assert.equal(ok.status, 204);
    assert.equal(ok.headers['ratelimit-limit'], '1');
    const r = await overSocket(port, url('edge'), bearer(t.token));
    assert.equal(r.status, 403, r.body);
    assert.equal(r.headers['x-tessera-error'], 'RATE_LIMITED');
    assert.ok(Number(r.headers['retry-after']) >= 1);
    assert.equal(r.headers['ratelimit-remaining'], '0');
    assert.equal(JSON.parse(r.body).error.code, 'RATE_LIMITED');
  });

  test('nginxStatus: 401/403/2xx/5xx kept, 400 → 401, 429 and other 4xx → 403', () => {
    assert.deepEqual([204, 401, 403, 400, 429, 404, 409, 503].map(nginxStatus), [204, 401, 403, 401, 403, 403, 403, 503]);
  });

  test('/api/v1/auth/forward without a profile keeps its answers (no X-Tessera-Error, 400 and 429 as before)', async () => {
    const r = await overSocket(port, '/api/v1/auth/forward', bearer(f.alice.read));
    assert.equal(r.status, 204);
    assert.equal(r.headers['x-tessera-error'], undefined);
    const two = await overSocket(port, '/api/v1/auth/forward', { ...bearer(f.alice.read), 'x-api-key': f.alice.write });
    assert.equal(two.status, 400);
  });
});
