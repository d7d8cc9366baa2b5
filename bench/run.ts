/**
 * `npm run bench`: the whole benchmark suite, one command, nothing installed at run time. See bench/README.md.
 *
 *   1. baseline: a raw node:http constant-reply server (bench/baseline.ts) on the server core, loaded from the load core,
 *      then the framework ceiling: a bare fastify app with the same two routes
 *   2. Tessera with 1,000 API-created tokens: verify and forward-auth with valid, malformed and unknown tokens
 *   3. ablations (config only, no code change): log level info, verify_policy public, cache off
 *   4. creation rate: N tokens through POST /api/v1/tokens
 *   5. store size: the same server on a store bulk-seeded to 1,000,000 tokens; start-up time; memory
 *   6. baseline again (drift), then the in-process micro-benchmark
 * Then prints the tables and writes bench/results/<date>-<sha>.json (and .md). Settings: BENCH_* (bench/lib/options.ts).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { request } from './lib/http.js';
import { type LoadResult, type LoadSpec, runAutocannon, runWrk, wrkAvailable } from './lib/load.js';
import { readOptions, type Section } from './lib/options.js';
import { type Child, gitDirty, gitSha, memoryKiB, nodeTsArgs, ROOT, startChild, tasksetAvailable, treeRoot, useTree } from './lib/proc.js';
import { type BaselineKey, evaluateTargets, type MicroEntry, renderExtras, renderRuns, type Report, type Run } from './lib/report.js';
import { startReference as startRef } from './lib/reference.js';
import { snapshotTree } from './lib/snapshot.js';
import { prepareTokens, startTessera, type TesseraProcess } from './lib/tessera.js';
import { malformedValues, unknownValues, writeLines } from './lib/tokens.js';

// BENCH_ONLY=revocation: the multi-node propagation benchmark (two nodes on PostgreSQL), apart from the suite above;
// BENCH_ONLY=paired: the baseline and Tessera measured back to back in rounds (bench/paired.ts).
if (process.env.BENCH_ONLY === 'revocation' || process.env.BENCH_ONLY === 'paired') {
  await import(process.env.BENCH_ONLY === 'revocation' ? './revocation.js' : './paired.js');
  process.exit(process.exitCode ?? 0);
}
const o = readOptions();
const has = (s: Section): boolean => o.sections.has(s);
const T0 = performance.now();
const log = (s: string): void => { process.stderr.write(`[bench ${((performance.now() - T0) / 1000).toFixed(0).padStart(4)} s] ${s}\n`); };
const tmp = mkdtempSync(join(tmpdir(), 'tessera-bench-'));
const useWrk = o.wrk && wrkAvailable();
const live = new Set<Child>();
const snap = o.ref ? snapshotTree(o.ref, join(tmp, 'tree')) : null;
if (snap) useTree(snap.root);
const track = <C extends { child: Child }>(c: C): C => { live.add(c.child); return c; };
const stop = async (c: { child: Child }): Promise<void> => { await c.child.stop(); live.delete(c.child); };

const rep: Report = {
  date: new Date().toISOString(), commit: snap?.commit ?? gitSha(), dirty: snap ? false : gitDirty(), node: process.version,
  machine: {
    cpus: cpus().length, model: cpus()[0]?.model ?? 'unknown', memGiB: Math.round(totalmem() / 2 ** 30), loadavgStart: loadavg(), loadavgEnd: [],
    taskset: tasksetAvailable(), wrk: useWrk,
  },
  options: { ...o, sections: [...o.sections] },
  runs: [], startup: [], memory: [], seed: null, creation: null, micro: [], targets: [], durationSec: 0,
};

// Token files for the loaders. Unknown values are drawn in order from a fresh pool per run, so that each is new to
// the server (an attacker's values are never cached); the pool is larger than any run can consume.
const POOL = Math.min(2_000_000, Math.ceil(60_000 * (o.durationSec + o.warmupSec)));
const baseTokens = writeLines(join(tmp, 'baseline-tokens.txt'), unknownValues(1000));
const malformed = writeLines(join(tmp, 'malformed.txt'), malformedValues(1000));
let pools = 0;
const freshUnknown = (): string => writeLines(join(tmp, `unknown-${pools++}.txt`), unknownValues(POOL));

interface Target { url: string; pid: number }

interface Scenario {
  name: string;
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  into: 'body' | 'bearer';
  /** The token file for one run (called once per tool, so fresh pools stay fresh). */
  tokens: () => string;
  order: 'random' | 'sequential';
  expectStatus: number;
  /** What one request must answer before the load starts: the verify `code`, or the error envelope's code. */
  expectCode?: string;
  baseline: BaselineKey;
}

