/**
 * Issue 17: token formats per kind (`tokens.format`: tessera, uuid, filebin). For each format a personal token is
 * created, used on every face — a native route, verify and forward-auth (each over the hot lane's socket and through
 * fastify), FileBin's `apikey` field, Semaphore, Query, Meshplay's header, `POST /message` (refused: not bound), JWT
 * exchange, introspection —, rotated (the new value keeps the format, the old one answers ROTATED) and revoked (every
 * face refuses it). Service and bound tokens follow their own setting; `POST /message` answers a UUID token with an
 * empty 202 (`message.accepted_body`).
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, test } from 'node:test';
import type { TokenFormat } from '../../src/core/tokens/format.js';
import { bearer, type Harness, type HarnessOverrides, startHarness } from '../helpers.js';
import { createToken, expectError } from './support.js';

const SHAPES: Record<TokenFormat, RegExp> = {
  tessera: /^tsr_[0-9A-Za-z]{33}$/,
  uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
  filebin: /^[0-9A-Za-z]{32}$/,
};
const form = { 'content-type': 'application/x-www-form-urlencoded' };
const COMMANDS = { echo: { id: 1, argv: ['/bin/echo'], args: 'any' as const, groups: [], timeout: 30, output_cap: 65_536 } };

interface Server { h: Harness; port: number; admin: string; close(): Promise<void> }

const start = async (overrides: HarnessOverrides): Promise<Server> => {
  const h = await startHarness({ log_level: 'warn', commands: COMMANDS, ...overrides });
  await h.t.app.listen({ port: 0, host: '127.0.0.1' });
  const port = (h.t.app.server.address() as { port: number }).port;
  return { h, port, admin: (await h.adminToken({ name: 'formats-admin' })).token, close: () => h.close() };
};

/** One request over a real socket (plain verify and forward-auth requests are the hot lane's). */
const overSocket = (port: number, method: string, path: string, headers: Record<string, string>, body?: string): Promise<{ status: number; body: string }> =>
  new Promise((resolve, reject) => {
    const q = request({ host: '127.0.0.1', port, method, path, headers: body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, body: Buffer.concat(chunks).toString('utf8') }));
    });
    q.on('error', reject);
    q.end(body);
  });

/** Verify's code for `token`, asked by `caller`, over the lane and through fastify: both must agree. */
const verifyCode = async (s: Server, token: string, caller = s.admin): Promise<string> => {
  const body = JSON.stringify({ token });
  const lane = s.h.t.app.hotLane!.served;
  const viaLane = await overSocket(s.port, 'POST', '/api/v1/verify', { ...bearer(caller), 'content-type': 'application/json' }, body);
  assert.equal(s.h.t.app.hotLane!.served - lane, 1, 'the lane answered');
  const viaFastify = await s.h.req({ method: 'POST', url: '/api/v1/verify', headers: bearer(caller), payload: { token } });
  assert.equal(viaLane.status, 200, viaLane.body);
  assert.equal(JSON.parse(viaLane.body).code, viaFastify.json().code);
  return viaFastify.json().code;
};

/** Forward-auth status for `token`, over the lane and through fastify. */
const forward = async (s: Server, token: string): Promise<number> => {
  const viaLane = await overSocket(s.port, 'GET', '/api/v1/auth/forward', bearer(token));
  const viaFastify = await s.h.req({ method: 'GET', url: '/api/v1/auth/forward', headers: bearer(token) });
  assert.equal(viaLane.status, viaFastify.statusCode);
  return viaFastify.statusCode;
};

/** Every face at once: the statuses (and codes) a full-access personal token of the admin gets. */
const faces = async (s: Server, v: string) => {
  const h = s.h;
  const me = await h.req({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(v) });
  const filebin = await h.req({ method: 'POST', url: '/api/v2.0.0/user/apikeys', headers: form, payload: `apikey=${encodeURIComponent(v)}` });
  const semaphore = await h.req({ method: 'GET', url: '/api/user/tokens', headers: bearer(v) });
  const query = await h.req({ method: 'GET', url: '/_/token', headers: bearer(v) });
  const meshplay = await h.req({ method: 'GET', url: '/api/token', headers: { 'meshplay-token': v } });
  const message = await h.req({ method: 'POST', url: '/message', headers: { token: v } });
  const introspect = await h.req({ method: 'POST', url: '/api/v1/introspect', headers: { ...bearer(s.admin), ...form }, payload: `token=${encodeURIComponent(v)}` });
  assert.equal(introspect.statusCode, 200, introspect.body);
  return {
    me: me.statusCode === 200 ? 200 : `${me.statusCode} ${me.json().error.code}`,
    verify: await verifyCode(s, v),
    forward: await forward(s, v),
    filebin: filebin.json().status === 'success' ? 'success' : filebin.json().error_id,
    semaphore: semaphore.statusCode,
    query: query.statusCode,
    meshplay: meshplay.statusCode,
    message: `${message.statusCode} ${message.json().error.code}`,
    introspect: introspect.json().active,
  };
};

