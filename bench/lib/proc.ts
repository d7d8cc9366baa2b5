/**
 * Child processes for the benchmarks: pinned to a core with taskset, stopped by their own pid only, and observed
 * through /proc (CPU ticks, resident memory).
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { basename, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (bench/lib/ is two levels down). */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

let tree = ROOT;
/** The tree whose src/ the servers and in-process benchmarks run: the work tree, or a snapshot of a commit. */
export const treeRoot = (): string => tree;
export const useTree = (dir: string): void => { tree = dir; };

export const hasCommand = (cmd: string): boolean => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;

const TASKSET = hasCommand('taskset');
export const tasksetAvailable = (): boolean => TASKSET;

/** The command line that runs `cmd args` on one core (unpinned when taskset is missing). */
export const pinnedCommand = (core: string, cmd: string, args: string[]): [string, string[]] =>
  TASKSET ? ['taskset', ['-c', core, cmd, ...args]] : [cmd, args];

/** Node with tsx, so TypeScript entry points run as they are. */
export const nodeTsArgs = (entry: string, extra: string[] = []): string[] => [...extra, '--import', 'tsx', entry];

/**
 * How the servers under test run (Tessera, and the reference servers of baseline.ts): `dist` (the default) as
 * `npm start` runs Tessera — src/ built by scripts/build.mjs, the reference servers transpiled the same way — or
 * `tsx` (`BENCH_RUNTIME=tsx`), from TypeScript through tsx's loader. tsx compiles with esbuild's keepNames, which adds
 * a naming call for every closure made at run time: a request path that makes closures pays it per request (the hot
 * lane, the baseline's body reader alike), so tsx figures are not what a deployment gets (bench/README.md).
 */
export const RUNTIME: 'dist' | 'tsx' = process.env.BENCH_RUNTIME === 'tsx' ? 'tsx' : 'dist';

const builtTrees = new Set<string>();
/** Node arguments that run Tessera's CLI of the current tree (built once per tree and benchmark process in `dist`). */
export const tesseraArgs = (extra: string[] = []): string[] => {
  const root = treeRoot();
  if (RUNTIME === 'tsx') return nodeTsArgs(resolve(root, 'src/cli/index.ts'), extra);
  if (!builtTrees.has(root)) {
    if (!existsSync(resolve(root, 'scripts/build.mjs'))) throw new Error(`${root} has no scripts/build.mjs: run with BENCH_RUNTIME=tsx`);
    const b = spawnSync(process.execPath, [resolve(root, 'scripts/build.mjs'), 'server'], { cwd: root, encoding: 'utf8' });
    if (b.status !== 0) throw new Error(`build of ${root} failed:\n${b.stdout}${b.stderr}`);
    builtTrees.add(root);
  }
  return [...extra, resolve(root, 'dist/cli/index.js')];
};

const transpiled = new Map<string, string>();
/**
 * Node arguments that run a bench/ script (baseline.ts, lane-worker.ts) as plain JavaScript in `dist`: bundled by
 * esbuild with its relative imports (packages stay imports, resolved from node_modules), without keepNames, into
 * bench/.built/ (beside node_modules' resolution root).
 */
export const scriptArgs = async (file: string, extra: string[] = []): Promise<string[]> => {
  if (RUNTIME === 'tsx') return nodeTsArgs(file, extra);
  let out = transpiled.get(file);
  if (out === undefined) {
    const { build } = await import('esbuild');
    out = resolve(ROOT, 'bench/.built', `${basename(file, '.ts')}.mjs`);
    mkdirSync(dirname(out), { recursive: true });
    await build({ entryPoints: [file], outfile: out, bundle: true, packages: 'external', format: 'esm', platform: 'node', target: 'node20', logLevel: 'error' });
    transpiled.set(file, out);
  }
  return [...extra, out];
};

export const CLK_TCK = ((): number => {
  const r = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
  const n = Number(r.stdout?.trim());
  return Number.isFinite(n) && n > 0 ? n : 100;
})();

/** User + system CPU time of a process, in seconds; null when it is gone. */
export const cpuSeconds = (pid: number): number | null => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) start after the last ')'.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / CLK_TCK;
  } catch {
    return null;
  }
};