const verifyScenario = (name: string, caller: string, tokens: () => string, order: Scenario['order'], code: string): Scenario => ({
  name, method: 'POST', path: '/api/v1/verify', headers: { authorization: `Bearer ${caller}`, 'content-type': 'application/json' },
  into: 'body', tokens, order, expectStatus: 200, expectCode: code, baseline: 'POST',
});
const forwardScenario = (name: string, tokens: () => string, order: Scenario['order'], status: number, code?: string): Scenario => ({
  name, method: 'GET', path: '/api/v1/auth/forward', headers: {}, into: 'bearer', tokens, order, expectStatus: status,
  ...(code ? { expectCode: code } : {}), baseline: 'GET',
});

/** One request with the first token of the file; refuses to measure a scenario that does not answer as intended. */
const sanity = async (t: Target, s: Scenario, file: string): Promise<void> => {
  const tok = readFileSync(file, 'utf8').split('\n', 1)[0]!;
  const headers = { ...s.headers };
  if (s.into === 'bearer') headers.authorization = `Bearer ${tok}`;
  const r = await request(t.url, s.method, s.path, { headers, ...(s.into === 'body' ? { json: { token: tok } } : {}) });
  let code: string | undefined;
  try { const b = JSON.parse(r.body) as { code?: string; error?: { code?: string } }; code = b.code ?? b.error?.code; } catch { /* no body */ }
  if (r.status !== s.expectStatus || (s.expectCode !== undefined && code !== s.expectCode)) {
    throw new Error(`${s.name}: expected ${s.expectStatus} ${s.expectCode ?? ''}, got ${r.status} ${r.body.slice(0, 200)}`);
  }
};

const unexpectedOf = (r: LoadResult, status: number): number => {
  if (r.tool === 'autocannon') return r.requests - (r.status[String(status)] ?? 0) + r.errors + r.timeouts;
  return (status < 400 ? r.non2xx : r.requests - r.non2xx) + r.errors + r.timeouts;
};

const measure = async (t: Target, s: Scenario, group: string, tools: { wrk?: boolean } = {}): Promise<Run[]> => {
  const out: Run[] = [];
  const spec = (file: string): LoadSpec => ({
    scenario: s.name, url: t.url, method: s.method, path: s.path, headers: s.headers, draw: { file, order: s.order, into: s.into },
    connections: o.connections, durationSec: o.durationSec, warmupSec: o.warmupSec, serverPid: t.pid,
  });
  const file = s.tokens();
  await sanity(t, s, file);
  const results = [await runAutocannon(spec(file), o.loadCore, tmp)];
  if (useWrk && tools.wrk !== false) results.push(await runWrk({ ...spec(s.tokens()), warmupSec: 0 }, o.loadCore));
  for (const result of results) {
    const run: Run = { scenario: s.name, group, baseline: s.baseline, result, unexpected: unexpectedOf(result, s.expectStatus), expectedStatus: s.expectStatus };
    rep.runs.push(run);
    out.push(run);
    log(`  ${s.name} [${group}] ${result.tool}: ${Math.round(result.rps)} req/s, p50 ${result.latency.p50.toFixed(2)} ms, p99 ${result.latency.p99.toFixed(2)} ms, `
      + `server CPU ${result.serverCpu === null ? '?' : Math.round(result.serverCpu * 100)}%${run.unexpected ? `, ${run.unexpected} unexpected` : ''}`);
  }
  return out;
};

const startReference = (args: string[]): Promise<{ child: Child; url: string }> => startRef(args, o.serverCore, { onStart: (c) => live.add(c) });

