/**
 * The results of one `npm run bench`: what was measured, the ratios to the baseline, the targets of the issue, and
 * their rendering (console table, Markdown for bench/README.md, JSON in bench/results/).
 */
import type { LoadResult } from './load.js';
import { type Align, fmtInt, fmtMs, fmtPct, fmtRatio, markdownTable, textTable } from './table.js';

/** Which baseline a scenario compares with: the constant server loaded with the same method and the same draw. */
export type BaselineKey = 'GET' | 'POST';

export interface Run {
  scenario: string;
  /** baseline | store-1k | store-1M | ablation | create | reference */
  group: string;
  baseline: BaselineKey;
  result: LoadResult;
  /** Responses that did not have the scenario's expected status. */
  unexpected: number;
  expectedStatus: number;
}

export interface MicroEntry { name: string; ops: number; seconds: number; opsPerSec: number; nsPerOp: number; cpuSeconds?: number; opsPerCpuSec?: number; allRounds?: number; note?: string }

/** `met` judges the measured ratios; `metByCpu` the CPU-normalised ones (what a whole core would do). */
export interface Target { id: string; what: string; threshold: string; measured: string; met: boolean | null; byCpu?: string; metByCpu?: boolean | null }

export interface Report {
  date: string;
  commit: string;
  /** src/ or package.json differ from the commit (others edit the tree while benchmarks run). */
  dirty: boolean;
  node: string;
  machine: { cpus: number; model: string; memGiB: number; loadavgStart: number[]; loadavgEnd: number[]; taskset: boolean; wrk: boolean };
  options: Record<string, unknown>;
  runs: Run[];
  startup: { store: string; tokens: number; ms: number }[];
  memory: { phase: string; tokens: number; rssMiB: number; peakMiB: number }[];
  seed: { count: number; generateSec: number; insertSec: number; rowsPerSec: number; dbBytes: number; wallSec: number } | null;
  creation: { count: number; rps: number; ratioToVerify: number | null; tool: string } | null;
  micro: MicroEntry[];
  targets: Target[];
  durationSec: number;
}

/**
 * The baseline reference of a tool and method: the mean of the runs made at the start and at the end. With
 * `group: 'framework'`, the same for the bare fastify app measured next to it (the framework ceiling).
 */
export const baselineOf = (runs: Run[], tool: string, key: BaselineKey, group: 'baseline' | 'framework' = 'baseline'): { rps: number; p99: number; cpuUs: number | null } | null => {
  const b = runs.filter((r) => r.group === group && r.result.tool === tool && r.baseline === key);
  if (b.length === 0) return null;
  const mean = (f: (r: Run) => number): number => b.reduce((a, r) => a + f(r), 0) / b.length;
  const cpu = b.map((r) => cpuUsPerRequest(r.result));
  return {
    rps: mean((r) => r.result.rps), p99: mean((r) => r.result.latency.p99),
    cpuUs: cpu.every((x) => x !== null) ? (cpu as number[]).reduce((a, x) => a + x, 0) / cpu.length : null,
  };
};

/**
 * Server CPU time per request, in µs. On a shared machine the server rarely gets its whole core, so req/s moves with
 * the neighbours; CPU per request moves far less. 1e6 / this is what one whole core would serve.
 */
export const cpuUsPerRequest = (r: LoadResult): number | null => (r.serverCpu === null || r.rps === 0 ? null : (r.serverCpu * 1e6) / r.rps);

/** `cpuFw`: the bare fastify app's CPU µs/req ÷ this run's (1.0: as cheap as a route that does nothing). */
export const ratios = (runs: Run[], r: Run): { rps: number | null; p99: number | null; cpu: number | null; cpuFw: number | null } => {
  const c = cpuUsPerRequest(r.result);
  const fw = baselineOf(runs, r.result.tool, r.baseline, 'framework');
  const cpuFw = fw?.cpuUs != null && c !== null ? fw.cpuUs / c : null;
  const b = baselineOf(runs, r.result.tool, r.baseline);
  if (!b) return { rps: null, p99: null, cpu: null, cpuFw };
  return { rps: r.result.rps / b.rps, p99: r.result.latency.p99 / b.p99, cpu: b.cpuUs !== null && c !== null ? b.cpuUs / c : null, cpuFw };
};

const HEAD = ['scenario', 'tool', 'req/s', 'p50 ms', 'p99 ms', '× base req/s', '× base p99', 'server CPU', 'CPU µs/req', '× base by CPU', '× fastify by CPU', 'status'];
const ALIGN: Align[] = ['l', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'l'];

