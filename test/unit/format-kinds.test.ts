/** Issue 17: the uuid and filebin formats, `screen` (which presented values are looked up) and `isIssuedJwt`. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isIssuedJwt } from '../../src/core/auth/jwt.js';
import { displayPrefix, generateTokenValue, isUuid, MAX_VALUE_CHARS, newTokenValue, randomUuid, screen } from '../../src/core/tokens/format.js';
import { cryptoRandom } from '../../src/infra/system.js';

const random = cryptoRandom();

test('uuid: a v4 UUID (RFC 9562), lower case, 122 random bits: 10,000 distinct values', () => {
  const seen = new Set<string>();
  for (let i = 0; i < 10_000; i++) {
    const v = randomUuid(random);
    // Version nibble 4, variant bits 10 (RFC 9562 §4.1, §4.2).
    assert.match(v, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(v, v.toLowerCase());
    assert.ok(isUuid(v));
    seen.add(v);
  }
  assert.equal(seen.size, 10_000);
  assert.equal(isUuid('0b5f7a2c-3d4e-1f60-8a1b-2c3d4e5f6a7b'), false, 'version 1 is not the uuid format');
});

test('filebin: 32 base62 characters using the whole alphabet; tessera: the prefixed, checksummed value', () => {
  const chars = new Set<string>();
  for (let i = 0; i < 2000; i++) {
    const v = newTokenValue(random, 'filebin', 'tsr_');
    assert.match(v, /^[0-9A-Za-z]{32}$/);
    for (const c of v) chars.add(c);
  }
  assert.equal(chars.size, 62);
  assert.match(newTokenValue(random, 'tessera', 'tsr_'), /^tsr_[0-9A-Za-z]{33}$/);
  assert.match(newTokenValue(random, 'uuid', 'tsr_'), /^[0-9a-f-]{36}$/);
});

test('screen: a Tessera-prefixed value only with its checksum; any other non-empty printable value up to 1024 characters', () => {
  const v = generateTokenValue(random, 'tsr_');
  assert.equal(screen(v, 'tsr_'), true);
  assert.equal(screen(v.slice(0, -1) + (v.endsWith('A') ? 'B' : 'A'), 'tsr_'), false, 'a bad checksum is refused without a lookup');
  assert.equal(screen('tsr_short', 'tsr_'), false);
  for (const other of [randomUuid(random), newTokenValue(random, 'filebin', 'tsr_'), 'kwofd61g93-yuqvex8efmhjkgnbxlo8mp1tin6spyhu=', 'x', 'with space', 'ünïcödé', 'a'.repeat(MAX_VALUE_CHARS)]) {
    assert.equal(screen(other, 'tsr_'), true, other);
  }
  for (const bad of ['', 'a'.repeat(MAX_VALUE_CHARS + 1), 'nul\u0000', 'tab\tin', 'del\u007f', 'line\nbreak']) {
    assert.equal(screen(bad, 'tsr_'), false, JSON.stringify(bad));
  }
  assert.equal(screen(v, 'acme_'), true, 'with another prefix configured, a tsr_ value is just a value');
});

test('displayPrefix: the prefix and 6 characters of a Tessera value, 8 characters of any other', () => {
  const v = generateTokenValue(random, 'tsr_');
  assert.equal(displayPrefix(v, 'tsr_'), v.slice(0, 10));
  const u = randomUuid(random);
  assert.equal(displayPrefix(u, 'tsr_'), u.slice(0, 8));
});

test('isIssuedJwt: JWT-shaped with our iss; a foreign JWT (Query\'s iss "token") or garbage is a token value', () => {
  const jwt = (claims: object) => `${Buffer.from('{"alg":"HS256","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.c2ln`;
  assert.equal(isIssuedJwt(jwt({ iss: 'tessera', sub: '1' }), 'tessera'), true);
  assert.equal(isIssuedJwt(jwt({ iss: 'token', sub: 'x' }), 'tessera'), false);
  assert.equal(isIssuedJwt(jwt({ sub: 'x' }), 'tessera'), false);
  assert.equal(isIssuedJwt('eyJhbGciOiJIUzI1NiJ9.bm90IGpzb24.c2ln', 'tessera'), false, 'a payload that is not JSON');
  assert.equal(isIssuedJwt(randomUuid(random), 'tessera'), false);
});
