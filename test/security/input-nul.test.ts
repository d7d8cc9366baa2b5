/**
 * Issue 12, item 2: a NUL byte in any string that reaches SQL, and a cursor the server never issued, are the client's
 * mistakes: 400 with a stable code naming the field on every store (PostgreSQL answered 500 with a stack before).
 * Runs on SQLite and again on PostgreSQL (scripts/test.mjs).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { bearer, type Harness, startHarness } from '../helpers.js';
import { expectError } from '../api/support.js';

let h: Harness;
let admin: string;
const NUL = '\u0000';
const b64 = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');

before(async () => {
  h = await startHarness({ commands: { hello: { id: 1, argv: ['/bin/true'], args: 'any' } } as never });
  admin = (await h.adminToken({ name: 'nul-admin' })).token;
});
after(() => h.close());

describe('NUL bytes are refused at the schema layer, naming the field', () => {
  const cases: { what: string; req: () => Parameters<Harness['req']>[0]; field: RegExp }[] = [
    { what: 'login username', req: () => ({ method: 'POST', url: '/api/v1/auth/login', payload: { username: `adm${NUL}in`, password: 'x' } }), field: /body\.username/ },
    { what: 'token name', req: () => ({ method: 'POST', url: '/api/v1/tokens', headers: bearer(admin), payload: { name: `a${NUL}b`, access: 'read' } }), field: /body\.name/ },
    { what: 'token comment', req: () => ({ method: 'POST', url: '/api/v1/tokens', headers: bearer(admin), payload: { name: 'ok', comment: `c${NUL}` } }), field: /body\.comment/ },
    { what: 'list filter', req: () => ({ method: 'GET', url: '/api/v1/tokens?name=a%00b', headers: bearer(admin) }), field: /query\.name/ },
    { what: 'owner filter', req: () => ({ method: 'GET', url: '/api/v1/tokens?owner=ad%00min', headers: bearer(admin) }), field: /query\.owner/ },
    { what: 'token id in the path', req: () => ({ method: 'GET', url: '/api/v1/tokens/tok_%00', headers: bearer(admin) }), field: /params\.id/ },
    { what: 'user id in the path', req: () => ({ method: 'PATCH', url: '/api/v1/users/1%00', headers: bearer(admin), payload: { disabled: false } }), field: /params\.id/ },
    { what: 'new user', req: () => ({ method: 'POST', url: '/api/v1/users', headers: bearer(admin), payload: { username: `u${NUL}`, password: 'password-1' } }), field: /body\.username/ },
    { what: 'audit filter', req: () => ({ method: 'GET', url: '/api/v1/audit?action=token.%00', headers: bearer(admin) }), field: /query\.action/ },
    { what: 'job filter', req: () => ({ method: 'GET', url: '/api/v1/jobs?command=hel%00lo', headers: bearer(admin) }), field: /query\.command/ },
    { what: 'channel name', req: () => ({ method: 'GET', url: '/api/v1/channels/de%00fault/messages', headers: bearer(admin) }), field: /params\.name/ },
    { what: 'run arguments', req: () => ({ method: 'POST', url: '/api/v1/commands/hello/run', headers: bearer(admin), payload: { args: [`x${NUL}`] } }), field: /body\.args\[0\]/ },
  ];
  for (const c of cases) {
    test(c.what, async () => {
      const r = await h.req(c.req());
      const e = expectError(r, 400, 'VALIDATION_ERROR');
      assert.match(e.message, c.field);
      assert.match(e.message, /NUL/);
    });
  }

  test('verify: a NUL in the token is the same refusal both ways (fastify here; the lane shares the rule)', async () => {
    const r = await h.req({ method: 'POST', url: '/api/v1/verify', headers: bearer(admin), payload: { token: `tsr_${NUL}` } });
    assert.match(expectError(r, 400, 'VALIDATION_ERROR').message, /body\.token must not contain a NUL/);
  });

  // The compat faces answer in their own shapes; what matters is a 4xx, never a 500.
  const compat: { what: string; req: () => Parameters<Harness['req']>[0] }[] = [
    { what: 'Query name', req: () => ({ method: 'GET', url: '/_/token?name=a%00', headers: bearer(admin) }) },
    { what: 'Query create', req: () => ({ method: 'POST', url: '/_/token', headers: bearer(admin), payload: { name: `q${NUL}`, write: true } }) },
    { what: 'Query value', req: () => ({ method: 'GET', url: '/_/token/value?name=%00', headers: bearer(admin) }) },
    { what: 'Semaphore token id', req: () => ({ method: 'DELETE', url: '/api/user/tokens/ab%00cd', headers: bearer(admin) }) },
    { what: 'Semaphore login', req: () => ({ method: 'POST', url: '/api/auth/login', payload: { auth: `admin${NUL}`, password: 'x' } }) },
    { what: 'FileBin form field', req: () => ({ method: 'POST', url: '/api/v2/user/create_apikey', payload: `username=ad%00min&password=x&access_level=read`, headers: { 'content-type': 'application/x-www-form-urlencoded' } }) },
    { what: '/message text', req: () => ({ method: 'POST', url: '/message', headers: { token: admin, 'content-type': 'application/x-www-form-urlencoded' }, payload: 'message=a%00b' }) },
  ];
  for (const c of compat) {
    test(`compat: ${c.what} → 4xx`, async () => {
      const r = await h.req(c.req());
      assert.ok(r.statusCode >= 400 && r.statusCode < 500, `${c.what}: ${r.statusCode} ${r.body}`);
    });
  }
});

describe('cursors the server never issued are 400 INVALID_CURSOR on every listing', () => {
  const bad = ['W10', b64(['x']), b64([1.5]), b64([1e300]), b64(['a', 'b']), b64({}), 'not base64!', b64([`x${NUL}`]), '%00', b64([1, 2, 3])];
  const listings = ['/api/v1/users', '/api/v1/tokens', '/api/v1/audit', '/api/v1/jobs', '/api/v1/channels/default/messages'];
  for (const url of listings) {
    test(url, async () => {
      for (const c of bad) {
        const r = await h.req({ method: 'GET', url: `${url}?cursor=${encodeURIComponent(c)}`, headers: bearer(admin) });
        assert.ok(r.statusCode === 400, `${url} cursor ${c}: ${r.statusCode} ${r.body}`);
        assert.ok(['INVALID_CURSOR', 'VALIDATION_ERROR'].includes(r.json().error.code), `${url} cursor ${c}: ${r.body}`);
        if (!c.includes('%00')) assert.equal(r.json().error.code, 'INVALID_CURSOR', `${url} cursor ${c}`);
      }
      // the cursor the server issued still works
      const first = await h.req({ method: 'GET', url: `${url}?limit=1`, headers: bearer(admin) });
      assert.equal(first.statusCode, 200, first.body);
      const next = first.json().next_cursor as string | null;
      if (next) assert.equal((await h.req({ method: 'GET', url: `${url}?limit=1&cursor=${encodeURIComponent(next)}`, headers: bearer(admin) })).statusCode, 200);
    });
  }
});
