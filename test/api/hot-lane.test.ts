/**
 * The hot lane (src/http/hot-lane.ts) answers plain verify and forward-auth requests without fastify. Each request
 * here goes both ways — over a real socket (the lane) and through fastify's inject() (the routes) — and the two
 * answers must be the same: status, headers and body (request ids aside) — and each must be the expected answer
 * (status, and the error code or verification code), so two equally wrong answers fail too. Requests the lane must
 * leave alone are checked to reach fastify, and still get the right answer.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { writeHeapSnapshot } from 'node:v8';
import type { HotLane } from '../../src/http/hot-lane.js';
import { type EndpointAnswer, type EndpointRequest, endpointRequest } from '../../src/http/endpoints/request.js';
import type { VerifyEndpoint } from '../../src/http/endpoints/verify.js';
import { bearer, type Harness, startHarness } from '../helpers.js';
import { buildFixture, createToken, type Fixture, unknownToken } from './support.js';

interface Answer { status: number; headers: Record<string, string>; body: string }
interface Req { method: string; url: string; headers?: Record<string, string>; body?: string }

/** Headers that differ between two correct answers (connection management, time), or with the request id's length. */
const VOLATILE = new Set(['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding']);
const ID = /req_[0-9a-z]+/g;

const normal = (a: Answer): Answer => {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(a.headers)) if (!VOLATILE.has(k)) headers[k] = v;
  return { status: a.status, headers, body: a.body.replace(ID, 'req_ID') };
};

const overSocket = (port: number, r: Req): Promise<Answer> => new Promise((resolve, reject) => {
  const headers = { ...(r.headers ?? {}) };
  if (r.body !== undefined) headers['content-length'] ??= String(Buffer.byteLength(r.body));
  const q = request({ host: '127.0.0.1', port, method: r.method, path: r.url, headers }, (res) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      if (res.headers['content-length'] !== undefined && r.method !== 'HEAD') {
        assert.equal(Number(res.headers['content-length']), Buffer.byteLength(body), 'content-length matches the body');
      }
      resolve({ status: res.statusCode!, headers: res.headers as Record<string, string>, body });
    });
  });
  q.on('error', reject);
  q.end(r.body);
});

/**
 * Writes `raw` on a new connection (or lets `raw` write, in pieces); resolves with everything the server sent once a
 * whole answer is in.
 */
const rawExchange = (port: number, raw: string | ((s: Socket) => void)): Promise<string> => new Promise((resolve, reject) => {
  const s = connect(port, '127.0.0.1');
  const got: Buffer[] = [];
  s.on('data', (c: Buffer) => {
    got.push(c);
    const all = Buffer.concat(got).toString('utf8');
    const head = all.indexOf('\r\n\r\n');
    const len = /content-length: (\d+)/i.exec(all);
    if (head !== -1 && len && Buffer.byteLength(all.slice(head + 4)) >= Number(len[1])) { s.end(); resolve(all); }
  });
  s.on('error', reject);
  if (typeof raw === 'string') s.write(raw); else raw(s);
});

let h: Harness;
let f: Fixture;
let port: number;
let lane: HotLane;
before(async () => {
  h = await startHarness();
  f = await buildFixture(h);
  await h.t.app.listen({ port: 0, host: '127.0.0.1' });
  port = (h.t.app.server.address() as { port: number }).port;
  lane = h.t.app.hotLane!;
  assert.ok(lane, 'the lane is on by default');
});
after(async () => { await h.close(); });

/**
 * Asserts an answer: `'204'` (status), `'401 TOKEN_EXPIRED'` (status and the error envelope's code) or, for a 200 from
 * verify, `'200 VALID'` (the verification code).
 */
const expectAnswer = (a: Answer, want: string, method = 'GET'): void => {
  const [status, code] = [Number(want.split(' ')[0]), want.split(' ')[1]];
  assert.equal(a.status, status, `expected ${want}, got ${a.status}: ${a.body}`);
  if (code === undefined || method === 'HEAD') return;
  const body = JSON.parse(a.body) as { code?: string; error?: { code: string } };
  assert.equal(status >= 400 ? body.error?.code : body.code, code, a.body);
};

