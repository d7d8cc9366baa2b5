/**
 * The hot lane's own work per request, as deployed (the built dist/), without sockets: CPU time per request of
 * `POST /api/v1/verify` and `GET /api/v1/auth/forward` with a valid, cached token — what Tessera adds to the node:http
 * work the paired rounds' baseline does too. The work tree against BENCH_REF (a commit), in alternating rounds, each
 * round a fresh process (bench/lane-worker.ts):
 *
 *   BENCH_REF=<commit> taskset -c 1 node --import tsx bench/lane.ts [rounds=6] [requests=100000]
 *
 * In process and by CPU time, so it resolves differences of a few hundred nanoseconds that the paired HTTP rounds
 * cannot on a shared host; the HTTP figures (bench/run.ts, BENCH_ONLY=paired) say what they come to end to end.
 * Without BENCH_REF it measures the work tree alone.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gitSha, ROOT, scriptArgs } from './lib/proc.js';
import { snapshotTree } from './lib/snapshot.js';
import { median } from './lib/stats.js';

const rounds = Number(process.argv[2] ?? 6);
const requests = Number(process.argv[3] ?? 100_000);
const ref = process.env.BENCH_REF ?? null;
const tmp = mkdtempSync(join(tmpdir(), 'tessera-lane-bench-'));

const build = (root: string): void => {
  const b = spawnSync(process.execPath, [join(root, 'scripts/build.mjs'), 'server'], { cwd: root, encoding: 'utf8' });
  if (b.status !== 0) throw new Error(`build of ${root} failed:\n${b.stdout}${b.stderr}`);
};

try {
  const trees: { name: string; root: string }[] = [{ name: `tree (${gitSha()})`, root: ROOT }];
  if (ref !== null) {
    const snap = snapshotTree(ref, join(tmp, 'ref'));
    trees.push({ name: `ref (${snap.commit})`, root: snap.root });
  }
  for (const t of trees) build(t.root);
  const worker = await scriptArgs(join(ROOT, 'bench/lane-worker.ts'));
  const runs = new Map<string, { verify: number[]; forward: number[] }>(trees.map((t) => [t.name, { verify: [], forward: [] }]));
  for (let r = 0; r < rounds; r++) {
    // Alternate which tree goes first, so a drift of the host's speed falls on both alike.
    for (const t of r % 2 === 0 ? trees : [...trees].reverse()) {
      const p = spawnSync(process.execPath, [...worker, t.root, String(requests)], { encoding: 'utf8' });
      if (p.status !== 0) throw new Error(`lane worker (${t.name}) failed:\n${p.stderr}`);
      const o = JSON.parse(p.stdout.trim().split('\n').pop()!) as { verify: number; forward: number };
      runs.get(t.name)!.verify.push(o.verify);
      runs.get(t.name)!.forward.push(o.forward);
      process.stderr.write(`[lane] round ${r + 1}/${rounds} ${t.name}: verify ${o.verify} ns, forward ${o.forward} ns\n`);
    }
  }
  const lines = [`hot lane, CPU ns per request (median of ${rounds} rounds, each the fastest of 5 passes of ${requests}), node ${process.version}`];
  for (const [name, v] of runs) {
    lines.push(`  ${name.padEnd(16)} verify valid ${median(v.verify).toFixed(0).padStart(6)} (${Math.min(...v.verify)}–${Math.max(...v.verify)})   forward valid ${median(v.forward).toFixed(0).padStart(6)} (${Math.min(...v.forward)}–${Math.max(...v.forward)})`);
  }
  if (trees.length === 2) {
    const [a, b] = [runs.get(trees[0]!.name)!, runs.get(trees[1]!.name)!];
    lines.push(`  tree − ref: verify ${(median(a.verify) - median(b.verify)).toFixed(0)} ns, forward ${(median(a.forward) - median(b.forward)).toFixed(0)} ns`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