const LIVE = { me: 200, verify: 'VALID', forward: 204, filebin: 'success', semaphore: 200, query: 200, meshplay: 200, message: '403 TOKEN_NOT_BOUND', introspect: true };
const dead = (code: string, verify: string) => ({ me: `401 ${code}`, verify, forward: 401, filebin: 'user/api-login-failed', semaphore: 401, query: 401, meshplay: 401, message: `401 ${code}`, introspect: false });

for (const format of ['tessera', 'uuid', 'filebin'] as const) {
  describe(`personal tokens in the ${format} format`, () => {
    let s: Server;
    before(async () => { s = await start({ tokens: { format: { personal: format, service: 'tessera', bound: 'uuid' } } }); });
    after(async () => { await s.close(); });

    test('create → the shape; every face accepts it; a JWT made from it works; rotate keeps the format, the old value says ROTATED; revoke stops it everywhere', async () => {
      const t = await createToken(s.h, { cookie: s.h.adminCookie }, { name: `fmt-${format}`, access: 'full' });
      assert.match(t.token, SHAPES[format]);
      assert.equal(t.body.prefix, format === 'tessera' ? t.token.slice(0, 10) : t.token.slice(0, 8), 'the display prefix');
      assert.deepEqual(await faces(s, t.token), LIVE);

      const jwt = await s.h.req({ method: 'POST', url: '/api/v1/auth/jwt', headers: bearer(t.token), payload: {} });
      assert.equal(jwt.statusCode, 200, jwt.body);
      const j = jwt.json().token as string;
      assert.equal((await s.h.req({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(j) })).statusCode, 200);

      const rotated = await s.h.req({ method: 'POST', url: `/api/v1/tokens/${t.id}/rotate`, headers: { cookie: s.h.adminCookie }, payload: {} });
      assert.equal(rotated.statusCode, 200, rotated.body);
      const v2 = rotated.json().token as string;
      assert.match(v2, SHAPES[format]);
      assert.deepEqual(await faces(s, t.token), dead('TOKEN_ROTATED', 'ROTATED'));
      assert.deepEqual(await faces(s, v2), LIVE);

      const revoked = await s.h.req({ method: 'DELETE', url: `/api/v1/tokens/${t.id}`, headers: { cookie: s.h.adminCookie } });
      assert.equal(revoked.statusCode, 200, revoked.body);
      assert.deepEqual(await faces(s, v2), dead('TOKEN_REVOKED', 'REVOKED'));
      expectError(await s.h.req({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(j) }), 401, 'TOKEN_REVOKED');
    });
  });
}

describe('service and bound tokens follow their own setting; POST /message and accepted_body', () => {
  const chat = async (s: Server, text: string): Promise<string> => {
    const r = await s.h.req({ method: 'POST', url: '/api/v1/chat', headers: { cookie: s.h.adminCookie }, payload: { text } });
    assert.equal(r.statusCode, 200, r.body);
    const m = /^created token (\S+)$/.exec(r.json().reply);
    assert.ok(m, r.body);
    return m[1]!;
  };
  const message = (s: Server, token: string) => s.h.req({ method: 'POST', url: '/message', headers: { token, ...form }, payload: 'message=hi' });

  test('service: filebin, bound: tessera, accepted_body auto → a Tessera bound token gets {"job_id"}', async () => {
    const s = await start({ tokens: { format: { personal: 'tessera', service: 'filebin', bound: 'tessera' } } });
    try {
      const svc = await createToken(s.h, { cookie: s.h.adminCookie }, { kind: 'service', name: 'svc' });
      assert.match(svc.token, SHAPES.filebin);
      assert.equal(await verifyCode(s, svc.token), 'VALID');
      assert.equal(await forward(s, svc.token), 204);
      const bound = await chat(s, 'token-new @admin #default echo');
      assert.match(bound, SHAPES.tessera);
      const r = await message(s, bound);
      assert.equal(r.statusCode, 202, r.body);
      assert.ok(Number.isInteger(r.json().job_id), r.body);
      assert.equal(await verifyCode(s, bound), 'BOUND', 'a bound token is looked up, then refused off /message');
    } finally { await s.close(); }
  });

  test('bound: uuid (default) with accepted_body job_id → the id; bound: tessera with accepted_body empty → empty', async () => {
    const a = await start({ message: { refusal_status: 202, accepted_body: 'job_id' } });
    try {
      const bound = await chat(a, 'token-new @admin #default echo');
      assert.match(bound, SHAPES.uuid);
      const r = await message(a, bound);
      assert.equal(r.statusCode, 202, r.body);
      assert.ok(Number.isInteger(r.json().job_id), r.body);
    } finally { await a.close(); }
    const b = await start({ tokens: { format: { personal: 'tessera', service: 'tessera', bound: 'tessera' } }, message: { refusal_status: 202, accepted_body: 'empty' } });
    try {
      const bound = await chat(b, 'token-new @admin #default echo');
      const r = await message(b, bound);
      assert.deepEqual([r.statusCode, r.body], [202, '']);
    } finally { await b.close(); }
  });
});