/** Sends `r` both ways; asserts whether the lane took it, that both answers agree, and that they are `want`. */
const both = async (r: Req, want: string, viaLane = true): Promise<Answer> => {
  const before = lane.served;
  const fromLane = await overSocket(port, r);
  assert.equal(lane.served - before, viaLane ? 1 : 0, viaLane ? 'the lane answered' : 'fastify answered');
  const i = await h.req({ method: r.method as 'GET', url: r.url, headers: { ...(r.headers ?? {}) }, ...(r.body !== undefined ? { payload: r.body } : {}) });
  const fromFastify: Answer = { status: i.statusCode, headers: i.headers as Record<string, string>, body: i.body };
  assert.deepEqual(normal(fromLane), normal(fromFastify));
  expectAnswer(fromLane, want, r.method);
  return fromLane;
};

const JSON_CT = { 'content-type': 'application/json' };
const run = promisify(execFile);
/** The lane's verify endpoint, called directly, and a request to hand it (alice's read token as the caller). */
const laneVerify = (): VerifyEndpoint => (lane as unknown as { p: { verify: VerifyEndpoint } }).p.verify;
const laneRequest = (): EndpointRequest =>
  endpointRequest('POST', { ...JSON_CT, ...bearer(f.alice.read) }, undefined, null, 'req_t', () => ({}), () => '', () => null, true);
const verifyReq = (body: unknown, headers: Record<string, string> = bearer(f.alice.read), raw?: string): Req =>
  ({ method: 'POST', url: '/api/v1/verify', headers: { ...JSON_CT, ...headers }, body: raw ?? JSON.stringify(body) });

