/** The verifier's bounded caches: at most `max` entries, the oldest insertion evicted first, lookups unaffected. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BoundedMap } from '../../src/core/tokens/bounded-map.js';

test('keeps at most max entries and evicts the oldest insertion first, telling onEvict', () => {
  const evicted: string[] = [];
  const m = new BoundedMap<number>(3, (k) => evicted.push(k));
  for (const k of ['a', 'b', 'c', 'd', 'e']) m.set(k, k.charCodeAt(0));
  assert.equal(m.size, 3);
  assert.deepEqual(evicted, ['a', 'b']);
  assert.equal(m.get('a'), undefined);
  assert.equal(m.get('e'), 'e'.charCodeAt(0));
});

test('replacing a key makes it the newest; delete and clear free room without onEvict', () => {
  const evicted: string[] = [];
  const m = new BoundedMap<string>(3, (k) => evicted.push(k));
  m.set('a', '1'); m.set('b', '1'); m.set('c', '1');
  m.set('a', '2'); // a is now newest: b goes next
  m.set('d', '1');
  assert.equal(m.get('a'), '2');
  assert.equal(m.get('d'), '1');
  assert.ok(evicted.includes('b'));
  assert.ok(!evicted.includes('a'));
  assert.equal(m.delete('d'), true);
  assert.equal(m.delete('d'), false);
  m.clear();
  assert.equal(m.size, 0);
  m.set('x', '1');
  assert.equal(m.get('x'), '1');
  assert.ok(!evicted.includes('d') && !evicted.includes('x'));
});

test('max 0 keeps nothing; a long run of inserts never exceeds max', () => {
  const none = new BoundedMap<number>(0);
  none.set('a', 1);
  assert.equal(none.get('a'), undefined);
  const m = new BoundedMap<number>(1000);
  for (let i = 0; i < 100_000; i++) {
    m.set(`k${i}`, i);
    if (i % 7 === 0) m.delete(`k${i - 3}`);
  }
  assert.ok(m.size <= 1000);
  assert.equal(m.get('k99999'), 99_999);
  assert.equal(m.get('k0'), undefined);
});
