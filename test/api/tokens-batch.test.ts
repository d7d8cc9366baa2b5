/**
 * `POST /api/v1/tokens/batch` (issue 18): up to 1,000 tokens at once under the rules of single creation, all or
 * nothing, the values answered once. Both stores.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { bearer, type Harness, startHarness } from '../helpers.js';
import { expectError } from './support.js';

let h: Harness;
let bob: { id: number; token: string; cookie: string };
before(async () => {
  h = await startHarness({ max_tokens_per_user: 5 });
  bob = await h.createUser('bob');
});
after(async () => { await h.close(); });

const batch = (tokens: unknown[], headers: Record<string, string> = { cookie: h.adminCookie }) =>
  h.req({ method: 'POST', url: '/api/v1/tokens/batch', headers, payload: { tokens } });
const count = async (owner: string): Promise<number> =>
  (await h.req({ method: 'GET', url: `/api/v1/tokens?owner=${owner}&limit=200`, headers: { cookie: h.adminCookie } })).json().items.length;

test('201: every token created with its fields and a value that verifies; the values are in this answer only', async () => {
  const r = await batch([
    { name: 'ci-1', access: 'read', expires_in: 3600, metadata: { n: 1 } },
    { name: 'ci-2', comment: 'second', recoverable: true },
    { kind: 'service', name: 'svc-batch', access: 'full', expires_in: 60 },
  ]);
  assert.equal(r.statusCode, 201, r.body);
  const t = r.json().tokens;
  assert.equal(t.length, 3);
  assert.deepEqual(t.map((x: { name: string; access: string; kind: string; status: string }) => [x.name, x.access, x.kind, x.status]),
    [['ci-1', 'read', 'personal', 'active'], ['ci-2', 'write', 'personal', 'active'], ['svc-batch', 'full', 'service', 'active']]);
  assert.equal(Date.parse(t[0].expires_at), h.clock.now() + 3600_000);
  for (const x of t) {
    assert.match(x.token, /^tsr_[0-9A-Za-z]{33}$/);
    assert.deepEqual(['binding', 'last_used_from'].filter((k) => k in x), [], 'what a token lacks is left out, not null');
    // GET also shows the addresses the token was last used from (none yet); the batch answer has the rest.
    const { last_used_from: from, ...shown } = (await h.req({ method: 'GET', url: `/api/v1/tokens/${x.id}`, headers: { cookie: h.adminCookie } })).json();
    assert.deepEqual(from, []);
    const { token: _v, ...rest } = x;
    assert.deepEqual(shown, rest, 'the batch answer shows each token as GET shows it');
    const v = (await h.req({ method: 'POST', url: '/api/v1/verify', headers: { cookie: h.adminCookie }, payload: { token: x.token } })).json();
    assert.equal(v.code, 'VALID');
  }
  const audit = (await h.req({ method: 'GET', url: '/api/v1/audit?action=token.batch_create', headers: { cookie: h.adminCookie } })).json().items;
  assert.deepEqual(audit[0].details, { count: 3, ids: t.map((x: { id: string }) => x.id) });
  assert.ok(!JSON.stringify(audit).includes(t[0].token));
});

test('all or nothing: one refused item (a past expiry, a name used twice, a name taken) creates none and names the item', async () => {
  const before = await count('admin');
  const e1 = expectError(await batch([{ name: 'ok-1' }, { name: 'ok-2', expires_at: '2001-01-01T00:00:00Z' }]), 400, 'VALIDATION_ERROR');
  assert.match(e1.message, /^tokens\[1\]: /);
  assert.equal(e1.field, 'tokens[1].expires_at');
  const e2 = expectError(await batch([{ name: 'twice' }, { name: 'twice' }]), 409, 'CONFLICT');
  assert.equal(e2.field, 'tokens[1].name');
  expectError(await batch([{ name: 'fresh-1' }, { name: 'ci-1' }]), 409, 'CONFLICT');
  // A schema error names the item the same way (brackets), not as the JSON pointer's `tokens.1`.
  const e3 = expectError(await batch([{ name: 'ok-3' }, { name: 'ok-4', expires_in: -5 }]), 400, 'VALIDATION_ERROR');
  assert.equal(e3.field, 'tokens[1].expires_in');
  assert.match(e3.message, /^body\.tokens\[1\]\.expires_in /);
  assert.equal(expectError(await batch([{ name: 'ok-5', bogus: 1 }]), 400, 'VALIDATION_ERROR').field, 'tokens[0].bogus');
  assert.equal(await count('admin'), before, 'nothing was created by the refused batches');
});

test('the per-user quota counts the batch\'s own tokens; permissions the owner does not hold are refused', async () => {
  const over = await batch([{ name: 'b1' }, { name: 'b2' }, { name: 'b3' }, { name: 'b4' }, { name: 'b5' }], bearer(bob.token));
  const e = expectError(over, 409, 'TOKEN_QUOTA_EXCEEDED');
  assert.match(e.message, /^tokens\[4\]: /, 'bob has one token: the fifth of the batch is the sixth');
  assert.equal(await count('bob'), 1);
  const fits = await batch([{ name: 'b1' }, { name: 'b2' }, { name: 'b3' }, { name: 'b4' }], bearer(bob.token));
  assert.equal(fits.statusCode, 201, fits.body);
  assert.equal(await count('bob'), 5);
  expectError(await batch([{ name: 'p1', permissions: ['deploy:write'] }], { cookie: bob.cookie, 'x-requested-with': 'x' }), 403, 'PERMISSION_NOT_HELD');
});

test('who may: a non-admin may not batch service tokens or tokens for others; at most 1,000 items; a read token is refused', async () => {
  expectError(await batch([{ kind: 'service', name: 's' }], bearer(bob.token)), 403, 'FORBIDDEN');
  expectError(await batch([{ owner: 'admin' }], bearer(bob.token)), 403, 'FORBIDDEN');
  expectError(await batch([]), 400, 'VALIDATION_ERROR');
  expectError(await batch(Array.from({ length: 1001 }, () => ({}))), 400, 'VALIDATION_ERROR');
  const read = (await h.req({ method: 'POST', url: '/api/v1/tokens', headers: { cookie: h.adminCookie }, payload: { access: 'read' } })).json().token;
  expectError(await batch([{}], bearer(read)), 403, 'INSUFFICIENT_ACCESS');
});

test('1,000 tokens in one call', async () => {
  const r = await batch(Array.from({ length: 1000 }, (_, i) => ({ kind: 'service', name: `bulk-${i}` })));
  assert.equal(r.statusCode, 201, r.body.slice(0, 300));
  const values = new Set(r.json().tokens.map((x: { token: string }) => x.token));
  assert.equal(values.size, 1000);
});
