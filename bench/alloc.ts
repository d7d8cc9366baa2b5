/**
 * Bytes allocated per request over HTTP, by function: Tessera's `POST /api/v1/verify` with valid tokens (as paired.ts
 * loads it) against the constant node:http baseline, each server with lib/heap-sampler.mjs preloaded, sampled over one
 * measured run after a warm-up. What Tessera allocates beyond the baseline is its own work; the rest is node's HTTP.
 *
 *   node --import tsx bench/alloc.ts [top=25]
 *
 * BENCH_DURATION (the sampled run, default 10 s), BENCH_TOKENS, BENCH_SERVER_CORE and BENCH_LOAD_CORE apply.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAutocannon } from './lib/load.js';
import { readOptions } from './lib/options.js';
import { ROOT, sleep } from './lib/proc.js';
import { startReference } from './lib/reference.js';
import { prepareTokens, startTessera } from './lib/tessera.js';
import { writeLines } from './lib/tokens.js';

const o = readOptions();
const top = Number(process.argv[2] ?? 25);
const tmp = mkdtempSync(join(tmpdir(), 'tessera-alloc-'));
const flags = ['--import', join(ROOT, 'bench/lib/heap-sampler.mjs')];
try {
  const dataDir = join(tmp, 'store');
  const first = await startTessera({ dataDir, core: o.serverCore });
  const { caller, values } = await prepareTokens(first.url, o.tokens);
  await first.child.stop(30_000);
  const valid = writeLines(join(tmp, 'valid.txt'), values);
  for (const side of ['baseline', 'tessera'] as const) {
    const out = join(tmp, `${side}.json`);
    process.env.BENCH_HEAP_OUT = out; // inherited by the server started next
    const s = side === 'baseline' ? await startReference(['constant'], o.serverCore, { nodeFlags: flags })
      : await startTessera({ dataDir, core: o.serverCore, nodeFlags: flags });
    try {
      const pid = s.child.pid!;
      const spec = {
        scenario: side, url: s.url, method: 'POST' as const, path: '/api/v1/verify', serverPid: pid, connections: o.connections, warmupSec: 0,
        headers: { authorization: `Bearer ${caller}`, 'content-type': 'application/json' }, draw: { file: valid, order: 'random' as const, into: 'body' as const },
      };
      await runAutocannon({ ...spec, durationSec: Math.max(1, o.warmupSec) }, o.loadCore, tmp);
      process.kill(pid, 'SIGUSR2');
      const r = await runAutocannon({ ...spec, durationSec: o.durationSec }, o.loadCore, tmp);
      process.kill(pid, 'SIGUSR2');
      const rows = await readWhenWritten(out);
      const n = r.rps * o.durationSec;
      const total = rows.reduce((a, [, b]) => a + b, 0);
      process.stdout.write(`\n${side}: ${Math.round(r.rps)} req/s, ~${Math.round(total / n)} bytes allocated per request\n`);
      for (const [name, b] of rows.slice(0, top)) process.stdout.write(`${String(Math.round(b / n)).padStart(7)}  ${name}\n`);
    } finally {
      await s.child.stop(30_000);
    }
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

async function readWhenWritten(file: string): Promise<[string, number][]> {
  for (let i = 0; i < 100; i++) {
    try { return JSON.parse(readFileSync(file, 'utf8')) as [string, number][]; } catch { await sleep(100); }
  }
  throw new Error(`${file}: the server wrote no heap profile`);
}