describe('forward-auth through the lane answers as the fastify route does', () => {
  const fwd = (headers: Record<string, string> = {}, url = '/api/v1/auth/forward', method = 'GET'): Req => ({ method, url, headers });

  test('valid tokens: 204 with the identity headers (personal, service, every credential header)', async () => {
    const a = await both(fwd(bearer(f.alice.write)), '204');
    assert.equal(a.headers['x-tessera-user'], 'alice');
    assert.equal(a.headers['x-tessera-access'], 'write');
    assert.equal((await both(fwd(bearer(f.service)), '204')).headers['x-tessera-user'], undefined);
    await both(fwd({ token: f.alice.read }), '204');
    await both(fwd({ 'x-api-key': f.alice.read }), '204');
    await both(fwd({ 'meshplay-token': f.alice.read }), '204');
    await both(fwd({ authorization: `bearer ${f.alice.full}`, 'x-api-key': f.alice.full }), '204'); // the same value twice: one credential
  });

  test('every method, a trailing slash, and ?access=', async () => {
    for (const m of ['HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']) await both(fwd(bearer(f.alice.read), undefined, m), '204');
    await both(fwd(bearer(f.alice.read), '/api/v1/auth/forward/'), '204');
    await both(fwd(bearer(f.alice.full), '/api/v1/auth/forward?access=full'), '204');
    await both(fwd(bearer(f.alice.read), '/api/v1/auth/forward?access=write'), '403 INSUFFICIENT_ACCESS');
  });

  test('refusals: no credential, malformed, unknown, expired, inactive, revoked, disabled owner, wrong scheme, two credentials', async () => {
    h.clock.advance(0);
    assert.equal((await both(fwd(), '401 UNAUTHENTICATED')).headers['www-authenticate'], 'Bearer realm="tessera"');
    const bad = await both(fwd(bearer('tsr_definitely-not-valid')), '401 TOKEN_MALFORMED');
    assert.equal(bad.headers['www-authenticate'], 'Bearer realm="tessera", error="invalid_token"');
    const dead: [string, string][] = [[unknownToken(), 'TOKEN_NOT_FOUND'], [f.alice.expired, 'TOKEN_EXPIRED'], [f.alice.inactive, 'TOKEN_DISABLED'],
      [f.alice.revoked, 'TOKEN_REVOKED'], [f.disabledOwner, 'TOKEN_DISABLED']];
    for (const [t, code] of dead) await both(fwd(bearer(t)), `401 ${code}`);
    await both(fwd({ authorization: `Basic ${Buffer.from('a:b').toString('base64')}` }), '401 UNAUTHENTICATED');
    await both(fwd({ ...bearer(f.alice.read), 'x-api-key': f.alice.write }), '400 AMBIGUOUS_CREDENTIALS');
    await both(fwd(bearer(f.alice.read), '/api/v1/auth/forward', 'HEAD'), '204');
    await both(fwd(bearer(unknownToken()), '/api/v1/auth/forward', 'HEAD'), '401');
  });

  test('a JWT and a limited token: the same headers, Retry-After and RateLimit-* included', async () => {
    const jwt = await h.req({ method: 'POST', url: '/api/v1/auth/jwt', headers: bearer(f.alice.full), payload: {} });
    await both(fwd(bearer(jwt.json().token)), '204');
    // Each way spends uses: two tokens with the same limits, one per way, must answer alike.
    const a = await createToken(h, { cookie: f.alice.cookie }, { name: 'lim-a', access: 'read', remaining: 1, rate_limit: { limit: 5, window_seconds: 60 } });
    const b = await createToken(h, { cookie: f.alice.cookie }, { name: 'lim-b', access: 'read', remaining: 1, rate_limit: { limit: 5, window_seconds: 60 } });
    for (let i = 0; i < 2; i++) {
      const viaLane = normal(await overSocket(port, fwd(bearer(a.token))));
      const i2 = await h.req({ method: 'GET', url: '/api/v1/auth/forward', headers: bearer(b.token) });
      const viaFastify = normal({ status: i2.statusCode, headers: i2.headers as Record<string, string>, body: i2.body });
      delete viaLane.headers['x-tessera-token-id'];
      delete viaFastify.headers['x-tessera-token-id'];
      assert.deepEqual(viaLane, viaFastify);
      expectAnswer(viaLane, i === 0 ? '204' : '429 USAGE_EXCEEDED');
      // 204: the rate window's headers; 429 USAGE_EXCEEDED: no use left (and no refill, so no Retry-After).
      assert.equal(viaLane.headers['ratelimit-remaining'], i === 0 ? '4' : '0');
    }
  });

  test('left to fastify: a cookie, a body, another query', async () => {
    await both({ method: 'GET', url: '/api/v1/auth/forward', headers: { cookie: `token=${f.alice.read}` } }, '204', false);
    await both({ method: 'POST', url: '/api/v1/auth/forward', headers: { ...JSON_CT }, body: JSON.stringify({ apikey: f.alice.read }) }, '204', false);
    await both(fwd(bearer(f.alice.read), '/api/v1/auth/forward?access=root'), '400 VALIDATION_ERROR', false);
    await both(fwd(bearer(f.alice.read), '/api/v1/auth/forward?access=read&x=1'), '204', false);
  });
});

