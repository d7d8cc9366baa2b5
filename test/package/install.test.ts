/**
 * Issue 15: the package installs on a machine that has only Node and npm. Packs a copy of this checkout (`npm pack`,
 * whose prepare step builds dist/ and web/dist/ there, so the checkout's own files are never rewritten under the other
 * tests), installs the tarball with `npm install -g --prefix` into an empty folder, starts the installed
 * `tessera serve` from another empty folder and asks for `/`, `/docs/` and `/readyz`.
 *
 * The native addon: better-sqlite3's install step (prebuild-install) downloads a prebuilt binary from GitHub, and
 * builds it from source when it cannot (~90 s of both cores here, where GitHub is out of reach). This test serves
 * prebuild-install the binary this checkout's own install built, from a mirror on 127.0.0.1
 * (`npm_config_better_sqlite3_binary_host`, prebuild-install's documented setting for a mirror), and checks that the
 * install took it: what is tested is the package (its files, dependencies, bin and start), not a second compile of
 * SQLite, which the checkout's own `npm ci` has just done. The install prefers npm's cache (`--prefer-offline`) and
 * asks the registry only for what the cache lacks.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { requireServices } from '../services.js';
import { freePort } from '../ports.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PKG = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string };
const run = promisify(execFile);
/** What a shell on a fresh machine has: no TESSERA_* settings, no NODE_OPTIONS (no tsx loader) from this test run. */
const cleanEnv = (home: string): NodeJS.ProcessEnv => ({ PATH: process.env.PATH ?? '', HOME: home });
/**
 * npm keeps the machine's settings, as a user installing the package has them: HOME (its cache and ~/.npmrc, e.g.
 * `nodedir` for building better-sqlite3 without a download), the global npmrc (e.g. `cafile`: npm reads it from
 * `<prefix>/etc/npmrc`, so `--prefix` would lose it), and the certificate and proxy variables. JOBS=max: node-gyp
 * compiles SQLite on every core.
 */
const GLOBAL_NPMRC = execFileSync('npm', ['config', 'get', 'globalconfig'], { encoding: 'utf8' }).trim();
const MACHINE_VARS = ['NODE_EXTRA_CA_CERTS', 'SSL_CERT_FILE', 'SSL_CERT_DIR', 'HTTPS_PROXY', 'HTTP_PROXY', 'NO_PROXY', 'https_proxy', 'http_proxy', 'no_proxy'];
const npmEnv = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
  ...cleanEnv(process.env.HOME ?? work), JOBS: 'max', npm_config_globalconfig: GLOBAL_NPMRC, ...extra,
  ...Object.fromEntries(MACHINE_VARS.filter((k) => process.env[k] !== undefined).map((k) => [k, process.env[k]])),
});

const work = mkdtempSync(join(tmpdir(), 'tessera-package-'));
let server: ChildProcess | undefined;
let mirror: import('node:http').Server | undefined;
after(() => {
  server?.kill('SIGKILL');
  mirror?.close();
  rmSync(work, { recursive: true, force: true });
});

/** Everything `npm pack` reads, without node_modules (linked instead), builds, data, tests or benchmarks. */
const copyTree = (to: string): void => {
  const skip = new Set(['.git', 'node_modules', 'dist', 'data', 'test', 'bench']);
  for (const name of readdirSync(ROOT)) {
    if (skip.has(name) || name.startsWith('.tessera-test-') || name.endsWith('.tgz')) continue;
    cpSync(join(ROOT, name), join(to, name), {
      recursive: true,
      filter: (src) => !/[\\/]web[\\/](dist|node_modules|\.build-lock)([\\/]|$)/.test(src),
    });
  }
  symlinkSync(realpathSync(join(ROOT, 'node_modules')), join(to, 'node_modules'));
};

/**
 * A prebuilt-binary mirror for better-sqlite3 holding one file: the addon of this checkout's node_modules, packed as
 * prebuild-install's tarballs are (`build/Release/better_sqlite3.node`) under the name it asks for. Returns the
 * mirror's address and the paths asked for.
 */
const sqliteMirror = async (): Promise<{ host: string; path: string; asked: string[] }> => {
  const pkg = join(ROOT, 'node_modules', 'better-sqlite3');
  const { version } = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')) as { version: string };
  const file = `better-sqlite3-v${version}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`;
  const stage = join(work, 'prebuild');
  mkdirSync(join(stage, 'build', 'Release'), { recursive: true });
  cpSync(join(pkg, 'build', 'Release', 'better_sqlite3.node'), join(stage, 'build', 'Release', 'better_sqlite3.node'));
  execFileSync('tar', ['-czf', join(work, file), '-C', stage, 'build']);
  const body = readFileSync(join(work, file));
  const asked: string[] = [];
  mirror = createHttpServer((req, res) => {
    asked.push(req.url ?? '');
    if (req.url === `/v${version}/${file}`) res.writeHead(200, { 'content-type': 'application/gzip', 'content-length': body.length }).end(body);
    else res.writeHead(404).end();
  });
  await new Promise<void>((done) => mirror!.listen(0, '127.0.0.1', done));
  return { host: `http://127.0.0.1:${(mirror.address() as AddressInfo).port}`, path: `/v${version}/${file}`, asked };
};


