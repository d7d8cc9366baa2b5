/**
 * The one body shape read without JSON.parse: `{"token":"<value>"}`, exactly, with a value free of `"`, `\` and
 * control characters — what nearly every `POST /api/v1/verify` sends. For that text JSON.parse could only answer
 * `{ token: <value> }`, and it costs as much as the rest of the body's handling (an object, a copied string, the
 * parser's setup): the value here is a slice of the text. Any other text, whitespace or a second key included,
 * returns undefined and goes to the parser as before (app.ts `parseJson`).
 */
const HEAD = '{"token":"';
const TAIL = '"}';

export const tokenOnlyBody = (text: string): { token: string } | undefined => {
  const end = text.length - TAIL.length;
  if (end < HEAD.length || !text.startsWith(HEAD) || text.charCodeAt(end) !== 34 || text.charCodeAt(end + 1) !== 125) return undefined;
  for (let i = HEAD.length; i < end; i++) {
    const c = text.charCodeAt(i);
    // JSON.parse refuses a raw control character in a string; `"` would end the value and `\` starts an escape.
    if (c < 0x20 || c === 34 || c === 92) return undefined;
  }
  return { token: text.slice(HEAD.length, end) };
};
