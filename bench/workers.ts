/**
 * `tessera serve --workers N` (issue 18) on this machine: throughput with 1 and 2 workers, and how long a revocation
 * made through one worker takes to stop the token on the other.
 *
 *   node --import tsx bench/workers.ts                      (BENCH_DURATION=10 s per run, BENCH_ROUNDS=3)
 *   BENCH_DURATION=5 BENCH_ROUNDS=1 BENCH_REVOCATIONS=100 node --import tsx bench/workers.ts     (a quick check)
 *   BENCH_WORKERS_STORE=postgres …                          (the same on PostgreSQL; default SQLite)
 *
 * Throughput: forward-auth (GET /api/v1/auth/forward, a valid Bearer token drawn from 1,000) and verify (POST
 * /api/v1/verify with a valid token in the body), loaded by wrk (1 thread, BENCH_CONNECTIONS = 64 keep-alive
 * connections, which the primary deals out to the workers round-robin). The machine has 2 cores, so the load
 * generator cannot be pinned apart from a 2-worker server. The method:
 * - 1 worker: the server (one process) pinned to core 0, wrk pinned to core 1 — the load generator never competes.
 * - 2 workers: the server (primary + workers) on cores 0–1, wrk on core 1 as well.
 * For both, the server's CPU time (the whole process tree, from /proc) and wrk's are measured over the run. Reported:
 * the raw ratio rps(2)/rps(1) (lower than the server could do: wrk takes part of a core from it), and the ratio per
 * server core — rps/server-CPU for each, times the cores each may use (2 and 1) — which is what the 2-worker server
 * does with two cores of its own if it scales with the CPU it gets; it includes everything the cluster costs (the
 * primary's accept and hand-over, IPC). Rounds alternate 1 and 2 workers, and each figure is the median of its rounds.
 *
 * Revocation delay: for each of BENCH_REVOCATIONS tokens (default 200): 8 keep-alive connections (dealt out over both
 * workers) each verify it once (so every worker has it cached; the cache lives 60 s), one connection revokes it, then
 * every connection verifies in a loop until refused; the delay is from the revocation's answer to the last connection's
 * first refusal. Prints p50/p90/p99/max.
 *
 * The machine is shared with other work: figures from a busy machine are noisy, and a busy machine also starves the
 * server of the cores it is given.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Child, cpuSeconds, freePort, ROOT, sleep, startChild, tesseraArgs } from './lib/proc.js';
import { ADMIN_PASSWORD, createToken, login, waitReady } from './lib/tessera.js';
import { pool } from './lib/http.js';
import { freshSchema, type TestSchema } from '../test/services.js';

const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);
const REVOCATIONS = Number(process.env.BENCH_REVOCATIONS ?? 200);
const STORE = process.env.BENCH_WORKERS_STORE === 'postgres' ? 'postgres' : 'sqlite';
const TOKENS = 1000;

/** The pids of a process's children (the workers of a primary). */
const childrenOf = (pid: number): number[] => {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
};
const treeCpu = (pid: number): number => [pid, ...childrenOf(pid)].reduce((s, p) => s + (cpuSeconds(p) ?? 0), 0);

interface Server { child: Child; url: string; workers: number; stop(): Promise<void> }

const startServer = async (workers: number, cores: string, tmp: string, schema: TestSchema | undefined, secretKey: string): Promise<Server> => {
  const port = await freePort();
  const dataDir = join(tmp, 'data'); // one data set for every server (they never run at the same time)
  const env: NodeJS.ProcessEnv = {
    ...process.env, TESSERA_DATA_DIR: dataDir, TESSERA_ADMIN_PASSWORD: ADMIN_PASSWORD, TESSERA_LOG_LEVEL: 'warn',
    TESSERA_PORT: String(port), TESSERA_HOST: '127.0.0.1', TESSERA_MAX_TOKENS_PER_USER: '100000000',
    TESSERA_WORKERS: String(workers), TESSERA_SECRET_KEY: secretKey,
    ...(schema ? { TESSERA_DATABASE_URL: schema.url(`bench-workers-${workers}`) } : {}),
  };
  delete env.TESSERA_CONFIG;
  const child = startChild(process.execPath, tesseraArgs().concat('serve'),
    { core: cores, env, logFile: join(tmp, `server-${workers}.log`) });
  const url = `http://127.0.0.1:${port}`;
  await waitReady(url, child, 180_000);
  // /readyz answers once the first worker listens; wait for every worker process, then for a moment more.
  if (workers > 1) {
    const deadline = performance.now() + 120_000;
    while (childrenOf(child.pid).length < workers && performance.now() < deadline) await sleep(50);
    await sleep(3000);
  }
  return { child, url, workers, async stop() { await child.stop(30_000); } };
};

