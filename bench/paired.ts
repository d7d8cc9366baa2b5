/**
 * Paired rounds: the baseline and Tessera measured back to back, many times, so each ratio compares two runs made
 * seconds apart (`BENCH_ONLY=paired npm run bench`, or `node --import tsx bench/paired.ts`).
 *
 * Why: on these shared machines the neighbours' load moves a server's cost by up to 2× within minutes, one process of
 * the same code can run ~1.6× slower than another for its whole life, and the main suite measures the baseline only
 * at its start and end. Here each round starts both servers afresh, pinned to the server core (the idle one costs
 * nothing), and for every scenario loads the baseline and Tessera one after the other — in alternating order (ABBA),
 * so a steady drift cancels out. Each round gives one ratio; the table shows
 * the median and the range over the rounds. A burst that hits one run spoils one round, not the figure.
 *
 * Settings: BENCH_ROUNDS (default 7, quick 3), BENCH_DURATION / BENCH_WARMUP / BENCH_CONNECTIONS / BENCH_TOKENS /
 * BENCH_SERVER_CORE / BENCH_LOAD_CORE / BENCH_REF as for the suite; BENCH_PAIRED_TOOL `autocannon` (default) or `wrk`;
 * BENCH_PAIRED_ONLY (comma list of words: only scenarios whose name has one, e.g. `forward,profile`);
 * BENCH_PAIRED_METRICS=1: a third server each round, Tessera with `metrics.enabled` (issue 19, on a copy of the same
 * store), loaded in turn with the other two (the order rotates per round), and two more columns: its ratio to the
 * baseline and to Tessera with metrics off, by CPU. A scraper reads its /metrics every second during its runs.
 * BENCH_PAIRED_ANSWER=1 (instead): the third server is node:http answering every request with the bytes Tessera
 * answered to that scenario's request (status, headers, body, recorded once before the rounds; bench/baseline.ts
 * `answer`), started afresh for each scenario — what Tessera's answers cost with none of its work. Its columns: the
 * answer's ratio to the baseline (the cost of the answer's size and headers) and Tessera's to the answer (the cost of
 * Tessera's work), by CPU; their product is Tessera's ratio to the baseline.
 * BENCH_PAIRED_CONFIG: more settings for Tessera's servers, as JSON (e.g. '{"verify_policy":"public"}': verify without
 * authenticating its caller); the results' header names them.
 * Writes bench/results/<date>-<sha>-paired.json and .md.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LoadResult, type LoadSpec, runAutocannon, runWrk, wrkAvailable } from './lib/load.js';
import { readOptions } from './lib/options.js';
import { type Child, gitDirty, gitSha, ROOT, useTree } from './lib/proc.js';
import { cpuUsPerRequest } from './lib/report.js';
import { startReference } from './lib/reference.js';
import { snapshotTree } from './lib/snapshot.js';
import { fmtRatio, markdownTable, textTable } from './lib/table.js';
import { prepareTokens, startTessera } from './lib/tessera.js';
import { malformedValues, unknownValues, writeLines } from './lib/tokens.js';
import { median } from './lib/stats.js';

const o = readOptions({ ...process.env, BENCH_ONLY: '' }); // BENCH_ONLY=paired is how run.ts got here
const rounds = Number(process.env.BENCH_ROUNDS ?? (o.quick ? 3 : 7));
if (!Number.isInteger(rounds) || rounds < 1 || rounds > 100) throw new Error(`BENCH_ROUNDS must be an integer in [1, 100], got '${process.env.BENCH_ROUNDS}'`);
const tool = process.env.BENCH_PAIRED_TOOL ?? 'autocannon';
if (tool !== 'autocannon' && tool !== 'wrk') throw new Error(`BENCH_PAIRED_TOOL must be autocannon or wrk, got '${tool}'`);
if (tool === 'wrk' && !wrkAvailable()) throw new Error('BENCH_PAIRED_TOOL=wrk, but wrk is not on PATH (apt-get install wrk)');

const T0 = performance.now();
const log = (s: string): void => { process.stderr.write(`[paired ${((performance.now() - T0) / 1000).toFixed(0).padStart(4)} s] ${s}\n`); };
const tmp = mkdtempSync(join(tmpdir(), 'tessera-paired-'));
const snap = o.ref ? snapshotTree(o.ref, join(tmp, 'tree')) : null;
if (snap) useTree(snap.root);
const live = new Set<Child>();
const stop = async (c: Child): Promise<void> => { await c.stop(5_000); live.delete(c); };

interface Side { url: string; pid: number }
interface Pair {
  name: string; method: 'GET' | 'POST'; path: string; headers: Record<string, string>; into: 'body' | 'bearer'; extra?: string;
  order: 'random' | 'sequential';
  /** Token files for Tessera's run and for the baseline's (called once per run: unknown values stay fresh). */
  tessera: () => string; baseline: () => string;
}
/** A 3-name query: `tessera:read` and (`tessera:write` or `tessera:full`); a write token passes it. */
const QUERY = ',"permissions":{"and":["tessera:read",{"or":["tessera:write","tessera:full"]}]}';
type SideName = 'baseline' | 'tessera' | 'metrics' | 'answer';
interface Round { round: number; first: SideName; baseline: LoadResult; tessera: LoadResult; metrics?: LoadResult; answer?: LoadResult }
const withMetrics = process.env.BENCH_PAIRED_METRICS === '1';
const withAnswer = process.env.BENCH_PAIRED_ANSWER === '1';
if (withMetrics && withAnswer) throw new Error('BENCH_PAIRED_METRICS and BENCH_PAIRED_ANSWER each add a third server: set one');
const SCRAPE_TOKEN = 'bench-scrape-secret-0123456789';
/** BENCH_PAIRED_CONFIG: more settings for Tessera's servers, as JSON (e.g. '{"verify_policy":"public"}'). */
const extraConfig = JSON.parse(process.env.BENCH_PAIRED_CONFIG ?? '{}') as Record<string, unknown>;

