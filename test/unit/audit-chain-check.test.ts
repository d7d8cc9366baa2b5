/**
 * The audit chain's check (src/core/audit/chain.ts) over rows as an upgrade leaves them: rows written before the chain
 * began have no hash, and the chain's first row links to none (the head started empty). Those rows are counted as
 * not covered; the same rows with their hashes stripped from a chain that did cover them are found.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ChainCheck, type ChainedEvent, chainHash } from '../../src/core/audit/chain.js';

const event = (id: number) => ({
  at: 1_700_000_000_000 + id, actorType: 'user' as const, actorId: '1', actorName: 'admin', action: 'token.create',
  targetType: 'token', targetId: `tok_${id}`, ip: null, requestId: null, details: null,
});
/** `old` rows without hashes, then `chained` rows linked from `firstPrev`. */
const rows = (old: number, chained: number, firstPrev: string | null): ChainedEvent[] => {
  const out: ChainedEvent[] = [];
  for (let i = 1; i <= old; i++) out.push({ id: i, ...event(i), prevHash: null, hash: null });
  let prev = firstPrev;
  for (let i = old + 1; i <= old + chained; i++) {
    const hash = chainHash(prev, event(i));
    out.push({ id: i, ...event(i), prevHash: prev, hash });
    prev = hash;
  }
  return out;
};
const check = (rs: ChainedEvent[]): ChainCheck => { const c = new ChainCheck(); for (const r of rs) c.add(r); return c; };

test('rows from before the chain began are counted as not covered, and the chain after them is checked', () => {
  const c = check(rows(3, 4, null));
  assert.deepEqual([c.broken, c.unchained, c.checked], [null, 3, 4]);
});

test('the chain\'s first row linking to a row without a hash: the rows before it lost theirs', () => {
  const c = check(rows(3, 4, 'a'.repeat(64)));
  assert.equal(c.broken?.id, 4);
  assert.match(c.broken!.reason, /lost their hashes/);
});

test('a chain whose oldest rows were pruned (no rows without a hash before it) may link to a row that is gone', () => {
  const c = check(rows(0, 4, 'b'.repeat(64)));
  assert.deepEqual([c.broken, c.unchained, c.checked], [null, 0, 4]);
});
