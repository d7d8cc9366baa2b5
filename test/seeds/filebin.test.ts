/**
 * Seed 001 (FileBin /user API) against a listening Tessera with real curl: the seed's three examples as written
 * (`$base` and `$apikey` are shell variables, as in the seed), then the §9 vectors of reference/seed-products.md
 * and the details around them (versions, access levels, comment length, form encodings, keys made elsewhere).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { bearer } from '../helpers.js';
import { addUser, expectFileBinError, expectJson, type Server, sh, startServer, TOKEN_SHAPE } from './support.js';

describe('FileBin (seed 001)', () => {
  let srv: Server;
  let base: string;
  /** POSTs multipart fields (`curl -F`) to `$base/user/<fn>`. */
  const fb = (fn: string, fields: Record<string, string>, version = 'v2.0.0') =>
    sh(`curl -s ${srv.origin}/api/${version}/user/${fn} ${Object.entries(fields).map(([k, v]) => `-F '${k}=${v}'`).join(' ')}`);
  const newKey = async (username: string, password: string, level: string, comment = ''): Promise<string> =>
    expectJson(await fb('create_apikey', { username, password, access_level: level, comment }), 200).data.new_key;

  before(async () => {
    // The seed logs in as user `test` with password `test`: the server allows 4-character passwords
    // (password_min_length; the default is 8).
    srv = await startServer({ password_min_length: 4 });
    base = `${srv.origin}/api/v2.0.0`;
    await addUser(srv.h, 'test', 'test');
    await addUser(srv.h, 'apiv2testuser1', 'testpass1');
    await addUser(srv.h, 'other', 'other-password');
  });
  after(async () => { await srv.close(); });

  describe('the seed\'s examples, as written', () => {
    let apikeyKey: string;
    let full: string;

    test('create_apikey with username and password', async () => {
      // The seed's line exactly as printed; only $base is set.
      const r = await sh('curl -s $base/user/create_apikey -F username=test -F password=test -F access_level=apikey -F "comment=This is a test key" | json_pp', { base });
      assert.equal(r.status, 200);
      const b = JSON.parse(r.body);
      assert.deepEqual(Object.keys(b).sort(), ['data', 'status']);
      assert.equal(b.status, 'success');
      assert.deepEqual(Object.keys(b.data), ['new_key']);
      assert.match(b.data.new_key, TOKEN_SHAPE);
      apikeyKey = b.data.new_key;
    });

    test('the configured minimum still holds: a 3-character password is refused', async () => {
      const r = await srv.h.req({ method: 'POST', url: '/api/v1/users', headers: { cookie: srv.h.adminCookie }, payload: { username: 'short', password: 'abc' } });
      assert.equal(r.statusCode, 400);
      assert.equal(r.json().error.message, 'password must be at least 4 characters');
    });

    test('apikeys lists the user\'s keys keyed by key', async () => {
      srv.h.clock.advance(1000);
      full = await newKey('test', 'test', 'full', 'fb-client flo@Marin');
      const r = await sh('curl -s $base/user/apikeys -F apikey=$apikey | json_pp', { base, apikey: full });
      assert.equal(r.status, 200);
      const b = JSON.parse(r.body);
      assert.equal(b.status, 'success');
      const now = Math.floor(srv.h.clock.now() / 1000);
      assert.deepEqual(b.data.apikeys, {
        [full]: { key: full, comment: 'fb-client flo@Marin', created: now, access_level: 'full' },
        [apikeyKey]: { key: apikeyKey, comment: 'This is a test key', created: now - 1, access_level: 'apikey' },
      });
      // json_pp reorders keys; the raw reply lists the newest first, fields in the seed's order.
      const raw = expectJson(await sh('curl -s $base/user/apikeys -F apikey=$apikey', { base, apikey: full }), 200);
      assert.deepEqual(Object.keys(raw.data.apikeys), [full, apikeyKey]);
      assert.deepEqual(Object.keys(raw.data.apikeys[full]), ['key', 'created', 'comment', 'access_level']);
    });

    test('delete_apikey deletes a key; it no longer works nor is listed', async () => {
      // Seed line; the seed's example key is replaced by one that exists.
      const line = 'curl -s $base/user/delete_apikey -F apikey=$apikey -F delete_key=o0fDrc0LF8Kemqb9qzXXaScGsz9XCegj | json_pp'.replace('o0fDrc0LF8Kemqb9qzXXaScGsz9XCegj', apikeyKey);
      const r = await sh(line, { base, apikey: full });
      assert.equal(r.status, 200);
      assert.deepEqual(JSON.parse(r.body), { data: { deleted_keys: { [apikeyKey]: { key: apikeyKey } } }, status: 'success' });
      const list = expectJson(await fb('apikeys', { apikey: full }), 200);
      assert.deepEqual(Object.keys(list.data.apikeys), [full]);
      expectFileBinError(await fb('apikeys', { apikey: apikeyKey }), 'user/api-login-failed', 'API key login failed');
    });
  });

  describe('§9 vectors', () => {
    test('create_apikey with a password → new_key', async () => {
      const r = await fb('create_apikey', { username: 'apiv2testuser1', password: 'testpass1', access_level: 'apikey', comment: 'main api key' });
      const b = expectJson(r, 200);
      assert.deepEqual(b, { status: 'success', data: { new_key: b.data.new_key } });
      assert.match(b.data.new_key, TOKEN_SHAPE);
    });

    test('create_apikey with a wrong password → user/login-failed', async () => {
      expectFileBinError(await fb('create_apikey', { username: 'u', password: 'wrong' }), 'user/login-failed', 'Login failed');
    });

    test('apikeys without any credential → api/not-authenticated, naming the site', async () => {
      expectFileBinError(await sh(`curl -s -X POST ${srv.origin}/api/v2.0.0/user/apikeys`), 'api/not-authenticated',
        `Not authenticated. FileBin requires you to have an account, please go to the homepage at ${srv.origin}/ for more information.`);
    });

    test('apikeys with an apikey-level key → api/insufficient-permissions', async () => {
      const k = await newKey('apiv2testuser1', 'testpass1', 'apikey');
      expectFileBinError(await fb('apikeys', { apikey: k }), 'api/insufficient-permissions', 'Access denied: Access level too low. Required: full; Have: apikey');
      const basic = await newKey('apiv2testuser1', 'testpass1', 'basic');
      expectFileBinError(await fb('create_apikey', { apikey: basic, access_level: 'full' }), 'api/insufficient-permissions', /Required: full; Have: basic$/);
    });

    test('a key may delete itself', async () => {
      const k1 = await newKey('apiv2testuser1', 'testpass1', 'full');
      const r = expectJson(await fb('delete_apikey', { apikey: k1, delete_key: k1 }), 200);
      assert.deepEqual(r, { status: 'success', data: { deleted_keys: { [k1]: { key: k1 } } } });
      expectFileBinError(await fb('apikeys', { apikey: k1 }), 'user/api-login-failed');
    });

    test('another user\'s key cannot be deleted → user/delete_apikey/failed', async () => {
      const mine = await newKey('apiv2testuser1', 'testpass1', 'full');
      const theirs = await newKey('other', 'other-password', 'full');
      const failed = 'Apikey deletion failed. Possibly wrong owner.';
      expectFileBinError(await fb('delete_apikey', { apikey: mine, delete_key: theirs }), 'user/delete_apikey/failed', failed);
      expectFileBinError(await fb('delete_apikey', { apikey: mine, delete_key: 'o0fDrc0LF8Kemqb9qzXXaScGsz9XCegj' }), 'user/delete_apikey/failed', failed);
      expectFileBinError(await fb('delete_apikey', { apikey: mine }), 'user/delete_apikey/failed', failed);
      // An admin is held to the same rule: FileBin deletes only the caller's own keys.
      const admin = await newKey('admin', 'admin-password-1', 'full');
      expectFileBinError(await fb('delete_apikey', { apikey: admin, delete_key: theirs }), 'user/delete_apikey/failed');
      assert.equal(expectJson(await fb('apikeys', { apikey: theirs }), 200).status, 'success');
    });

    test('v1.0.0 → api/version-not-supported; an unknown function → api/unknown-endpoint', async () => {
      expectFileBinError(await sh(`curl -s -X POST ${srv.origin}/api/v1.0.0/user/apikeys`), 'api/version-not-supported', 'Requested API version is not supported');
      expectFileBinError(await sh(`curl -s -X POST ${srv.origin}/api/v2/user/nope`), 'api/unknown-endpoint', 'Unknown endpoint requested');
    });
  });

  describe('around the vectors', () => {
    test('versions are accepted as FileBin 4.1 accepts them (it serves 2.2.0)', async () => {
      const k = await newKey('apiv2testuser1', 'testpass1', 'full');
      for (const v of ['v2', 'v2.0', 'v2.1', 'v2.0.0', 'v2.1.1', 'v2.2.0']) assert.equal(expectJson(await fb('apikeys', { apikey: k }, v), 200).status, 'success', v);
      for (const v of ['v0', 'v1.2.0', 'v2.3', 'v2.2.1', 'v3', 'v10']) expectFileBinError(await fb('apikeys', { apikey: k }, v), 'api/version-not-supported');
      for (const v of ['v2.0.0.0', 'v2a']) expectFileBinError(await fb('apikeys', { apikey: k }, v), 'api/invalid-version', 'Invalid API version requested');
      expectFileBinError(await sh(`curl -s -F apikey=${k} ${srv.origin}/api/v2/user/api2keys`), 'api/invalid-endpoint', 'Invalid endpoint requested');
      expectFileBinError(await sh(`curl -s -F apikey=${k} ${srv.origin}/api/v2/file/upload`), 'api/unknown-endpoint');
      // The URL is checked before the credential, as in FileBin's router.
      expectFileBinError(await fb('apikeys', { apikey: 'garbage' }, 'v3'), 'api/version-not-supported');
      // `/api/v1/…` stays the native API's.
      const native = await sh(`curl -s -X POST ${srv.origin}/api/v1/user/apikeys`);
      assert.equal(native.status, 404);
      assert.equal(JSON.parse(native.body).error.code, 'ROUTE_NOT_FOUND');
    });

    test('access levels map basic→read, apikey→write, full→full; others are refused', async () => {
      const k = await newKey('apiv2testuser1', 'testpass1', 'full');
      for (const [level, access] of [['basic', 'read'], ['apikey', 'write'], ['full', 'full']]) {
        const made = expectJson(await fb('create_apikey', { apikey: k, access_level: level! }), 200).data.new_key;
        const me = await srv.h.req({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(made) });
        assert.equal(me.json().credential.access, access);
      }
      const invalid = 'Invalid access levels requested.';
      expectFileBinError(await fb('create_apikey', { apikey: k, access_level: 'admin' }), 'user/validation/access_level/invalid', invalid);
      expectFileBinError(await fb('create_apikey', { apikey: k }), 'user/validation/access_level/invalid', invalid);
    });

    test('a comment may be 255 characters, not 256', async () => {
      const k = await newKey('apiv2testuser1', 'testpass1', 'full');
      expectJson(await fb('create_apikey', { apikey: k, access_level: 'basic', comment: 'c'.repeat(255) }), 200);
      expectFileBinError(await fb('create_apikey', { apikey: k, access_level: 'basic', comment: 'c'.repeat(256) }),
        'user/validation/comment/too-long', 'Comment may only be 255 chars long.');
    });

    test('urlencoded fields work as well as multipart ones', async () => {
      const k = await newKey('apiv2testuser1', 'testpass1', 'full');
      const made = expectJson(await sh(`curl -s ${base}/user/create_apikey -d apikey=${k} -d access_level=apikey --data-urlencode 'comment=a b&c'`), 200).data.new_key;
      const list = expectJson(await sh(`curl -s ${base}/user/apikeys --data-urlencode apikey=${k}`), 200);
      assert.equal(list.data.apikeys[made].comment, 'a b&c');
    });

    test('a repeated apikey field keeps its last value, urlencoded and multipart (PHP\'s $_POST), as every field does', async () => {
      const k = await newKey('apiv2testuser1', 'testpass1', 'full');
      for (const form of [`-d apikey=garbage -d apikey=${k}`, `-d apikey=${k} -d apikey=${k}`, `-F apikey=garbage -F apikey=${k}`]) {
        expectJson(await sh(`curl -s ${base}/user/apikeys ${form}`), 200);
      }
      expectFileBinError(await sh(`curl -s ${base}/user/apikeys -d apikey=${k} -d apikey=garbage`), 'user/api-login-failed');
      // The native API reads the field the same way.
      const r = await sh(`curl -s ${srv.origin}/api/v1/tokens -d apikey=garbage -d apikey=${k} -d name=repeated-field`);
      assert.equal(r.status, 201, r.body);
      assert.equal(JSON.parse(r.body).owner.username, 'apiv2testuser1');
    });

    test('an empty or unknown apikey → user/api-login-failed', async () => {
      expectFileBinError(await fb('apikeys', { apikey: '' }), 'user/api-login-failed', 'API key login failed');
      expectFileBinError(await fb('apikeys', { apikey: 'Sa71PVwKthRrrIEUIacqN9PNTouVQAWz' }), 'user/api-login-failed');
    });

    test('an apikey field beside a session cookie is the credential (FileBin\'s apilogin replaces the session)', async () => {
      const cookie = await srv.h.login('other', 'other-password');
      const key = await newKey('test', 'test', 'full');
      const r = expectJson(await sh(`curl -s -H 'Cookie: ${cookie}' -F 'apikey=${key}' ${base}/user/apikeys`), 200);
      assert.ok(Object.keys(r.data.apikeys).includes(key), 'the key\'s user (test) is listed, not the session\'s (other)');
      expectFileBinError(await sh(`curl -s -H 'Cookie: ${cookie}' -F 'apikey=' ${base}/user/apikeys`), 'user/api-login-failed');
    });

    test('a web session works like a password login; no keys → {}', async () => {
      await addUser(srv.h, 'fresh', 'fresh-password');
      const cookie = await srv.h.login('fresh', 'fresh-password');
      const r = expectJson(await sh(`curl -s -X POST -H 'Cookie: ${cookie}' ${base}/user/apikeys`), 200);
      assert.deepEqual(r, { status: 'success', data: { apikeys: {} } });
    });

    test('keys made elsewhere are listed under their token id, and can be deleted by id or by value', async () => {
      const k = await newKey('apiv2testuser1', 'testpass1', 'full');
      const cookie = await srv.h.login('apiv2testuser1', 'testpass1');
      const mk = async (name: string) => (await srv.h.req({ method: 'POST', url: '/api/v1/tokens', headers: { cookie }, payload: { name, access: 'read', comment: name } })).json();
      const a = await mk('native-a');
      const b = await mk('native-b');
      const keys = expectJson(await fb('apikeys', { apikey: k }), 200).data.apikeys;
      assert.deepEqual(keys[a.id], { key: a.id, created: Math.floor(Date.parse(a.created_at) / 1000), comment: 'native-a', access_level: 'basic' });
      assert.ok(!JSON.stringify(keys).includes(a.token), 'a value that is not recoverable is never shown');
      assert.deepEqual(expectJson(await fb('delete_apikey', { apikey: k, delete_key: a.id }), 200).data, { deleted_keys: { [a.id]: { key: a.id } } });
      assert.deepEqual(expectJson(await fb('delete_apikey', { apikey: k, delete_key: b.token }), 200).data, { deleted_keys: { [b.token]: { key: b.token } } });
      const after = expectJson(await fb('apikeys', { apikey: k }), 200).data.apikeys;
      assert.equal(after[a.id], undefined);
      assert.equal(after[b.id], undefined);
      expectFileBinError(await fb('delete_apikey', { apikey: k, delete_key: a.id }), 'user/delete_apikey/failed');
    });

    test('a password login leaves no session behind and is audited; listing values is audited once', async () => {
      const k = await newKey('apiv2testuser1', 'testpass1', 'full');
      const audit = await srv.h.t.services.store.listAudit({ limit: 3 });
      assert.deepEqual(audit.items.map((e) => e.action).reverse(), ['auth.login', 'token.create', 'auth.logout']);
      expectJson(await fb('apikeys', { apikey: k }), 200);
      const last = (await srv.h.t.services.store.listAudit({ limit: 1 })).items[0]!;
      assert.equal(last.action, 'token.reveal');
      assert.equal(last.details?.via, 'filebin');
      assert.ok((last.details?.count as number) >= 1);
      assert.ok(!JSON.stringify(last).includes(k));
    });
  });
});