const load = (side: Side, p: Pair, file: string): Promise<LoadResult> => {
  const spec: LoadSpec = {
    scenario: p.name, url: side.url, method: p.method, path: p.path, headers: p.headers, draw: { file, order: p.order, into: p.into, ...(p.extra ? { extra: p.extra } : {}) },
    connections: o.connections, durationSec: o.durationSec, warmupSec: o.warmupSec, serverPid: side.pid,
  };
  return tool === 'wrk' ? runWrk({ ...spec, warmupSec: 0 }, o.loadCore) : runAutocannon(spec, o.loadCore, tmp);
};

const startBaseline = async (): Promise<Side & { child: Child }> => {
  const b = await startReference(['constant'], o.serverCore, { onStart: (c) => live.add(c) });
  return { ...b, pid: b.child.pid };
};

type Run = () => Promise<LoadResult>;
/** Three servers loaded in turn, the order rotated each round (baseline, Tessera, third → Tessera, third, baseline → …). */
const inTurn = async (r: number, base: Run, tess: Run, third: 'metrics' | 'answer', other: Run): Promise<Round> => {
  const sides = [['baseline', base], ['tessera', tess], [third, other]] as const;
  const k = (r - 1) % 3;
  const order = [...sides.slice(k), ...sides.slice(0, k)];
  const got: Partial<Record<SideName, LoadResult>> = {};
  for (const [side, run] of order) got[side] = await run();
  return { round: r, first: order[0]![0], baseline: got.baseline!, tessera: got.tessera!, [third]: got[third]! };
};


/** Per round: Tessera's figure against the baseline's of the same round (CPU and req/s: higher is better; p99: lower). */
const ratiosOf = (r: Round): { cpu: number | null; rps: number; p99: number } => {
  const cb = cpuUsPerRequest(r.baseline);
  const ct = cpuUsPerRequest(r.tessera);
  return { cpu: cb !== null && ct !== null ? cb / ct : null, rps: r.tessera.rps / r.baseline.rps, p99: r.tessera.latency.p99 / r.baseline.latency.p99 };
};

/** CPU ratio targets: ≥ 0.8 for every scenario, and issue 18's ≥ 0.9 for a valid token's verification. */
const cpuTarget = (name: string): number => (name === 'verify valid' ? 0.9 : 0.8);

