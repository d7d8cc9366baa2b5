/**
 * The verify body read without JSON.parse (http/json-body.ts `tokenOnlyBody`): it answers only `{"token":"<value>"}`
 * texts, and then exactly what JSON.parse answers; every other text is left to the parser.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tokenOnlyBody } from '../../src/http/json-body.js';

/** JSON.parse's answer, or 'error'. */
const parsed = (text: string): unknown => {
  try { return JSON.parse(text); } catch { return 'error'; }
};

test('the usual body, and what it leaves to the parser', () => {
  assert.deepEqual(tokenOnlyBody('{"token":"tsr_abc_123"}'), { token: 'tsr_abc_123' });
  assert.deepEqual(tokenOnlyBody('{"token":""}'), { token: '' });
  assert.deepEqual(tokenOnlyBody('{"token":"é ü \u2028 日本"}'), { token: 'é ü \u2028 日本' });
  for (const t of [
    '{"token": "a"}', '{ "token":"a"}', '{"token":"a"} ', '\ufeff{"token":"a"}', '{"token":"a\\"b"}', '{"token":"a\\u0000"}',
    '{"token":"a","access":"read"}', '{"token":"a"}}', '{"token":"a', '{"token":', '{"token":"\t"}', '{"token":"a"b"}',
    '{"token":1}', '{"Token":"a"}', '{"token":"a"}\n', '',
  ]) assert.equal(tokenOnlyBody(t), undefined, JSON.stringify(t));
});

test('every text of these pieces: either left to the parser or answered as JSON.parse answers it', () => {
  const pieces = ['{"token":"', '"}', '"', '\\', '\\"', '\u0000', '\u001f', ' ', 'tsr_x', '}', '{', 'é', '\u2028', ''];
  let answered = 0;
  let n = 0;
  for (const a of pieces) for (const b of pieces) for (const c of pieces) for (const d of pieces) {
    const text = a + b + c + d;
    const got = tokenOnlyBody(text);
    n++;
    if (got === undefined) continue;
    answered++;
    assert.deepEqual(got, parsed(text), JSON.stringify(text));
  }
  assert.equal(n, pieces.length ** 4);
  // The pieces make some texts of the shape (a value of ' ', 'tsr_x', 'é'...): the fast path was taken for them.
  assert.ok(answered > 50, `answered ${answered}`);
});

test('a text of the shape whose value JSON.parse reads is always answered', () => {
  for (let c = 0x20; c < 0x3000; c++) {
    const ch = String.fromCharCode(c);
    if (ch === '"' || ch === '\\' || (c >= 0xd800 && c < 0xe000)) continue;
    const text = `{"token":"x${ch}y"}`;
    assert.deepEqual(tokenOnlyBody(text), parsed(text), JSON.stringify(text));
  }
});
