/**
 * What requests see while the usage flush writes (issue 18): Tessera on a copy of bench/cold.ts's store of a million
 * tokens, `POST /api/v1/verify` of tokens drawn at random from all of it (every one a first sighting, so every flush
 * writes ~one token per request), under a paced load — BENCH_STALL_RATE requests a second (default 4,000) over
 * BENCH_STALL_CONNECTIONS connections (default 600), so requests keep arriving while the server is held — and under
 * the usual closed loop (50 connections, each waiting for its answer). Prints latency percentiles and server CPU per
 * request for each.
 *
 *   BENCH_COLD_DIR=<dir> node --import tsx bench/stall.ts      (run bench/cold.ts with the same BENCH_COLD_DIR first)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { copyColdStore } from './lib/cold-store.js';
import { runAutocannon } from './lib/load.js';
import { readOptions } from './lib/options.js';
import { startTessera } from './lib/tessera.js';

const o = readOptions();
const rate = Number(process.env.BENCH_STALL_RATE ?? 4000);
const paced = Number(process.env.BENCH_STALL_CONNECTIONS ?? 600);
const tmp = mkdtempSync(join(tmpdir(), 'tessera-stall-'));
try {
  const cold = copyColdStore(join(tmp, 'data'), 'bench/stall.ts');
  const s = await startTessera({ dataDir: join(tmp, 'data'), core: o.serverCore });
  try {
    const spec = {
      url: s.url, method: 'POST' as const, path: '/api/v1/verify', serverPid: s.child.pid,
      headers: { authorization: `Bearer ${cold.caller}`, 'content-type': 'application/json' },
      draw: { file: cold.valuesFile, order: 'random' as const, into: 'body' as const },
      durationSec: o.durationSec, warmupSec: o.warmupSec,
    };
    for (const [name, extra] of [[`paced, ${rate}/s over ${paced} connections`, { connections: paced, rate }], ['closed loop, 50 connections', { connections: 50 }]] as const) {
      const r = await runAutocannon({ scenario: name, ...spec, ...extra }, o.loadCore, tmp);
      const us = r.serverCpu !== null ? ` · server CPU ${((r.serverCpu * 1e6) / r.rps).toFixed(0)} µs/req` : '';
      process.stdout.write(`${name}: ${Math.round(r.rps)} req/s · p50 ${r.latency.p50.toFixed(1)} ms · p99 ${r.latency.p99.toFixed(1)} ms · max ${r.latency.max.toFixed(0)} ms${us}\n`);
    }
  } finally {
    await s.child.stop(30_000);
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
