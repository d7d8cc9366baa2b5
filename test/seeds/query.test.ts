/**
 * Seed 003 (Query's token admin API, `/_/token`) against a listening Tessera with real curl. The seed prints no
 * command lines, only requests and an example body; each is sent with curl as the seed describes it, then the §9
 * vectors (Query's hurl/token/*.hurl) and the unit and rotation details of reference §4.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { bearer } from '../helpers.js';
import { addUser, expectEmpty, expectJson, type Server, sh, startServer, TOKEN_SHAPE } from './support.js';

describe('Query token admin API (seed 003)', () => {
  let srv: Server;
  let admin: string;
  /** One request as the seed describes it: `Authorization: Bearer`, a JSON body. */
  const q = (method: string, path: string, body?: unknown, token = admin) =>
    sh(`curl -s -X ${method} -H 'Authorization: Bearer ${token}' ${body === undefined ? '' : `-H 'Content-Type: application/json' -d '${JSON.stringify(body)}'`} '${srv.origin}${path}'`);
  const expectText = async (p: ReturnType<typeof q>, status: number, text: string) => {
    const r = await p;
    assert.equal(r.status, status, r.body);
    assert.match(r.headers['content-type'] ?? '', /^text\/plain/);
    assert.equal(r.body, text);
  };
  const value = async (name: string): Promise<string> => expectJson(await q('GET', `/_/token/value?name=${name}`), 200).data[0].token;
  const verify = async (token: string, access?: string): Promise<string> =>
    (await srv.h.req({ method: 'POST', url: '/api/v1/verify', headers: bearer(admin), payload: { token, ...(access ? { access } : {}) } })).json().code;
  const rows = async (): Promise<any[]> => expectJson(await q('GET', '/_/token'), 200).data;

  before(async () => {
    srv = await startServer();
    admin = (await srv.h.adminToken({ name: 'query-admin' })).token;
  });
  after(async () => { await srv.close(); });

  describe('the seed\'s requests', () => {
    const example = { name: 'example', expiration_date: 1632960000000, active: true, write: true };

    test('POST /_/token with the seed\'s example body as printed → 201 "" (as Query): the token exists, expired at its past date', async () => {
      expectEmpty(await q('POST', '/_/token', example), 201);
      const row = (await rows()).find((r) => r.name === 'example');
      assert.equal(row.expiration_date, 1632960000000);
      assert.equal(await verify(await value('example')), 'EXPIRED');
      const native = (await srv.h.req({ method: 'GET', url: `/api/v1/tokens/${row.id}`, headers: bearer(admin) })).json();
      assert.equal(native.status, 'expired');
    });

    test('GET /_/token lists the tokens', async () => {
      const b = expectJson(await q('GET', '/_/token'), 200);
      assert.deepEqual(Object.keys(b), ['data']);
      assert.deepEqual(Object.keys(b.data[0]), ['id', 'name', 'token', 'expiration_date', 'active', 'write', 'created_at', 'updated_at']);
    });

    test('PUT /_/token with the example body as printed → 200 ""; still expired; the old value says ROTATED', async () => {
      const before = await value('example');
      expectEmpty(await q('PUT', '/_/token', example), 200);
      const after = await value('example');
      assert.notEqual(after, before, 'every PUT rotates the value, as Query');
      assert.equal((await rows()).find((r) => r.name === 'example').expiration_date, 1632960000000);
      assert.equal(await verify(after), 'EXPIRED');
      assert.equal(await verify(before), 'ROTATED', 'the replaced value says what happened to it');
      const future = srv.h.clock.now() + 60 * 86_400_000;
      expectEmpty(await q('PUT', '/_/token', { ...example, expiration_date: future }), 200);
      assert.equal((await rows()).find((r) => r.name === 'example').expiration_date, future);
      assert.equal(await verify(after), 'ROTATED');
      // Its own expiry (60 days ahead) does not hide why the old value stopped.
      const r = await srv.h.req({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(after) });
      assert.equal(r.statusCode, 401);
      assert.equal(r.json().error.code, 'TOKEN_ROTATED');
    });

    test('GET /_/token/value?name=example → its value, which works', async () => {
      const v = await value('example');
      assert.match(v, TOKEN_SHAPE);
      assert.equal(await verify(v), 'VALID');
    });

    test('DELETE /_/token {"name"} (a body on DELETE)', async () => {
      expectEmpty(await q('DELETE', '/_/token', { name: 'example' }), 200);
      assert.equal((await rows()).find((r) => r.name === 'example'), undefined);
    });
  });

  describe('§9 vectors', () => {
    let t1: string;

    test('POST {"name":"t1"} → 201 ""; again → 201 "" (ignored)', async () => {
      expectEmpty(await q('POST', '/_/token', { name: 't1' }), 201);
      t1 = await value('t1');
      expectEmpty(await q('POST', '/_/token', { name: 't1', write: false }), 201);
      assert.equal((await rows()).filter((r) => r.name === 't1').length, 1);
      assert.equal(await value('t1'), t1, 'the second POST changed nothing');
    });

    test('POST {"name":"t2","expiration_date":1} → 400, plain text', async () => {
      await expectText(q('POST', '/_/token', { name: 't2', expiration_date: 1 }), 400, 'The expiration_date must be greater than current time');
    });

    test('GET /_/token → rows with 0/1 flags; a value is never listed', async () => {
      const r = expectJson(await q('GET', '/_/token'), 200);
      const row = r.data.find((x: { name: string }) => x.name === 't1');
      assert.deepEqual(row, {
        id: row.id, name: 't1', token: row.token, expiration_date: row.updated_at, active: 1, write: 1, created_at: row.created_at, updated_at: row.updated_at,
      });
      assert.match(row.id, /^tok_/);
      assert.ok(t1.startsWith(row.token.replace('…', '')), 'the listed token is the value\'s display prefix');
      assert.ok(!JSON.stringify(r).includes(t1));
    });

    test('GET /_/token/value?name=t1 → {"data":[{"token"}]}; a missing name → {"data":[]}', async () => {
      assert.deepEqual(expectJson(await q('GET', '/_/token/value?name=t1'), 200), { data: [{ token: t1 }] });
      assert.deepEqual(expectJson(await q('GET', '/_/token/value?name=missing'), 200), { data: [] });
    });

    test('PUT {"name":"t1","active":false} → 200 ""; the value is rotated to a new, working one', async () => {
      expectEmpty(await q('PUT', '/_/token', { name: 't1', active: false }), 200);
      const after = await value('t1');
      assert.notEqual(after, t1);
      assert.equal(await verify(t1), 'ROTATED', 'the old value stopped at once');
      assert.equal(await verify(after), 'DISABLED', 'switched off, as asked');
      assert.equal((await rows()).find((r) => r.name === 't1').active, 0);
      expectEmpty(await q('PUT', '/_/token', { name: 't1', active: true }), 200);
      assert.equal(await verify(await value('t1')), 'VALID');
    });

    test('DELETE {"name":"t1"} → 200 ""; it stops working and is gone; an unknown name → 200', async () => {
      const v = await value('t1');
      expectEmpty(await q('DELETE', '/_/token', { name: 't1' }), 200);
      assert.equal(await verify(v), 'REVOKED');
      assert.deepEqual(expectJson(await q('GET', '/_/token/value?name=t1'), 200), { data: [] });
      expectEmpty(await q('DELETE', '/_/token', { name: 't1' }), 200);
      // The name is free again.
      expectEmpty(await q('POST', '/_/token', { name: 't1' }), 201);
      assert.notEqual(await value('t1'), v);
    });

    test('any /_/token call with a non-admin\'s, a service or no credential → 401 ""', async () => {
      await addUser(srv.h, 'bob', 'bob-password');
      const bobCookie = await srv.h.login('bob', 'bob-password');
      const bob = (await srv.h.req({ method: 'POST', url: '/api/v1/tokens', headers: { cookie: bobCookie }, payload: { access: 'full' } })).json().token;
      const service = await value('t1');
      const adminRead = (await srv.h.adminToken({ name: 'query-admin-read', access: 'read' })).token;
      for (const token of [bob, service, adminRead, 'tsr_garbage']) {
        expectEmpty(await q('GET', '/_/token', undefined, token), 401);
        expectEmpty(await q('POST', '/_/token', { name: 'x' }, token), 401);
        expectEmpty(await q('POST', '/_/token', { bad: 'body' }, token), 401);
        expectEmpty(await q('PUT', '/_/token', { name: 't1' }, token), 401);
        expectEmpty(await q('DELETE', '/_/token', { name: 't1' }, token), 401);
        expectEmpty(await q('GET', '/_/token/value?name=t1', undefined, token), 401);
      }
      expectEmpty(await sh(`curl -s ${srv.origin}/_/token`), 401);
    });

    test('the caller is refused before the body is read: a bad body with no, a bad or a non-admin credential → 401 ""', async () => {
      const bob = (await srv.h.req({ method: 'POST', url: '/api/v1/tokens', headers: { cookie: await srv.h.login('bob', 'bob-password') }, payload: { access: 'full' } })).json().token;
      for (const method of ['POST', 'PUT', 'DELETE']) {
        expectEmpty(await sh(`curl -s -X ${method} -d '{bad' ${srv.origin}/_/token`), 401);
        for (const token of [bob, 'tsr_garbage']) expectEmpty(await sh(`curl -s -X ${method} -H 'Authorization: Bearer ${token}' -d '{bad' ${srv.origin}/_/token`), 401);
      }
      // An admin with a bad body: the body's fault, as text.
      await expectText(sh(`curl -s -X POST -H 'Authorization: Bearer ${admin}' -d '{bad' ${srv.origin}/_/token`), 400, 'the body is not valid JSON');
    });

    test('Authorization: any scheme word before the value, as Query reads it; a value alone is none', async () => {
      for (const scheme of ['Token', 'token', 'Basic', 'x']) assert.equal((await sh(`curl -s -H 'Authorization: ${scheme} ${admin}' ${srv.origin}/_/token`)).status, 200, scheme);
      expectEmpty(await sh(`curl -s -H 'Authorization: ${admin}' ${srv.origin}/_/token`), 401);
      // Elsewhere the scheme is Bearer's only.
      assert.equal((await srv.h.req({ method: 'GET', url: '/api/v1/auth/me', headers: { authorization: `Token ${admin}` } })).statusCode, 401);
    });
  });

  describe('around the vectors', () => {
    test('expiration_date: milliseconds as the seed says; below 10^11 read as seconds (Query\'s own client)', async () => {
      const inMs = srv.h.clock.now() + 3_600_000;
      const inSeconds = Math.floor(srv.h.clock.now() / 1000) + 7200;
      expectEmpty(await q('POST', '/_/token', { name: 'ms', expiration_date: inMs }), 201);
      expectEmpty(await q('POST', '/_/token', { name: 'sec', expiration_date: inSeconds }), 201);
      const all = await rows();
      assert.equal(all.find((r) => r.name === 'ms').expiration_date, inMs);
      assert.equal(all.find((r) => r.name === 'sec').expiration_date, inSeconds * 1000);
      srv.h.clock.advance(3_600_001);
      assert.equal(await verify(await value('ms')), 'EXPIRED');
      assert.equal(await verify(await value('sec')), 'VALID');
    });

    test('an expiration_date before 1970 is refused (400, plain text), on POST and PUT; nothing is stored and the listing stands', async () => {
      await expectText(q('POST', '/_/token', { name: 'prehistoric', expiration_date: -1e20 }), 400, 'expiration_date must be after 1970-01-01');
      // A small number is seconds, as Query reads it: past, so Query's own answer.
      await expectText(q('POST', '/_/token', { name: 'prehistoric', expiration_date: -1 }), 400, 'The expiration_date must be greater than current time');
      assert.equal((await rows()).find((r) => r.name === 'prehistoric'), undefined);
      expectEmpty(await q('POST', '/_/token', { name: 'dated' }), 201);
      const v = await value('dated');
      const was = (await rows()).find((r) => r.name === 'dated').expiration_date;
      await expectText(q('PUT', '/_/token', { name: 'dated', expiration_date: -1e20 }), 400, 'expiration_date must be after 1970-01-01');
      assert.equal((await rows()).find((r) => r.name === 'dated').expiration_date, was);
      assert.equal(await verify(v), 'VALID', 'the refused PUT rotated nothing');
      const listed = await srv.h.req({ method: 'GET', url: '/api/v1/tokens?kind=service', headers: bearer(admin) });
      assert.equal(listed.statusCode, 200, listed.body);
    });

    test('write: false → a read-only token; PUT write: true makes it write', async () => {
      expectEmpty(await q('POST', '/_/token', { name: 'reader', write: false }), 201);
      assert.equal((await rows()).find((r) => r.name === 'reader').write, 0);
      assert.equal(await verify(await value('reader'), 'read'), 'VALID');
      assert.equal(await verify(await value('reader'), 'write'), 'INSUFFICIENT_ACCESS');
      expectEmpty(await q('PUT', '/_/token', { name: 'reader', write: true }), 200);
      assert.equal(await verify(await value('reader'), 'write'), 'VALID');
    });

    test('bodies are JSON whatever the content type (curl -d without a header)', async () => {
      expectEmpty(await sh(`curl -s -H 'Authorization: Bearer ${admin}' -d '{"name":"formtype"}' ${srv.origin}/_/token`), 201);
      expectEmpty(await sh(`curl -s -X DELETE -H 'Authorization: Bearer ${admin}' -d '{"name":"formtype"}' ${srv.origin}/_/token`), 200);
      assert.equal((await rows()).find((r) => r.name === 'formtype'), undefined);
    });

    test('errors: plain text 400s, "404 Not Found" for other methods and paths', async () => {
      await expectText(sh(`curl -s -X POST -H 'Authorization: Bearer ${admin}' -d '{"name":' ${srv.origin}/_/token`), 400, 'the body is not valid JSON');
      await expectText(q('PUT', '/_/token', { name: 'no-such-token' }), 400, 'Query returned no rows');
      await expectText(q('GET', '/_/token/value'), 400, 'querystring.name is required');
      await expectText(q('POST', '/_/token', { expiration_date: 5 }), 400, 'body.name is required');
      await expectText(q('PATCH', '/_/token', { name: 'x' }), 404, '404 Not Found');
      await expectText(q('GET', '/_/nothing'), 404, '404 Not Found');
    });

    test('a native service token that is not recoverable: listed, but its value cannot be shown', async () => {
      const r = await srv.h.req({ method: 'POST', url: '/api/v1/tokens', headers: bearer(admin), payload: { kind: 'service', name: 'plain', access: 'full' } });
      assert.equal(r.statusCode, 201);
      assert.equal((await rows()).find((x) => x.name === 'plain').write, 1);
      const v = await q('GET', '/_/token/value?name=plain');
      assert.equal(v.status, 400);
      assert.match(v.body, /not created recoverable/);
    });
  });
});
