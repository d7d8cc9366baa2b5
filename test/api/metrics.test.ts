/**
 * Prometheus metrics (issue 19, docs/metrics.md): GET /metrics is off by default, refuses a scraper without the
 * configured token or outside `metrics.allow`, and its counters and histograms move with verify, forward-auth (both
 * lanes), login failures, jobs, the verifier cache and store errors; no token value or hash is ever in it.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { type Harness, bearer, startHarness } from '../helpers.js';
import { expectError, unknownToken } from './support.js';
import type { SqlStore } from '../../src/store/sql-store.js';

const SCRAPE = 'scrape-secret-0123456789';
const scraper = { authorization: `Bearer ${SCRAPE}` };

/** The value of the one sample `name{…}` whose labels include all of `labels` (0 when absent). */
const sample = (text: string, name: string, labels: Record<string, string> = {}): number => {
  const hits = text.split('\n').filter((l) => {
    if (!l.startsWith(`${name}{`) && !l.startsWith(`${name} `)) return false;
    return Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`));
  });
  assert.ok(hits.length <= 1, `one sample of ${name} ${JSON.stringify(labels)}, got:\n${hits.join('\n')}`);
  return hits.length === 0 ? 0 : Number(hits[0]!.slice(hits[0]!.lastIndexOf(' ') + 1));
};

describe('metrics off (the default)', () => {
  let h: Harness;
  before(async () => { h = await startHarness(); });
  after(async () => { await h.close(); });

  test('GET /metrics is 404 like any unknown path', async () => {
    expectError(await h.req({ method: 'GET', url: '/metrics', headers: scraper }), 404, 'ROUTE_NOT_FOUND');
  });
});

describe('metrics configuration', () => {
  test('enabled without a token or an allowlist refuses to start', async () => {
    await assert.rejects(startHarness({ metrics: { enabled: true, allow: [] } }), /metrics\.token .* or metrics\.allow/);
  });

  test('a malformed allow entry refuses to start', async () => {
    await assert.rejects(startHarness({ metrics: { enabled: true, allow: ['not-a-cidr'] } }), (e: Error) => /^invalid configuration: metrics\.allow: .* is not an address or CIDR block/.test(e.message) && e.message.split('metrics.allow').length === 2);
  });

  test('allow: a client outside the list gets 403, one inside the metrics', async () => {
    const h = await startHarness({ metrics: { enabled: true, allow: ['10.0.0.0/8'] } });
    try {
      expectError(await h.req({ method: 'GET', url: '/metrics', remoteAddress: '192.0.2.7' }), 403, 'FORBIDDEN', /metrics\.allow/);
      const r = await h.req({ method: 'GET', url: '/metrics', remoteAddress: '10.1.2.3' });
      assert.equal(r.statusCode, 200);
      assert.match(r.body, /^# HELP tessera_verifications_total /m);
    } finally { await h.close(); }
  });
});

describe('metrics on', () => {
  let h: Harness;
  let base: string;
  let admin: { id: string; token: string };
  const scrape = async (): Promise<string> => {
    const r = await h.req({ method: 'GET', url: '/metrics', headers: scraper });
    assert.equal(r.statusCode, 200, r.body);
    return r.body;
  };

  before(async () => {
    h = await startHarness({
      metrics: { enabled: true, token: SCRAPE, allow: [] },
      forward_auth: { profiles: { edge: { sources: ['bearer'], mode: 'nginx' } } } as never,
      commands: { hello: { id: 1, argv: ['/bin/true'] }, nope: { id: 2, argv: ['/bin/false'] }, ping: { id: 3, argv: ['/bin/true'] } } as never,
    });
    admin = await h.adminToken();
    await h.t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(h.t.app.server.address() as { port: number }).port}`;
  });
  after(async () => { await h.close(); });

  test('the scraper must send the token: none or a wrong one is 401', async () => {
    expectError(await h.req({ method: 'GET', url: '/metrics' }), 401, 'UNAUTHENTICATED');
    expectError(await h.req({ method: 'GET', url: '/metrics', headers: { authorization: 'Bearer scrape-secret-wrong-value' } }), 401, 'UNAUTHENTICATED');
    // A Tessera token is not the scrape token.
    expectError(await h.req({ method: 'GET', url: '/metrics', headers: bearer(admin.token) }), 401, 'UNAUTHENTICATED');
    const r = await h.req({ method: 'GET', url: '/metrics', headers: scraper });
    assert.equal(r.statusCode, 200);
    assert.equal(r.headers['content-type'], 'text/plain; version=0.0.4; charset=utf-8');
  });

  test('verify through fastify counts by code, the cache hit and the route latency', async () => {
    const m0 = await scrape();
    const verify = (token: string) => h.req({ method: 'POST', url: '/api/v1/verify', headers: bearer(admin.token), payload: { token } });
    assert.equal((await verify(admin.token)).json().code, 'VALID');
    assert.equal((await verify(unknownToken())).json().code, 'NOT_FOUND');
    assert.equal((await verify('tsr_garbage')).json().code, 'MALFORMED');
    const m1 = await scrape();
    const d = (name: string, labels: Record<string, string> = {}): number => sample(m1, name, labels) - sample(m0, name, labels);
    assert.equal(d('tessera_verifications_total', { face: 'verify', lane: 'fastify', code: 'VALID' }), 1);
    assert.equal(d('tessera_verifications_total', { face: 'verify', lane: 'fastify', code: 'NOT_FOUND' }), 1);
    assert.equal(d('tessera_verifications_total', { face: 'verify', lane: 'fastify', code: 'MALFORMED' }), 1);
    // The caller's own token (cached since adminToken) and the verified one: answered from the cache.
    assert.ok(d('tessera_verifier_cache_hits_total', { entry: 'token' }) >= 2);
    const route = { method: 'POST', route: '/api/v1/verify' };
    assert.equal(d('tessera_http_request_duration_seconds_count', route), 3);
    assert.equal(d('tessera_http_request_duration_seconds_bucket', { ...route, le: '+Inf' }), 3);
    assert.ok(sample(m1, 'tessera_http_request_duration_seconds_bucket', { ...route, le: '0.0001' }) >= 0);
    assert.ok(sample(m1, 'tessera_http_request_duration_seconds_sum', route) > 0);
    if (process.env.TESSERA_TEST_STORE !== 'postgres') {
      // SQLite's secret filter refused the unknown (well-formed) value without a lookup.
      assert.equal(d('tessera_secret_filter_rejections_total'), 1);
    }
  });

  test('a route of several methods is labelled with the method each request used', async () => {
    const m0 = await scrape();
    // Through fastify (inject): forward-auth answers GET, HEAD, POST … on one route.
    for (const method of ['GET', 'POST', 'POST'] as const) await h.req({ method, url: '/api/v1/auth/forward', headers: bearer(admin.token) });
    const m1 = await scrape();
    const d = (labels: Record<string, string>): number => sample(m1, 'tessera_http_request_duration_seconds_count', labels) - sample(m0, 'tessera_http_request_duration_seconds_count', labels);
    assert.equal(d({ method: 'GET', route: '/api/v1/auth/forward' }), 1);
    assert.equal(d({ method: 'POST', route: '/api/v1/auth/forward' }), 2);
    assert.doesNotMatch(m1, /method="[A-Z]+,[A-Z]/, 'no label lists a route\'s methods');
  });

  test('the hot lane: verify, forward-auth and a profile counted by lane, with their latency', async () => {
    const m0 = await scrape();
    const post = await fetch(`${base}/api/v1/verify`, { method: 'POST', headers: { ...bearer(admin.token), 'content-type': 'application/json' }, body: JSON.stringify({ token: admin.token }) });
    assert.equal((await post.json() as { code: string }).code, 'VALID');
    assert.equal((await fetch(`${base}/api/v1/auth/forward`, { headers: bearer(admin.token) })).status, 204);
    assert.equal((await fetch(`${base}/api/v1/auth/forward?access=read`)).status, 401);
    assert.equal((await fetch(`${base}/api/v1/auth/forward/edge`, { headers: bearer(admin.token) })).status, 204);
    assert.equal((await fetch(`${base}/api/v1/auth/forward/edge`, { headers: bearer(unknownToken()) })).status, 401);
    // Through fastify (a query the lane leaves to it).
    assert.equal((await h.req({ method: 'GET', url: '/api/v1/auth/forward', headers: bearer(admin.token) })).statusCode, 204);
    const m1 = await scrape();
    const d = (name: string, labels: Record<string, string>): number => sample(m1, name, labels) - sample(m0, name, labels);
    assert.equal(d('tessera_verifications_total', { face: 'verify', lane: 'hot', code: 'VALID' }), 1);
    assert.equal(d('tessera_verifications_total', { face: 'forward', lane: 'hot', code: 'VALID' }), 1);
    assert.equal(d('tessera_verifications_total', { face: 'forward', lane: 'hot', code: 'UNAUTHENTICATED' }), 1);
    assert.equal(d('tessera_verifications_total', { face: 'forward', lane: 'fastify', code: 'VALID' }), 1);
    assert.equal(d('tessera_verifications_total', { face: 'forward_profile', lane: 'hot', code: 'VALID' }), 1);
    assert.equal(d('tessera_verifications_total', { face: 'forward_profile', lane: 'hot', code: 'TOKEN_NOT_FOUND' }), 1);
    assert.equal(d('tessera_hot_lane_request_duration_seconds_count', { route: 'verify' }), 1);
    assert.equal(d('tessera_hot_lane_request_duration_seconds_count', { route: 'forward' }), 2);
    assert.equal(d('tessera_hot_lane_request_duration_seconds_bucket', { route: 'forward_profile', le: '+Inf' }), 2);
  });

  test('the jwt, introspect and compat faces', async () => {
    const m0 = await scrape();
    const jwt = (await h.req({ method: 'POST', url: '/api/v1/auth/jwt', headers: bearer(admin.token), payload: {} })).json().token as string;
    assert.equal((await h.req({ method: 'POST', url: '/api/v1/verify', headers: bearer(admin.token), payload: { token: jwt } })).json().code, 'VALID');
    const introspect = (token: string) => h.req({ method: 'POST', url: '/api/v1/introspect', headers: { ...bearer(admin.token), 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ token }).toString() });
    assert.equal((await introspect(admin.token)).json().active, true);
    assert.equal((await introspect(unknownToken())).json().active, false);
    // POST /message (seed 000) with a command-bound token, and with a general token (403 TOKEN_NOT_BOUND: code BOUND).
    const chat = await h.req({ method: 'POST', url: '/api/v1/chat', headers: { cookie: h.adminCookie }, payload: { text: 'token-new @admin #default ping' } });
    const bound = /^created token (\S+)$/.exec(chat.json().reply as string)?.[1] ?? assert.fail(chat.body);
    assert.equal((await h.req({ method: 'POST', url: '/message', headers: { token: bound } })).statusCode, 202);
    assert.equal((await h.req({ method: 'POST', url: '/message', headers: { token: admin.token } })).statusCode, 403);
    const m1 = await scrape();
    const d = (labels: Record<string, string>): number => sample(m1, 'tessera_verifications_total', labels) - sample(m0, 'tessera_verifications_total', labels);
    assert.equal(d({ face: 'jwt', lane: 'fastify', code: 'VALID' }), 1);
    assert.equal(d({ face: 'introspect', lane: 'fastify', code: 'VALID' }), 1);
    assert.equal(d({ face: 'introspect', lane: 'fastify', code: 'NOT_FOUND' }), 1);
    assert.equal(d({ face: 'compat', lane: 'fastify', code: 'VALID' }), 1);
    assert.equal(d({ face: 'compat', lane: 'fastify', code: 'BOUND' }), 1);
  });

  test('login failures by reason', async () => {
    const m0 = await scrape();
    expectError(await h.req({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'admin', password: 'wrong-password' } }), 401, 'INVALID_LOGIN');
    expectError(await h.req({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'nobody', password: 'wrong-password' } }), 401, 'INVALID_LOGIN');
    const m1 = await scrape();
    assert.equal(sample(m1, 'tessera_login_failures_total', { reason: 'bad_credentials' }) - sample(m0, 'tessera_login_failures_total', { reason: 'bad_credentials' }), 2);
  });

  test('jobs by command and outcome, with their duration', async () => {
    const run = async (name: string): Promise<number> => {
      const r = await h.req({ method: 'POST', url: `/api/v1/commands/${name}/run`, headers: bearer(admin.token), payload: {} });
      assert.equal(r.statusCode, 202, r.body);
      const id = r.json().id as number;
      await h.t.services.commands.wait(id);
      return id;
    };
    await run('hello');
    await run('hello');
    await run('nope');
    const m = await scrape();
    assert.equal(sample(m, 'tessera_jobs_total', { command: 'hello', outcome: 'succeeded' }), 2);
    assert.equal(sample(m, 'tessera_jobs_total', { command: 'nope', outcome: 'failed' }), 1);
    assert.equal(sample(m, 'tessera_job_duration_seconds_count', { command: 'hello', outcome: 'succeeded' }), 2);
    assert.equal(sample(m, 'tessera_job_duration_seconds_bucket', { command: 'hello', outcome: 'succeeded', le: '+Inf' }), 2);
    // Arguments refused: the run is refused (no job), and counted as rejected.
    expectError(await h.req({ method: 'POST', url: '/api/v1/commands/hello/run', headers: bearer(admin.token), payload: { args: ['x'] } }), 400, 'ARGS_REFUSED');
    assert.equal(sample(await scrape(), 'tessera_jobs_total', { command: 'hello', outcome: 'rejected' }), 1);
  });

  test('default process metrics are exposed', async () => {
    const m = await scrape();
    assert.match(m, /^process_cpu_user_seconds_total \d/m);
    assert.match(m, /^nodejs_eventloop_lag_seconds \d/m);
    assert.match(m, /^# TYPE tessera_verifications_total counter$/m);
    assert.match(m, /^# TYPE tessera_http_request_duration_seconds histogram$/m);
  });

  test('no token value, hash, session or scrape secret in the output', async () => {
    const m = await scrape();
    const sha = (v: string): string => createHash('sha256').update(v).digest('hex');
    const session = h.adminCookie.split('=')[1]!.split(';')[0]!;
    for (const secret of [admin.token, sha(admin.token), SCRAPE, session, sha(session)]) {
      assert.ok(!m.includes(secret), 'a secret is in /metrics');
    }
    assert.doesNotMatch(m, /tsr_[A-Za-z0-9]{20,}/);
    assert.doesNotMatch(m, /[0-9a-f]{64}/);
  });

  // Last: it breaks the store (a table is dropped).
  test('an unexpected store exception is counted as a store error', async () => {
    const before = sample(await scrape(), 'tessera_store_errors_total', { kind: 'unexpected' });
    await (h.t.services.store as SqlStore).db.schema.dropTable('login_throttle').execute();
    const r = await h.req({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'admin', password: 'wrong-password' } });
    expectError(r, 500, 'INTERNAL_ERROR');
    assert.equal(sample(await scrape(), 'tessera_store_errors_total', { kind: 'unexpected' }) - before, 1);
  });
});