const summary = (results: Map<string, Round[]>): { head: string[]; rows: string[][] } => {
  const span = (xs: number[]): string => `${fmtRatio(median(xs))} (${fmtRatio(Math.min(...xs))}–${fmtRatio(Math.max(...xs))})`;
  const rows = [...results].map(([name, rs]) => {
    const q = rs.map(ratiosOf);
    const cpu = q.map((x) => x.cpu).filter((x): x is number => x !== null);
    const us = (f: (r: Round) => LoadResult): string => median(rs.map((r) => cpuUsPerRequest(f(r)) ?? NaN)).toFixed(1);
    const valid = name.endsWith('valid');
    const target = cpuTarget(name);
    const cpuMet = cpu.length ? median(cpu) >= target : false;
    const met = cpuMet && (!valid || median(q.map((x) => x.p99)) <= 1.5);
    const row = [name, String(rs.length), us((r) => r.baseline), us((r) => r.tessera), cpu.length ? span(cpu) : '–', span(q.map((x) => x.rps)),
      span(q.map((x) => x.p99)), `≥ ${target.toFixed(2)} by CPU${valid ? ', p99 ≤ 1.50' : ''}`, met ? 'yes' : 'NO'];
    if (withAnswer) {
      // The answer alone: × base by CPU (its size and headers), and Tessera × the answer (Tessera's own work).
      const x = rs.map((r) => ({ b: cpuUsPerRequest(r.baseline), t: cpuUsPerRequest(r.tessera), a: cpuUsPerRequest(r.answer!) }));
      const aBase = x.filter((v) => v.b !== null && v.a !== null).map((v) => v.b! / v.a!);
      const tAns = x.filter((v) => v.t !== null && v.a !== null).map((v) => v.a! / v.t!);
      row.push(us((r) => r.answer!), aBase.length ? span(aBase) : '–', tAns.length ? span(tAns) : '–');
    }
    if (withMetrics) {
      // Metrics on: × base by CPU (as above), and on ÷ off (1.00: metrics cost nothing measurable).
      const on = rs.map((r) => ({ b: cpuUsPerRequest(r.baseline), off: cpuUsPerRequest(r.tessera), on: cpuUsPerRequest(r.metrics!) }));
      const vsBase = on.filter((x) => x.b !== null && x.on !== null).map((x) => x.b! / x.on!);
      const vsOff = on.filter((x) => x.off !== null && x.on !== null).map((x) => x.off! / x.on!);
      row.push(us((r) => r.metrics!), vsBase.length ? span(vsBase) : '–', vsOff.length ? span(vsOff) : '–');
    }
    return row;
  });
  const head = ['scenario', 'rounds', 'base CPU µs/req', 'Tessera CPU µs/req', '× base by CPU, median (range)', '× base req/s', '× base p99', 'target', 'met'];
  if (withMetrics) head.push('metrics on CPU µs/req', 'metrics on × base by CPU', 'metrics on × off by CPU');
  if (withAnswer) head.push('answer CPU µs/req', 'answer × base by CPU', 'Tessera × answer by CPU');
  return { head, rows };
};

