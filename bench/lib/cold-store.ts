/**
 * The store of a million tokens that bench/cold.ts builds in `BENCH_COLD_DIR` (pristine.db, the caller's token in
 * caller.txt, every token's value in values.txt), for the benchmarks that run a server on a copy of it.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { openSqliteStore } from '../../src/store/sqlite/index.js';

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

/**
 * `BENCH_COLD_USED=1`: the copy as a store whose every token has been used before (a `token_usage` row each, migration
 * 015), so a use updates a row rather than adding one — the steady state of a store in service. The copy is migrated
 * by this tree's store first, so the server must be this tree (not a `BENCH_REF` from before migration 015).
 */
export const copyUsedColdStore = async (dataDir: string, who: string): Promise<ColdStore> => {
  const cold = copyColdStore(dataDir, who);
  if (process.env.BENCH_COLD_USED !== '1') return cold;
  const store = await openSqliteStore(join(dataDir, 'tessera.db'));
  await sql`insert into token_usage (token_id, use_count, last_used_at) select id, 1, ${Date.now() - 86_400_000} from tokens where true
    on conflict (token_id) do nothing`.execute(store.db);
  await store.close();
  return cold;
};
