/**
 * Issue 12, item 8: login CSRF. Both login routes (native and Semaphore's) took form bodies from any Origin and set
 * the session cookie, so a foreign page could log the victim's browser in as the attacker. A login whose Origin is
 * present and foreign (or `null`) is now refused with 403 CSRF_REJECTED, by the same origin rule as cookie writes;
 * no Origin (curl) and the server's own origin (the web UI) still log in.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ADMIN_PASSWORD, type Harness, startHarness } from '../helpers.js';
import { expectError, lastAuditId } from '../api/support.js';

const HOST = 'tessera.test';
const FOREIGN = ['https://evil.example', `http://${HOST}.evil.example`, `https://${HOST}`, `http://${HOST}:8080`, 'null'];
const form = (o: Record<string, string>): string => new URLSearchParams(o).toString();
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

let h: Harness;
before(async () => { h = await startHarness(); });
after(async () => { await h.close(); });

const native = (headers: Record<string, string>, asForm = true) => h.req({
  method: 'POST', url: '/api/v1/auth/login', headers: { host: HOST, ...(asForm ? FORM : {}), ...headers },
  payload: asForm ? form({ username: 'admin', password: ADMIN_PASSWORD }) : { username: 'admin', password: ADMIN_PASSWORD },
});
/**
 * Semaphore reads its login body as JSON whatever its content type, so a cross-site form can send one as text/plain
 * (or urlencoded): the origin rule must hold for every type.
 */
const SEMAPHORE_TYPES = ['application/json', 'text/plain', 'application/x-www-form-urlencoded'];
const semaphore = (headers: Record<string, string>, type: string) => h.req({
  method: 'POST', url: '/api/auth/login', headers: { host: HOST, 'content-type': type, ...headers }, payload: JSON.stringify({ auth: 'admin', password: ADMIN_PASSWORD }),
});
const setsCookie = (r: { headers: Record<string, unknown> }): boolean => r.headers['set-cookie'] !== undefined;

describe('native POST /api/v1/auth/login', () => {
  test('a foreign (or null) Origin is refused with 403 CSRF_REJECTED and no cookie, form or JSON', async () => {
    for (const origin of FOREIGN) {
      for (const asForm of [true, false]) {
        const before = await lastAuditId(h);
        const r = await native({ origin }, asForm);
        expectError(r, 403, 'CSRF_REJECTED', /origin/);
        assert.ok(!setsCookie(r), origin);
        assert.equal(await lastAuditId(h), before, `${origin}: no login was attempted`);
      }
    }
  });
  test('without Origin (curl) and from the server\'s own origin it logs in', async () => {
    for (const headers of [{}, { origin: `http://${HOST}` }] as Record<string, string>[]) {
      const r = await native(headers);
      assert.equal(r.statusCode, 200, r.body);
      assert.ok(setsCookie(r));
    }
  });
});

describe('Semaphore POST /api/auth/login', () => {
  test('a foreign (or null) Origin is refused with 403 and no cookie, whatever the body\'s type (or a body that is no JSON)', async () => {
    for (const origin of FOREIGN) {
      for (const type of SEMAPHORE_TYPES) {
        const r = await semaphore({ origin }, type);
        assert.equal(r.statusCode, 403, `${origin} ${type}: ${r.body}`);
        assert.ok(!setsCookie(r), origin);
      }
      const bad = await h.req({ method: 'POST', url: '/api/auth/login', headers: { host: HOST, origin, ...FORM }, payload: form({ auth: 'admin' }) });
      assert.equal(bad.statusCode, 403, 'the origin before the body');
    }
  });
  test('without Origin and from the server\'s own origin it logs in (204 and the cookie)', async () => {
    for (const headers of [{}, { origin: `http://${HOST}` }] as Record<string, string>[]) {
      for (const type of SEMAPHORE_TYPES) {
        const r = await semaphore(headers, type);
        assert.equal(r.statusCode, 204, `${type}: ${r.body}`);
        assert.ok(setsCookie(r));
      }
    }
  });
});
