/**
 * Import (issue 17), one fixture per product shaped like its real storage, imported through
 * `POST /api/v1/tokens/import` and then used through that product's own seed requests with real curl: the imported
 * values keep working although they have no Tessera prefix or checksum. Runs on SQLite and PostgreSQL.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type ChatServer, finished, sh, startChatServer } from '../chat/support.js';
import { csvRows, importRows, jsonRows, verifyCode } from './support.js';

let s: ChatServer;
before(async () => {
  s = await startChatServer({ password_min_length: 4 });
  for (const u of ['test', 'apiv2testuser1', 'alice', 'bob']) {
    const r = await s.h.req({ method: 'POST', url: '/api/v1/users', headers: { cookie: s.h.adminCookie },
      payload: { username: u, password: `${u}-password`, groups: u === 'alice' ? ['ops'] : [] } });
    assert.equal(r.statusCode, 201, r.body);
  }
});
after(async () => { await s.close(); });

describe('FileBin apikeys', () => {
  const rows = csvRows('filebin-apikeys.csv');
  test('imported with owner, comment, level and created; the bad rows are reported with their reason', async () => {
    const r = await importRows(s.h, { format: 'filebin', rows, first_line: 2 });
    assert.deepEqual({ imported: r.imported, skipped: r.skipped, refused: r.refused }, { imported: 3, skipped: 0, refused: 2 });
    assert.deepEqual(r.rows.map((x) => [x.line, x.reason]), [[5, 'INVALID_FIELD'], [6, 'UNKNOWN_OWNER']]);
    assert.ok(!JSON.stringify(r).includes(rows[4]!.key!), 'the report never shows a value');
    const list = await s.h.req({ method: 'GET', url: '/api/v1/tokens?owner=test', headers: { cookie: s.h.adminCookie } });
    const t = list.json().items.find((x: { comment: string }) => x.comment === 'fb-client flo@Marin');
    assert.deepEqual({ access: t.access, created: t.created_at, kind: t.kind, status: t.status, prefix: t.prefix },
      { access: 'full', created: '2024-03-01T10:15:00.000Z', kind: 'personal', status: 'active', prefix: rows[0]!.key!.slice(0, 6) });
  });

  test('the seed\'s apikeys request works with the imported full key; the imported basic key is refused for it', async () => {
    const base = `${s.url}/api/v2.0.0`;
    const ok = await sh('curl -s $base/user/apikeys -F apikey=$apikey', { base, apikey: rows[0]!.key! });
    assert.equal(ok.status, 200, ok.body);
    assert.equal(JSON.parse(ok.body).status, 'success');
    const basic = await sh('curl -s $base/user/apikeys -F apikey=$apikey', { base, apikey: rows[2]!.key! });
    assert.equal(JSON.parse(basic.body).status, 'error');
    assert.notEqual(JSON.parse(basic.body).error_id, 'user/api-login-failed', 'the key logged in; only its level is too low');
  });

  test('re-importing skips every row already there (idempotent)', async () => {
    const r = await importRows(s.h, { format: 'filebin', rows, first_line: 2 });
    assert.deepEqual({ imported: r.imported, skipped: r.skipped, refused: r.refused }, { imported: 0, skipped: 3, refused: 2 });
    assert.deepEqual(r.rows.filter((x) => x.reason === 'ALREADY_IMPORTED').map((x) => x.line), [2, 3, 4]);
  });
});

describe('Semaphore user__token', () => {
  const rows = csvRows('semaphore-user__token.csv');
  test('imported as full-access personal tokens; an expired (revoked) row is not imported', async () => {
    const r = await importRows(s.h, { format: 'semaphore', rows, first_line: 2 });
    assert.deepEqual({ imported: r.imported, refused: r.refused }, { imported: 2, refused: 1 });
    assert.deepEqual(r.rows.map((x) => [x.line, x.reason]), [[3, 'EXPIRED_IN_SOURCE']]);
  });

  test('the seed\'s Bearer requests: list tokens, then expire the token by its value → it stops working', async () => {
    const list = await sh(`curl -s -H 'Accept: application/json' -H 'Authorization: Bearer ${rows[0]!.id}' ${s.url}/api/user/tokens`);
    assert.equal(list.status, 200, list.body);
    assert.ok(Array.isArray(JSON.parse(list.body)));
    const bob = await sh(`curl -s -H 'Authorization: Bearer ${rows[2]!.id}' ${s.url}/api/user/tokens`);
    assert.equal(bob.status, 200, 'bob\'s token (expiring 2030) works');
    const del = await sh(`curl -s -XDELETE -H 'Content-Type: application/json' -H 'Accept: application/json' -H 'Authorization: Bearer ${rows[0]!.id}' ${s.url}/api/user/tokens/${rows[0]!.id}`);
    assert.equal(del.status, 204, del.body);
    const after = await sh(`curl -s -H 'Authorization: Bearer ${rows[0]!.id}' ${s.url}/api/user/tokens`);
    assert.equal(after.status, 401);
    assert.equal(await verifyCode(s.h, rows[1]!.id!), 'NOT_FOUND', 'the expired row was never imported');
  });
});

describe('Meeseeks token records', () => {
  const recs = jsonRows('meeseeks-tokens.ndjson');
  test('imported as command-bound tokens; POST /message with the old UUID runs the bound command as its user', async () => {
    const r = await importRows(s.h, { format: 'meeseeks', rows: recs });
    assert.deepEqual({ imported: r.imported, refused: r.refused }, { imported: 2, refused: 1 });
    assert.deepEqual(r.rows.map((x) => [x.line, x.reason]), [[3, 'INVALID_FIELD']]);
    const post = await sh(`curl -s -X POST -H "TOKEN: ${recs[1]!.token}" -F 'message=three' ${s.url}/message`);
    assert.equal(post.status, 202, post.body);
    const job = await finished(s.h, JSON.parse(post.body).job_id);
    assert.deepEqual({ status: job.status, args: job.args, user: job.user.username, channel: job.channel, output: job.output },
      { status: 'succeeded', args: ['one', 'two', 'three'], user: 'alice', channel: 'ops', output: '[one]\n[two]\n[three]\n' });
    const personal = await sh(`curl -s -H 'Authorization: Bearer ${recs[0]!.token}' ${s.url}/api/v1/tokens`);
    assert.equal(personal.status, 403, 'a bound token works only on /message');
  });
});

describe('Query tokens', () => {
  test('a user token of an admin (a JWT signed by Query) still manages tokens with the seed\'s requests', async () => {
    const u = await s.h.req({ method: 'POST', url: '/api/v1/users', headers: { cookie: s.h.adminCookie },
      payload: { username: 'qadmin', email: 'admin@example.com', password: 'qadmin-password', role: 'admin' } });
    assert.equal(u.statusCode, 201, u.body);
    const [row] = jsonRows('query-_config_user_token.json');
    const r = await importRows(s.h, { format: 'query', rows: [row] });
    assert.equal(r.imported, 1, JSON.stringify(r));
    const jwt = String(row!.token);
    const create = await sh(`curl -s -X POST -H 'Authorization: Bearer ${jwt}' -H 'Content-Type: application/json' -d '{"name":"from-query"}' ${s.url}/_/token`);
    assert.equal(create.status, 201, create.body);
    const list = await sh(`curl -s -H 'Authorization: Bearer ${jwt}' ${s.url}/_/token`);
    assert.equal(list.status, 200, list.body);
    assert.ok(JSON.parse(list.body).data.some((t: { name: string }) => t.name === 'from-query'));
  });

  test('service tokens: names, write → access, the "never expires" sentinel; a nameless row is refused', async () => {
    const rows = jsonRows('query-_config_token.json');
    const r = await importRows(s.h, { format: 'query', rows });
    assert.deepEqual({ imported: r.imported, refused: r.refused }, { imported: 2, refused: 1 });
    assert.deepEqual(r.rows.map((x) => [x.line, x.reason]), [[3, 'INVALID_FIELD']]);
    const list = (await s.h.req({ method: 'GET', url: '/api/v1/tokens?kind=service', headers: { cookie: s.h.adminCookie } })).json().items;
    const app = list.find((t: { name: string }) => t.name === 'app');
    const rep = list.find((t: { name: string }) => t.name === 'reporting');
    assert.deepEqual([app.access, app.expires_at, rep.access, rep.expires_at], ['write', null, 'read', '2030-03-17T17:46:40.000Z']);
    const v = await s.h.req({ method: 'POST', url: '/api/v1/verify', headers: { authorization: `Bearer ${String(rows[0]!.token)}` }, payload: { token: String(rows[1]!.token) } });
    assert.equal(v.json().code, 'VALID', v.body);
  });
});
