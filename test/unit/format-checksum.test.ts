import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checksum, generateTokenValue, isWellFormed, RANDOM_CHARS, CHECKSUM_CHARS } from '../../src/core/tokens/format.js';
import { cryptoRandom } from '../../src/infra/system.js';

// isWellFormed computes the CRC-32 and decodes the checksum by hand (no allocation on the verification path); it must
// agree with the plain definition: the shape, and checksum() (zlib's crc32 in base62) of the body equal to the tail.
const random = cryptoRandom();
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const byDefinition = (v: string, prefix: string): boolean => {
  const cut = v.length - CHECKSUM_CHARS;
  return v.length === prefix.length + RANDOM_CHARS + CHECKSUM_CHARS && v.startsWith(prefix)
    && /^[0-9A-Za-z]+$/.test(v.slice(prefix.length)) && checksum(v.slice(0, cut)) === v.slice(cut);
};
const pick = (s: string): string => s[random.bytes(1)[0]! % s.length]!;

test('the hand-computed checksum check agrees with zlib crc32 + base62 on valid values and on every kind of edit', () => {
  let valid = 0;
  for (let i = 0; i < 5_000; i++) {
    const prefix = i % 2 ? 'tsr_' : 'acme9_';
    const v = generateTokenValue(random, prefix);
    const at = random.bytes(1)[0]! % v.length;
    const variants = [
      v,
      v.slice(0, at) + pick(ALPHABET) + v.slice(at + 1), // one character replaced (sometimes by itself)
      v.slice(0, at) + pick('é_-+/= \u0000\u00ff\u2028') + v.slice(at + 1), // a character outside the alphabet
      v.slice(0, -CHECKSUM_CHARS) + Array.from({ length: CHECKSUM_CHARS }, () => pick(ALPHABET)).join(''), // random tail
      v.slice(1), v + pick(ALPHABET),
    ];
    for (const x of variants) {
      assert.equal(isWellFormed(x, prefix), byDefinition(x, prefix), `${prefix} ${JSON.stringify(x)}`);
      if (isWellFormed(x, prefix)) valid++;
    }
  }
  assert.ok(valid >= 5_000, 'every generated value is well formed');
});

test('checksum tails at the ends of the range are decoded exactly', () => {
  // A tail above the largest 32-bit value (zzzzzz is 62^6 - 1) must not wrap around to a valid one.
  const body = 'tsr_' + '0'.repeat(RANDOM_CHARS);
  const right = checksum(body);
  assert.ok(isWellFormed(body + right, 'tsr_'));
  for (const tail of ['zzzzzz', '000000', '4gfFC3', '4gfFC4']) {
    assert.equal(isWellFormed(body + tail, 'tsr_'), tail === right, tail);
  }
});
