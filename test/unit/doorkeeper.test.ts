/**
 * The verifier cache's admission (src/core/tokens/doorkeeper.ts): a value is cached on its second lookup, so values
 * seen once do not churn the cache; and the cache's bookkeeping does not grow with every token ever seen.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { Doorkeeper } from '../../src/core/tokens/doorkeeper.js';
import { startHarness } from '../helpers.js';

const sha = (s: string): string => createHash('sha256').update(s).digest('hex');

test('the first sighting is refused and remembered; the second is admitted', () => {
  const d = new Doorkeeper(1000);
  const h = sha('a');
  assert.equal(d.admit(h), false);
  assert.equal(d.admit(h), true);
  assert.equal(d.admit(h), true);
});

test('most distinct values are refused on first sight (false positives stay rare at the window size)', () => {
  const d = new Doorkeeper(10_000);
  let admitted = 0;
  for (let i = 0; i < 10_000; i++) if (d.admit(sha(`v${i}`))) admitted++;
  assert.ok(admitted < 1_000, `${admitted} of 10,000 first sightings admitted`);
});

test('sightings older than the window are forgotten', () => {
  const d = new Doorkeeper(100);
  const h = sha('old');
  assert.equal(d.admit(h), false);
  for (let i = 0; i < 200; i++) d.admit(sha(`filler${i}`));
  assert.equal(d.admit(h), false);
});

test('the verifier looks a token up twice, then answers from its cache; eviction leaves no per-token bookkeeping', async () => {
  const h = await startHarness({ cache: { max_entries: 10, ttl_seconds: 60 } });
  try {
    const { store, verifier } = h.t.services;
    let lookups = 0;
    const find = store.findBySecretHash.bind(store);
    store.findBySecretHash = (hash: string) => { lookups++; return find(hash); };
    // SQLite also answers at once when it can (a read it made counts; `false`, "ask findBySecretHash", does not).
    const now = store.findBySecretHashNow?.bind(store);
    if (now) store.findBySecretHashNow = (hash: string) => { const r = now(hash); if (r !== false) lookups++; return r; };
    const { token } = await h.adminToken({ name: 'door' });
    for (let i = 0; i < 4; i++) assert.equal((await verifier.verify(token)).code, 'VALID');
    assert.equal(lookups, 2, 'the first two verifications read the store, the next two the cache');
    // 50 more tokens, each verified twice (so cached), through a cache of 10: what is evicted is forgotten entirely.
    for (let i = 0; i < 50; i++) {
      const t = await h.adminToken({ name: `door-${i}` });
      await verifier.verify(t.token);
      await verifier.verify(t.token);
    }
    const byToken = (verifier as unknown as { byToken: Map<string, Set<string>> }).byToken;
    assert.ok(byToken.size <= 10, `${byToken.size} tokens still tracked with a cache of 10`);
  } finally {
    await h.close();
  }
});