const runBaselines = async (label: string): Promise<void> => {
  const b = await startReference(['constant']);
  const t = { url: b.url, pid: b.child.pid };
  log(`baseline (${label}): raw node:http constant reply`);
  // The same request shapes as the Tessera scenarios (a Bearer header of the same length, a {"token": …} body).
  await measure(t, { ...forwardScenario(`baseline GET${label === 'end' ? ' (end)' : ''}`, () => baseTokens, 'random', 200), expectCode: 'VALID' }, 'baseline');
  await measure(t, verifyScenario(`baseline POST${label === 'end' ? ' (end)' : ''}`, readFileSync(baseTokens, 'utf8').split('\n', 1)[0]!, () => baseTokens, 'random', 'VALID'), 'baseline');
  await stop(b);
  // The framework ceiling, in the same phase: a bare fastify app with the same two routes (bench/baseline.ts fastify).
  const f = await startReference(['fastify']);
  const tf = { url: f.url, pid: f.child.pid };
  log(`framework ceiling (${label}): bare fastify, same routes`);
  const end = label === 'end' ? ' (end)' : '';
  await measure(tf, { ...forwardScenario(`fastify GET${end}`, () => baseTokens, 'random', 200), expectCode: 'VALID' }, 'framework');
  await measure(tf, verifyScenario(`fastify POST${end}`, readFileSync(baseTokens, 'utf8').split('\n', 1)[0]!, () => baseTokens, 'random', 'VALID'), 'framework');
  await stop(f);
};

const memory = (t: TesseraProcess, phase: string, tokens: number): void => {
  const m = memoryKiB(t.child.pid);
  if (m) rep.memory.push({ phase, tokens, rssMiB: m.rss / 1024, peakMiB: m.hwm / 1024 });
};

const configFile = (name: string, yaml: string): string => {
  const f = join(tmp, `${name}.yaml`);
  writeFileSync(f, yaml);
  return f;
};

