/** The checks every documented proxy config must pass (nginx.test.ts, caddy.test.ts). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Harness } from '../helpers.js';
import { call, makeTokens, upstreamHeaders } from './support.js';

export interface ProxyUnderTest { port: number; h: Harness }

const CREDENTIAL_HEADERS = ['authorization', 'token', 'x-api-key', 'meshplay-token'];

export const proxyCases = (name: string, get: () => ProxyUnderTest): void => {
  let t: Awaited<ReturnType<typeof makeTokens>>;
  const through = (method: string, path: string, headers: Record<string, string> = {}) => call(get().port, method, path, headers);

  test(`${name}: a valid token → the upstream sees the user, never the credential, nor a client's own X-Tessera-*`, async () => {
    t = await makeTokens(get().h);
    const r = await through('GET', '/app/page', { authorization: `Bearer ${t.write}`, 'x-tessera-user': 'mallory', 'x-tessera-access': 'full',
      'x-tessera-permissions': '* tessera:full deploy:write', 'x-tessera-error': 'made-up' });
    assert.equal(r.status, 200, r.body);
    const seen = upstreamHeaders(r);
    assert.equal(seen['x-tessera-user'], 'admin');
    assert.match(seen['x-tessera-user-id'] ?? '', /^\d+$/);
    assert.match(seen['x-tessera-token-id'] ?? '', /^tok_/);
    assert.equal(seen['x-tessera-access'], 'write');
    assert.equal(seen['x-tessera-permissions'], 'tessera:read tessera:write', 'what the token grants, not what the client sent');
    assert.ok(seen['x-tessera-error'] === undefined || seen['x-tessera-error'] === '', `x-tessera-error: '${seen['x-tessera-error']}' reached the upstream`);
    for (const h of CREDENTIAL_HEADERS) assert.equal(seen[h], undefined, `${h} reached the upstream`);
    assert.ok(!JSON.stringify(seen).includes(t.write), 'the token value reached the upstream');
  });

  test(`${name}: the other header sources (TOKEN, X-API-Key, meshplay-token) work and are stripped too`, async () => {
    for (const h of ['token', 'x-api-key', 'meshplay-token']) {
      const r = await through('GET', '/app/x', { [h]: t.write });
      assert.equal(r.status, 200, `${h}: ${r.body}`);
      const seen = upstreamHeaders(r);
      assert.equal(seen['x-tessera-user'], 'admin');
      for (const c of CREDENTIAL_HEADERS) assert.equal(seen[c], undefined, `${c} reached the upstream (sent as ${h})`);
    }
  });

  test(`${name}: a service token (no user): the upstream gets no user, never a placeholder or a client's value`, async () => {
    const r = await through('GET', '/app/x', { authorization: `Bearer ${t.service}`, 'x-tessera-user': 'mallory', 'x-tessera-user-id': '1' });
    assert.equal(r.status, 200, r.body);
    const seen = upstreamHeaders(r);
    assert.match(seen['x-tessera-token-id'] ?? '', /^tok_/);
    for (const h of ['x-tessera-user', 'x-tessera-user-id']) {
      assert.ok(seen[h] === undefined || seen[h] === '', `${h}: '${seen[h]}' reached the upstream`);
    }
  });

  test(`${name}: no credential, an invalid one, a revoked one → 401 at the client, the upstream not called`, async () => {
    for (const [headers, code] of [[{}, 'UNAUTHENTICATED'], [{ authorization: 'Bearer tsr_notarealtoken' }, 'TOKEN_MALFORMED'],
      [{ authorization: `Bearer ${t.revoked}` }, 'TOKEN_REVOKED']] as const) {
      const r = await through('GET', '/app/secret', headers);
      assert.equal(r.status, 401, `${code}: ${r.body}`);
      assert.equal(r.headers['x-tessera-error'], code);
      assert.equal(r.headers['www-authenticate'], 'Bearer realm="tessera"', 'one challenge (node joins repeated ones with a comma)');
      assert.ok(!r.body.includes('"headers"'), 'the upstream answered');
    }
  });

  test(`${name}: a read token on a write (POST) → 403 INSUFFICIENT_ACCESS; on a GET → 200`, async () => {
    const w = await through('POST', '/app/items', { authorization: `Bearer ${t.read}` });
    assert.equal(w.status, 403, w.body);
    assert.equal(w.headers['x-tessera-error'], 'INSUFFICIENT_ACCESS');
    const r = await through('GET', '/app/items', { authorization: `Bearer ${t.read}` });
    assert.equal(r.status, 200, r.body);
    assert.equal(upstreamHeaders(r)['x-tessera-access'], 'read');
    const ok = await through('POST', '/app/items', { authorization: `Bearer ${t.write}` });
    assert.equal(ok.status, 200, ok.body);
  });

  test(`${name}: a rate-limited token → 429 with Retry-After at the client`, async () => {
    assert.equal((await through('GET', '/app/x', { authorization: `Bearer ${t.limited}` })).status, 200);
    const r = await through('GET', '/app/x', { authorization: `Bearer ${t.limited}` });
    assert.equal(r.status, 429, r.body);
    assert.equal(r.headers['x-tessera-error'], 'RATE_LIMITED');
    const retry = Number(r.headers['retry-after']);
    assert.ok(retry >= 1 && retry <= 3600, `Retry-After ${r.headers['retry-after']}`);
    assert.equal(r.headers['ratelimit-limit'], '1');
  });

  test(`${name}: a token's address allowlist holds against the client's own X-Forwarded-For; Host reaches Tessera (allowed_hosts)`, async () => {
    const { h } = get();
    const elsewhere = (await h.adminToken({ name: 'proxy-net-elsewhere', access: 'write', allowed_cidrs: ['10.1.2.3/32'] })).token;
    const here = (await h.adminToken({ name: 'proxy-net-here', access: 'write', allowed_cidrs: ['127.0.0.0/8'] })).token;
    for (const xff of [undefined, '10.1.2.3', '10.1.2.3, 10.1.2.3']) {
      const r = await through('GET', '/app/x', { authorization: `Bearer ${elsewhere}`, ...(xff ? { 'x-forwarded-for': xff } : {}) });
      assert.equal(r.status, 403, `X-Forwarded-For ${xff}: ${r.body}`);
      assert.equal(r.headers['x-tessera-error'], 'IP_NOT_ALLOWED');
    }
    const ok = await through('GET', '/app/x', { authorization: `Bearer ${here}`, 'x-forwarded-for': '10.1.2.3' });
    assert.equal(ok.status, 200, `the proxy's view of the client (127.0.0.1) is what counts: ${ok.body}`);
  });

  test(`${name}: the app's own cookie named token does not break a Bearer request (profile without cookies); Tessera's session cookie is stripped`, async () => {
    const r = await through('GET', '/app/x', { authorization: `Bearer ${t.write}`, cookie: `token=the-apps-own-value; tessera_session=${'s'.repeat(40)}; theme=dark` });
    assert.equal(r.status, 200, r.body);
    const seen = upstreamHeaders(r);
    assert.equal(seen['x-tessera-user'], 'admin');
    assert.match(seen.cookie ?? '', /token=the-apps-own-value/);
    assert.match(seen.cookie ?? '', /theme=dark/);
    assert.doesNotMatch(seen.cookie ?? '', /tessera_session/);
  });
};
