import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  checksum, generateTokenValue, hashKey, hashToKey, hashValue, isTokenId, isWellFormed, keyToHash, MAX_VALUE_CHARS, newTokenId, plausibleLength, RANDOM_CHARS, screen,
} from '../../src/core/tokens/format.js';
import { cryptoRandom } from '../../src/infra/system.js';

const random = cryptoRandom();

test('a generated value has the prefix, 27 random base62 characters and a 6-character checksum', () => {
  const v = generateTokenValue(random, 'tsr_');
  assert.match(v, /^tsr_[0-9A-Za-z]{33}$/);
  assert.equal(checksum(v.slice(0, -6)), v.slice(-6));
  assert.ok(isWellFormed(v, 'tsr_'));
});

test('values carry at least 160 bits: 10,000 values are distinct and use the whole alphabet', () => {
  assert.ok(RANDOM_CHARS * Math.log2(62) >= 160);
  const seen = new Set<string>();
  const chars = new Set<string>();
  for (let i = 0; i < 10_000; i++) {
    const v = generateTokenValue(random, 'tsr_');
    seen.add(v);
    for (const c of v.slice(4, 4 + RANDOM_CHARS)) chars.add(c);
  }
  assert.equal(seen.size, 10_000);
  assert.equal(chars.size, 62);
});

test('a typo, a wrong prefix, a wrong length or a foreign character is not well formed', () => {
  const v = generateTokenValue(random, 'tsr_');
  const flip = (s: string, i: number) => s.slice(0, i) + (s[i] === 'a' ? 'b' : 'a') + s.slice(i + 1);
  assert.equal(isWellFormed(flip(v, 10), 'tsr_'), false);
  assert.equal(isWellFormed(flip(v, v.length - 1), 'tsr_'), false);
  assert.equal(isWellFormed(v, 'abc_'), false);
  assert.equal(isWellFormed(v + 'x', 'tsr_'), false);
  assert.equal(isWellFormed(v.slice(0, 12) + 'é' + v.slice(13), 'tsr_'), false);
  assert.equal(isWellFormed('', 'tsr_'), false);
});

test('a custom prefix is honoured', () => {
  const v = generateTokenValue(random, 'acme_');
  assert.ok(v.startsWith('acme_'));
  assert.ok(isWellFormed(v, 'acme_'));
  assert.equal(isWellFormed(v, 'tsr_'), false);
});

test('the stored form is the SHA-256 hex of the value', () => {
  assert.equal(hashValue('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
});

test('the verifier\'s cache key is the SHA-256 as bytes, one character each, and converts to and from the stored hex', () => {
  const v = generateTokenValue(random, 'tsr_');
  const key = hashKey(v);
  assert.equal(key.length, 32);
  assert.equal(keyToHash(key), hashValue(v));
  assert.equal(hashToKey(hashValue(v)), key);
});

test('the length rule checked before hashing refuses nothing the screen accepts', () => {
  const values = ['', 'x', 'tsr_', generateTokenValue(random, 'tsr_'), `${generateTokenValue(random, 'tsr_')}x`,
    'a'.repeat(MAX_VALUE_CHARS), 'a'.repeat(MAX_VALUE_CHARS + 1), 'tsr_'.padEnd(37, 'a'), 'plain-imported-value', 'ctl\u0001'];
  for (const v of values) {
    if (screen(v, 'tsr_')) assert.ok(plausibleLength(v, 'tsr_'), JSON.stringify(v));
  }
  assert.ok(!plausibleLength('', 'tsr_') && !plausibleLength('a'.repeat(MAX_VALUE_CHARS + 1), 'tsr_') && !plausibleLength('tsr_short', 'tsr_'));
});

test('token ids sort by creation time (byte order, as SQLite compares them) and differ within one millisecond', () => {
  const times = [0, 61, 62, 1_765_000_000_000, 1_765_000_000_001, 1_765_000_061_999, 4_102_444_800_000, 62 ** 8 - 1];
  const ids = times.map((t) => newTokenId(random, t));
  for (const id of ids) assert.ok(isTokenId(id), id);
  for (let i = 1; i < ids.length; i++) assert.ok(Buffer.compare(Buffer.from(ids[i - 1]!), Buffer.from(ids[i]!)) < 0, `${ids[i - 1]} < ${ids[i]}`);
  assert.equal(newTokenId(random, 1_765_000_000_000.7).slice(0, 12), ids[3]!.slice(0, 12), 'a fractional time is its millisecond');
  assert.equal(newTokenId(random, -5).slice(0, 12), ids[0]!.slice(0, 12), 'a time before the epoch is 0');
  const same = new Set(Array.from({ length: 10_000 }, () => newTokenId(random, 1_765_000_000_000)));
  assert.equal(same.size, 10_000);
  for (const id of same) assert.equal(id.slice(0, 12), ids[3]!.slice(0, 12));
});
