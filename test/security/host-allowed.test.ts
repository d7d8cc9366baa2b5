/**
 * Issue 12, item 1: DNS rebinding in single-user mode. A page whose name is rebound to 127.0.0.1 sends its own name
 * as Host (and Origin), so the Origin check passes; only the Host can tell. `provider: none` refuses a Host that is
 * not allowed (loopback names, the configured host, public_url's host) with 403 HOST_NOT_ALLOWED; an explicit
 * `allowed_hosts` applies in every mode.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { bearer, type Harness, startHarness } from '../helpers.js';
import { expectError } from '../api/support.js';
import { listen, overSocket } from './support.js';

const JSON_CT = { 'content-type': 'application/json' };
let n = 0;
const create = (host: string, origin?: string) => ({
  method: 'POST' as const, url: '/api/v1/tokens',
  headers: { host, ...JSON_CT, ...(origin ? { origin } : {}) }, payload: JSON.stringify({ name: `x${++n}`, access: 'full' }),
});

describe('provider none: default allowed hosts', () => {
  let h: Harness;
  let port: number;
  before(async () => { h = await startHarness({ provider: 'none', host: '127.0.0.1', public_url: 'https://tessera.example.org/' }); port = await listen(h); });
  after(async () => { await h.close(); });

  test('a rebound Host (with its own Origin) is refused, for writes and reads', async () => {
    expectError(await h.req(create('evil.example:9696', 'http://evil.example:9696')), 403, 'HOST_NOT_ALLOWED');
    expectError(await h.req(create('evil.example')), 403, 'HOST_NOT_ALLOWED');
    expectError(await h.req({ method: 'GET', url: '/api/v1/tokens', headers: { host: 'evil.example:9696' } }), 403, 'HOST_NOT_ALLOWED');
    expectError(await h.req({ method: 'GET', url: '/api/v1/auth/me', headers: { host: '127.0.0.1.evil.example' } }), 403, 'HOST_NOT_ALLOWED');
  });

  test('over a real socket too (the curl of the review)', async () => {
    const r = await overSocket(port, { method: 'POST', path: '/api/v1/tokens', headers: { host: `evil.example:${port}`, origin: `http://evil.example:${port}`, ...JSON_CT }, body: JSON.stringify({ name: 'x', access: 'full' }) });
    assert.equal(r.status, 403);
    assert.equal(JSON.parse(r.body).error.code, 'HOST_NOT_ALLOWED');
  });

  test('the hot lane does not let a rebound Host through (forward-auth and verify)', async () => {
    const before = h.t.app.hotLane.served;
    const fwd = await overSocket(port, { method: 'GET', path: '/api/v1/auth/forward', headers: { host: `evil.example:${port}` } });
    assert.equal(fwd.status, 403);
    assert.equal(JSON.parse(fwd.body).error.code, 'HOST_NOT_ALLOWED');
    const v = await overSocket(port, { method: 'POST', path: '/api/v1/verify', headers: { host: 'evil.example', ...JSON_CT, ...bearer('tsr_x') }, body: '{"token":"tsr_x"}' });
    assert.equal(v.status, 403);
    assert.equal(h.t.app.hotLane.served, before, 'fastify answered, not the lane');
    const ok = await overSocket(port, { method: 'GET', path: '/api/v1/auth/forward', headers: { host: `127.0.0.1:${port}` } });
    assert.equal(ok.status, 401, 'an allowed host still reaches forward-auth');
  });

  test('loopback names with any port, and public_url\'s host, are allowed', async () => {
    for (const host of ['localhost', 'localhost:1234', '127.0.0.1:9696', '[::1]:9696', 'LOCALHOST:80', 'tessera.example.org', 'tessera.example.org:443']) {
      const r = await h.req(create(host));
      assert.equal(r.statusCode, 201, `${host}: ${r.body}`);
    }
  });
});

describe('provider local', () => {
  test('without allowed_hosts any Host is served (the default list applies only to provider none)', async () => {
    const h = await startHarness();
    try {
      const r = await h.req({ method: 'GET', url: '/api/v1/auth/me', headers: { host: 'evil.example', cookie: h.adminCookie } });
      assert.equal(r.statusCode, 200);
    } finally { await h.close(); }
  });

  test('an explicit allowed_hosts applies in every mode', async () => {
    const h = await startHarness({ allowed_hosts: ['tessera.example.org', '*.internal.example', 'localhost'] }); // the harness logs in as localhost
    try {
      for (const host of ['tessera.example.org', 'tessera.example.org:8443', 'a.internal.example', 'b.c.internal.example:1']) {
        const r = await h.req({ method: 'GET', url: '/api/v1/auth/me', headers: { host, cookie: h.adminCookie } });
        assert.equal(r.statusCode, 200, host);
      }
      for (const host of ['evil.example', '127.0.0.1', 'internal.example', 'xinternal.example', 'tessera.example.org.evil.example']) {
        expectError(await h.req({ method: 'GET', url: '/api/v1/auth/me', headers: { host, cookie: h.adminCookie } }), 403, 'HOST_NOT_ALLOWED');
      }
    } finally { await h.close(); }
  });

  test('a forward-auth profile\'s refusal for a Host not allowed carries the profile\'s headers, as every answer of a profile does', async () => {
    const h = await startHarness({ allowed_hosts: ['localhost'], forward_auth: { profiles: { edge: { sources: ['bearer'], mode: 'nginx' } } } as never });
    try {
      const r = await h.req({ method: 'GET', url: '/api/v1/auth/forward/edge', headers: { host: 'evil.example', authorization: 'Bearer tsr_x' } });
      expectError(r, 403, 'HOST_NOT_ALLOWED');
      assert.equal(r.headers['x-tessera-error'], 'HOST_NOT_ALLOWED');
      for (const n of ['x-tessera-user', 'x-tessera-user-id', 'x-tessera-token-id', 'x-tessera-access', 'x-tessera-permissions']) assert.equal(r.headers[n], '', n);
      const plain = await h.req({ method: 'GET', url: '/api/v1/auth/me', headers: { host: 'evil.example' } });
      assert.equal(plain.headers['x-tessera-error'], undefined, 'other routes carry no profile headers');
    } finally { await h.close(); }
  });
});
