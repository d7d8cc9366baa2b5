/**
 * Issue 15: tessera.example.yaml (shipped in the package) names every configuration key with a comment, and as
 * shipped it loads to exactly the built-in defaults — so it can be copied and edited without changing anything by
 * accident, and it cannot fall behind the schema (a key added to src/config/schema.ts fails here until it is there).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../src/config/load.js';
import { ConfigSchema } from '../../src/config/schema.js';

const FILE = fileURLToPath(new URL('../../tessera.example.yaml', import.meta.url));
const text = readFileSync(FILE, 'utf8');
const lines = text.split('\n');

/** Every key name the schema knows, nested objects and the entries of `commands` and `channels` included. */
const keys = (schema: unknown, path: string, out: string[]): string[] => {
  const s = schema as { properties?: Record<string, unknown>; patternProperties?: Record<string, unknown>; anyOf?: unknown[] };
  for (const [k, v] of Object.entries(s.properties ?? {})) {
    out.push(path ? `${path}.${k}` : k);
    keys(v, path ? `${path}.${k}` : k, out);
  }
  for (const v of Object.values(s.patternProperties ?? {})) keys(v, `${path}.<name>`, out);
  return out;
};

test('the example loads, and as shipped gives exactly the defaults', () => {
  assert.deepEqual(loadConfig({ TESSERA_CONFIG: FILE }), loadConfig({}));
});

test('every key of the schema is in the example, set or commented out, with a comment', () => {
  const all = keys(ConfigSchema, '', []);
  assert.ok(all.length > 40, `the walk found the keys (${all.length})`);
  const missing: string[] = [];
  const bare: string[] = [];
  for (const path of all) {
    const name = path.split('.').at(-1)!;
    const at = lines.findIndex((l) => new RegExp(`^\\s*(#\\s*)?${name}:`).test(l));
    if (at < 0) { missing.push(path); continue; }
    // A comment on the line above, or after the value on the same line (the commented command/channel entries), or
    // the line opens a section whose keys are each commented.
    const commented = /^\s*#/.test(lines[at - 1] ?? '') || /\s#\s/.test(lines[at]!.replace(/^\s*#/, '')) || /:\s*$/.test(lines[at]!);
    if (!commented) bare.push(path);
  }
  assert.deepEqual(missing, [], 'keys missing from tessera.example.yaml');
  assert.deepEqual(bare, [], 'keys without a comment in tessera.example.yaml');
});
