/**
 * Benchmark settings, all from the environment so `npm run bench` needs no arguments. BENCH_QUICK=1 shortens every
 * phase (for debugging the suite, not for numbers to publish).
 */
export const SECTIONS = ['baseline', 'tessera', 'ablations', 'create', 'store', 'micro'] as const;
export type Section = (typeof SECTIONS)[number];

export interface BenchOptions {
  quick: boolean;
  /** Seconds of measured load per scenario and tool. */
  durationSec: number;
  /** Seconds of unmeasured load before each measured autocannon run (JIT, caches, connection set-up). */
  warmupSec: number;
  connections: number;
  /** Tokens created through the API and drawn at random by the valid-token scenarios (the "1k store"). */
  tokens: number;
  /** Tokens created through the API for the creation-rate figure. */
  createCount: number;
  createConnections: number;
  /** Rows inserted directly into SQLite for the large-store phase. */
  bulkCount: number;
  /** In-process micro-benchmark: most iterations per measurement (each is also bounded in time). */
  microIterations: number;
  /** Use wrk too, when it is on PATH (BENCH_WRK=0 turns it off). */
  wrk: boolean;
  sections: ReadonlySet<Section>;
  serverCore: string;
  loadCore: string;
  /** Keep the temporary directory (data dirs, token files) for inspection. */
  keep: boolean;
  /** Benchmark this commit (git archive of src/) instead of the work tree. */
  ref: string | null;
}

const int = (env: NodeJS.ProcessEnv, name: string, dflt: number, min: number, max: number): number => {
  const v = env[name];
  if (v === undefined || v === '') return dflt;
  const n = Number(v);
  if (!Number.isFinite(n) || n < min || n > max) throw new Error(`${name} must be a number in [${min}, ${max}], got '${v}'`);
  return Math.floor(n);
};

export const readOptions = (env: NodeJS.ProcessEnv = process.env): BenchOptions => {
  const quick = env.BENCH_QUICK === '1' || env.BENCH_QUICK === 'true';
  const only = (env.BENCH_ONLY ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  for (const s of only) if (!(SECTIONS as readonly string[]).includes(s)) throw new Error(`BENCH_ONLY: unknown section '${s}' (known: ${SECTIONS.join(', ')})`);
  return {
    quick,
    durationSec: int(env, 'BENCH_DURATION', quick ? 3 : 10, 1, 600),
    warmupSec: int(env, 'BENCH_WARMUP', quick ? 1 : 2, 0, 60),
    connections: int(env, 'BENCH_CONNECTIONS', 50, 1, 1000),
    tokens: int(env, 'BENCH_TOKENS', 1000, 1, 100_000),
    createCount: int(env, 'BENCH_CREATE_COUNT', quick ? 5_000 : 100_000, 1, 1_000_000),
    createConnections: int(env, 'BENCH_CREATE_CONNECTIONS', 16, 1, 256),
    bulkCount: int(env, 'BENCH_BULK_COUNT', quick ? 100_000 : 1_000_000, 1, 5_000_000),
    microIterations: int(env, 'BENCH_MICRO_N', quick ? 200_000 : 2_000_000, 1_000, 50_000_000),
    wrk: env.BENCH_WRK !== '0',
    sections: new Set((only.length ? only : SECTIONS) as Section[]),
    serverCore: env.BENCH_SERVER_CORE ?? '0',
    loadCore: env.BENCH_LOAD_CORE ?? '1',
    keep: env.BENCH_KEEP === '1',
    ref: env.BENCH_REF ? env.BENCH_REF : null,
  };
};
