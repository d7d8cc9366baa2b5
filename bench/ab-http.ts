/**
 * Two trees over HTTP: the work tree against BENCH_REF (a commit), each round a fresh server of each in turn (the
 * order alternating), loaded with valid cached tokens by autocannon from the load core: Tessera's server CPU per
 * request for each, and the difference of their medians. What a change to the hot lane comes to end to end, where
 * bench/lane.ts measures the lane's own work in process and the paired rounds (bench/run.ts, BENCH_ONLY=paired) set
 * Tessera against node:http.
 *
 *   BENCH_REF=<commit> node --import tsx bench/ab-http.ts [verify|forward] [rounds=8]
 *
 * BENCH_DURATION, BENCH_WARMUP and the core settings apply (lib/options.ts). Rounds differ by up to ±10 % on a shared
 * host; the per-round pairs (printed) say more than one median.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LoadSpec, runAutocannon } from './lib/load.js';
import { readOptions } from './lib/options.js';
import { gitSha, ROOT, useTree } from './lib/proc.js';
import { snapshotTree } from './lib/snapshot.js';
import { median } from './lib/stats.js';
import { prepareTokens, startTessera } from './lib/tessera.js';
import { writeLines } from './lib/tokens.js';

const scenario = process.argv[2] ?? 'verify';
if (scenario !== 'verify' && scenario !== 'forward') throw new Error('scenario: verify or forward');
const rounds = Number(process.argv[3] ?? 8);
const o = readOptions();
if (!o.ref) throw new Error('BENCH_REF: the commit to compare the work tree with');
const tmp = mkdtempSync(join(tmpdir(), 'tessera-ab-http-'));
try {
  const ref = snapshotTree(o.ref, join(tmp, 'ref'));
  const sides = { ref: ref.root, tree: ROOT } as const;
  const names = { ref: `ref (${ref.commit})`, tree: `tree (${gitSha()})` };
  const cpu: Record<keyof typeof sides, number[]> = { ref: [], tree: [] };
  const config = join(tmp, 'config.yaml');
  writeFileSync(config, 'log_level: warn\n');
  for (let r = 0; r < rounds; r++) {
    for (const side of (r % 2 === 0 ? ['ref', 'tree'] : ['tree', 'ref']) as (keyof typeof sides)[]) {
      useTree(sides[side]);
      const data = join(tmp, 'data');
      rmSync(data, { recursive: true, force: true });
      const s = await startTessera({ dataDir: data, core: o.serverCore, configFile: config });
      try {
        const { caller, values } = await prepareTokens(s.url, 1000);
        const file = writeLines(join(tmp, 'values.txt'), values);
        const common = { scenario: side, url: s.url, serverPid: s.child.pid!, connections: 50, durationSec: o.durationSec, warmupSec: o.warmupSec };
        const spec: LoadSpec = scenario === 'verify'
          ? { ...common, method: 'POST', path: '/api/v1/verify', headers: { authorization: `Bearer ${caller}`, 'content-type': 'application/json' }, draw: { file, order: 'random', into: 'body' } }
          : { ...common, method: 'GET', path: '/api/v1/auth/forward', headers: {}, draw: { file, order: 'random', into: 'bearer' } };
        const res = await runAutocannon(spec, o.loadCore, tmp);
        const us = res.serverCpu === null ? NaN : (res.serverCpu * 1e6) / res.rps;
        cpu[side].push(us);
        process.stdout.write(`round ${r + 1}/${rounds} ${names[side].padEnd(18)} ${Math.round(res.rps)} req/s, server CPU ${us.toFixed(2)} µs/req\n`);
      } finally {
        await s.child.stop(30_000);
      }
    }
  }
  const [a, b] = [median(cpu.ref), median(cpu.tree)];
  process.stdout.write(`${scenario}, server CPU µs per request, median of ${rounds}: ${names.ref} ${a.toFixed(2)}, ${names.tree} ${b.toFixed(2)}: `
    + `tree − ref ${(b - a).toFixed(2)} µs (${(((b - a) / a) * 100).toFixed(1)} %)\n`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
