#!/usr/bin/env node
// Runs every test file under test/ with node's test runner through tsx. Files are listed explicitly: on Node 20 a
// bare `node --test` finds nothing and exits 0. Usage: npm test [-- file-or-dir ...]
//
// The suites built on the HTTP harness whose answers depend on the store (test/api, test/jobs, test/security) then run a
// second time on PostgreSQL (TESSERA_TEST_STORE=postgres: every harness gets a fresh schema) when PostgreSQL is
// reachable or TESSERA_REQUIRE_SERVICES=1; otherwise that run is skipped with a message. test/seeds and test/chat run
// on SQLite only: they test the products' faces, which never touch the store (docs/architecture.md) — what those
// faces call is tested on both stores through test/api and test/jobs, and the store itself by test/store's
// conformance suites. test/jobs/multinode.test.ts is not run
// twice: it starts its own nodes on PostgreSQL in the first run already. The counts of both runs are printed at the end.
// test/proxies (real nginx and Caddy in front of Tessera, docs/proxies/) is found by the walk and runs in the first run.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

const walk = (p) => (statSync(p).isDirectory() ? readdirSync(p).sort().flatMap((f) => walk(join(p, f))) : [p]);
const args = process.argv.slice(2);
const roots = args.length ? args : ['test'];
const files = roots.flatMap(walk).filter((f) => /\.test\.ts$/.test(f));
if (files.length === 0) {
  console.error('no test files found under', roots.join(' '));
  process.exit(1);
}
const HTTP_SUITES = /^test[/\\](api|jobs|security)[/\\]/;
const ON_POSTGRES_ANYWAY = /^test[/\\]jobs[/\\]multinode\.test\.ts$/;
const httpFiles = files.filter((f) => HTTP_SUITES.test(f) && !ON_POSTGRES_ANYWAY.test(f));

console.log(`running ${files.length} test files`);
const tc = spawnSync('npx', ['tsc', '--noEmit', '-p', '.'], { stdio: 'inherit' });
if (tc.status !== 0) {
  console.error('type check failed');
  process.exit(tc.status ?? 1);
}

// The servers and CLI calls the tests spawn (bin/tessera.js) run the compiled JavaScript, built here from the sources
// being tested (~0.3 s): they start about a third sooner than through tsx (test/tessera-process.ts).
const build = spawnSync(process.execPath, ['scripts/build.mjs', 'server'], { stdio: 'inherit' });
if (build.status !== 0) {
  console.error('build failed');
  process.exit(build.status ?? 1);
}

// Test files run 2 at a time (TESSERA_TEST_CONCURRENCY), one per core: 4 at a time was no faster on an idle
// machine (a clean clone's .ci/run: SQLite 1,067 s + PostgreSQL 385 s with 4; the run is bound by the CPU).
const concurrency = Number(process.env.TESSERA_TEST_CONCURRENCY ?? 2);
const tmp = mkdtempSync(join(tmpdir(), 'tessera-test-run-'));
/** One run of the test runner: spec output on the terminal, TAP in a file for the counts. */
const run = (name, list, env = {}) => {
  const tap = join(tmp, `${name}.tap`);
  const t0 = Date.now();
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`,
    '--test-reporter=spec', '--test-reporter-destination=stdout', '--test-reporter=tap', `--test-reporter-destination=${tap}`, ...list],
  { stdio: 'inherit', env: { ...process.env, TESSERA_COMPILED: '1', ...env } });
  let text = '';
  try { text = readFileSync(tap, 'utf8'); } catch { /* the runner did not start */ }
  const count = (k) => Number(new RegExp(`^# ${k} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
  return { name, status: r.status ?? 1, tests: count('tests'), pass: count('pass'), fail: count('fail'), skipped: count('skipped'), seconds: Math.round((Date.now() - t0) / 1000) };
};

const pgUrl = process.env.TESSERA_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const reachable = async () => {
  const c = new pg.Client({ connectionString: pgUrl, connectionTimeoutMillis: 2000 });
  c.on('error', () => undefined);
  try { await c.connect(); await c.end(); return true; } catch { return false; }
};

const results = [run('sqlite', files, { TESSERA_TEST_STORE: 'sqlite' })];
let note = '';
if (httpFiles.length === 0) {
  note = 'no HTTP suite among the given files: no PostgreSQL run';
} else if (process.env.TESSERA_REQUIRE_SERVICES === '1' || await reachable()) {
  console.log(`\nrunning the HTTP suites (${httpFiles.length} files) again on PostgreSQL (${pgUrl})`);
  results.push(run('postgres', httpFiles, { TESSERA_TEST_STORE: 'postgres' }));
} else {
  note = `HTTP suites on PostgreSQL SKIPPED: PostgreSQL not reachable at ${pgUrl} (set TESSERA_REQUIRE_SERVICES=1 to fail instead)`;
}
rmSync(tmp, { recursive: true, force: true });

console.log('\nsummary');
for (const r of results) {
  const what = r.name === 'sqlite' ? `all ${files.length} files, SQLite` : `HTTP suites (test/api, test/jobs, test/security: ${httpFiles.length} files), PostgreSQL`;
  console.log(`  ${what}: ${r.tests} tests, ${r.pass} pass, ${r.fail} fail, ${r.skipped} skipped (${r.seconds} s)`);
}
if (note) console.log(`  ${note}`);
process.exit(results.every((r) => r.status === 0) ? 0 : 1);