interface Run { rps: number; serverCpu: number; loaderCpu: number; non2xx: number; errors: number }

/** One wrk run pinned to `core`; CPU of the server tree and of wrk measured over it. */
const wrk = async (s: Server, core: string, scenario: { method: string; path: string; into: 'bearer' | 'body'; headers: Record<string, string> }, tokensFile: string, seconds: number): Promise<Run> => {
  const args = ['-t1', `-c${CONNECTIONS}`, `-d${seconds}s`, '--timeout', '10s', '-s', join(ROOT, 'bench/wrk/draw.lua'),
    s.url + scenario.path, '--', scenario.method, scenario.path, scenario.into, tokensFile, 'random', '',
    ...Object.entries(scenario.headers).map(([k, v]) => `${k}: ${v}`)];
  let out = '';
  const cpu0 = treeCpu(s.child.pid);
  const t0 = performance.now();
  const child = startChild('wrk', args, { core, onStdout: (x) => { out += x; } });
  let loader = 0;
  const poll = setInterval(() => { const c = cpuSeconds(child.pid); if (c !== null) loader = c; }, 100);
  const code = await child.wait(seconds * 1000 + 60_000);
  clearInterval(poll);
  const wall = (performance.now() - t0) / 1000;
  const cpu1 = treeCpu(s.child.pid);
  const line = /^WRK_JSON (.*)$/m.exec(out)?.[1];
  if (code !== 0 || !line) throw new Error(`wrk failed (${code}):\n${child.output()}`);
  const w = JSON.parse(line) as { requests: number; duration_us: number; status: number; connect: number; read: number; write: number; timeout: number };
  return {
    rps: w.requests / (w.duration_us / 1e6), serverCpu: (cpu1 - cpu0) / wall, loaderCpu: loader / wall,
    non2xx: w.status, errors: w.connect + w.read + w.write + w.timeout,
  };
};

const median = (xs: number[]): number => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor((s.length - 1) / 2)]!; };
const pct = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

/** A keep-alive connection of its own (one socket), so consecutive requests on it go to the same worker. */
const connection = (base: string) => {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  return {
    get: (path: string, headers: Record<string, string>, method = 'GET'): Promise<number> => new Promise((done, fail) => {
      const r = httpRequest(base + path, { method, agent, headers }, (res) => { res.resume(); res.on('end', () => done(res.statusCode ?? 0)); });
      r.on('error', fail);
      r.end();
    }),
    close: () => agent.destroy(),
  };
};

const revocationDelays = async (s: Server, cookie: string): Promise<{ delays: number[]; early: number }> => {
  const conns = Array.from({ length: 8 }, () => connection(s.url));
  const delays: number[] = [];
  let early = 0;
  try {
    for (let i = 0; i < REVOCATIONS; i++) {
      const t = await createToken(s.url, { cookie }, { access: 'read' });
      const auth = { authorization: `Bearer ${t.token}` };
      const first = await Promise.all(conns.map((c) => c.get('/api/v1/auth/me', auth)));
      if (first.some((x) => x !== 200)) throw new Error(`a fresh token was refused: ${first}`);
      const refusedAt: number[] = [];
      let ackAt = Infinity;
      const loops = conns.slice(1).map(async (c, k) => {
        for (;;) {
          const st = await c.get('/api/v1/auth/me', auth);
          if (st === 401) { refusedAt[k] = performance.now(); return; }
          if (st !== 200) throw new Error(`answered ${st}`);
        }
      });
      const rv = await conns[0]!.get(`/api/v1/tokens/${t.id}`, { cookie }, 'DELETE');
      ackAt = performance.now();
      if (rv !== 200) throw new Error(`revoke answered ${rv}`);
      await Promise.all(loops);
      const d = Math.max(...refusedAt) - ackAt;
      if (d <= 0) early++;
      delays.push(Math.max(0, d));
    }
  } finally {
    for (const c of conns) c.close();
  }
  return { delays: delays.sort((a, b) => a - b), early };
};

