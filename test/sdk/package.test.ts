/**
 * The SDK as its own package: it imports nothing of the server (only its own files, node built-ins in the Node-only
 * files, and the packages its package.json names), and it builds to JS + .d.ts for every export of its package.json.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import ts from 'typescript';

const SDK = resolve(import.meta.dirname, '../../sdk');
const pkg = JSON.parse(readFileSync(join(SDK, 'package.json'), 'utf8')) as {
  name: string; type: string; exports: Record<string, { types: string; default: string }>;
  dependencies: Record<string, string>; peerDependencies: Record<string, string>;
};
const sources = readdirSync(SDK).filter((f) => f.endsWith('.ts'));

test('no server imports: own files, node built-ins, and the packages package.json names', () => {
  const allowed = new Set([...Object.keys(pkg.dependencies), ...Object.keys(pkg.peerDependencies)]);
  const bad: string[] = [];
  for (const f of sources) {
    for (const { fileName: spec } of ts.preProcessFile(readFileSync(join(SDK, f), 'utf8'), true, true).importedFiles) {
      if (spec.startsWith('./')) continue;
      if (spec.startsWith('node:') && f !== 'index.ts' && f !== 'verify.ts' && f !== 'errors.ts') continue; // the browser-safe files use none
      if (allowed.has(spec)) continue;
      bad.push(`${f} → ${spec}`);
    }
  }
  assert.deepEqual(bad, []);
  assert.equal(pkg.name, '@tessera/sdk');
  assert.equal(pkg.type, 'module');
  assert.deepEqual(Object.keys(pkg.exports).sort(), ['.', './express', './fastify', './fetch', './hono', './jwt', './local']);
});

test('builds to JS and declarations for every export', () => {
  const out = mkdtempSync(join(tmpdir(), 'tessera-sdk-build-'));
  try {
    const r = spawnSync(process.execPath, [resolve(SDK, '../node_modules/typescript/bin/tsc'), '-p', join(SDK, 'tsconfig.json'), '--outDir', out], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    for (const [name, e] of Object.entries(pkg.exports)) {
      for (const file of [e.default, e.types]) assert.ok(existsSync(join(out, file.replace('./dist/', ''))), `${name}: ${file} was not built`);
    }
  } finally { rmSync(out, { recursive: true, force: true }); }
});
