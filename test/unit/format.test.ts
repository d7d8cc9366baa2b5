import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checksum, generateTokenValue, hashValue, isWellFormed, RANDOM_CHARS } from '../../src/core/tokens/format.js';
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