const main = async (): Promise<void> => {
  log(`${snap ? `commit ${snap.commit}` : 'the work tree'}; ${rounds} rounds × ${o.durationSec} s (+${o.warmupSec} s warm-up) per run, ${tool}, ${o.connections} connections; tmp ${tmp}`);
  // The store is prepared once; every round then starts both servers afresh (below).
  const dataDir = join(tmp, 'store');
  // BENCH_PAIRED_ONLY: a comma list of words; only the scenarios whose name contains one of them run. Without a
  // profile scenario (and without BENCH_PAIRED_CONFIG) no config file is given (so BENCH_REF can name a commit from
  // before profiles).
  const only = (process.env.BENCH_PAIRED_ONLY ?? '').split(',').map((w) => w.trim()).filter(Boolean);
  const chosen = (name: string): boolean => only.length === 0 || only.some((w) => name.includes(w));
  const withProfiles = ['profile standard valid', 'profile nginx valid', 'profile nginx malformed'].some(chosen);
  // Forward-auth profiles (issue 19), one per status mode, reading the Bearer token as /api/v1/auth/forward does.
  const profiles = withProfiles ? { forward_auth: { profiles: {
    std: { sources: ['bearer', 'token_header', 'headers'], mode: 'standard' },
    ngx: { sources: ['bearer', 'token_header', 'headers'], mode: 'nginx' },
  } } } : {};
  const configFile = join(tmp, 'tessera.json');
  writeFileSync(configFile, JSON.stringify({ ...profiles, ...extraConfig }));
  const withConfig = withProfiles || Object.keys(extraConfig).length > 0;
  const start = (): ReturnType<typeof startTessera> => startTessera({ dataDir, core: o.serverCore, ...(withConfig ? { configFile } : {}) });
  // Metrics on (BENCH_PAIRED_METRICS=1): the same profiles, its own copy of the store (two processes writing one SQLite
  // file would each distrust their secret filter).
  const metricsDir = join(tmp, 'store-metrics');
  const metricsConfig = join(tmp, 'metrics.json');
  writeFileSync(metricsConfig, JSON.stringify({ ...profiles, ...extraConfig, metrics: { enabled: true, token: SCRAPE_TOKEN } }));
  const startMetrics = (): ReturnType<typeof startTessera> => startTessera({ dataDir: metricsDir, core: o.serverCore, configFile: metricsConfig });
  const first = await start();
  live.add(first.child);
  const { caller, values } = await prepareTokens(first.url, o.tokens);
  if (withMetrics) cpSync(dataDir, metricsDir, { recursive: true });
  const valid = writeLines(join(tmp, 'valid.txt'), values);
  const same = writeLines(join(tmp, 'baseline.txt'), unknownValues(o.tokens));
  const malformed = writeLines(join(tmp, 'malformed.txt'), malformedValues(1000));
  let pools = 0;
  const fresh = (): string => writeLines(join(tmp, `unknown-${pools++}.txt`), unknownValues(Math.ceil(60_000 * (o.durationSec + o.warmupSec))));
  const verify = { method: 'POST' as const, path: '/api/v1/verify', headers: { authorization: `Bearer ${caller}`, 'content-type': 'application/json' }, into: 'body' as const };
  const forward = { method: 'GET' as const, path: '/api/v1/auth/forward', headers: {}, into: 'bearer' as const };
  const profile = (name: string) => ({ ...forward, path: `/api/v1/auth/forward/${name}` });
  const all: Pair[] = [
    { name: 'verify valid', ...verify, order: 'random', tessera: () => valid, baseline: () => same },
    // Issue 14: the same tokens with a 3-name permission query (all granted by their access level). Not on commits
    // from before permissions (BENCH_REF) unless BENCH_PAIRED_ONLY asks for it by a word with `query`, nor with wrk
    // (its script draws only the token).
    ...((snap && !only.some((w) => w.includes('query'))) || tool === 'wrk' ? [] : [{ name: 'verify valid+query', ...verify, extra: QUERY, order: 'random' as const, tessera: () => valid, baseline: () => same }]),
    { name: 'forward valid', ...forward, order: 'random', tessera: () => valid, baseline: () => same },
    { name: 'verify malformed', ...verify, order: 'random', tessera: () => malformed, baseline: () => malformed },
    { name: 'forward malformed', ...forward, order: 'random', tessera: () => malformed, baseline: () => malformed },
    { name: 'verify unknown', ...verify, order: 'sequential', tessera: fresh, baseline: () => same },
    { name: 'forward unknown', ...forward, order: 'sequential', tessera: fresh, baseline: () => same },
    { name: 'profile standard valid', ...profile('std'), order: 'random', tessera: () => valid, baseline: () => same },
    { name: 'profile nginx valid', ...profile('ngx'), order: 'random', tessera: () => valid, baseline: () => same },
    { name: 'profile nginx malformed', ...profile('ngx'), order: 'random', tessera: () => malformed, baseline: () => malformed },
  ];
  const pairs = all.filter((p) => chosen(p.name));
  // BENCH_PAIRED_ANSWER: each scenario's answer, as Tessera gives it to one of the scenario's requests (a token drawn
  // already, so a first sighting: its answer's bytes are those of a cached token's).
  const answers = new Map<string, string>();
  if (withAnswer) {
    for (const p of pairs) {
      const value = readFileSync(p.tessera(), 'utf8').split('\n')[0]!;
      const r = await fetch(`${first.url}${p.path}`, {
        method: p.method,
        headers: { ...p.headers, ...(p.into === 'bearer' ? { authorization: `Bearer ${value}` } : {}) },
        ...(p.into === 'body' ? { body: `{"token":${JSON.stringify(value)}${p.extra ?? ''}}` } : {}),
      });
      const headers: Record<string, string> = {};
      r.headers.forEach((v, k) => { if (k !== 'date' && k !== 'connection' && k !== 'keep-alive') headers[k] = v; });
      const file = join(tmp, `answer-${answers.size}.json`);
      writeFileSync(file, JSON.stringify({ status: r.status, headers, body: await r.text() }));
      answers.set(p.name, file);
    }
  }
  await stop(first.child);
  const results = new Map<string, Round[]>(pairs.map((p) => [p.name, []]));
  for (let r = 1; r <= rounds; r++) {
    // New processes each round: on these VMs one process of the same code can run ~1.6× slower than another for its
    // whole life (seen with Tessera and the baseline alike, bench/README.md), so a run with one process per server
    // would measure the luck of two start-ups. Per round, the median then samples processes as well as moments.
    const b = await startBaseline();
    const t = await start();
    live.add(t.child);
    const m = withMetrics ? await startMetrics() : null;
    if (m) live.add(m.child);
    const base: Side = b;
    const tess: Side = { url: t.url, pid: t.child.pid };
    for (const p of pairs) {
      const runBase = (): Promise<LoadResult> => load(base, p, p.baseline());
      const runTess = (): Promise<LoadResult> => load(tess, p, p.tessera());
      let round: Round;
      if (withAnswer) {
        // The answering server lives for this scenario's run only.
        const runAnswer = async (): Promise<LoadResult> => {
          const a = await startReference(['answer', answers.get(p.name)!], o.serverCore, { onStart: (c) => live.add(c) });
          try { return await load({ url: a.url, pid: a.child.pid }, p, p.tessera()); } finally { await stop(a.child); }
        };
        round = await inTurn(r, runBase, runTess, 'answer', runAnswer);
      } else if (m === null) {
        const first = r % 2 === 1 ? 'baseline' : 'tessera';
        const a = await (first === 'baseline' ? runBase() : runTess());
        const b = await (first === 'baseline' ? runTess() : runBase());
        round = first === 'baseline' ? { round: r, first, baseline: a, tessera: b } : { round: r, first, baseline: b, tessera: a };
      } else {
        const runOn = async (): Promise<LoadResult> => {
          const scraper = setInterval(() => { void fetch(`${m.url}/metrics`, { headers: { authorization: `Bearer ${SCRAPE_TOKEN}` } }).then((x) => x.text()).catch(() => undefined); }, 1000);
          try { return await load({ url: m.url, pid: m.child.pid }, p, p.tessera()); } finally { clearInterval(scraper); }
        };
        round = await inTurn(r, runBase, runTess, 'metrics', runOn);
      }
      const third = round.metrics ?? round.answer;
      const bad = round.tessera.errors + round.tessera.timeouts + round.baseline.errors + round.baseline.timeouts + (third ? third.errors + third.timeouts : 0);
      if (bad > 0) throw new Error(`${p.name}, round ${r}: ${bad} errors or timeouts`);
      results.get(p.name)!.push(round);
      const q = ratiosOf(round);
      log(`round ${r}/${rounds} ${p.name.padEnd(18)} base ${Math.round(round.baseline.rps)} req/s ${cpuUsPerRequest(round.baseline)?.toFixed(1)} µs, `
        + `tessera ${Math.round(round.tessera.rps)} req/s ${cpuUsPerRequest(round.tessera)?.toFixed(1)} µs → ×${fmtRatio(q.cpu)} by CPU, ×${fmtRatio(q.rps)} req/s, p99 ×${fmtRatio(q.p99)}`
        + (round.metrics ? `; metrics on ${Math.round(round.metrics.rps)} req/s ${cpuUsPerRequest(round.metrics)?.toFixed(1)} µs` : '')
        + (round.answer ? `; answer ${Math.round(round.answer.rps)} req/s ${cpuUsPerRequest(round.answer)?.toFixed(1)} µs` : ''));
    }
    await stop(b.child);
    await stop(t.child);
    if (m) await stop(m.child);
  }
  const s = summary(results);
  const commit = snap?.commit ?? gitSha();
  const dirty = snap ? false : gitDirty();
  const header = `Tessera paired rounds, ${new Date().toISOString()}, commit ${commit}${dirty ? ' (+ uncommitted changes)' : ''}, node ${process.version}; `
    + `${rounds} rounds, ${o.durationSec} s per run, ${tool}, ${o.connections} connections, load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`
    + (Object.keys(extraConfig).length > 0 ? `; Tessera configured with ${JSON.stringify(extraConfig)}` : '');
  const dir = join(ROOT, 'bench/results');
  mkdirSync(dir, { recursive: true });
  let name = `${new Date().toISOString().slice(0, 10)}-${commit}${dirty ? '-dirty' : ''}-paired`;
  for (let i = 2; existsSync(join(dir, `${name}.json`)); i++) name = name.replace(/-paired(-\d+)?$/, `-paired-${i}`);
  writeFileSync(join(dir, `${name}.json`), JSON.stringify({ header, rounds, tool, options: { ...o, sections: [...o.sections] }, results: Object.fromEntries(results) }, null, 2));
  writeFileSync(join(dir, `${name}.md`), `${header}\n\n${markdownTable(s.head, s.rows)}\n`);
  process.stdout.write(`\n${header}\n\n${textTable(s.head, s.rows)}\n\nresults: bench/results/${name}.json (and .md)\n`);
};

try {
  await main();
} catch (e) {
  log(`FAILED: ${(e as Error).stack ?? String(e)}`);
  process.exitCode = 1;
} finally {
  for (const c of live) await c.stop(5_000).catch(() => undefined);
  if (!o.keep) rmSync(tmp, { recursive: true, force: true });
}
