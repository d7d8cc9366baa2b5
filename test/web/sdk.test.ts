/**
 * The SDK and the UI agree with the server: sdk/schema.d.ts is what the routes' OpenAPI document produces today, and
 * the web UI (which talks to the server only through that SDK) type-checks against it. A route change that the UI
 * does not follow fails here, not in a browser.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { generateSchema } from '../../scripts/generate-sdk.js';
import { ROOT } from './build.js';

test('sdk/schema.d.ts is up to date with the routes (else: npm run sdk:generate)', async () => {
  const current = readFileSync(`${ROOT}sdk/schema.d.ts`, 'utf8');
  const fresh = await generateSchema();
  assert.ok(current === fresh, 'sdk/schema.d.ts differs from the OpenAPI document of the routes: run `npm run sdk:generate`');
});

test('the web UI type-checks against the generated SDK (tsc -p web)', async () => {
  const r = await promisify(execFile)('npx', ['tsc', '--noEmit', '-p', 'web'], { cwd: ROOT }).then(
    () => ({ code: 0, out: '' }),
    (e: { code?: number; stdout?: string }) => ({ code: e.code ?? 1, out: e.stdout ?? '' }),
  );
  assert.equal(r.code, 0, r.out);
});
