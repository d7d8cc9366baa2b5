#!/usr/bin/env node
// The `tessera` command. Installed from the package it runs the compiled JavaScript in dist/ (`npm run build`, done
// by `npm pack`). In a checkout (src/ is there, tsx is installed) it runs the TypeScript sources through tsx instead,
// so tests and development never run a stale build; TESSERA_COMPILED=1 makes a checkout run dist/ too.
import { existsSync } from 'node:fs';

const source = new URL('../src/cli/index.ts', import.meta.url);
let entry = new URL('../dist/cli/index.js', import.meta.url);
if (process.env.TESSERA_COMPILED !== '1' && existsSync(source)) {
  try {
    const { register } = await import('tsx/esm/api');
    register();
    entry = source;
  } catch {
    // no tsx (a production install of a checkout): the build it is
  }
}
if (entry !== source && !existsSync(entry)) {
  process.stderr.write('tessera: no build in dist/ — run `npm run build` first\n');
  process.exit(70);
}
const { main, exitOnClosedPipe } = await import(entry.href);
exitOnClosedPipe();
const code = await main(process.argv);
if (code !== 0) process.exit(code);