const main = async (): Promise<void> => {
  log(`${snap ? `commit ${snap.commit} (BENCH_REF=${o.ref}) from ${snap.root}` : 'the work tree'}; tmp ${tmp}; ${o.quick ? 'QUICK, ' : ''}${o.durationSec} s per run, ${o.connections} connections, server core ${o.serverCore}, load core ${o.loadCore}`
    + `${useWrk ? ', wrk too' : ', no wrk'}${tasksetAvailable() ? '' : ', NO taskset (unpinned)'}`);
  if (has('baseline')) await runBaselines('start');

  // Phase A: a store with the API-created token set.
  const dirA = join(tmp, 'store-1k');
  let callerA = '';
  let validA = '';
  let verifyRps: number | null = null;
  const needA = has('tessera') || has('ablations') || has('store');
  if (needA) {
    const a = track(await startTessera({ dataDir: dirA, core: o.serverCore }));
    rep.startup.push({ store: 'empty', tokens: 0, ms: a.startupMs });
    log(`tessera started on an empty store in ${Math.round(a.startupMs)} ms; creating ${o.tokens} tokens`);
    const { caller, values } = await prepareTokens(a.url, o.tokens);
    callerA = caller;
    validA = writeLines(join(tmp, 'valid-1k.txt'), values);
    if (has('tessera')) {
      const t = { url: a.url, pid: a.child.pid };
      const runs = await measure(t, verifyScenario('verify valid', caller, () => validA, 'random', 'VALID'), 'store-1k');
      verifyRps = runs[0]!.result.rps;
      await measure(t, forwardScenario('forward valid', () => validA, 'random', 204), 'store-1k');
      await measure(t, verifyScenario('verify malformed', caller, () => malformed, 'random', 'MALFORMED'), 'store-1k');
      await measure(t, forwardScenario('forward malformed', () => malformed, 'random', 401, 'TOKEN_MALFORMED'), 'store-1k');
      await measure(t, verifyScenario('verify unknown', caller, freshUnknown, 'sequential', 'NOT_FOUND'), 'store-1k');
      await measure(t, forwardScenario('forward unknown', freshUnknown, 'sequential', 401, 'TOKEN_NOT_FOUND'), 'store-1k');
      memory(a, `${o.tokens} tokens, after the load above`, o.tokens + 1);
    }
    await stop(a);
  }

  if (has('ablations')) {
    // Each variant changes one setting; the control, measured just before them, is the baseline to read them against.
    const variants: { name: string; logLevel?: string; yaml?: string }[] = [
      { name: 'verify valid, control (defaults, log warn)' },
      { name: 'verify valid, log_level info', logLevel: 'info' },
      { name: 'verify valid, verify_policy public', yaml: 'verify_policy: public\n' },
      { name: 'verify valid, cache off', yaml: 'cache:\n  max_entries: 0\n' },
    ];
    for (const v of variants) {
      const a = track(await startTessera({
        dataDir: dirA, core: o.serverCore, ...(v.logLevel ? { logLevel: v.logLevel } : {}), ...(v.yaml ? { configFile: configFile(`ablation-${rep.runs.length}`, v.yaml) } : {}),
      }));
      rep.startup.push({ store: '1k (restart)', tokens: o.tokens + 1, ms: a.startupMs });
      log(`ablation: ${v.name}`);
      await measure({ url: a.url, pid: a.child.pid }, verifyScenario(v.name, callerA, () => validA, 'random', 'VALID'), 'ablation', { wrk: false });
      await stop(a);
    }
  }

  if (has('create')) {
    const c = track(await startTessera({ dataDir: join(tmp, 'store-create'), core: o.serverCore }));
    const { caller } = await prepareTokens(c.url, 0);
    log(`creating ${o.createCount} tokens through the API (${o.createConnections} connections)`);
    const result = await runAutocannon({
      scenario: 'create token', url: c.url, method: 'POST', path: '/api/v1/tokens', headers: { authorization: `Bearer ${caller}`, 'content-type': 'application/json' },
      body: '{"access":"write"}', connections: o.createConnections, durationSec: 0, amount: o.createCount, boundSec: Math.max(120, o.createCount / 100),
      warmupSec: 0, serverPid: c.child.pid,
    }, o.loadCore, tmp);
    rep.runs.push({ scenario: 'create token', group: 'create', baseline: 'POST', result, unexpected: unexpectedOf(result, 201), expectedStatus: 201 });
    rep.creation = { count: result.status['201'] ?? 0, rps: result.rps, ratioToVerify: verifyRps ? result.rps / verifyRps : null, tool: 'autocannon' };
    log(`  ${Math.round(result.rps)} tokens/s, p99 ${result.latency.p99.toFixed(1)} ms`);
    memory(c, `${o.createCount} tokens created through the API`, o.createCount + 1);
    await stop(c);
  }

  if (has('store')) {
    // Phase B: the same API-created set, plus bulk rows written straight into SQLite while the server is stopped.
    const dirB = join(tmp, 'store-1m');
    let b = track(await startTessera({ dataDir: dirB, core: o.serverCore }));
    const { caller, values } = await prepareTokens(b.url, o.tokens);
    const validB = writeLines(join(tmp, 'valid-1m-hot.txt'), values);
    await stop(b);
    const bulk = join(tmp, 'bulk-values.txt');
    log(`seeding ${o.bulkCount} tokens into SQLite`);
    const s0 = performance.now();
    let seedOut = '';
    const seeder = startChild(process.execPath, nodeTsArgs(join(treeRoot(), 'bench/seed-store.ts')).concat(join(dirB, 'tessera.db'), String(o.bulkCount), bulk),
      { onStdout: (x) => { seedOut += x; } });
    live.add(seeder);
    const code = await seeder.wait(3_600_000);
    live.delete(seeder);
    const seedLine = /SEED_JSON (.*)/.exec(seedOut)?.[1];
    if (code !== 0 || !seedLine) throw new Error(`seed failed (${code}):\n${seeder.output()}`);
    rep.seed = { ...(JSON.parse(seedLine) as Omit<NonNullable<Report['seed']>, 'wallSec'>), wallSec: (performance.now() - s0) / 1000 };
    log(`  seeded in ${rep.seed.wallSec.toFixed(1)} s (${Math.round(rep.seed.rowsPerSec)} rows/s insert)`);
    const total = o.bulkCount + o.tokens + 1;
    b = track(await startTessera({ dataDir: dirB, core: o.serverCore }));
    rep.startup.push({ store: `bulk ${o.bulkCount.toLocaleString('en-US')}`, tokens: total, ms: b.startupMs });
    log(`tessera started on the ${total}-token store in ${Math.round(b.startupMs)} ms`);
    const t = { url: b.url, pid: b.child.pid };
    await measure(t, verifyScenario('verify valid', caller, () => validB, 'random', 'VALID'), 'store-1M');
    await measure(t, forwardScenario('forward valid', () => validB, 'random', 204), 'store-1M');
    memory(b, `${total} tokens, after hot-set load`, total);
    await measure(t, verifyScenario('verify valid, cold (random of all bulk)', caller, () => bulk, 'random', 'VALID'), 'store-1M');
    memory(b, `${total} tokens, after cold load (cache full)`, total);
    await stop(b);
    log('reference: node:http + SHA-256 + one SQLite lookup per request, same store, same cold draw');
    const ref = await startReference(['sqlite', join(dirB, 'tessera.db')]);
    await measure({ url: ref.url, pid: ref.child.pid }, verifyScenario('node:http+sqlite lookup, cold', caller, () => bulk, 'random', 'VALID'), 'reference');
    await stop(ref);

    if (needA && has('tessera')) {
      const a = track(await startTessera({ dataDir: dirA, core: o.serverCore }));
      log('1k store again (noise check for the store-size ratio)');
      const ta = { url: a.url, pid: a.child.pid };
      await measure(ta, verifyScenario('verify valid', callerA, () => validA, 'random', 'VALID'), 'store-1k repeat');
      await measure(ta, forwardScenario('forward valid', () => validA, 'random', 204), 'store-1k repeat');
      await stop(a);
    }
  }

  if (has('baseline')) await runBaselines('end');

  if (has('micro')) {
    log(`in-process micro-benchmark (${o.microIterations} iterations max per figure)`);
    const out = join(tmp, 'micro.json');
    const m = startChild(process.execPath, nodeTsArgs(join(treeRoot(), 'bench/micro-verify.ts')).concat(String(o.microIterations), out), { core: o.serverCore });
    live.add(m);
    const code = await m.wait(600_000);
    live.delete(m);
    if (code !== 0) throw new Error(`micro-benchmark failed (${code}):\n${m.output()}`);
    rep.micro = (JSON.parse(readFileSync(out, 'utf8')) as { results: MicroEntry[] }).results;
  }
};

