/**
 * What recording a metric costs on the hot path (issue 19): `node --expose-gc --import tsx bench/micro-metrics.ts [n]`.
 * Times, per operation, and counts the garbage collections during the loop (a loop that allocates nothing triggers
 * none; heap growth alone under-reports, as young-generation collections free the garbage as it goes),
 * what a verification records — a code counter and a latency histogram child (src/infra/metrics.ts) — next to
 * prom-client's own `counter.labels(…).inc()` and `histogram.labels(…).observe()` on pre-made children, for comparison;
 * then the hot lane's whole work for a forward-auth request on two servers in this process, metrics off and on.
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

// The hot lane's whole work for one forward-auth request (no socket, as in micro-verify.ts), on two servers built in
// this process — metrics off and on — timed in alternating blocks so the host's load falls on both alike.
const { EventEmitter } = await import('node:events');
const { mkdtempSync, rmSync } = await import('node:fs');
const { tmpdir } = await import('node:os');
const { join } = await import('node:path');
const { loadConfig } = await import('../src/config/load.js');
const { createTessera } = await import('../src/main.js');
const PASSWORD = 'bench-password-1';
const server = async (metrics: boolean) => {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-micro-metrics-'));
  const t = await createTessera(loadConfig({}, {
    data_dir: dir, log_level: 'silent', admin_password: PASSWORD, password_hash: { memory_kib: 1024, iterations: 1 },
    forward_auth: { profiles: { std: { sources: ['bearer'], mode: 'standard' } } } as never,
    ...(metrics ? { metrics: { enabled: true, token: 'bench-scrape-secret-0123456789', allow: [] } } : {}),
  }));
  await t.services.users.bootstrapAdmin(PASSWORD);
  const login = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'admin', password: PASSWORD } });
  const cookie = `tessera_session=${login.cookies.find((c) => c.name === 'tessera_session')!.value}`;
  const values: string[] = [];
  for (let i = 0; i < 100; i++) values.push((await t.app.inject({ method: 'POST', url: '/api/v1/tokens', headers: { cookie }, payload: { access: 'write' } })).json().token);
  const lane = t.app.hotLane;
  const call = (path: string, value: string): Promise<void> => new Promise((resolve) => {
    const req = Object.assign(new EventEmitter(), { url: path, method: 'GET', headers: { host: 'bench', authorization: `Bearer ${value}` }, socket: {} });
    const res = { writeHead: () => res, end: () => resolve() };
    if (!lane.handle(req as never, res as never)) throw new Error('the lane did not take it');
  });
  return { t, dir, values, call };
};
const servers = { off: await server(false), on: await server(true) };
const laneN = Math.min(n, 200_000);
const block = async (s: Awaited<ReturnType<typeof server>>, path: string): Promise<number> => {
  const c0 = process.cpuUsage();
  for (let i = 0; i < laneN; i++) await s.call(path, s.values[i % 100]!);
  const c = process.cpuUsage(c0);
  return ((c.user + c.system) * 1000) / laneN; // CPU ns per request
};
for (const path of ['/api/v1/auth/forward', '/api/v1/auth/forward/std']) {
  await block(servers.off, path); await block(servers.on, path); // warm-up
  const off: number[] = [];
  const on: number[] = [];
  for (let r = 0; r < 5; r++) {
    if (r % 2 === 0) { off.push(await block(servers.off, path)); on.push(await block(servers.on, path)); }
    else { on.push(await block(servers.on, path)); off.push(await block(servers.off, path)); }
  }
  const med = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
  console.log(`lane GET ${path.padEnd(28)} CPU ns/request, median of 5 blocks of ${laneN}: metrics off ${med(off).toFixed(0)}, on ${med(on).toFixed(0)} (on ÷ off ${(med(on) / med(off)).toFixed(3)}; blocks off ${off.map((x) => x.toFixed(0)).join(' ')}, on ${on.map((x) => x.toFixed(0)).join(' ')})`);
}
for (const s of Object.values(servers)) { await s.t.close(); rmSync(s.dir, { recursive: true, force: true }); }
