/**
 * What this Tessera is: the package version (package.json, one place), the commit it was built from and the newest
 * migration it carries. Read relative to this module, so they hold from src/ and from a build.
 */
import { readdirSync, readFileSync } from 'node:fs';

const here = (path: string): URL => new URL(path, import.meta.url);

export const VERSION = (JSON.parse(readFileSync(here('../package.json'), 'utf8')) as { version: string }).version;

/**
 * The commit `npm run build` ran on, and whether the tree had changes it did not hold (scripts/build.mjs writes
 * dist/build.json). Null when run from src/ or built outside a git checkout.
 */
export const BUILD: { commit: string; modified: boolean } | null = (() => {
  try {
    const b = JSON.parse(readFileSync(here('./build.json'), 'utf8')) as { commit?: unknown; modified?: unknown };
    return typeof b.commit === 'string' ? { commit: b.commit, modified: b.modified === true } : null;
  } catch {
    return null;
  }
})();

/**
 * The newest migration this code brings a database to (store/migrations/NNN_name): two builds of one version may
 * differ in it, and a database migrated by a newer one is refused by an older one (docs/upgrading.md).
 */
export const SCHEMA: string | null = readdirSync(here('./store/migrations/'))
  .map((f) => /^([0-9]{3}_[a-z0-9_]+)\.(?:ts|js)$/.exec(f)?.[1])
  .filter((n): n is string => n !== undefined)
  .sort()
  .at(-1) ?? null;

/** `tessera --version`: `0.1.0 (commit 60d1ee5, schema 015_token_usage)`. */
export const VERSION_TEXT = `${VERSION} (${[
  BUILD && `commit ${BUILD.commit}${BUILD.modified ? ' with local changes' : ''}`,
  SCHEMA && `schema ${SCHEMA}`,
].filter(Boolean).join(', ')})`;