const finish = (): void => {
  rep.machine.loadavgEnd = loadavg();
  rep.durationSec = (performance.now() - T0) / 1000;
  rep.targets = evaluateTargets(rep);
  const dir = join(ROOT, 'bench/results');
  mkdirSync(dir, { recursive: true });
  const base = `${rep.date.slice(0, 10)}-${rep.commit}${rep.dirty ? '-dirty' : ''}`;
  let name = base;
  for (let i = 2; existsSync(join(dir, `${name}.json`)) && i < 1000; i++) name = `${base}-${i}`;
  writeFileSync(join(dir, `${name}.json`), JSON.stringify(rep, null, 2));
  const header = `Tessera benchmark, ${rep.date}, commit ${rep.commit}${rep.dirty ? ' (+ uncommitted changes)' : ''}, node ${rep.node}, `
    + `${rep.machine.cpus} × ${rep.machine.model}, load average ${rep.machine.loadavgStart.map((x) => x.toFixed(2)).join(' ')} → `
    + `${rep.machine.loadavgEnd.map((x) => x.toFixed(2)).join(' ')}; ${o.connections} connections, ${o.durationSec} s per run`
    + `${o.quick ? ' (QUICK)' : ''}. Ratios are to the raw node:http baseline (mean of the start and end runs) loaded by the same tool with the same method.`;
  writeFileSync(join(dir, `${name}.md`), `${header}\n\n${renderRuns(rep.runs, true)}\n\n${renderExtras(rep, true)}\n`);
  process.stdout.write(`\n${header}\n\n${renderRuns(rep.runs)}\n\n${renderExtras(rep)}\n\nresults: bench/results/${name}.json (and .md)\n`);
};

const cleanup = async (): Promise<void> => {
  for (const c of live) await c.stop(5_000).catch(() => undefined);
  live.clear();
  if (!o.keep) rmSync(tmp, { recursive: true, force: true });
  else log(`kept ${tmp}`);
};

process.once('SIGINT', () => { void cleanup().then(() => process.exit(130)); });
try {
  await main();
  finish();
} catch (e) {
  log(`FAILED: ${(e as Error).stack ?? String(e)}`);
  if (rep.runs.length) finish();
  process.exitCode = 1;
} finally {
  await cleanup();
}
