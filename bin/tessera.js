#!/usr/bin/env node
// Runs the TypeScript CLI through tsx's loader, so the package needs no build step.
import { register } from 'tsx/esm/api';
register();
const { main } = await import('../src/cli/index.ts');
const code = await main(process.argv);
if (code !== 0) process.exit(code);
