/**
 * The verify body read without JSON.parse (http/json-body.ts `tokenOnlyBody`): it answers only `{"token":"<value>"}`
 * texts, and then exactly what JSON.parse answers; every other text is left to the parser. `tokenValueEnd` finds such a
 * value at the start of a longer body, and only a value that JSON reads as itself.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TOKEN_VALUE_AT, tokenOnlyBody, tokenValueEnd } from '../../src/http/json-body.js';

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

test('the value at the start of a longer body: where it ends, or -1', () => {
  const at = (text: string): string | null => { const end = tokenValueEnd(text); return end === -1 ? null : text.slice(TOKEN_VALUE_AT, end); };
  assert.equal(tokenValueEnd('{"token":"abc","access":"read"}'), 13);
  assert.equal(at('{"token":"tsr_x","permissions":{"and":["a:b"]}}'), 'tsr_x');
  assert.equal(at('{"token":"","access":"read"}'), '');
  assert.equal(at('{"token":"a"}'), 'a');
  for (const t of ['{"token": "a",', ' {"token":"a",', '{"token":"a\\"b","access":"read"}', '{"token":"a\u0001",', '{"access":"read","token":"a"}', '{"token":"a', '']) {
    assert.equal(tokenValueEnd(t), -1, JSON.stringify(t));
  }
  // The expression keeps no state between texts (it is sticky, and set back before each use).
  assert.equal(at('{"token":"longer-value","x":1}'), 'longer-value');
  assert.equal(at('{"token":"b",'), 'b');
  assert.equal(tokenValueEnd('x{"token":"b",'), -1);
});

test('a value found at the start of a body is what JSON reads there', () => {
  const pieces = ['{"token":"', '"', '\\', '\u0000', ' ', 'tsr_x', ',', '}', 'é', '\u2028', ''];
  let found = 0;
  for (const a of pieces) for (const b of pieces) for (const c of pieces) for (const d of pieces) {
    const text = a + b + c + d;
    const end = tokenValueEnd(text);
    if (end === -1) continue;
    found++;
    assert.ok(text.startsWith('{"token":"') && text[end] === '"', JSON.stringify(text));
    const value = text.slice(TOKEN_VALUE_AT, end);
    assert.equal(JSON.parse(`"${value}"`), value, JSON.stringify(text));
  }
  assert.ok(found > 50, `found ${found}`);
});
