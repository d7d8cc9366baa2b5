#!/usr/bin/env node
// The production build (`npm run build`): every file of src/ transpiled to dist/ (same layout, one .js per .ts, no
// bundling, so src/version.ts's and src/http/static.ts's paths relative to the module hold in dist/ too), then the web
// UI into web/dist/. esbuild only strips types: `npm run typecheck` (and `npm test`) is the type check.
// `npm start`, the package's `tessera` (bin/tessera.js) and `npm pack` (prepare) run or ship this output.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const walk = (p) => (statSync(p).isDirectory() ? readdirSync(p).sort().flatMap((f) => walk(join(p, f))) : [p]);
const only = process.argv[2]; // 'server' or 'web' builds one half; nothing builds both

// `prepare` runs this; in an installed package (no src/, no devDependencies) the build is already there.
if (!existsSync(join(root, 'src'))) {
  console.log('no src/: nothing to build (the package ships dist/ and web/dist/ built)');
  process.exit(0);
}

if (only !== 'web') {
  const t0 = Date.now();
  const src = join(root, 'src');
  const entryPoints = walk(src).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'));
  const { build } = await import('esbuild'); // a devDependency: imported only when there is something to build
  rmSync(join(root, 'dist'), { recursive: true, force: true });
  await build({
    entryPoints,
    outdir: join(root, 'dist'),
    outbase: src,
    bundle: false,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
  });
  // The CLI's client imports the SDK (sdk/, not shipped as source): that one file is built again with the SDK's modules
  // inlined; everything else it imports stays an import (openapi-fetch is a dependency of the package).
  const sdk = join(root, 'sdk');
  await build({
    entryPoints: [join(src, 'cli', 'client.ts')],
    outfile: join(root, 'dist', 'cli', 'client.js'),
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
    allowOverwrite: true,
    plugins: [{
      name: 'inline-sdk-only',
      setup(b) {
        b.onResolve({ filter: /.*/ }, (args) => {
          if (args.kind === 'entry-point') return undefined;
          const inSdk = args.path.startsWith('.') && resolve(args.resolveDir, args.path).startsWith(sdk + sep);
          return inSdk ? undefined : { path: args.path, external: true };
        });
      },
    }],
  });
  // The commit it was built from, for `tessera --version` and the start-up log (src/version.ts): none outside git.
  const git = (...args) => spawnSync('git', args, { cwd: root, encoding: 'utf8' });
  const head = git('rev-parse', '--short', 'HEAD');
  const top = git('rev-parse', '--show-toplevel'); // this checkout's own repository, not one it was copied into
  if (head.status === 0 && top.status === 0 && resolve(top.stdout.trim()) === resolve(root)) {
    const modified = git('status', '--porcelain', '--untracked-files=no').stdout.trim() !== '';
    writeFileSync(join(root, 'dist', 'build.json'), `${JSON.stringify({ commit: head.stdout.trim(), modified })}\n`);
  }
  console.log(`built ${entryPoints.length} files of ${relative(root, src)}/ into dist/ in ${Date.now() - t0} ms`);
}
if (only !== 'server') {
  const r = spawnSync('npm', ['run', '--silent', 'build:web'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