const statusText = (r: Run): string => {
  const s = r.result.tool === 'autocannon'
    ? Object.entries(r.result.status).map(([k, v]) => (Object.keys(r.result.status).length === 1 ? k : `${k}:${v}`)).join(' ')
    : r.result.non2xx > 0 ? `non-2xx:${r.result.non2xx}` : '2xx';
  const bad = r.unexpected > 0 ? ` (${r.unexpected} unexpected)` : '';
  const err = r.result.errors + r.result.timeouts > 0 ? ` err:${r.result.errors} to:${r.result.timeouts}` : '';
  return s + bad + err;
};

export const runRows = (runs: Run[]): string[][] => runs.map((r) => {
  const q = ratios(runs, r);
  return [
    `${r.scenario}${r.group === 'baseline' ? '' : ` [${r.group}]`}`, r.result.tool, fmtInt(r.result.rps), fmtMs(r.result.latency.p50),
    fmtMs(r.result.latency.p99), fmtRatio(q.rps), fmtRatio(q.p99), fmtPct(r.result.serverCpu), fmtInt(cpuUsPerRequest(r.result)), fmtRatio(q.cpu),
    fmtRatio(q.cpuFw), statusText(r),
  ];
});

export const renderRuns = (runs: Run[], md = false): string => (md ? markdownTable : textTable)(HEAD, runRows(runs), ALIGN);

export const renderExtras = (rep: Report, md = false): string => {
  const t = md ? markdownTable : textTable;
  const parts: string[] = [];
  const ceiling = frameworkRows(rep.runs);
  if (ceiling.length) {
    parts.push(t(['framework ceiling, CPU µs/req', 'tool', 'node:http', 'bare fastify', 'Tessera', 'fastify × base', 'Tessera × base', 'Tessera × fastify'],
      ceiling, ['l', 'l', 'r', 'r', 'r', 'r', 'r', 'r']));
  }
  if (rep.startup.length) {
    parts.push(t(['start-up: spawn → /readyz 200', 'tokens in store', 'ms'], rep.startup.map((s) => [s.store, fmtInt(s.tokens), fmtInt(s.ms)]), ['l', 'r', 'r']));
  }
  if (rep.memory.length) {
    parts.push(t(['server memory after load', 'tokens in store', 'RSS MiB', 'peak RSS MiB'],
      rep.memory.map((m) => [m.phase, fmtInt(m.tokens), fmtInt(m.rssMiB), fmtInt(m.peakMiB)]), ['l', 'r', 'r', 'r']));
  }
  if (rep.seed) {
    parts.push(t(['bulk seed (direct SQLite)', 'rows', 'generate s', 'insert s', 'rows/s', 'db MiB'],
      [['tokens + token_secrets', fmtInt(rep.seed.count), rep.seed.generateSec.toFixed(1), rep.seed.insertSec.toFixed(1), fmtInt(rep.seed.rowsPerSec), fmtInt(rep.seed.dbBytes / 1048576)]],
      ['l', 'r', 'r', 'r', 'r', 'r']));
  }
  if (rep.creation) {
    parts.push(t(['token creation (POST /api/v1/tokens)', 'tokens', 'tokens/s', 'ratio to verify req/s'],
      [[rep.creation.tool, fmtInt(rep.creation.count), fmtInt(rep.creation.rps), fmtRatio(rep.creation.ratioToVerify)]], ['l', 'r', 'r', 'r']));
  }
  if (rep.micro.length) {
    parts.push(t(['in-process (one core, fastest of 5 rounds)', 'ops/s', 'ns/op', 'ops per CPU-second', 'ops/s, all rounds'],
      rep.micro.map((m) => [m.name, fmtInt(m.opsPerSec), fmtInt(m.nsPerOp), fmtInt(m.opsPerCpuSec), fmtInt(m.allRounds)]), ['l', 'r', 'r', 'r', 'r']));
  }
  if (rep.targets.length) {
    const yes = (m: boolean | null | undefined): string => (m === null || m === undefined ? '–' : m ? 'yes' : 'NO');
    parts.push(t(['target', 'threshold', 'measured', 'met', 'by CPU time', 'met by CPU'],
      rep.targets.map((x) => [x.what, x.threshold, x.measured, x.met === null ? 'report' : yes(x.met), x.byCpu ?? '–', yes(x.metByCpu)]), ['l', 'l', 'l', 'l', 'l', 'l']));
  }
  return parts.join('\n\n');
};

/**
 * How much of the gap to node:http is fastify's and how much Tessera's: for the hot scenarios on the 1k store, the
 * CPU per request of the baseline, of the bare fastify app (both means of start and end) and of Tessera.
 */
const frameworkRows = (runs: Run[]): string[][] => {
  const rows: string[][] = [];
  for (const r of runs.filter((x) => x.group === 'store-1k')) {
    const b = baselineOf(runs, r.result.tool, r.baseline);
    const f = baselineOf(runs, r.result.tool, r.baseline, 'framework');
    const c = cpuUsPerRequest(r.result);
    if (b?.cpuUs == null || f?.cpuUs == null || c === null) continue;
    rows.push([r.scenario, r.result.tool, fmtInt(b.cpuUs), fmtInt(f.cpuUs), fmtInt(c), fmtRatio(b.cpuUs / f.cpuUs), fmtRatio(b.cpuUs / c), fmtRatio(f.cpuUs / c)]);
  }
  return rows;
};

