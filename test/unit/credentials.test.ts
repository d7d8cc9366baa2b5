/**
 * The Authorization header's Bearer value (http/credentials.ts `bearerToken`): the usual spelling is read without the
 * regular expression, and must give the regular expression's answer for every header value.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bearerToken } from '../../src/http/credentials.js';

/** The rule as the regular expression alone states it. */
const byRule = (a: string): string | null => {
  const m = /^\s*bearer(?:\s+(.*))?$/i.exec(a);
  return m ? (m[1] ?? '').trim() : null;
};

test('the usual spellings', () => {
  assert.equal(bearerToken('Bearer tsr_abc'), 'tsr_abc');
  assert.equal(bearerToken('Bearer   tsr_abc  '), 'tsr_abc');
  assert.equal(bearerToken('bearer tsr_abc'), 'tsr_abc');
  assert.equal(bearerToken('Bearer'), '');
  assert.equal(bearerToken('Bearer '), '');
  assert.equal(bearerToken('Basic dXNlcjpwYXNz'), null);
  assert.equal(bearerToken('Bearer a\nb'), null, 'a line break is not part of a value');
  assert.equal(bearerToken('Bearerx'), null);
});

test('every one-byte header value of these pieces gets the rule\'s answer', () => {
  const pieces = ['Bearer', 'bearer', 'BEARER', ' ', '\t', '\r', '\n', '\u00a0', '\u000b', 'tsr_x', 'a b', ''];
  let n = 0;
  for (const a of pieces) for (const b of pieces) for (const c of pieces) for (const d of pieces) {
    const v = a + b + c + d;
    assert.equal(bearerToken(v), byRule(v), JSON.stringify(v));
    n++;
  }
  assert.equal(n, pieces.length ** 4);
});
