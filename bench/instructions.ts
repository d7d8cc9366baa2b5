/**
 * Instructions a request, counted by valgrind's callgrind over real HTTP: Tessera's hot routes against the raw
 * node:http baseline (`baseline.ts constant`), each server under callgrind, the load from this process.
 *
 *   node --import tsx bench/instructions.ts [scenarios=verify,forward]     (also verify-query: a 3-name permission query)
 *   BENCH_REF=<commit> node --import tsx bench/instructions.ts verify     (also that commit's Tessera: tree − ref)
 *
 * The paired rounds (bench/run.ts, BENCH_ONLY=paired) measure CPU time, which on these shared machines moves by a
 * third within minutes and by 2× between hosts of one kind; an instruction count does not move with the host's
 * speed: one server's rounds agree to a fraction of a per cent whatever else the machine is doing (a process's JIT
 * state can still differ from one run to the next: bench/README.md). What it does not see: where time goes beyond
 * instructions (cache and branch misses, the kernel's work on the socket — callgrind counts the process's user-space
 * instructions only), and SHA-256 costs more instructions under valgrind, whose CPU has no SHA extensions.
 *
 * Each server starts under `valgrind --tool=callgrind --instr-atstart=no` (nothing counted until asked), is made
 * ready uncounted, then: counted rounds of BENCH_IR_REQUESTS requests (default 3,000; BENCH_IR_CONNECTIONS at a time,
 * default 4, each connection kept alive) until, after at least six, three rounds in a row agree within 1 % (the JIT
 * has settled; at most BENCH_IR_WARMUP rounds, default 24), then BENCH_IR_ROUNDS (default 5) measured rounds; the
 * figure is the mean of those rounds' instructions a request (a late recompilation or a major GC falls in one round
 * of several, and is as much a part of the cost as the rest), all threads of the process (callgrind_control zeroes the
 * counts before a round and dumps them after it). The ratio is the baseline's count ÷ Tessera's, as the paired
 * rounds' "× base": 1.0 is the same work a request, 0.5 twice as much.
 *
 * Work done by the clock rather than by requests (timers, V8's timed tasks, the SQLite checkpoint thread's 100 ms
 * tick) would weigh ~50× more a request under callgrind than at full speed: after the measured rounds, an idle round
 * as long as they were counts what each server does with no requests, and that rate × each round's length is taken
 * off ("net"). The raw counts are printed too.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Child, gitDirty, gitSha, hasCommand, ROOT, sleep, useTree } from './lib/proc.js';
import { snapshotTree } from './lib/snapshot.js';
import { pool, request } from './lib/http.js';
import { startReference } from './lib/reference.js';
import { prepareTokens, startTessera } from './lib/tessera.js';
import { median } from './lib/stats.js';

type Scenario = 'verify' | 'verify-query' | 'forward';
const SCENARIOS: readonly Scenario[] = ['verify', 'verify-query', 'forward'];
const scenarios = (process.argv[2] ?? 'verify,forward').split(',').map((s) => s.trim()) as Scenario[];
for (const s of scenarios) if (!SCENARIOS.includes(s)) throw new Error(`unknown scenario ${s} (${SCENARIOS.join(', ')})`);
/** verify-query's permission query, as the paired rounds' `verify valid+query` sends it: three names, all granted. */
const QUERY = { and: ['tessera:read', { or: ['tessera:write', 'tessera:full'] }] };
const REQUESTS = Number(process.env.BENCH_IR_REQUESTS ?? 3000);
const CONNECTIONS = Number(process.env.BENCH_IR_CONNECTIONS ?? 4);
const WARMUP = Number(process.env.BENCH_IR_WARMUP ?? 24);
const MIN_WARMUP = 6;
const ROUNDS = Number(process.env.BENCH_IR_ROUNDS ?? 5);
const TOKENS = 200;
/**
 * Tessera writes use counts on a timer (`usage_flush_ms`, 1 s). Under callgrind a request takes ~50× longer, so
 * work done per second would weigh ~50× more per request than it does at full speed; by default the flush is set
 * past the measured rounds (a flush of the ~200 tokens used costs ~tens of instructions a request at 30,000 requests
 * a second, natively). `BENCH_IR_FLUSH_MS=1000` keeps the default.
 */
