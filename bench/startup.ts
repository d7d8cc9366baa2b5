/**
 * Start-up cost, compiled against tsx (issue 15), in one run: `node dist/cli/index.js serve` (what `npm start` and the
 * installed package run) and `node --import tsx src/cli/index.ts serve` (development and tests), in alternating order
 * over several rounds, on one already migrated SQLite data directory (a restart, not a first start). For each start:
 * wall time from spawn to the first `/readyz` 200, the server's CPU time (user + system) by then, and its resident
 * memory then (VmRSS) and at its peak (VmHWM). Then the same for a CLI call that needs no server (`--version`).
 *
 * Builds dist/ first (`node scripts/build.mjs server`), so both sides run the same sources. Usage:
 *   node --import tsx bench/startup.ts            # 7 rounds (BENCH_ROUNDS)
 * Prints a table, writes bench/results/<date>-<sha>-startup.{json,md}.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fmtInt, markdownTable, textTable } from './lib/table.js';
import { cpuSeconds, freePort, gitDirty, gitSha, memoryKiB, ROOT, startChild, tasksetAvailable } from './lib/proc.js';
import { ADMIN_PASSWORD, waitReady } from './lib/tessera.js';
import { median } from './lib/stats.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const CORE = process.env.BENCH_SERVER_CORE ?? '0';

interface Variant { name: string; args: (cmd: string[]) => string[] }
const VARIANTS: Variant[] = [
  { name: 'compiled (node dist/)', args: (cmd) => [join(ROOT, 'dist/cli/index.js'), ...cmd] },
  { name: 'tsx (node --import tsx src/)', args: (cmd) => ['--import', 'tsx', join(ROOT, 'src/cli/index.ts'), ...cmd] },
];

interface Start { wallMs: number; cpuMs: number; rssKiB: number; hwmKiB: number }
interface Call { wallMs: number }

const build = spawnSync(process.execPath, [join(ROOT, 'scripts/build.mjs'), 'server'], { cwd: ROOT, stdio: 'inherit' });
if (build.status !== 0) throw new Error('the build failed');

const tmp = mkdtempSync(join(tmpdir(), 'tessera-startup-'));
const dataDir = join(tmp, 'data');
const env = (port: number): NodeJS.ProcessEnv => {
  const e: NodeJS.ProcessEnv = { ...process.env, TESSERA_DATA_DIR: dataDir, TESSERA_ADMIN_PASSWORD: ADMIN_PASSWORD, TESSERA_LOG_LEVEL: 'warn',
    TESSERA_PORT: String(port), TESSERA_HOST: '127.0.0.1' };
  delete e.TESSERA_CONFIG;
  delete e.NODE_OPTIONS;
  return e;
};

const startOnce = async (v: Variant): Promise<Start> => {
  const port = await freePort();
  const child = startChild(process.execPath, v.args(['serve']), { core: CORE, env: env(port), cwd: ROOT, logFile: join(tmp, 'server.log') });
  try {
    const readyAt = await waitReady(`http://127.0.0.1:${port}`, child, 60_000);
    const cpu = cpuSeconds(child.pid);
    const mem = memoryKiB(child.pid);
    return { wallMs: readyAt - child.spawnedAt, cpuMs: (cpu ?? NaN) * 1000, rssKiB: mem?.rss ?? NaN, hwmKiB: mem?.hwm ?? NaN };
  } finally {
    const code = await child.stop();
    if (code !== 0) throw new Error(`${v.name}: exit ${code} on SIGTERM:\n${child.output()}`);
  }
};

const callOnce = async (v: Variant): Promise<Call> => {
  const child = startChild(process.execPath, v.args(['--version']), { core: CORE, env: env(0), cwd: ROOT });
  const code = await child.wait(60_000);
  if (code !== 0) throw new Error(`${v.name} --version: exit ${code}:\n${child.output()}`);
  return { wallMs: performance.now() - child.spawnedAt };
};

const range = (xs: number[]): string => `${fmtInt(Math.min(...xs))}–${fmtInt(Math.max(...xs))}`;

try {
  // The first start creates the data directory, migrates and creates the admin (argon2): done once, not measured.
  // (Children run in ROOT: `--import tsx` is resolved from the working directory.)
  await startOnce(VARIANTS[0]!);
  const starts = new Map<string, Start[]>(VARIANTS.map((v) => [v.name, []]));
  const calls = new Map<string, Call[]>(VARIANTS.map((v) => [v.name, []]));
  for (let r = 0; r < ROUNDS; r++) {
    const order = r % 2 === 0 ? VARIANTS : [...VARIANTS].reverse();
    for (const v of order) starts.get(v.name)!.push(await startOnce(v));
    for (const v of order) calls.get(v.name)!.push(await callOnce(v));
    process.stdout.write(`round ${r + 1}/${ROUNDS} done\n`);
  }

  const head = ['variant', 'to /readyz ms (median, range)', 'CPU ms by then', 'RSS MiB at ready', 'peak RSS MiB', '`--version` ms'];
  const rows = VARIANTS.map((v) => {
    const s = starts.get(v.name)!;
    const c = calls.get(v.name)!;
    const mib = (k: number): number => k / 1024;
    return [v.name,
      `${fmtInt(median(s.map((x) => x.wallMs)))} (${range(s.map((x) => x.wallMs))})`,
      `${fmtInt(median(s.map((x) => x.cpuMs)))} (${range(s.map((x) => x.cpuMs))})`,
      `${fmtInt(median(s.map((x) => mib(x.rssKiB))))} (${range(s.map((x) => mib(x.rssKiB)))})`,
      `${fmtInt(median(s.map((x) => mib(x.hwmKiB))))}`,
      `${fmtInt(median(c.map((x) => x.wallMs)))} (${range(c.map((x) => x.wallMs))})`];
  });
  const align: ('l' | 'r')[] = ['l', 'r', 'r', 'r', 'r', 'r'];
  const when = new Date().toISOString();
  const sha = gitSha() + (gitDirty() ? '+dirty' : '');
  const note = `${ROUNDS} rounds, ${when.slice(0, 16).replace('T', ' ')} UTC, commit ${sha}, ${tasksetAvailable() ? `pinned to core ${CORE}` : 'unpinned (no taskset)'}, node ${process.version}`;
  console.log(`\n${note}\n${textTable(head, rows, align)}`);
  const out = join(ROOT, 'bench', 'results');
  mkdirSync(out, { recursive: true });
  const base = join(out, `${when.slice(0, 10)}-${sha}-startup`);
  writeFileSync(`${base}.json`, JSON.stringify({ when, sha, rounds: ROUNDS, starts: Object.fromEntries(starts), calls: Object.fromEntries(calls) }, null, 2));
  writeFileSync(`${base}.md`, `${note}\n\n${markdownTable(head, rows, align)}\n`);
  console.log(`wrote ${base}.json and .md`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
