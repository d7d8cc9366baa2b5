/**
 * The built web UI (web/dist) the server serves. `npm install` builds it (the prepare script); a test that needs it
 * builds it here when it is missing, once, even with test files running in parallel (an mkdir lock).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const WEB_DIST = fileURLToPath(new URL('../../web/dist/', import.meta.url));
const INDEX = `${WEB_DIST}index.html`;
const LOCK = fileURLToPath(new URL('../../web/.build-lock', import.meta.url));

export const ensureWebBuilt = async (): Promise<void> => {
  if (existsSync(INDEX)) return;
  let mine = false;
  try {
    mkdirSync(LOCK);
    mine = true;
  } catch { /* another test file is building it */ }
  if (mine) {
    try {
      await promisify(execFile)('npx', ['vite', 'build', 'web', '--logLevel', 'warn'], { cwd: ROOT });
    } finally {
      rmSync(LOCK, { recursive: true, force: true });
    }
  } else {
    // A lock left by a killed run would wait forever: give up after two minutes and say what to delete.
    for (let i = 0; existsSync(LOCK); i++) {
      if (i > 600) throw new Error(`web/dist is not built and ${LOCK} is held; remove it if no build is running`);
      await sleep(200);
    }
  }
  if (!existsSync(INDEX)) throw new Error('web/dist/index.html is missing after `vite build web`');
};

/** The files index.html loads (script src, stylesheet and icon href), as server paths. */
export const indexAssets = (): string[] =>
  [...readFileSync(INDEX, 'utf8').matchAll(/<(?:script|link)\b[^>]*\s(?:src|href)="(\/[^"]+)"/g)].map((m) => m[1]!);
