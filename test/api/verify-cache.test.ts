/**
 * What the verifier's cache hands out (issue 18): a value's first lookup is answered from the row read for it and not
 * kept (the cache admits a value on its second lookup); from the second on, every verification returns the cache's
 * own token object (`kept`), which the verify endpoint keeps its answer's JSON beside, until the token changes. The
 * answers over HTTP are the same whichever way they were made, and a cached hit is answered without a promise (on
 * SQLite, a first sighting too, when the store can read at once).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { hashValue } from '../../src/core/tokens/format.js';
import type { VerifyResult } from '../../src/core/tokens/verifier.js';
import { bearer, type Harness, startHarness } from '../helpers.js';
import { testStore } from '../services.js';

let h: Harness;
let admin: string;
before(async () => {
  h = await startHarness({ log_level: 'warn' });
  admin = (await h.adminToken({ name: 'cache-admin' })).token;
});
after(async () => { await h.close(); });

const verifyHttp = async (token: string): Promise<{ status: number; body: string }> => {
  const r = await h.req({ method: 'POST', url: '/api/v1/verify', headers: bearer(admin), payload: { token } });
  return { status: r.statusCode, body: r.body };
};
const valid = (r: VerifyResult): VerifyResult & { valid: true } => {
  assert.equal(r.code, 'VALID');
  return r as VerifyResult & { valid: true };
};

test('first sighting: not kept; from the second on: the cache\'s own token object, until the token changes', async () => {
  const { id, token } = await h.adminToken({ name: 'kept-1' });
  const v = h.t.services.verifier;
  const first = valid(await v.verify(token));
  assert.equal(first.kept, false);
  const second = valid(await v.verify(token));
  assert.equal(second.kept, true);
  assert.notEqual(second.token, first.token, 'the second lookup reads the row again and keeps it');
  const third = v.verify(token);
  assert.ok(!(third instanceof Promise), 'a cache hit is answered without a promise');
  assert.equal(valid(third).token, second.token);
  assert.equal(valid(third).kept, true);
  assert.equal(v.verify(token), third, 'every hit of the entry hands out its one result object');

  // On SQLite, a first sighting is answered at once too, while no write holds a transaction open on the connection
  // (PostgreSQL reads asynchronously: a promise).
  const fresh = await h.adminToken({ name: 'kept-1-cold' });
  const store = h.t.services.store;
  if (testStore() === 'sqlite') {
    for (let i = 0; i < 50 && store.findBySecretHashNow?.(hashValue(fresh.token)) === false; i++) await new Promise((r) => setTimeout(r, 10));
  }
  const cold = v.verify(fresh.token);
  assert.equal(cold instanceof Promise, testStore() !== 'sqlite', 'on SQLite a first sighting read at once is answered without a promise');
  assert.equal(valid(await cold).kept, false);
  assert.equal(valid(await cold).token.name, 'kept-1-cold');

  // A change drops the entry: the next verification reads the row again (and is a first sighting once more).
  const patched = await h.req({ method: 'PATCH', url: `/api/v1/tokens/${id}`, headers: bearer(admin), payload: { name: 'kept-1-renamed' } });
  assert.equal(patched.statusCode, 200);
  const after = valid(await v.verify(token));
  assert.notEqual(after.token, second.token);
  assert.equal(after.token.name, 'kept-1-renamed');
});

test('the verify answer is the same for a first sighting, the second lookup and cache hits; a rename shows at once', async () => {
  const { id, token } = await h.adminToken({ name: 'kept-2' });
  const answers = [await verifyHttp(token), await verifyHttp(token), await verifyHttp(token), await verifyHttp(token)];
  for (const a of answers) assert.equal(a.status, 200);
  assert.equal(JSON.parse(answers[0]!.body).token.name, 'kept-2');
  assert.deepEqual(new Set(answers.map((a) => a.body)).size, 1, 'one body, however it was made');
  const patched = await h.req({ method: 'PATCH', url: `/api/v1/tokens/${id}`, headers: bearer(admin), payload: { name: 'kept-2-renamed' } });
  assert.equal(patched.statusCode, 200);
  for (let i = 0; i < 3; i++) {
    const a = await verifyHttp(token);
    assert.equal(JSON.parse(a.body).token.name, 'kept-2-renamed', `verification ${i + 1} after the rename`);
  }
});
