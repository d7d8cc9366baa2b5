/**
 * The message and field of a schema error for a value that fits none of a union's shapes (src/http/errors.ts
 * `firstComplaint`), from ajv's own errors with the app's settings: the shape whose type the value has says what is
 * wrong, whichever order the shapes are listed in.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Ajv } from 'ajv';
import { toTesseraError } from '../../src/http/errors.js';

const ajv = new Ajv({ allErrors: false, useDefaults: true, removeAdditional: false, coerceTypes: false, strict: false });
const refillFirst = { type: 'object', properties: { refill: { anyOf: [{ type: 'object', properties: { amount: { type: 'integer' } } }, { type: 'null' }] } } };
const nullFirst = { type: 'object', properties: { refill: { anyOf: [{ type: 'null' }, { type: 'object', properties: { amount: { type: 'integer' } } }] } } };

const complaint = (schema: object, body: unknown) => {
  const validate = ajv.compile(schema);
  assert.equal(validate(body), false);
  const e = toTesseraError(Object.assign(new Error('invalid'), { validation: validate.errors, validationContext: 'body' }));
  return { message: e.message };
};

test('a nullable object with a bad field: the object shape\'s complaint, in either order', () => {
  for (const schema of [refillFirst, nullFirst]) {
    const c = complaint(schema, { refill: { amount: 'x' } });
    assert.equal(c.message, 'body.refill.amount must be integer');
  }
});