/** Resident memory now and at its peak, in KiB, from /proc/<pid>/status. */
export const memoryKiB = (pid: number): { rss: number; hwm: number } | null => {
  try {
    const s = readFileSync(`/proc/${pid}/status`, 'utf8');
    const get = (k: string): number => Number(new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(s)?.[1] ?? NaN);
    return { rss: get('VmRSS'), hwm: get('VmHWM') };
  } catch {
    return null;
  }
};

/** A TCP port free on 127.0.0.1 right now (the usual small race is acceptable for a benchmark). */
export const freePort = (): Promise<number> => new Promise((res, rej) => {
  const s = createServer();
  s.unref();
  s.on('error', rej);
  s.listen(0, '127.0.0.1', () => {
    const a = s.address();
    const port = typeof a === 'object' && a ? a.port : 0;
    s.close(() => res(port));
  });
});

export interface Child {
  proc: ChildProcess;
  pid: number;
  /** performance.now() when spawn() returned. */
  spawnedAt: number;
  /** The last few KiB of stdout and stderr, for error messages. */
  output(): string;
  exited(): boolean;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves with the exit code (null when killed by a signal). */
  stop(graceMs?: number): Promise<number | null>;
  /** Resolves when the process exits by itself, within `timeoutMs`. */
  wait(timeoutMs: number): Promise<number | null>;
}

export interface StartOptions {
  core?: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Called with each chunk of stdout (the child's own reports). */
  onStdout?: (chunk: string) => void;
  /**
   * Send stdout and stderr to this file instead of a pipe (servers: a busy log must not cost the benchmark's own
   * process CPU time, and a pipe nobody reads would stall the server).
   */
  logFile?: string;
}

export const startChild = (cmd: string, args: string[], o: StartOptions = {}): Child => {
  const [c, a] = o.core !== undefined ? pinnedCommand(o.core, cmd, args) : [cmd, args];
  const fd = o.logFile ? openSync(o.logFile, 'a') : null;
  const proc = spawn(c, a, { cwd: o.cwd ?? tree, env: o.env ?? process.env, stdio: ['ignore', fd ?? 'pipe', fd ?? 'pipe'] });
  const spawnedAt = performance.now();
  if (fd !== null) closeSync(fd);
  if (proc.pid === undefined) throw new Error(`could not start ${cmd}`);
  let tail = '';
  const keep = (s: string): void => { tail = (tail + s).slice(-8192); };
  proc.stdout?.setEncoding('utf8').on('data', (s: string) => { keep(s); o.onStdout?.(s); });
  proc.stderr?.setEncoding('utf8').on('data', keep);
  const output = (): string => (o.logFile ? fileTail(o.logFile) : tail);
  let code: number | null | undefined;
  const done = new Promise<number | null>((res) => proc.on('exit', (c2) => { code = c2; res(c2); }));
  const wait = (timeoutMs: number): Promise<number | null> => Promise.race([
    done,
    new Promise<never>((_, rej) => setTimeout(() => rej(new Error(`${cmd} did not exit within ${timeoutMs} ms:\n${output()}`)), timeoutMs).unref()),
  ]);
  return {
    proc, pid: proc.pid, spawnedAt,
    output,
    exited: () => code !== undefined,
    wait,
    async stop(graceMs = 10_000) {
      if (code !== undefined) return code;
      proc.kill('SIGTERM');
      const t = setTimeout(() => proc.kill('SIGKILL'), graceMs);
      const c2 = await done;
      clearTimeout(t);
      return c2;
    },
  };
};

const fileTail = (file: string, bytes = 8192): string => {
  try {
    const size = statSync(file).size;
    const fd = openSync(file, 'r');
    const buf = Buffer.alloc(Math.min(bytes, size));
    readSync(fd, buf, 0, buf.length, size - buf.length);
    closeSync(fd);
    return buf.toString('utf8');
  } catch {
    return '';
  }
};

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export const gitSha = (): string => {
  const r = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : 'nogit';
};

/** True when the work tree differs from HEAD (others may be editing src/ while a run happens). */
export const gitDirty = (): boolean => {
  const r = spawnSync('git', ['status', '--porcelain', '--', 'src', 'package.json'], { cwd: ROOT, encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim() !== '';
};
