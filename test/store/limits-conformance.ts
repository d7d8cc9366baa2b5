/**
 * Conformance of the usage-limit store operation (issue 5): `consumeUse` takes exactly one use per call in one atomic
 * statement, applies due refills inside it, and the limit columns round-trip through create and update. Run by both
 * store tests (sqlite.test.ts, postgres.test.ts) against a store of their own.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { NewToken, Store } from '../../src/core/ports.js';
import type { StoreFactory } from './conformance.js';

const T0 = 1_700_000_000_000;
let seq = 0;
const newToken = (over: Partial<NewToken> = {}): NewToken => {
  seq++;
  return {
    id: `tok_limits${String(seq).padStart(6, '0')}`, hash: createHash('sha256').update(`limits-${seq}`).digest('hex'),
    kind: 'personal', ownerId: null, name: null, comment: '', access: 'write', prefix: 'tsr_abcdef', metadata: null,
    active: true, recoverable: false, secretEnc: null, expiresAt: null, createdAt: T0 + seq, ...over,
  };
};

export const limitsConformance = (name: string, factory: StoreFactory): void => {
  describe(`store conformance (usage limits): ${name}`, () => {
    let s: Store;
    before(async () => { s = await factory.open(); });
    after(async () => { await s.close(); await factory.cleanup?.(); });

    test('a token without limits has none, and consumeUse leaves it alone (null)', async () => {
      const t = await s.createToken(newToken());
      assert.deepEqual([t.remaining, t.refill, t.refilledAt, t.rateLimit], [null, null, null, null]);
      assert.equal(await s.consumeUse(t.id, T0), null);
      assert.equal((await s.getToken(t.id))?.remaining, null);
      assert.equal(await s.consumeUse('tok_missing', T0), null, 'an unknown token has no limit to take from');
    });

    test('limits round-trip through create and update', async () => {
      const t = await s.createToken(newToken({ remaining: 7, refill: { amount: 9, intervalSeconds: 60 }, refilledAt: T0, rateLimit: { limit: 5, windowSeconds: 10 } }));
      assert.equal(t.remaining, 7);
      assert.deepEqual(t.refill, { amount: 9, intervalSeconds: 60 });
      assert.equal(t.refilledAt, T0);
      assert.deepEqual(t.rateLimit, { limit: 5, windowSeconds: 10 });
      const u = await s.updateToken(t.id, { remaining: 3, rateLimit: null, updatedAt: T0 + 1 });
      assert.equal(u?.remaining, 3);
      assert.deepEqual(u?.refill, { amount: 9, intervalSeconds: 60 }, 'fields not in the patch stay');
      assert.equal(u?.rateLimit, null);
      const v = await s.updateToken(t.id, { remaining: null, refill: null, refilledAt: null, updatedAt: T0 + 2 });
      assert.deepEqual([v?.remaining, v?.refill, v?.refilledAt], [null, null, null]);
      assert.equal(await s.consumeUse(t.id, T0 + 3), null, 'no limit any more');
    });

    test('consumeUse counts down one use per call and stops exactly at zero', async () => {
      const t = await s.createToken(newToken({ remaining: 3 }));
      const got = [];
      for (let i = 0; i < 5; i++) got.push(await s.consumeUse(t.id, T0 + 10));
      assert.deepEqual(got, [
        { granted: true, remaining: 2, resetAt: null }, { granted: true, remaining: 1, resetAt: null },
        { granted: true, remaining: 0, resetAt: null }, { granted: false, remaining: 0, resetAt: null },
        { granted: false, remaining: 0, resetAt: null },
      ]);
      assert.equal((await s.getToken(t.id))?.remaining, 0, 'refusals do not go below zero');
    });

    test('exactly one caller gets each use: 200 concurrent calls on 50 uses', async () => {
      const t = await s.createToken(newToken({ remaining: 50 }));
      const rs = await Promise.all(Array.from({ length: 200 }, () => s.consumeUse(t.id, T0 + 20)));
      const granted = rs.filter((r) => r?.granted);
      assert.equal(granted.length, 50);
      // Each use went to one caller: the counts left after each grant are 49 … 0, each exactly once.
      assert.deepEqual(granted.map((r) => r!.remaining).sort((a, b) => a - b), Array.from({ length: 50 }, (_, i) => i));
      assert.equal((await s.getToken(t.id))?.remaining, 0);
    });

    test('a due refill is applied inside the same operation, by whole intervals', async () => {
      const t = await s.createToken(newToken({ remaining: 2, refill: { amount: 5, intervalSeconds: 60 }, refilledAt: T0 }));
      assert.deepEqual(await s.consumeUse(t.id, T0 + 1), { granted: true, remaining: 1, resetAt: T0 + 60_000 });
      assert.deepEqual(await s.consumeUse(t.id, T0 + 2), { granted: true, remaining: 0, resetAt: T0 + 60_000 });
      assert.deepEqual(await s.consumeUse(t.id, T0 + 59_999), { granted: false, remaining: 0, resetAt: T0 + 60_000 });
      assert.deepEqual(await s.consumeUse(t.id, T0 + 60_000), { granted: true, remaining: 4, resetAt: T0 + 120_000 }, 'refilled to the amount');
      // Ten intervals later: one refill (not ten), and the period starts at the last whole interval.
      assert.deepEqual(await s.consumeUse(t.id, T0 + 600_500), { granted: true, remaining: 4, resetAt: T0 + 660_000 });
      const row = await s.getToken(t.id);
      assert.equal(row?.refilledAt, T0 + 600_000);
    });

    test('concurrent callers on a due refill: exactly the refill amount is granted', async () => {
      const t = await s.createToken(newToken({ remaining: 0, refill: { amount: 10, intervalSeconds: 3600 }, refilledAt: T0 }));
      assert.equal((await s.consumeUse(t.id, T0 + 1))?.granted, false);
      const rs = await Promise.all(Array.from({ length: 40 }, () => s.consumeUse(t.id, T0 + 3_600_000)));
      assert.equal(rs.filter((r) => r?.granted).length, 10);
      assert.equal((await s.getToken(t.id))?.remaining, 0);
      assert.equal((await s.getToken(t.id))?.refilledAt, T0 + 3_600_000);
    });
  });
};
