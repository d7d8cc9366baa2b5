/**
 * The environment a test gives a `tessera` process it spawns (bin/tessera.js: a server, a CLI call): a clean one, with
 * PATH, plus TESSERA_COMPILED when the run set it. `npm test` (scripts/test.mjs) builds dist/ first and sets it, so
 * those processes start from the compiled JavaScript — what `npm start` and the package run — about a third sooner
 * than through tsx (bench/README.md, "Start-up: compiled vs tsx"). A test file run on its own runs src/ through tsx.
 */
export const childEnv = (): Record<string, string> => ({
  PATH: process.env.PATH ?? '',
  ...(process.env.TESSERA_COMPILED === '1' ? { TESSERA_COMPILED: '1' } : {}),
});
