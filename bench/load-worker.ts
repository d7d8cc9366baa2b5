/**
 * One autocannon run in its own process (started pinned to the load core by lib/load.ts):
 *   node --import tsx bench/load-worker.ts <spec.json> <out.json>
 * Warms up for spec.warmupSec, then measures. Latencies are recorded per response from autocannon's `response`
 * event (fractional ms, every status code) instead of its histogram, which keeps whole milliseconds only.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { cpuSeconds } from './lib/proc.js';
import { type LoadResult, type LoadSpec, latencyOf } from './lib/load.js';

const MAX_SAMPLES = 20_000_000;

const [specFile, outFile] = process.argv.slice(2);
if (!specFile || !outFile) throw new Error('usage: load-worker.ts <spec.json> <out.json>');
const spec = JSON.parse(readFileSync(specFile, 'utf8')) as LoadSpec;

const tokens = spec.draw ? readFileSync(spec.draw.file, 'utf8').split('\n').filter((l) => l.length > 0) : [];
if (spec.draw && tokens.length === 0) throw new Error(`no tokens in ${spec.draw.file}`);
let next = 0;
const pick = (): string => (spec.draw?.order === 'sequential'
  ? tokens[next++ % tokens.length]!
  : tokens[Math.floor(Math.random() * tokens.length)]!);

const request: autocannon.Request = { method: spec.method, path: spec.path, headers: spec.headers };
if (spec.body !== undefined) request.body = spec.body;
if (spec.draw?.into === 'body') {
  const extra = spec.draw.extra ?? '';
  request.setupRequest = (req) => { req.body = `{"token":"${pick()}"${extra}}`; return req; };
} else if (spec.draw?.into === 'bearer') {
  request.setupRequest = (req) => { req.headers = { ...req.headers, authorization: `Bearer ${pick()}` }; return req; };
}

const run = (o: { duration?: number; amount?: number }, onResponse?: (status: number, ms: number) => void): Promise<autocannon.Result> =>
  new Promise((res, rej) => {
    const inst = autocannon({
      url: spec.url, connections: spec.connections, timeout: 10, requests: [request],
      ...(spec.rate ? { overallRate: spec.rate } : {}),
      ...(o.amount ? { amount: o.amount } : { duration: o.duration ?? spec.durationSec }),
    }, (err, r) => (err ? rej(err) : res(r)));
    if (onResponse) inst.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => onResponse(status, ms));
    // A fixed amount is bounded in time too.
    if (o.amount) setTimeout(() => inst.stop(), (spec.boundSec ?? 600) * 1000).unref();
  });

if (spec.warmupSec > 0) await run({ duration: spec.warmupSec });

const lat = new Float64Array(Math.min(MAX_SAMPLES, Math.max(1_000_000, (spec.amount ?? 0) + 1)));
let n = 0;
const status: Record<string, number> = {};
const cpu0 = cpuSeconds(spec.serverPid);
const own0 = process.cpuUsage();
const w0 = Number(process.hrtime.bigint() / 1000n);
const t0 = performance.now();
const r = await run(spec.amount ? { amount: spec.amount } : {}, (s, ms) => {
  if (n < lat.length) lat[n++] = ms;
  status[s] = (status[s] ?? 0) + 1;
});
const wall = (performance.now() - t0) / 1000;
const w1 = Number(process.hrtime.bigint() / 1000n);
const cpu1 = cpuSeconds(spec.serverPid);
const own = process.cpuUsage(own0);

const requests = Object.values(status).reduce((a, b) => a + b, 0);
const result: LoadResult = {
  scenario: spec.scenario, tool: 'autocannon', requests, durationSec: r.duration, rps: requests / r.duration,
  latency: latencyOf(lat.subarray(0, n)), status,
  non2xx: r.non2xx, errors: r.errors, timeouts: r.timeouts,
  serverCpu: cpu0 !== null && cpu1 !== null ? (cpu1 - cpu0) / wall : null,
  loaderCpu: (own.user + own.system) / 1e6 / wall,
  windowUs: [w0, w1],
};
writeFileSync(outFile, JSON.stringify(result));
