/**
 * The SDK's local verifier (sdk/local.ts): cached verifications per second on one core, and how long a revocation
 * takes to reach it. A real Tessera server (SQLite, in this process) and a LocalVerifier subscribed to its
 * invalidation stream; the whole process is pinned to one core with taskset (re-executed under it; unpinned, with a
 * note, when taskset is missing).
 *
 *   node --import tsx bench/sdk.ts
 *   BENCH_SDK_N=5000000 BENCH_SDK_CORE=2 BENCH_SDK_REVOCATIONS=200 node --import tsx bench/sdk.ts
 *
 * Figures: `cached()` (synchronous: SHA-256 of the value, one Map lookup, TTL and expiry check), `await verify()`
 * on a cached token (the same plus a resolved promise), `await verify()` through the server (RemoteVerifier, one
 * request at a time, for scale), and revocation: from the DELETE's answer to the moment the verifier no longer
 * serves the token from its cache (p50/p90/p99/max), and from the DELETE being sent.
 */
import { spawnSync } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { LocalVerifier } from '../sdk/local.js';
import { RemoteVerifier } from '../sdk/verify.js';
import { startHarness } from '../test/helpers.js';

const CORE = process.env.BENCH_SDK_CORE ?? '0';
if (process.env.BENCH_SDK_PINNED === undefined) {
  const has = spawnSync('taskset', ['--version']).status === 0;
  if (has) {
    const r = spawnSync('taskset', ['-c', CORE, process.execPath, ...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit', env: { ...process.env, BENCH_SDK_PINNED: CORE } });
    process.exit(r.status ?? 1);
  }
  console.log('note: taskset not found, running unpinned');
}

const N = Number(process.env.BENCH_SDK_N ?? 2_000_000);
const TOKENS = Number(process.env.BENCH_SDK_TOKENS ?? 1000);
const REVOCATIONS = Number(process.env.BENCH_SDK_REVOCATIONS ?? 100);
const pct = (s: number[], p: number): number => s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

const h = await startHarness({ log_level: 'warn' } as never);
try {
  await h.t.app.listen({ port: 0, host: '127.0.0.1' });
  const baseUrl = `http://127.0.0.1:${(h.t.app.server.address() as AddressInfo).port}`;
  const service = (await h.adminToken({ kind: 'service', access: 'read', name: 'bench-sdk' })).token;
  const tokens: { id: string; token: string }[] = [];
  for (let i = 0; i < TOKENS; i++) tokens.push(await h.adminToken({ access: 'read', name: `bench-${i}` }));
  const v = new LocalVerifier({ baseUrl, credential: service, maxEntries: TOKENS * 2 });
  await v.start();
  if (!v.caching) throw new Error('the local verifier did not subscribe');
  for (const t of tokens) if (!(await v.verify(t.token)).valid) throw new Error('a fresh token was refused');
  const values = tokens.map((t) => t.token);

  console.log(`SDK local verifier, ${TOKENS} cached tokens, pinned to core ${process.env.BENCH_SDK_PINNED ?? '(none)'}, node ${process.version}`);
  // warm-up, then measured
  for (let i = 0; i < 200_000; i++) v.cached(values[i % TOKENS]!);
  let t0 = performance.now();
  let ok = 0;
  for (let i = 0; i < N; i++) if (v.cached(values[i % TOKENS]!) !== undefined) ok++;
  let s = (performance.now() - t0) / 1000;
  if (ok !== N) throw new Error(`only ${ok} of ${N} were cache hits`);
  console.log(`  cached() (sync)          ${fmt(N / s)} verifications/s`);
  t0 = performance.now();
  for (let i = 0; i < N; i++) if (!(await v.verify(values[i % TOKENS]!)).valid) throw new Error('refused');
  s = (performance.now() - t0) / 1000;
  console.log(`  await verify() (cached)  ${fmt(N / s)} verifications/s`);
  const remote = new RemoteVerifier({ baseUrl, credential: service });
  const R = 3000;
  t0 = performance.now();
  for (let i = 0; i < R; i++) await remote.verify(values[i % TOKENS]!);
  s = (performance.now() - t0) / 1000;
  console.log(`  await verify() (remote)  ${fmt(R / s)} verifications/s (one at a time, server on the same core)`);

  const fromAck: number[] = [];
  const fromSend: number[] = [];
  for (const t of tokens.slice(0, REVOCATIONS)) {
    if (v.cached(t.token) === undefined) await v.verify(t.token);
    const sent = performance.now();
    const r = await fetch(`${baseUrl}/api/v1/tokens/${t.id}`, { method: 'DELETE', headers: { cookie: h.adminCookie, origin: baseUrl } });
    const ack = performance.now();
    if (!r.ok) throw new Error(`revoke: ${r.status} ${await r.text()}`);
    while (v.cached(t.token) !== undefined) await new Promise((res) => setImmediate(res));
    const seen = performance.now();
    fromAck.push(Math.max(0, seen - ack));
    fromSend.push(seen - sent);
    if ((await v.verify(t.token)).code !== 'REVOKED') throw new Error('the revoked token was not refused');
  }
  for (const [name, d] of [['after the DELETE answered', fromAck], ['after the DELETE was sent', fromSend]] as const) {
    d.sort((a, b) => a - b);
    console.log(`  revocation seen ${name}: p50 ${pct(d, 50).toFixed(2)} ms  p90 ${pct(d, 90).toFixed(2)} ms  p99 ${pct(d, 99).toFixed(2)} ms  max ${d[d.length - 1]!.toFixed(2)} ms (${d.length} revocations)`);
  }
  v.close();
} finally {
  await h.close();
}
