/**
 * Verify bodies read without JSON.parse where the text says all there is to say. Nearly every `POST /api/v1/verify`
 * sends `{"token":"<value>"}`, or `{"token":"<value>",…}` with the same permission query or access level each time,
 * with a value free of `"`, `\` and control characters. For such a value JSON.parse could only answer the text
 * between the quotes, and parsing costs as much as the rest of the body's handling (an object, a copied string, the
 * parser's setup): the value here is a slice of the text. `tokenOnlyValue` reads the first shape; `tokenValueEnd`
 * finds the value of both, so that the verify endpoint can keep what the rest of the body means by its text
 * (endpoints/verify.ts `answerKnownRest`). Any other text — whitespace, another first key, an escape in the value —
 * goes to the parser as before (app.ts `parseJson`).
 */
/** Where the value starts: the length of `{"token":"`. */
export const TOKEN_VALUE_AT = '{"token":"'.length;
/**
 * JSON.parse refuses a raw control character in a string; `"` would end the value and `\` starts an escape. Sticky
 * (`y`): it matches at `lastIndex` only, set to 0 before each use, and leaves `lastIndex` after the closing quote. One
 * compiled expression scans the text in native code: ~75 ns for a usual body against ~200 for the same test written
 * as a loop over its characters.
 */
const TOKEN_FIRST = /\{"token":"[^"\\\u0000-\u001f]*"/y;

/**
 * For a text that begins `{"token":"<value>"` (a value as above), the index of the value's closing quote; else -1.
 * What follows the quote is the caller's to read: `}` and the end of the text (the token-only body), or `,` and the
 * rest of the object.
 */
export const tokenValueEnd = (text: string): number => {
  TOKEN_FIRST.lastIndex = 0;
  return TOKEN_FIRST.test(text) ? TOKEN_FIRST.lastIndex - 1 : -1;
};

/** Whether the text ends right after the value that ends at `end` (`tokenValueEnd`): `{"token":"<value>"}` exactly. */
export const onlyTheToken = (text: string, end: number): boolean => end + 2 === text.length && text.charCodeAt(end + 1) === 125; // }

/**
 * The value of a `{"token":"<value>"}` body, or undefined for any other text. Such a body matches the verify
 * endpoint's schema by its shape alone (one key, a string without a control character, so without NUL); only its
 * length is the endpoint's to check (`VerifyEndpoint.answerToken`).
 */
export const tokenOnlyValue = (text: string): string | undefined => {
  const end = tokenValueEnd(text);
  return end !== -1 && onlyTheToken(text, end) ? text.slice(TOKEN_VALUE_AT, end) : undefined;
};

export const tokenOnlyBody = (text: string): { token: string } | undefined => {
  const token = tokenOnlyValue(text);
  return token === undefined ? undefined : { token };
};
