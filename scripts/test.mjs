#!/usr/bin/env node
// Runs every test file under test/ with node's test runner through tsx. Files are listed explicitly: on Node 20 a
// bare `node --test` finds nothing and exits 0. Usage: npm test [-- file-or-dir ...]
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const walk = (p) => (statSync(p).isDirectory() ? readdirSync(p).sort().flatMap((f) => walk(join(p, f))) : [p]);
const roots = process.argv.slice(2).length ? process.argv.slice(2) : ['test'];
const files = roots.flatMap(walk).filter((f) => /\.test\.ts$/.test(f));
if (files.length === 0) {
  console.error('no test files found under', roots.join(' '));
  process.exit(1);
}
console.log(`running ${files.length} test files`);
const tc = spawnSync('npx', ['tsc', '--noEmit', '-p', '.'], { stdio: 'inherit' });
if (tc.status !== 0) {
  console.error('type check failed');
  process.exit(tc.status ?? 1);
}
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=2', ...files], { stdio: 'inherit' });
process.exit(r.status ?? 1);