const byCpu = (q: number | null, fw?: number | null): Pick<Target, 'byCpu' | 'metByCpu'> => ({
  byCpu: q === null ? '–' : `${q.toFixed(2)}× req/s${fw == null ? '' : ` (${fw.toFixed(2)}× bare fastify)`}`, metByCpu: q === null ? null : q >= 0.8,
});

/** The issue's targets, evaluated on every tool that ran. */
export const evaluateTargets = (rep: Report): Target[] => {
  const out: Target[] = [];
  const tools = [...new Set(rep.runs.map((r) => r.result.tool))];
  const find = (scenario: string, group: string, tool: string): Run | undefined =>
    rep.runs.find((r) => r.scenario === scenario && r.group === group && r.result.tool === tool);
  for (const tool of tools) {
    for (const s of ['verify valid', 'forward valid']) {
      const r = find(s, 'store-1k', tool);
      if (!r) continue;
      const q = ratios(rep.runs, r);
      if (q.rps === null || q.p99 === null) continue;
      out.push({ id: `${s}/${tool}`, what: `${s} (${tool})`, threshold: '≥ 0.80× req/s, ≤ 1.50× p99',
        measured: `${q.rps.toFixed(2)}× req/s, ${q.p99.toFixed(2)}× p99`, met: q.rps >= 0.8 && q.p99 <= 1.5, ...byCpu(q.cpu, q.cpuFw) });
    }
    for (const s of ['verify malformed', 'verify unknown', 'forward malformed', 'forward unknown']) {
      const r = find(s, 'store-1k', tool);
      if (!r) continue;
      const q = ratios(rep.runs, r);
      if (q.rps === null) continue;
      out.push({ id: `${s}/${tool}`, what: `${s} (${tool})`, threshold: '≥ 0.80× req/s', measured: `${q.rps.toFixed(2)}× req/s`, met: q.rps >= 0.8, ...byCpu(q.cpu, q.cpuFw) });
    }
    for (const s of ['verify valid', 'forward valid']) {
      const small = rep.runs.filter((r) => r.scenario === s && (r.group === 'store-1k' || r.group === 'store-1k repeat') && r.result.tool === tool);
      const big = rep.runs.find((r) => r.scenario === s && r.group === 'store-1M' && r.result.tool === tool);
      if (!small.length || !big) continue;
      const ref = small.reduce((a, r) => a + r.result.rps, 0) / small.length;
      const q = big.result.rps / ref;
      const cpuSmall = small.map((r) => cpuUsPerRequest(r.result));
      const cpuBig = cpuUsPerRequest(big.result);
      const qc = cpuBig !== null && cpuSmall.every((x) => x !== null) ? (cpuSmall as number[]).reduce((a, x) => a + x, 0) / cpuSmall.length / cpuBig : null;
      out.push({ id: `${s}/store/${tool}`, what: `${s}, ${fmtInt(rep.seed?.count ?? 0)}-token store vs 1k (${tool})`, threshold: '≥ 0.90× (within 10 %)',
        measured: `${q.toFixed(2)}× (${fmtInt(big.result.rps)} vs ${fmtInt(ref)} req/s)`, met: q >= 0.9,
        byCpu: qc === null ? '–' : `${qc.toFixed(2)}×`, metByCpu: qc === null ? null : qc >= 0.9 });
    }
  }
  const hit = rep.micro.find((m) => m.name.startsWith('Verifier.verify, valid, cache hit'));
  if (hit) {
    out.push({ id: 'micro', what: 'in-process Verifier.verify, cache hit', threshold: '≥ 500,000 /s', measured: `${fmtInt(hit.opsPerSec)} /s`, met: hit.opsPerSec >= 500_000,
      byCpu: hit.opsPerCpuSec ? `${fmtInt(hit.opsPerCpuSec)} /CPU-s` : '–', metByCpu: hit.opsPerCpuSec ? hit.opsPerCpuSec >= 500_000 : null });
  }
  if (rep.creation) {
    out.push({ id: 'create', what: `creating ${fmtInt(rep.creation.count)} tokens through the API`, threshold: 'report',
      measured: `${fmtInt(rep.creation.rps)} /s (${fmtRatio(rep.creation.ratioToVerify)}× verify)`, met: null });
  }
  for (const s of rep.startup.filter((x) => x.store === 'empty' || x.store.startsWith('bulk'))) {
    out.push({ id: `startup/${s.store}`, what: `start-up to /readyz, ${s.store} store`, threshold: 'report', measured: `${fmtInt(s.ms)} ms`, met: null });
  }
  return out;
};