const FLUSH_MS = Number(process.env.BENCH_IR_FLUSH_MS ?? 600_000);
/** Extra node flags for both servers (e.g. `--perf-basic-prof`, to name JIT code in the kept dumps). */
const IDLE_FIRST_S = Number(process.env.BENCH_IR_IDLE_FIRST ?? 0);
const NODE_FLAGS = (process.env.BENCH_IR_NODE_FLAGS ?? '').split(' ').filter(Boolean);

if (!hasCommand('valgrind') || !hasCommand('callgrind_control')) {
  throw new Error('valgrind (with callgrind_control) is needed: apt-get install -y valgrind');
}

const tmp = mkdtempSync(join(tmpdir(), 'tessera-ir-'));
const outDir = join(tmp, 'callgrind');
mkdirSync(outDir);

/** valgrind's arguments: nothing counted until `callgrind_control -i on`; one file per dump, all threads in it. */
const wrap = (name: string): string[] => ['valgrind', '--tool=callgrind', '--instr-atstart=no', `--callgrind-out-file=${join(outDir, `${name}.%p`)}`];

const control = (pid: number, ...args: string[]): void => {
  const r = spawnSync('callgrind_control', [...args, String(pid)], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`callgrind_control ${args.join(' ')} ${pid}: ${r.stdout}${r.stderr}`);
};

/** The newest dump of `name`'s server: the instructions of its `summary:` line. */
const lastDump = (name: string, before: Set<string>): number => {
  const files = readdirSync(outDir).filter((f) => f.startsWith(`${name}.`) && !before.has(f) && statSync(join(outDir, f)).size > 0);
  if (files.length !== 1) throw new Error(`expected one new dump of ${name}, found ${files.join(', ') || 'none'}`);
  const text = readFileSync(join(outDir, files[0]!), 'utf8');
  const events = /^events: (.+)$/m.exec(text)?.[1]?.trim().split(/\s+/) ?? [];
  const summary = /^summary: (.+)$/m.exec(text)?.[1]?.trim().split(/\s+/).map(Number) ?? [];
  const ir = summary[events.indexOf('Ir')];
  if (ir === undefined || !Number.isFinite(ir)) throw new Error(`no instruction count in ${files[0]}`);
  return ir;
};

type Send = (i: number) => Promise<void>;

/** One request of a scenario, checked: a wrong answer would make the count meaningless. */
const sender = (url: string, scenario: Scenario, caller: string, values: string[], baseline: boolean): Send => async (i) => {
  const value = values[i % values.length]!;
  const r = scenario === 'forward'
    ? await request(url, 'GET', '/api/v1/auth/forward', { headers: { authorization: `Bearer ${value}` } })
    : await request(url, 'POST', '/api/v1/verify', { headers: { authorization: `Bearer ${caller}` },
      json: scenario === 'verify' ? { token: value } : { token: value, permissions: QUERY } });
  const ok = baseline ? r.status === 200 : scenario === 'forward' ? r.status === 204 : r.status === 200 && r.body.includes('"VALID"');
  if (!ok) throw new Error(`${scenario}: ${r.status} ${r.body.slice(0, 200)}`);
};

/** Runs `count` requests, CONNECTIONS at a time (each connection kept alive by lib/http.ts's agent). */
const load = async (send: Send, count: number): Promise<void> => { await pool(count, CONNECTIONS, send); };

/** One counted round: zero, run `work`, dump; the round's instructions and its length (ms). */
const counted = async (name: string, pid: number, work: () => Promise<void>): Promise<{ ir: number; ms: number }> => {
  const before = new Set(readdirSync(outDir));
  control(pid, '-z');
  const t0 = performance.now();
  await work();
  const ms = performance.now() - t0;
  control(pid, '-d');
  // The dump is written by the server's own thread, soon after the command returns.
  for (let i = 0; ; i++) {
    try {
      return { ir: lastDump(name, before), ms };
    } catch (e) {
      if (i >= 100) throw e;
      await sleep(50);
    }
  }
};