test('npm pack → npm install -g into an empty folder → tessera serve answers /, /docs/ and /readyz', { timeout: 15 * 60_000 }, async (t) => {
  const tree = join(work, 'tree');
  const prefix = join(work, 'prefix');
  const cwd = join(work, 'run');
  for (const d of [tree, prefix, cwd]) mkdirSync(d);
  copyTree(tree);

  // Pack: the prepare step builds the server and the UI in the copy.
  const packed = await run('npm', ['pack', '--json', '--pack-destination', work], { cwd: tree, env: npmEnv(), maxBuffer: 64 << 20 });
  const [info] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('['))) as [{ filename: string; files: { path: string }[] }];
  const files = info.files.map((f) => f.path);
  for (const f of ['bin/tessera.js', 'dist/cli/index.js', 'dist/main.js', 'dist/store/migrations/index.js', 'web/dist/index.html',
    'tessera.example.yaml', 'CHANGELOG.md', 'LICENSE', 'README.md', 'docs/deploy/tessera.service', 'docs/upgrading.md']) {
    assert.ok(files.includes(f), `${f} is in the tarball`);
  }
  assert.equal(files.some((f) => f.startsWith('src/') || f.startsWith('test/') || f.endsWith('.ts')), false, 'no TypeScript source in the tarball');

  // Install as a user would (`npm install -g ./tessera-*.tgz`), under a prefix of its own: no devDependencies.
  const tgz = join(work, info.filename);
  const prebuilt = await sqliteMirror();
  try {
    await run('npm', ['install', '-g', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', tgz],
      { cwd, env: npmEnv({ npm_config_better_sqlite3_binary_host: prebuilt.host }), maxBuffer: 64 << 20, timeout: 12 * 60_000 });
  } catch (e) {
    // The registry is an external service: without it (and without the packages in npm's cache) skip, visibly.
    const err = `${(e as { stderr?: string }).stderr ?? ''}${(e as Error).message}`;
    if (!requireServices() && /ENOTCACHED|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH/.test(err)) {
      t.skip(`SKIPPED: the npm registry is not reachable and npm's cache lacks the dependencies (TESSERA_REQUIRE_SERVICES=1 to fail instead): ${err.split('\n').find((l) => /npm error code|request to/.test(l)) ?? ''}`);
      return;
    }
    throw e;
  }
  const installed = join(prefix, 'lib', 'node_modules', PKG.name);
  assert.deepEqual(prebuilt.asked, [prebuilt.path], 'better-sqlite3\'s install took its binary from the mirror (no compile)');
  const addon = join(installed, 'node_modules', 'better-sqlite3', 'build');
  assert.ok(existsSync(join(addon, 'Release', 'better_sqlite3.node')), 'the addon is installed');
  assert.equal(existsSync(join(addon, 'Makefile')), false, 'the addon is the prebuilt one: node-gyp did not build it');
  assert.equal(existsSync(join(installed, 'src')), false, 'no src/ installed');
  assert.equal(existsSync(join(installed, 'node_modules', 'tsx')), false, 'tsx is not installed: nothing at run time needs it');
  const bin = join(prefix, 'bin', 'tessera');

  const version = await run(bin, ['--version'], { cwd, env: cleanEnv(cwd) });
  // The copy packed here is no git checkout, so the build names no commit (one packed from a checkout does).
  assert.match(version.stdout.trim(), new RegExp(`^${PKG.version.replaceAll('.', '\\.')} \\(schema [0-9]{3}_[a-z0-9_]+\\)$`));

  // Serve from an empty folder: SQLite in ./data, migrations run at start.
  const port = await freePort();
  server = spawn(bin, ['serve'], { cwd, env: { ...cleanEnv(cwd), TESSERA_HOST: '127.0.0.1', TESSERA_PORT: String(port), TESSERA_LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  server.stdout!.on('data', (b: Buffer) => { output += b.toString('utf8'); });
  server.stderr!.on('data', (b: Buffer) => { output += b.toString('utf8'); });
  const base = `http://127.0.0.1:${port}`;
  let ready = 0;
  for (let i = 0; i < 300 && ready !== 200; i++) {
    if (server.exitCode !== null) assert.fail(`tessera serve exited with ${server.exitCode}:\n${output}`);
    ready = await fetch(`${base}/readyz`).then((r) => r.status, () => 0);
    if (ready !== 200) await sleep(100);
  }
  assert.equal(ready, 200, `/readyz within 30 s; output:\n${output}`);

  const ui = await fetch(`${base}/`);
  assert.equal(ui.status, 200);
  assert.match(ui.headers.get('content-type') ?? '', /^text\/html/);
  const page = await ui.text();
  const script = /<script[^>]*\ssrc="(\/[^"]+\.js)"/.exec(page)?.[1];
  assert.ok(script, 'the UI page loads a script');
  assert.equal((await fetch(`${base}${script}`)).status, 200, `${script} is served`);

  const docs = await fetch(`${base}/docs/`);
  assert.equal(docs.status, 200);
  assert.match(await docs.text(), /swagger/i);
  const spec = await fetch(`${base}/api/openapi.json`);
  assert.equal(spec.status, 200);
  assert.equal(((await spec.json()) as { info: { version: string } }).info.version, PKG.version);

  // A client command: the CLI's SDK client (inlined into dist/cli/client.js, openapi-fetch a dependency) reaches the
  // server and maps its refusal as in a checkout.
  const verify = await run(bin, ['verify', 'tsr_not-a-token', '--url', base], { cwd, env: cleanEnv(cwd) }).then(
    () => ({ code: 0, stderr: '' }), (e: { code?: number; stderr?: string }) => ({ code: e.code ?? -1, stderr: e.stderr ?? '' }));
  assert.deepEqual(verify.code, 2, verify.stderr);
  assert.match(verify.stderr, /^tessera: UNAUTHENTICATED: .+ \(HTTP 401\)\n$/);

  assert.ok(existsSync(join(cwd, 'data')), 'the SQLite data directory is created in the working folder');
  server.kill('SIGTERM');
  const code = await new Promise<number | null>((done) => server!.once('exit', (c) => done(c)));
  assert.equal(code, 0, `a clean stop on SIGTERM; output:\n${output}`);
});
