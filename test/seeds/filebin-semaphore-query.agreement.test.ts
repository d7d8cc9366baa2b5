/**
 * The surfaces agree because they share one core: a token made through any of them (native API, FileBin, Semaphore,
 * Query) is listed, verified and revoked through every other that can express it. Personal tokens: native × FileBin ×
 * Semaphore, every creator against every revoker. Service tokens: native × Query. Meshplay has no token management of
 * its own; every token, wherever made, is a credential in its `meshplay-token` header and `token` cookie (on its
 * GET /api/token and on the native GET /api/v1/auth/me), and the JWT its Get Token derives stops with the token.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { bearer } from '../helpers.js';
import { addUser, expectEmpty, expectJson, type Server, sh, startServer } from './support.js';

type Surface = 'native' | 'filebin' | 'semaphore';
const SURFACES: Surface[] = ['native', 'filebin', 'semaphore'];

/** A made token: its id, its value, and the key FileBin and Semaphore list it under. */
interface Made { id: string; value: string; key: string }

describe('native, FileBin, Semaphore, Query and Meshplay agree', () => {
  let srv: Server;
  let manager: string;
  let admin: string;
  let fbBase: string;

  const native = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object, token = manager) =>
    srv.h.req({ method, url, headers: bearer(token), ...(payload ? { payload } : {}) });
  const verify = async (value: string): Promise<string> => (await native('POST', '/api/v1/verify', { token: value }, admin)).json().code;
  const fbKeys = async (): Promise<Record<string, { key: string }>> =>
    expectJson(await sh(`curl -s ${fbBase}/user/apikeys -F apikey=${manager}`), 200).data.apikeys;
  const semList = async (token = manager): Promise<{ id: string; expired: boolean }[]> =>
    expectJson(await sh(`curl -s -H 'Authorization: Bearer ${token}' ${srv.origin}/api/user/tokens`), 200);

  /** Meshplay's two credential sources, as the seed's curl example sends them. */
  const meshplay = (value: string, via: 'header' | 'cookie', path: string) => sh(via === 'header'
    ? `curl -s --header 'meshplay-token: ${value}' ${srv.origin}${path}`
    : `curl -s --header 'Cookie: meshplay-provider=Meshplay; meshplay.khulnasoft.com_ref=/;token=${value}' ${srv.origin}${path}`);
  /** The value works in both Meshplay sources: who it is (auth/me) and Get Token (a JWT); returns that JWT. */
  const meshplayAccepts = async (value: string, expect: { user: string | null; tokenId: string }): Promise<string> => {
    let jwt = '';
    for (const via of ['header', 'cookie'] as const) {
      const me = expectJson(await meshplay(value, via, '/api/v1/auth/me'), 200);
      assert.equal(me.user?.username ?? null, expect.user, `${via}: ${JSON.stringify(me)}`);
      assert.equal(me.credential.token_id, expect.tokenId);
      assert.equal(me.credential.jwt, false);
      const got = expectJson(await meshplay(value, via, '/api/token'), 200);
      assert.equal(got['meshplay-provider'], 'Local');
      assert.match(got.token, /^eyJ[\w-]+\.[\w-]+\.[\w-]+$/);
      jwt = got.token;
    }
    // The JWT from Get Token acts as the same token.
    assert.equal(expectJson(await meshplay(jwt, 'header', '/api/v1/auth/me'), 200).credential.token_id, expect.tokenId);
    return jwt;
  };
  /** After revocation: the value and the JWT derived from it are refused in both Meshplay sources. */
  const meshplayRefuses = async (value: string, jwt: string): Promise<void> => {
    for (const via of ['header', 'cookie'] as const) {
      for (const v of [value, jwt]) {
        for (const path of ['/api/v1/auth/me', '/api/token']) assert.equal((await meshplay(v, via, path)).status, 401, `${via} ${path}`);
      }
    }
  };

  const create = async (via: Surface): Promise<Made> => {
    if (via === 'native') {
      const r = (await native('POST', '/api/v1/tokens', { access: 'full' })).json();
      return { id: r.id, value: r.token, key: r.id };
    }
    const value: string = via === 'filebin'
      ? expectJson(await sh(`curl -s ${fbBase}/user/create_apikey -F apikey=${manager} -F access_level=full`), 200).data.new_key
      : expectJson(await sh(`curl -s -XPOST -H 'Authorization: Bearer ${manager}' ${srv.origin}/api/user/tokens`), 201).id;
    const items = (await native('GET', '/api/v1/tokens?limit=200')).json().items as { id: string; prefix: string }[];
    return { id: items.find((t) => value.startsWith(t.prefix))!.id, value, key: value };
  };

  const revoke = async (via: Surface, t: Made): Promise<void> => {
    if (via === 'native') assert.equal((await native('DELETE', `/api/v1/tokens/${t.id}`)).statusCode, 200);
    else if (via === 'filebin') expectJson(await sh(`curl -s ${fbBase}/user/delete_apikey -F apikey=${manager} -F delete_key=${t.key}`), 200);
    else expectEmpty(await sh(`curl -s -XDELETE -H 'Authorization: Bearer ${manager}' ${srv.origin}/api/user/tokens/${t.key}`), 204);
  };

  before(async () => {
    srv = await startServer();
    fbBase = `${srv.origin}/api/v2.0.0`;
    admin = (await srv.h.adminToken({ name: 'agreement-admin' })).token;
    await addUser(srv.h, 'carol', 'carol-password');
    const cookie = await srv.h.login('carol', 'carol-password');
    manager = (await srv.h.req({ method: 'POST', url: '/api/v1/tokens', headers: { cookie }, payload: { access: 'full', name: 'manager' } })).json().token;
  });
  after(async () => { await srv.close(); });

  for (const maker of SURFACES) {
    for (const revoker of SURFACES) {
      test(`personal token made through ${maker}, revoked through ${revoker}`, async () => {
        const t = await create(maker);
        // listed everywhere, under the same key in FileBin and Semaphore
        const listed = (await native('GET', '/api/v1/tokens?limit=200')).json().items.find((x: { id: string }) => x.id === t.id);
        assert.equal(listed.status, 'active');
        assert.deepEqual((await fbKeys())[t.key]?.key, t.key);
        assert.equal((await semList()).find((x) => x.id === t.key)?.expired, false);
        // verified everywhere: by the verify endpoint and as the credential of each surface
        assert.equal(await verify(t.value), 'VALID');
        assert.equal(expectJson(await sh(`curl -s ${fbBase}/user/apikeys -F apikey=${t.value}`), 200).status, 'success');
        assert.ok((await semList(t.value)).length > 0);
        const jwt = await meshplayAccepts(t.value, { user: 'carol', tokenId: t.id });

        await revoke(revoker, t);

        assert.equal(await verify(t.value), 'REVOKED');
        assert.equal((await native('GET', `/api/v1/tokens/${t.id}`)).json().status, 'revoked');
        assert.equal((await fbKeys())[t.key], undefined);
        assert.equal((await semList()).find((x) => x.id === t.key)?.expired, true);
        assert.equal(JSON.parse((await sh(`curl -s ${fbBase}/user/apikeys -F apikey=${t.value}`)).body).error_id, 'user/api-login-failed');
        expectEmpty(await sh(`curl -s -H 'Authorization: Bearer ${t.value}' ${srv.origin}/api/user/tokens`), 401);
        await meshplayRefuses(t.value, jwt);
      });
    }
  }

  const q = (method: string, body?: object, path = '/_/token') =>
    sh(`curl -s -X ${method} -H 'Authorization: Bearer ${admin}' ${body ? `-d '${JSON.stringify(body)}'` : ''} '${srv.origin}${path}'`);
  const qValue = async (name: string): Promise<string> => expectJson(await q('GET', undefined, `/_/token/value?name=${name}`), 200).data[0].token;
  const qNames = async (): Promise<string[]> => expectJson(await q('GET'), 200).data.map((r: { name: string }) => r.name);

  for (const maker of ['native', 'query'] as const) {
    for (const revoker of ['native', 'query'] as const) {
      test(`service token made through ${maker}, revoked through ${revoker}`, async () => {
        const name = `svc-${maker}-${revoker}`;
        let id: string;
        if (maker === 'native') {
          const r = await native('POST', '/api/v1/tokens', { kind: 'service', name, access: 'write', recoverable: true }, admin);
          assert.equal(r.statusCode, 201);
          id = r.json().id;
        } else {
          expectEmpty(await q('POST', { name }), 201);
          id = (await native('GET', '/api/v1/tokens?kind=service&limit=200', undefined, admin)).json().items.find((x: { name: string }) => x.name === name).id;
        }
        const value = await qValue(name);
        assert.equal((await native('GET', `/api/v1/tokens/${id}/value`, undefined, admin)).json().token, value);
        assert.ok((await qNames()).includes(name));
        assert.equal(await verify(value), 'VALID');
        // A service token has no user: Meshplay's sources still accept it, as that token.
        const jwt = await meshplayAccepts(value, { user: null, tokenId: id });

        if (revoker === 'native') assert.equal((await native('DELETE', `/api/v1/tokens/${id}`, undefined, admin)).statusCode, 200);
        else expectEmpty(await q('DELETE', { name }), 200);

        assert.equal(await verify(value), 'REVOKED');
        assert.equal((await native('GET', `/api/v1/tokens/${id}`, undefined, admin)).json().status, 'revoked');
        assert.ok(!(await qNames()).includes(name));
        assert.deepEqual(expectJson(await q('GET', undefined, `/_/token/value?name=${name}`), 200), { data: [] });
        await meshplayRefuses(value, jwt);
      });
    }
  }

  test('a Query PUT rotation is seen by the native API: same token, new working value', async () => {
    expectEmpty(await q('POST', { name: 'rotated' }), 201);
    const before = await qValue('rotated');
    expectEmpty(await q('PUT', { name: 'rotated', write: false }), 200);
    const after = await qValue('rotated');
    const items = (await native('GET', '/api/v1/tokens?kind=service&limit=200', undefined, admin));
    const t = items.json().items.find((x: { name: string }) => x.name === 'rotated');
    assert.equal(t.access, 'read');
    assert.ok(after.startsWith(t.prefix));
    assert.equal(await verify(before), 'ROTATED');
    assert.equal(await verify(after), 'VALID');
    assert.equal((await meshplay(before, 'header', '/api/v1/auth/me')).status, 401);
    assert.equal(expectJson(await meshplay(after, 'cookie', '/api/v1/auth/me'), 200).credential.token_id, t.id);
  });
});
