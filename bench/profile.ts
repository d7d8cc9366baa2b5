/**
 * Profiles Tessera under load: starts the server with `node --cpu-prof` pinned to the server core, prepares tokens,
 * loads one scenario with autocannon from the load core, stops the server (the profile is written at exit) and
 * summarises the samples taken during the measured run only.
 *
 *   node --import tsx bench/profile.ts [verify|forward|verify-unknown|verify-malformed|forward-unknown|forward-malformed] [log level]
 *   node --import tsx bench/profile.ts fastify-post|fastify-get     the bare fastify app (bench/baseline.ts fastify)
 *                                                                    with the draws of verify / forward, to compare
 *   node --import tsx bench/profile.ts node-post|node-get           the same for the raw node:http baseline
 *   BENCH_COLD_DIR=<dir> node --import tsx bench/profile.ts verify-cold
 *                                   verify against a copy of bench/cold.ts's store (run cold.ts with the same
 *                                   BENCH_COLD_DIR first), tokens drawn at random from all of it: the cold path
 *
 * BENCH_DURATION (default 10), BENCH_CONNECTIONS (50) and BENCH_REF (a commit instead of the work tree) apply;
 * BENCH_PROFILE_CONFIG='<yaml>' starts the server with that config file (e.g. 'verify_policy: public'), and
 * BENCH_PROFILE_TAG names the output files after it. The .cpuprofile and the summary go to
 * bench/results/ (git-ignored); open the .cpuprofile in Chrome DevTools or speedscope for the flame graph.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { copyColdStore } from './lib/cold-store.js';
import { type LoadSpec, runAutocannon } from './lib/load.js';
import { readOptions } from './lib/options.js';
import { gitSha, ROOT, useTree } from './lib/proc.js';
import { startReference } from './lib/reference.js';
import { snapshotTree } from './lib/snapshot.js';
import { renderSummary, summarizeProfile } from './lib/profile-summary.js';
import { prepareTokens, startTessera } from './lib/tessera.js';
import { malformedValues, unknownValues, writeLines } from './lib/tokens.js';

const SCENARIOS = ['verify', 'verify-cold', 'forward', 'verify-unknown', 'verify-malformed', 'forward-unknown', 'forward-malformed', 'fastify-post', 'fastify-get', 'node-post', 'node-get'] as const;
type Name = (typeof SCENARIOS)[number];

const name = (process.argv[2] ?? 'verify') as Name;

if (!SCENARIOS.includes(name)) throw new Error(`scenario must be one of ${SCENARIOS.join(', ')}`);
const logLevel = process.argv[3] ?? 'warn';
const o = readOptions();
const tmp = mkdtempSync(join(tmpdir(), 'tessera-prof-'));
const profDir = join(tmp, 'prof');
const snap = o.ref ? snapshotTree(o.ref, join(tmp, 'tree')) : null;
if (snap) useTree(snap.root);
try {
  const yaml = process.env.BENCH_PROFILE_CONFIG;
  if (yaml) writeFileSync(join(tmp, 'config.yaml'), yaml.replaceAll('\\n', '\n') + '\n');
  const profFlags = ['--cpu-prof', `--cpu-prof-dir=${profDir}`, '--cpu-prof-interval', '250'];
  const bare = name.startsWith('fastify-') || name.startsWith('node-');
  const cold = name === 'verify-cold' ? copyColdStore(join(tmp, 'data'), 'verify-cold') : null;
  const s = bare ? await startReference([name.startsWith('node-') ? 'constant' : 'fastify'], o.serverCore, { nodeFlags: profFlags }) : await startTessera({
    dataDir: join(tmp, 'data'), core: o.serverCore, logLevel, nodeFlags: profFlags, ...(yaml ? { configFile: join(tmp, 'config.yaml') } : {}),
  });
  let result;
  try {
    // The bare app answers any token: it gets unknown values of the same shape, and no caller.
    const { caller, values } = bare ? { caller: unknownValues(1)[0]!, values: unknownValues(o.tokens) }
      : cold !== null ? { caller: cold.caller, values: [] }
      : await prepareTokens(s.url, o.tokens);
    const valid = writeLines(join(tmp, 'valid.txt'), values);
    const unknown = writeLines(join(tmp, 'unknown.txt'), unknownValues(Math.ceil(60_000 * (o.durationSec + o.warmupSec))));
    const malformed = writeLines(join(tmp, 'malformed.txt'), malformedValues(1000));
    const verify = { method: 'POST' as const, path: '/api/v1/verify', headers: { authorization: `Bearer ${caller}`, 'content-type': 'application/json' } };
    const forward = { method: 'GET' as const, path: '/api/v1/auth/forward', headers: {} };
    const shape: Record<Name, Pick<LoadSpec, 'method' | 'path' | 'headers' | 'draw'>> = {
      verify: { ...verify, draw: { file: valid, order: 'random', into: 'body' } },
      'verify-cold': { ...verify, draw: { file: cold?.valuesFile ?? valid, order: 'random', into: 'body' } },
      forward: { ...forward, draw: { file: valid, order: 'random', into: 'bearer' } },
      'verify-unknown': { ...verify, draw: { file: unknown, order: 'sequential', into: 'body' } },
      'verify-malformed': { ...verify, draw: { file: malformed, order: 'random', into: 'body' } },
      'forward-unknown': { ...forward, draw: { file: unknown, order: 'sequential', into: 'bearer' } },
      'forward-malformed': { ...forward, draw: { file: malformed, order: 'random', into: 'bearer' } },
      'fastify-post': { ...verify, draw: { file: valid, order: 'random', into: 'body' } },
      'fastify-get': { ...forward, draw: { file: valid, order: 'random', into: 'bearer' } },
      'node-post': { ...verify, draw: { file: valid, order: 'random', into: 'body' } },
      'node-get': { ...forward, draw: { file: valid, order: 'random', into: 'bearer' } },
    };
    result = await runAutocannon({
      scenario: name, url: s.url, ...shape[name], connections: o.connections, durationSec: o.durationSec, warmupSec: o.warmupSec, serverPid: s.child.pid,
    }, o.loadCore, tmp);
    process.stderr.write(`${name}: ${Math.round(result.rps)} req/s, p99 ${result.latency.p99.toFixed(2)} ms, server CPU ${Math.round((result.serverCpu ?? 0) * 100)}%\n`);
  } finally {
    await s.child.stop(30_000);
  }
  const prof = readdirSync(profDir).find((f) => f.endsWith('.cpuprofile'));
  if (!prof) throw new Error('no .cpuprofile written');
  const summary = summarizeProfile(join(profDir, prof), result.windowUs);
  const outDir = join(ROOT, 'bench/results');
  mkdirSync(outDir, { recursive: true });
  const base = join(outDir, `profile-${new Date().toISOString().slice(0, 10)}-${snap?.commit ?? gitSha()}-${name}-${logLevel}${process.env.BENCH_PROFILE_TAG ? `-${process.env.BENCH_PROFILE_TAG}` : ''}`);
  copyFileSync(join(profDir, prof), `${base}.cpuprofile`);
  writeFileSync(`${base}.json`, JSON.stringify({ load: result, summary }, null, 2));
  // Busy time per request (with the profiler's own overhead): comparable between scenarios profiled the same way.
  const perReq = `${((summary.sampledMs * summary.busy * 1000) / result.requests).toFixed(1)} µs busy per request (profiled), ${result.requests} requests`;
  writeFileSync(`${base}.txt`, `${perReq}\n${renderSummary(summary)}\n`);
  process.stdout.write(`${perReq}\n${renderSummary(summary)}\n\nwritten: ${base}.{cpuprofile,json,txt}\n`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
