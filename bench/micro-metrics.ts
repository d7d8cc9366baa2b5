/**
 * What recording a metric costs on the hot path (issue 19): `node --expose-gc --import tsx bench/micro-metrics.ts [n]`.
 * Times, per operation, and counts the garbage collections during the loop (a loop that allocates nothing triggers
 * none; heap growth alone under-reports, as young-generation collections free the garbage as it goes),
 * what a verification records — a code counter and a latency histogram child (src/infra/metrics.ts) — next to
 * prom-client's own `counter.labels(…).inc()` and `histogram.labels(…).observe()` on pre-made children, for comparison.
 */
import { PerformanceObserver } from 'node:perf_hooks';
import { Counter, Histogram, Registry } from 'prom-client';
import { LATENCY_BUCKETS, promMetrics } from '../src/infra/metrics.js';

const n = Number(process.argv[2] ?? 5_000_000);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');

let gcs = 0;
new PerformanceObserver((l) => { gcs += l.getEntries().length; }).observe({ entryTypes: ['gc'] });
const tick = (): Promise<void> => new Promise((r) => setImmediate(r)); // lets the observer report

const measure = async (name: string, fn: (i: number) => void): Promise<void> => {
  for (let i = 0; i < 100_000; i++) fn(i); // warm-up (and the one-time creation of any series)
  gc(); gc();
  await tick();
  gcs = 0;
  const heap0 = process.memoryUsage().heapUsed;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) fn(i);
  const ns = Number(process.hrtime.bigint() - t0) / n;
  const grown = process.memoryUsage().heapUsed - heap0;
  await tick();
  console.log(`${name.padEnd(56)} ${ns.toFixed(1).padStart(7)} ns/op  ${String(gcs).padStart(5)} GCs in ${n} ops  heap +${(grown / 1024).toFixed(0)} KiB`);
};

const m = promMetrics({ defaultMetrics: false });
const codes = m.verifications('forward', 'hot');
const lane = m.lane('forward');
const hits = m.cacheHit;
const latencies = [0.00004, 0.00012, 0.0003, 0.0009, 0.004];
await measure('tessera: code counter count("VALID")', () => codes.count('VALID'));
await measure('tessera: cache-hit child inc()', () => hits.inc());
await measure('tessera: latency child observe()', (i) => lane.observe(latencies[i % 5]!));
await measure('tessera: a forward-auth request (count + hit + observe)', (i) => { hits.inc(); codes.count('VALID'); lane.observe(latencies[i % 5]!); });

const reg = new Registry();
const pc = new Counter({ name: 'c_total', help: 'c', labelNames: ['face', 'lane', 'code'], registers: [reg] }).labels('forward', 'hot', 'VALID');
const ph = new Histogram({ name: 'h', help: 'h', labelNames: ['route'], buckets: LATENCY_BUCKETS, registers: [reg] }).labels('forward');
await measure('prom-client: counter.labels(…) child inc()', () => pc.inc());
await measure('prom-client: histogram.labels(…) child observe()', (i) => ph.observe(latencies[i % 5]!));
