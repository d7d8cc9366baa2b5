/**
 * The cold path over HTTP, taken apart (issue 18): on a copy of bench/cold.ts's store of a million tokens,
 * `POST /api/v1/verify` of tokens drawn at random from all of it (every one a first sighting), closed loop, 50
 * connections, against three servers in turn, each round on a fresh copy of the store:
 *
 * - `tessera`: as configured by default;
 * - `noflush`: the same with `usage_flush_ms` set beyond the run, so no use count is written while it is measured —
 *   what the use-count writes cost is the difference (the counts are kept and written at shutdown);
 * - `reference`: bench/baseline.ts's hand-written node:http + SHA-256 + one SQLite lookup on the same file.
 *
 * Prints server CPU per request (from /proc) and requests per second for each, and the ratios to the reference.
 *
 *   BENCH_COLD_DIR=<dir> node --import tsx bench/cold-http.ts [rounds=2]   (run bench/cold.ts with it first)
 *
 * BENCH_COLD_SIDES (a comma list of the three names), BENCH_REF (a commit instead of the work tree),
 * BENCH_DURATION and BENCH_WARMUP apply; BENCH_COLD_USED=1 runs each side on a store whose every token has been used
 * before (lib/cold-store.ts: a use then updates its `token_usage` row instead of adding one).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { copyUsedColdStore } from './lib/cold-store.js';
import { runAutocannon } from './lib/load.js';
import { readOptions } from './lib/options.js';
import { useTree } from './lib/proc.js';
import { startReference } from './lib/reference.js';
import { snapshotTree } from './lib/snapshot.js';
import { startTessera } from './lib/tessera.js';

const SIDES = ['tessera', 'noflush', 'reference'] as const;
type Side = (typeof SIDES)[number];
const o = readOptions();
const rounds = Number(process.argv[2] ?? 2);
const sides = (process.env.BENCH_COLD_SIDES ?? SIDES.join(',')).split(',') as Side[];
for (const s of sides) if (!SIDES.includes(s)) throw new Error(`BENCH_COLD_SIDES: '${s}' is not one of ${SIDES.join(', ')}`);
const tmp = mkdtempSync(join(tmpdir(), 'tessera-cold-http-'));
const cpu = new Map<Side, number[]>(sides.map((s) => [s, []]));
try {
  if (o.ref) useTree(snapshotTree(o.ref, join(tmp, 'tree')).root);
  for (let r = 0; r < rounds; r++) {
    for (const side of sides) {
      const data = join(tmp, 'data');
      rmSync(data, { recursive: true, force: true });
      const cold = await copyUsedColdStore(data, 'bench/cold-http.ts');
      const config = join(tmp, 'config.yaml');
      writeFileSync(config, side === 'noflush' ? 'usage_flush_ms: 100000000\n' : 'log_level: warn\n');
      const s = side === 'reference' ? await startReference(['sqlite', join(data, 'tessera.db')], o.serverCore)
        : await startTessera({ dataDir: data, core: o.serverCore, configFile: config });
      try {
        const res = await runAutocannon({
          scenario: side, url: s.url, method: 'POST', path: '/api/v1/verify', serverPid: s.child.pid, connections: 50,
          headers: { authorization: `Bearer ${cold.caller}`, 'content-type': 'application/json' },
          draw: { file: cold.valuesFile, order: 'random', into: 'body' }, durationSec: o.durationSec, warmupSec: o.warmupSec,
        }, o.loadCore, tmp);
        const us = res.serverCpu === null ? NaN : (res.serverCpu * 1e6) / res.rps;
        cpu.get(side)!.push(us);
        process.stdout.write(`round ${r + 1}/${rounds} ${side.padEnd(9)} ${Math.round(res.rps)} req/s, server CPU ${us.toFixed(1)} µs/req\n`);
      } finally {
        await s.child.stop(30_000);
      }
    }
  }
  const ref = cpu.get('reference');
  for (const [side, v] of cpu) {
    const best = Math.min(...v);
    const ratio = ref && ref.length > 0 && side !== 'reference' ? ` · reference/${side} ${(Math.min(...ref) / best).toFixed(2)}×` : '';
    process.stdout.write(`${side.padEnd(9)} best ${best.toFixed(1)} µs/req (all: ${v.map((x) => x.toFixed(1)).join(', ')})${ratio}\n`);
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
