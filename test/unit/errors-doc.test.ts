import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { ERROR_CODES } from '../../src/core/errors.js';
import { CATALOGUE } from '../../src/http/errors.js';
import { VERIFY_CODES } from '../../src/core/tokens/verifier.js';

const doc = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');
const rows = new Map([...doc.matchAll(/^\| `([A-Z_]+)` \| (\d{3}) \| (.+) \|$/gm)].map((m) => [m[1]!, { status: Number(m[2]), text: m[3]! }]));

test('docs/errors.md lists exactly the codes of the catalogue, with the same status', () => {
  assert.deepEqual([...rows.keys()].sort(), [...ERROR_CODES].sort());
  assert.deepEqual(Object.keys(CATALOGUE).sort(), [...ERROR_CODES].sort());
  for (const [code, e] of Object.entries(CATALOGUE)) assert.equal(rows.get(code)?.status, e.status, `status of ${code}`);
});

test('every catalogue code is UPPER_SNAKE and has a description', () => {
  for (const [code, e] of Object.entries(CATALOGUE)) {
    assert.match(code, /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/);
    assert.ok(e.description.length > 10, code);
  }
});

test('docs/errors.md names every verification result code', () => {
  for (const c of VERIFY_CODES) assert.ok(doc.includes(`\`${c}\``), c);
});