interface Measured { raw: number; net: number; idlePerSecond: number; warmup: number; range: [number, number] }

/** Warm-up rounds until the count is level, the measured rounds, an idle round: the means a request. */
const measure = async (name: string, pid: number, send: Send): Promise<Measured> => {
  control(pid, '-i', 'on');
  // The JIT goes on optimising (and V8 on tiering up) for several rounds after the count first looks level.
  const seen: number[] = [];
  let warmup = 0;
  for (; warmup < WARMUP; warmup++) {
    const { ir } = await counted(name, pid, () => load(send, REQUESTS));
    seen.push(ir / REQUESTS);
    process.stderr.write(`[ir] ${name} warm-up ${warmup + 1}: ${seen.at(-1)!.toFixed(0)} instructions a request\n`);
    const last3 = seen.slice(-3);
    if (warmup + 1 >= MIN_WARMUP && Math.max(...last3) / Math.min(...last3) < 1.01) break;
  }
  const rounds: { ir: number; ms: number }[] = [];
  for (let r = 0; r < ROUNDS; r++) rounds.push(await counted(name, pid, () => load(send, REQUESTS)));
  const ms = median(rounds.map((x) => x.ms));
  const idle = await counted(name, pid, () => sleep(ms));
  const raw = rounds.map((x) => x.ir / REQUESTS);
  const net = rounds.map((x) => (x.ir - (idle.ir * x.ms) / idle.ms) / REQUESTS);
  raw.forEach((x, i) => process.stderr.write(`[ir] ${name} round ${i + 1}/${ROUNDS}: ${x.toFixed(0)} instructions a request (net ${net[i]!.toFixed(0)}), ${rounds[i]!.ms.toFixed(0)} ms\n`));
  // The mean, not the median: a late recompilation or a major GC lands in one round of several, and is as much
  // a part of the cost a request as the rest.
  const mean = (xs: number[]): number => xs.reduce((a, x) => a + x, 0) / xs.length;
  return { raw: mean(raw), net: mean(net), idlePerSecond: (idle.ir * 1000) / idle.ms, warmup: warmup + 1, range: [Math.min(...net), Math.max(...net)] };
};