const main = async (): Promise<void> => {
  const tmp = mkdtempSync(join(tmpdir(), 'tessera-bench-workers-'));
  const schema = STORE === 'postgres' ? await freshSchema() : undefined;
  const secretKey = 'a'.repeat(64);
  const f = (x: number, d = 0): string => x.toFixed(d);
  try {
    // One data set for every server: the tokens are created once, by the first server started.
    const results: Record<string, Record<1 | 2, Run[]>> = { forward: { 1: [], 2: [] }, verify: { 1: [], 2: [] } };
    let tokensFile = '';
    let caller = '';
    for (let round = 0; round < ROUNDS; round++) {
      for (const workers of (round % 2 === 0 ? [1, 2] : [2, 1]) as (1 | 2)[]) {
        const s = await startServer(workers, workers === 1 ? '0' : '0,1', tmp, schema, secretKey);
        try {
          if (!tokensFile) {
            const cookie = await login(s.url);
            const made = await pool(TOKENS, 16, () => createToken(s.url, { cookie }, { access: 'read' }));
            tokensFile = join(tmp, 'tokens.txt');
            writeFileSync(tokensFile, made.map((t) => t.token).join('\n') + '\n');
            caller = (await createToken(s.url, { cookie }, { access: 'read', name: 'caller' })).token;
          }
          const scenarios = {
            forward: { method: 'GET', path: '/api/v1/auth/forward', into: 'bearer' as const, headers: {} },
            verify: { method: 'POST', path: '/api/v1/verify', into: 'body' as const, headers: { authorization: `Bearer ${caller}`, 'content-type': 'application/json' } },
          };
          for (const [name, sc] of Object.entries(scenarios)) {
            await wrk(s, '1', sc, tokensFile, 2); // warm-up: caches, JIT, every connection dealt out
            const r = await wrk(s, '1', sc, tokensFile, DURATION);
            if (r.non2xx > 0 || r.errors > 0) throw new Error(`${name} with ${workers} workers: ${r.non2xx} non-2xx, ${r.errors} errors`);
            results[name]![workers].push(r);
            console.log(`  round ${round + 1}, ${name}, ${workers} worker(s): ${f(r.rps)} req/s, server CPU ${f(r.serverCpu, 2)} cores, wrk ${f(r.loaderCpu, 2)}`);
          }
        } finally {
          await s.stop();
        }
      }
    }
    console.log(`\nthroughput, ${STORE}, ${ROUNDS} round(s) of ${DURATION} s, wrk -c${CONNECTIONS} (median of rounds)`);
    for (const name of ['forward', 'verify']) {
      const one = results[name]![1];
      const two = results[name]![2];
      const rps1 = median(one.map((r) => r.rps));
      const rps2 = median(two.map((r) => r.rps));
      const per1 = median(one.map((r) => r.rps / Math.max(r.serverCpu, 1e-9)));
      const per2 = median(two.map((r) => r.rps / Math.max(r.serverCpu, 1e-9)));
      console.log(`  ${name.padEnd(8)} 1 worker ${f(rps1)} req/s (server ${f(median(one.map((r) => r.serverCpu)), 2)} cores)   2 workers ${f(rps2)} req/s (server ${f(median(two.map((r) => r.serverCpu)), 2)} cores, wrk ${f(median(two.map((r) => r.loaderCpu)), 2)})`);
      console.log(`           raw ratio ${f(rps2 / rps1, 2)}   per server core: ${f(per1)} vs ${f(per2)} req/CPU-s → ratio with 2 cores of its own ${f((2 * per2) / per1, 2)}`);
    }

    // Revocation delay across workers.
    const s = await startServer(2, '0,1', tmp, schema, secretKey);
    try {
      const cookie = await login(s.url);
      const { delays, early } = await revocationDelays(s, cookie);
      const ms = (v: number): string => `${v.toFixed(1)} ms`;
      console.log(`\nrevocation delay across 2 workers (${STORE === 'sqlite' ? 'IPC relay through the primary' : 'LISTEN/NOTIFY'}), ${delays.length} revocations, 8 connections over both workers`);
      console.log(`  p50 ${ms(pct(delays, 50))}   p90 ${ms(pct(delays, 90))}   p99 ${ms(pct(delays, 99))}   max ${ms(delays[delays.length - 1]!)}   (${early} refused everywhere before the revocation's answer arrived: 0 ms)`);
    } finally {
      await s.stop();
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
    await schema?.drop();
  }
};

await main();