describe('POST /api/v1/verify through the lane answers as the fastify route does', () => {
  test('every verification code, and access levels', async () => {
    await both(verifyReq({ token: f.alice.write }), '200 VALID');
    const codes: [string, string][] = [['tsr_definitely-not-valid', '200 MALFORMED'], ['', '200 MALFORMED'], [unknownToken(), '200 NOT_FOUND'],
      [f.alice.expired, '200 EXPIRED'], [f.alice.revoked, '200 REVOKED'], [f.alice.inactive, '200 DISABLED'], [f.disabledOwner, '200 DISABLED'],
      [f.service, '200 VALID']];
    for (const [token, want] of codes) await both(verifyReq({ token }), want);
    await both(verifyReq({ token: f.alice.read, access: 'full' }), '200 INSUFFICIENT_ACCESS');
    await both(verifyReq({ token: f.alice.full, access: 'full' }), '200 VALID');
  });

  test('the usual body (read without JSON.parse), spaced out, or with an escape: one answer, both ways', async () => {
    const v = f.alice.write;
    const at = v.indexOf('_');
    assert.ok(at > 0, 'the value has an underscore to escape');
    const bodies = [`{"token":"${v}"}`, `{ "token" : "${v}" }`, `{"token":"${v.slice(0, at)}\\u005f${v.slice(at + 1)}"}`];
    const answers = [];
    for (const raw of bodies) answers.push(normal(await both(verifyReq(null, undefined, raw), '200 VALID')).body);
    assert.equal(new Set(answers).size, 1, 'the same answer for the three spellings');
    // The longest body the lane takes (4 KiB) holds a value the schema allows: answered as fastify answers it; one
    // byte more and fastify answers.
    const longest = `{"token":"tsr_${'x'.repeat(4096 - 16)}"}`;
    assert.equal(longest.length, 4096);
    await both(verifyReq(null, undefined, longest), '200 MALFORMED');
    await both(verifyReq(null, undefined, longest.replace('tsr_', 'tsr_x')), '200 MALFORMED', false);
    // Not of the shape, so JSON.parse's refusal: a raw control character in the value, an unfinished escape.
    for (const raw of [`{"token":"${v}\u0001"}`, `{"token":"${v}\\"}`]) await both(verifyReq(null, undefined, raw), '400 INVALID_JSON');
  });

  test('a value handed over without a body object is still held to the schema\'s length', async () => {
    const ask = async (token: string): Promise<EndpointAnswer> => laneVerify().answerToken(laneRequest(), token);
    const long = await ask('x'.repeat(8193));
    assert.equal(long.status, 400);
    assert.equal(JSON.parse(long.body!).error.code, 'VALIDATION_ERROR');
    assert.match(long.body!, /token/);
    const ok = await ask(f.alice.write);
    assert.equal(JSON.parse(ok.body!).code, 'VALID');
  });

  test('a body that arrives in pieces (a character split between two of them) is joined and answered', async () => {
    const payload = { token: f.alice.write, permissions: 'déploy:write' };
    const body = Buffer.from(JSON.stringify(payload));
    const cut = body.indexOf(0xc3) + 1; // between the two bytes of é
    const before = lane.served;
    const all = await rawExchange(port, (s) => {
      s.setNoDelay(true);
      s.write(`POST /api/v1/verify HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer ${f.alice.read}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`);
      s.write(body.subarray(0, 5));
      setTimeout(() => s.write(body.subarray(5, cut)), 20);
      setTimeout(() => s.write(body.subarray(cut)), 40);
    });
    const text = all.slice(all.indexOf('\r\n\r\n') + 4);
    assert.equal(lane.served - before, 1, 'the lane answered');
    const viaFastify = await h.req({ method: 'POST', url: '/api/v1/verify', headers: { ...JSON_CT, ...bearer(f.alice.read) }, payload });
    assert.equal(text.replace(ID, 'req_ID'), viaFastify.body.replace(ID, 'req_ID'));
    assert.ok(text.includes('déploy:write'), text);
  });

  test('headers as sent: any case of a name is read; a repeated one is read as node reads it', async () => {
    const body = JSON.stringify({ token: f.alice.write });
    const send = async (lines: string[]): Promise<{ viaLane: boolean; status: number; code: string }> => {
      const before = lane.served;
      const text = await rawExchange(port, `POST /api/v1/verify HTTP/1.1\r\nHost: t\r\n${lines.join('\r\n')}\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
      const [head, answer] = [text.slice(0, text.indexOf('\r\n\r\n')), JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4)) as { code?: string; error?: { code: string } }];
      return { viaLane: lane.served - before === 1, status: Number(head.split(' ')[1]), code: answer.code ?? answer.error!.code };
    };
    // Names in any case: the lane takes them and answers.
    for (const lines of [[`AUTHORIZATION: Bearer ${f.alice.read}`, 'CONTENT-TYPE: application/json'], [`x-API-key: ${f.alice.read}`, 'Content-type: Application/JSON; Charset=UTF-8']]) {
      assert.deepEqual(await send(lines), { viaLane: true, status: 200, code: 'VALID' }, lines.join(' | '));
    }
    // A repeated credential header: node keeps the first Authorization, and joins X-API-Key's values (not a token).
    const twice = await send([`Authorization: Bearer ${f.alice.read}`, `authorization: Bearer ${unknownToken()}`, 'Content-Type: application/json']);
    assert.deepEqual([twice.status, twice.code], [200, 'VALID']);
    const joined = await send([`X-API-Key: ${f.alice.read}`, `X-API-Key: ${f.alice.read}`, 'Content-Type: application/json']);
    assert.deepEqual([joined.status, joined.code], [401, 'TOKEN_MALFORMED']);
    // A Cookie header in any case: fastify's (the session and token cookies are credentials there).
    assert.deepEqual(await send([`Authorization: Bearer ${f.alice.read}`, 'COOKIE: theme=dark', 'Content-Type: application/json']), { viaLane: false, status: 200, code: 'VALID' });
  });

  test('a Tessera JWT: the same answer both ways (its parent, its access level)', async () => {
    const jwt = (await h.req({ method: 'POST', url: '/api/v1/auth/jwt', headers: bearer(f.alice.full), payload: { access: 'write' } })).json().token;
    const a = await both(verifyReq({ token: jwt }), '200 VALID');
    assert.equal(JSON.parse(a.body).jwt.parent, 'token');
    await both(verifyReq({ token: jwt, access: 'full' }), '200 INSUFFICIENT_ACCESS');
  });

  test('bad bodies: invalid JSON, poisoned JSON, wrong types, unknown and missing fields, null, an array', async () => {
    const raws: [string, string][] = [['{"token":', 'INVALID_JSON'], ['{"__proto__":{"x":1},"token":"a"}', 'INVALID_JSON'],
      ['{"constructor":{"prototype":{}},"token":"a"}', 'INVALID_JSON'], ['null', 'VALIDATION_ERROR'], ['[]', 'VALIDATION_ERROR'], ['"x"', 'VALIDATION_ERROR'], ['7', 'VALIDATION_ERROR']];
    for (const [raw, code] of raws) await both(verifyReq(null, undefined, raw), `400 ${code}`);
    for (const body of [{}, { token: 5 }, { token: 'x', extra: 1 }, { token: 'x', access: 'root' }]) {
      await both(verifyReq(body), '400 VALIDATION_ERROR');
    }
    // Longer than the lane's 4 KiB body limit: fastify answers, the same way.
    await both(verifyReq({ token: 'x'.repeat(8193) }), '400 VALIDATION_ERROR', false);
  });

  test('the caller: bad credentials, an apikey field, a bound token, the charset parameter', async () => {
    const callers: [string, string][] = [['tsr_definitely-not-valid', 'TOKEN_MALFORMED'], [unknownToken(), 'TOKEN_NOT_FOUND'], [f.alice.revoked, 'TOKEN_REVOKED'],
      [f.alice.expired, 'TOKEN_EXPIRED'], [f.alice.inactive, 'TOKEN_DISABLED'], [f.disabledOwner, 'TOKEN_DISABLED']];
    for (const [t, code] of callers) await both(verifyReq({ token: f.alice.read }, bearer(t)), `401 ${code}`);
    await both(verifyReq({ token: f.alice.read }, { authorization: 'Basic eDp5' }), '401 UNAUTHENTICATED');
    await both(verifyReq({ token: f.alice.read, apikey: f.alice.read }, bearer(f.alice.read)), '200 VALID');
    await both(verifyReq({ token: f.alice.read, apikey: f.alice.write }, bearer(f.alice.read)), '400 AMBIGUOUS_CREDENTIALS');
    await both(verifyReq({ token: f.alice.read }, { 'x-api-key': f.alice.read }), '200 VALID');
    await both(verifyReq({ token: f.alice.read }, { ...bearer(f.alice.read), 'content-type': 'application/json; charset=utf-8' }), '200 VALID');
    // A bad body and a bad caller: the body is parsed first (as fastify does), the caller checked before validation.
    await both(verifyReq(null, bearer(unknownToken()), '{"token":'), '400 INVALID_JSON');
    await both(verifyReq({ token: 5 }, bearer(unknownToken())), '401 TOKEN_NOT_FOUND');
  });

  test('left to fastify: a cookie, another content type, no credential header, a large or chunked body', async () => {
    await both({ ...verifyReq({ token: f.alice.read }, { cookie: f.alice.cookie }) }, '200 VALID', false);
    await both({ ...verifyReq({ token: f.alice.read }), headers: { ...bearer(f.alice.read), 'content-type': 'text/plain' } }, '415 UNSUPPORTED_MEDIA_TYPE', false);
    await both(verifyReq({ token: f.alice.read }, {}), '401 UNAUTHENTICATED', false);
    await both(verifyReq({ token: f.alice.read, apikey: f.alice.read }, {}), '200 VALID', false);
    await both(verifyReq(null, bearer(f.alice.read), JSON.stringify({ token: f.alice.read }) + ' '.repeat(5000)), '200 VALID', false);
    await both({ method: 'GET', url: '/api/v1/verify', headers: bearer(f.alice.read) }, '404 ROUTE_NOT_FOUND', false);
  });

  test('request log lines for the lane: the request id and a masked URL, never a token value', async () => {
    const t = await createToken(h, { cookie: f.alice.cookie }, { name: 'log-me', access: 'read' });
    await both(verifyReq({ token: t.token }, bearer(t.token)), '200 VALID');
    await both({ method: 'GET', url: '/api/v1/auth/forward', headers: bearer(t.token) }, '204');
    const lines = h.logs().split('\n').filter(Boolean).map((l) => JSON.parse(l) as { msg: string; reqId?: string; req?: { url: string } });
    const lastLane = lines.filter((l) => l.msg === 'request completed' && l.reqId).at(-1);
    assert.ok(lastLane, 'a request completed line');
    assert.ok(lines.some((l) => l.msg === 'incoming request' && l.req?.url === '/api/v1/auth/forward' && l.reqId !== undefined));
    assert.ok(!h.logs().includes(t.token), 'no token value in the log');
  });
});

describe('a verify body with more than its token: the rest is kept by its text', () => {
  const QUERY = { and: ['tessera:read', { or: ['tessera:write', 'tessera:full'] }] };
  /** The raw body `{"token":"<token>",<rest>`, as a client that writes the token first sends it. */
  const withRest = (token: string, rest: string): Req => verifyReq(null, undefined, `{"token":"${token}",${rest}`);

  test('a permission query or an access level: the same answers the first time and after, for any token', async () => {
    const query = `"permissions":${JSON.stringify(QUERY)}}`;
    for (let i = 0; i < 2; i++) {
      await both(withRest(f.alice.write, query), '200 VALID');
      const no = JSON.parse((await both(withRest(f.alice.read, query), '200 INSUFFICIENT_PERMISSIONS')).body) as { missing: string[] };
      assert.deepEqual(no.missing, ['tessera:write', 'tessera:full']);
      await both(withRest(f.alice.expired, query), '200 EXPIRED');
      await both(withRest(unknownToken(), query), '200 NOT_FOUND');
      await both(withRest(f.alice.read, '"access":"full"}'), '200 INSUFFICIENT_ACCESS');
      await both(withRest(f.alice.full, '"access":"full","permissions":"tessera:full"}'), '200 VALID');
    }
  });

  test('a rest that names the token, or a client address, is not kept: each body is read as JSON reads it', async () => {
    // JSON.parse keeps the last of two "token" keys: the rest decides the token, whatever comes first.
    for (const first of [f.alice.write, f.alice.read, unknownToken(), f.alice.write]) {
      await both(withRest(first, `"access":"write","token":"${f.alice.write}"}`), '200 VALID');
    }
    // A token allowed from 10.0.0.0/8 only: the body's address decides, every time.
    const net = await createToken(h, { cookie: f.alice.cookie }, { name: 'rest-net', access: 'read', allowed_cidrs: ['10.0.0.0/8'] });
    for (let i = 0; i < 2; i++) {
      await both(withRest(net.token, '"ip":"10.1.2.3"}'), '200 VALID');
      await both(withRest(net.token, '"ip":"192.168.1.1"}'), '200 IP_NOT_ALLOWED');
      await both(withRest(net.token, '"access":"read","ip":"10.1.2.3"}'), '200 VALID');
    }
  });

  test('a bad rest is refused every time; a value over the schema\'s length with a known rest is validated', async () => {
    for (let i = 0; i < 2; i++) {
      await both(withRest(f.alice.read, '"access":"root"}'), '400 VALIDATION_ERROR');
      await both(withRest(f.alice.read, '"permissions":"deploy:*"}'), '400 VALIDATION_ERROR');
      await both(withRest(f.alice.read, '"extra":1}'), '400 VALIDATION_ERROR');
      await both(withRest(f.alice.read, '"access":"read"'), '400 INVALID_JSON');
      await both(withRest(f.alice.read, '"access":"read"}'), '200 VALID');
      await both(withRest(f.alice.read, '"access":"read"} '), '200 VALID');
    }
    assert.ok(laneVerify().answerKnownRest(laneRequest(), f.alice.read, '"access":"read"}') !== undefined, 'the rest is known');
    assert.equal(laneVerify().answerKnownRest(laneRequest(), 'x'.repeat(8193), '"access":"read"}'), undefined, 'too long: parsed and validated');
  });

  test('a kept rest holds nothing of the body it came from: no token value stays in memory', async () => {
    const value = `tsr_${'q'.repeat(24)}${Date.now().toString(36)}`;
    // Sent by curl, the body written by the shell: this process holds the value, never a text with the body's.
    const before = lane.served;
    const { stdout } = await run('sh', ['-c', 'curl -s -X POST "$URL" -H "content-type: application/json" -H "authorization: Bearer $CALLER" '
      + '--data-binary "{\\"token\\":\\"$VALUE\\",\\"permissions\\":\\"tessera:read\\",\\"access\\":\\"read\\"}"'],
    { env: { ...process.env, URL: `http://127.0.0.1:${port}/api/v1/verify`, CALLER: f.alice.read, VALUE: value } });
    assert.equal((JSON.parse(stdout) as { code: string }).code, 'MALFORMED', stdout);
    assert.equal(lane.served - before, 1, 'the lane answered');
    assert.ok(laneVerify().answerKnownRest(laneRequest(), f.alice.read, '"permissions":"tessera:read","access":"read"}') !== undefined, 'the rest is known');
    // A heap snapshot holds what is reachable (it collects garbage first): the rest's key, but no trace of the value.
    // V8 keeps the subject of the last successful regular expression match (RegExp.input): make it another string.
    assert.ok(/reset/.test('reset'));
    const dir = mkdtempSync(join(tmpdir(), 'tessera-heap-'));
    try {
      const file = writeHeapSnapshot(join(dir, 'lane.heapsnapshot'));
      const heap = readFileSync(file, 'utf8');
      assert.ok(heap.includes('\\"permissions\\":\\"tessera:read\\",\\"access\\":\\"read\\"}'), 'the kept rest is in the heap');
      // The test holds the value itself; what must be gone is the body's text around it (a slice keeps its parent).
      assert.ok(!heap.includes(`{\\"token\\":\\"${value}\\",`), 'the body, with its token value, is not');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('verify_policy through the lane', () => {
  for (const policy of ['admin', 'public'] as const) {
    test(`${policy}: the same answers both ways`, async () => {
      const p = await startHarness({ verify_policy: policy });
      try {
        await p.t.app.listen({ port: 0, host: '127.0.0.1' });
        const pport = (p.t.app.server.address() as { port: number }).port;
        const admin = await p.adminToken({ name: 'adm' });
        const user = await p.createUser('dave');
        const cases: [Req, boolean, string][] = [
          [{ method: 'POST', url: '/api/v1/verify', headers: { ...JSON_CT, ...bearer(admin.token) }, body: JSON.stringify({ token: user.token }) }, true, '200 VALID'],
          [{ method: 'POST', url: '/api/v1/verify', headers: { ...JSON_CT, ...bearer(user.token) }, body: JSON.stringify({ token: admin.token }) }, true,
            policy === 'admin' ? '403 FORBIDDEN' : '200 VALID'],
          [{ method: 'POST', url: '/api/v1/verify', headers: { ...JSON_CT }, body: JSON.stringify({ token: admin.token }) }, policy === 'public',
            policy === 'admin' ? '401 UNAUTHENTICATED' : '200 VALID'],
        ];
        for (const [r, viaLane, want] of cases) {
          const before = p.t.app.hotLane!.served;
          const a = await overSocket(pport, r);
          assert.equal(p.t.app.hotLane!.served - before, viaLane ? 1 : 0);
          const i = await p.req({ method: 'POST', url: r.url, headers: r.headers, payload: r.body });
          assert.deepEqual(normal(a), normal({ status: i.statusCode, headers: i.headers as Record<string, string>, body: i.body }));
          expectAnswer(a, want, r.method);
        }
      } finally {
        await p.close();
      }
    });
  }
});
