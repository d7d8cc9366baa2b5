/**
 * The store of a million tokens that bench/cold.ts builds in `BENCH_COLD_DIR` (pristine.db, the caller's token in
 * caller.txt, every token's value in values.txt), for the benchmarks that run a server on a copy of it.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ColdStore { caller: string; valuesFile: string }

/** Copies the store into `dataDir` as tessera.db; throws, naming what to run, when `BENCH_COLD_DIR` has none. */
export const copyColdStore = (dataDir: string, who: string): ColdStore => {
  const dir = process.env.BENCH_COLD_DIR;
  if (!dir || !existsSync(join(dir, 'pristine.db'))) {
    throw new Error(`${who} needs BENCH_COLD_DIR with the store of bench/cold.ts (run it with the same BENCH_COLD_DIR first)`);
  }
  mkdirSync(dataDir, { recursive: true });
  copyFileSync(join(dir, 'pristine.db'), join(dataDir, 'tessera.db'));
  return { caller: readFileSync(join(dir, 'caller.txt'), 'utf8'), valuesFile: join(dir, 'values.txt') };
};
