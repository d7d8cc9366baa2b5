/**
 * Issue 12, item 10: `GET /api/v1/tokens?owner=<name>` told a non-admin whether a username exists (403 for an
 * existing user, 400 for an unknown one). Now both get the same 403; naming yourself still works.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { bearer, type Harness, startHarness } from '../helpers.js';
import { expectError } from '../api/support.js';

let h: Harness;
let alice: { id: number; token: string };
let bob: { id: number };
before(async () => {
  h = await startHarness();
  alice = await h.createUser('alice');
  bob = await h.createUser('bob');
});
after(() => h.close());

test('a non-admin gets the same answer for an existing and an unknown owner, by name and by id', async () => {
  const answers = [];
  for (const owner of ['bob', 'nobody-here', String(bob.id), '4242', 'admin', '1', '*']) {
    const r = await h.req({ method: 'GET', url: `/api/v1/tokens?owner=${encodeURIComponent(owner)}`, headers: bearer(alice.token) });
    const e = expectError(r, 403, 'FORBIDDEN');
    answers.push(e.message);
  }
  assert.equal(new Set(answers).size, 1, `one message for all: ${answers.join(' | ')}`);
});

test('naming yourself, by name or id, lists your own tokens', async () => {
  for (const owner of ['alice', String(alice.id)]) {
    const r = await h.req({ method: 'GET', url: `/api/v1/tokens?owner=${owner}`, headers: bearer(alice.token) });
    assert.equal(r.statusCode, 200, r.body);
    assert.ok(r.json().items.length >= 1);
  }
});

test('admins still learn that an owner is unknown', async () => {
  const admin = await h.adminToken({ name: 'enum-admin' });
  expectError(await h.req({ method: 'GET', url: '/api/v1/tokens?owner=nobody-here', headers: bearer(admin.token) }), 400, 'VALIDATION_ERROR', /owner: no user has this username or id/);
});
