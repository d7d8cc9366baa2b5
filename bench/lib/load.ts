/**
 * Load generation. autocannon runs in its own process (bench/load-worker.ts) pinned to the load core, so the loader
 * never shares a core with the server; wrk (when on PATH) runs pinned the same way with bench/wrk/draw.lua.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpuSeconds, hasCommand, nodeTsArgs, ROOT, startChild } from './proc.js';
import { assertLoopback } from './http.js';

/** Where each request's token comes from: one per line in `file`, drawn uniformly at random or each once in order. */
export interface Draw {
  file: string;
  order: 'random' | 'sequential';
  /** `body`: the JSON body `{"token": …}`; `bearer`: the Authorization header. */
  into: 'body' | 'bearer';
  /** With `body`: more members after the token, as JSON text starting with a comma (autocannon only). */
  extra?: string;
}

export interface LoadSpec {
  scenario: string;
  url: string;
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  /** A constant body (when the body is not drawn). */
  body?: string;
  draw?: Draw;
  connections: number;
  durationSec: number;
  /**
   * Requests per second across all connections (autocannon's overallRate): a paced load, so a server that stalls
   * finds requests waiting (with connections to spare), as real callers would, instead of callers that wait for it.
   */
  rate?: number;
  /** Stop after this many requests instead of after `durationSec`. */
  amount?: number;
  /** With `amount`: give up after this many seconds (default 600). */
  boundSec?: number;
  warmupSec: number;
  /** The server's pid, to measure its CPU time over the measured run. */
  serverPid: number;
}

export interface Latency { p50: number; p90: number; p99: number; max: number; mean: number }

export interface LoadResult {
  scenario: string;
  tool: 'autocannon' | 'wrk';
  requests: number;
  durationSec: number;
  rps: number;
  /** Milliseconds. */
  latency: Latency;
  /** Responses by status code (autocannon); wrk reports only how many were not 2xx/3xx. */
  status: Record<string, number>;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** CPU time over wall time during the measured run: 1.0 is one core busy. */
  serverCpu: number | null;
  loaderCpu: number | null;
  /** Monotonic-clock microseconds (the clock of V8's CPU profiles on Linux) at the start and end of the measured run. */
  windowUs?: [number, number];
}

/** Percentiles of latencies (ms) by sorting; fine for the ≤ a few million samples of one run. */
export const latencyOf = (samples: Float64Array): Latency => {
  const n = samples.length;
  if (n === 0) return { p50: NaN, p90: NaN, p99: NaN, max: NaN, mean: NaN };
  const s = samples.slice().sort();
  const at = (q: number): number => s[Math.min(n - 1, Math.max(0, Math.ceil(q * n) - 1))]!;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += s[i]!;
  return { p50: at(0.5), p90: at(0.9), p99: at(0.99), max: s[n - 1]!, mean: sum / n };
};

export const runAutocannon = async (spec: LoadSpec, core: string, tmp: string): Promise<LoadResult> => {
  assertLoopback(spec.url);
  const specFile = join(tmp, `load-${process.pid}-${Date.now()}.json`);
  const outFile = `${specFile}.out`;
  writeFileSync(specFile, JSON.stringify(spec));
  const child = startChild(process.execPath, nodeTsArgs(join(ROOT, 'bench/load-worker.ts')).concat(specFile, outFile), { core });
  const bound = (spec.warmupSec + (spec.amount ? spec.boundSec ?? 600 : spec.durationSec)) * 1000 + 60_000;
  const code = await child.wait(bound).catch(async (e: Error) => { await child.stop(); throw e; });
  if (code !== 0) throw new Error(`load worker failed (${code}) for ${spec.scenario}:\n${child.output()}`);
  return JSON.parse(readFileSync(outFile, 'utf8')) as LoadResult;
};

export const wrkAvailable = (): boolean => hasCommand('wrk');

interface WrkJson {
  requests: number; duration_us: number; connect: number; read: number; write: number; status: number; timeout: number;
  p50_us: number; p90_us: number; p99_us: number; max_us: number; mean_us: number;
}

/** One wrk run (1 thread, the same connections and duration); no warm-up of its own: it follows an autocannon run. */
export const runWrk = async (spec: LoadSpec, core: string): Promise<LoadResult> => {
  assertLoopback(spec.url);
  const d = spec.draw;
  const args = ['-t1', `-c${spec.connections}`, `-d${spec.durationSec}s`, '--timeout', '10s', '-s', join(ROOT, 'bench/wrk/draw.lua'),
    spec.url + spec.path, '--', spec.method, spec.path, d ? d.into : 'none', d ? d.file : '', d ? d.order : 'random', spec.body ?? '',
    ...Object.entries(spec.headers).map(([k, v]) => `${k}: ${v}`)];
  let out = '';
  const cpu0 = cpuSeconds(spec.serverPid);
  const t0 = performance.now();
  const child = startChild('wrk', args, { core, onStdout: (s) => { out += s; } });
  const code = await child.wait(spec.durationSec * 1000 + 60_000).catch(async (e: Error) => { await child.stop(); throw e; });
  const wall = (performance.now() - t0) / 1000;
  const cpu1 = cpuSeconds(spec.serverPid);
  const line = /^WRK_JSON (.*)$/m.exec(out)?.[1];
  if (code !== 0 || !line) throw new Error(`wrk failed (${code}) for ${spec.scenario}:\n${child.output()}`);
  const w = JSON.parse(line) as WrkJson;
  const dur = w.duration_us / 1e6;
  return {
    scenario: spec.scenario, tool: 'wrk', requests: w.requests, durationSec: dur, rps: w.requests / dur,
    latency: { p50: w.p50_us / 1000, p90: w.p90_us / 1000, p99: w.p99_us / 1000, max: w.max_us / 1000, mean: w.mean_us / 1000 },
    status: {}, non2xx: w.status, errors: w.connect + w.read + w.write, timeouts: w.timeout,
    serverCpu: cpu0 !== null && cpu1 !== null ? (cpu1 - cpu0) / wall : null, loaderCpu: null,
  };
};