const children: Child[] = [];
const lines: string[] = [];
try {
  const configFile = join(tmp, 'config.json');
  // BENCH_IR_CONFIG: more settings for Tessera, as JSON (e.g. '{"webhooks":{"poll_ms":600000}}').
  // Idle connections are kept as long as the baseline keeps them (72 s): the idle round after a scenario's rounds
  // lasts as long as one of them (~3–6 s under callgrind), past Tessera's default 5 s, and the next scenario's first
  // request would meet a connection the server was closing.
  writeFileSync(configFile, JSON.stringify({ usage_flush_ms: FLUSH_MS, http: { keep_alive_timeout_ms: 72_000 },
    ...JSON.parse(process.env.BENCH_IR_CONFIG ?? '{}') as object }));
  /** The Tessera servers: the work tree, and BENCH_REF's snapshot when given. */
  const trees: { name: string; root: string }[] = [{ name: `tree (${gitSha()}${gitDirty() ? ', modified' : ''})`, root: ROOT }];
  if (process.env.BENCH_REF) {
    const snap = snapshotTree(process.env.BENCH_REF, join(tmp, 'ref'));
    trees.push({ name: `ref (${snap.commit})`, root: snap.root });
  }
  // One server at a time, measured as soon as it is ready and stopped after: a server left idle for minutes under
  // callgrind (V8's timed GCs flushing unused code, among others) was seen to settle at a fifth more instructions a
  // request than the same build measured at once.
  spawnSync('taskset', ['-apc', '0', String(process.pid)], { stdio: 'ignore' }); // the client off the servers' core
  const results: { scenario: Scenario; side: string; m: Measured }[] = [];
  let sample: { caller: string; values: string[] } | null = null;
  for (const [i, tr] of trees.entries()) {
    useTree(tr.root);
    const dataDir = join(tmp, `data-${i}`);
    mkdirSync(dataDir);
    process.stderr.write(`[ir] starting ${tr.name} under callgrind (slow: ~1 min to be ready)\n`);
    const t = await startTessera({ dataDir, core: '1', wrap: wrap(`tessera${i}`), timeoutMs: 600_000, logFile: join(tmp, `tessera${i}.log`), configFile, nodeFlags: NODE_FLAGS });
    children.push(t.child);
    const { caller, values } = await prepareTokens(t.url, TOKENS);
    sample ??= { caller, values };
    // BENCH_IR_IDLE_FIRST=<s>: the server is left idle that long before its rounds (a long-lived server's state).
    if (IDLE_FIRST_S > 0) { process.stderr.write(`[ir] idle for ${IDLE_FIRST_S} s first\n`); await sleep(IDLE_FIRST_S * 1000); }
    for (const sc of scenarios) results.push({ scenario: sc, side: tr.name, m: await measure(`tessera${i}`, t.child.pid, sender(t.url, sc, caller, values, false)) });
    await t.child.stop();
  }
  useTree(ROOT);
  const base = await startReference(['constant'], '1', { wrap: wrap('base'), timeoutMs: 600_000, onStart: (c) => children.push(c), nodeFlags: NODE_FLAGS });
  // The baseline answers any request alike: it is sent the first server's requests.
  for (const sc of scenarios) results.unshift({ scenario: sc, side: 'node:http', m: await measure('base', base.child.pid, sender(base.url, sc, sample!.caller, sample!.values, true)) });
  lines.push(`instructions a request over HTTP (valgrind callgrind, user space, all threads), node ${process.version}`,
    `${REQUESTS} requests a round, ${CONNECTIONS} connections, mean of ${ROUNDS} rounds after the warm-up; usage_flush_ms ${FLUSH_MS}${NODE_FLAGS.length ? `; node ${NODE_FLAGS.join(' ')}` : ''}`,
    'net: less what the server did in an idle round of the same length (its timers), per request', '');
  for (const sc of scenarios) {
    const rows = results.filter((r) => r.scenario === sc);
    const b = rows[0]!.m;
    for (const r of rows) {
      const ratio = r === rows[0] ? '' : `   × base ${(b.net / r.m.net).toFixed(3)} (raw ${(b.raw / r.m.raw).toFixed(3)})`;
      lines.push(`${sc.padEnd(12)} ${r.side.padEnd(24)} net ${r.m.net.toFixed(0).padStart(7)} (rounds ${r.m.range.map((x) => x.toFixed(0)).join('–')})   raw ${r.m.raw.toFixed(0).padStart(7)}   idle ${(r.m.idlePerSecond / 1e6).toFixed(1)}M/s   warm-up ${r.m.warmup} rounds${ratio}`);
    }
    if (rows.length === 3) lines.push(`${sc.padEnd(12)} tree − ref: ${(rows[1]!.m.net - rows[2]!.m.net).toFixed(0)} instructions a request (net)`);
  }
  const out = `${lines.join('\n')}\n`;
  process.stdout.write(out);
  const dir = join(ROOT, 'bench/results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${new Date().toISOString().slice(0, 10)}-${gitSha()}-instructions.txt`);
  writeFileSync(file, out);
  process.stdout.write(`results: ${file.slice(ROOT.length + 1)}\n`);
} finally {
  for (const c of children) await c.stop();
  // BENCH_IR_KEEP=<dir>: the dumps are kept there, for callgrind_annotate (which functions the instructions went to).
  const keep = process.env.BENCH_IR_KEEP;
  if (keep) { mkdirSync(keep, { recursive: true }); for (const f of readdirSync(outDir)) renameSync(join(outDir, f), join(keep, f)); }
  rmSync(tmp, { recursive: true, force: true });
}
