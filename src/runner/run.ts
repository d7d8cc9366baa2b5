/**
 * Runs one operator-configured command as a child process and reports what happened. POSIX only (process groups).
 *
 * - No shell, ever: `argv[0]` is executed directly (`spawn(..., { shell: false })`) and every other entry reaches the
 *   program as exactly one argument, so `;`, `$(id)`, quotes and spaces in a caller's argument are inert.
 * - Environment: the child does NOT inherit the server's environment (which holds the database URL, keys and other
 *   secrets). It gets `baseEnv()` (PATH, HOME, LANG) with `spec.env` merged on top, so the operator can add or
 *   override variables per command. PATH is a fixed system PATH rather than the server's: under `npm start` the
 *   server's PATH begins with node_modules/.bin, which could shadow system commands. `argv[0]` is looked up in the
 *   child's PATH.
 * - stdin is /dev/null: commands take no input.
 * - Output: stdout and stderr are combined in the order their chunks reach the server (exact within each stream;
 *   across the two pipes, "arrival order" is the best there is). The first `outputCapBytes` bytes of UTF-8 are kept
 *   (a character cut by the cap is dropped whole, so the output may be a few bytes shorter than the cap), the rest is
 *   read and discarded so the child never blocks on a full pipe, and `truncated` says so. `hooks.onOutput` receives
 *   exactly the kept text, piece by piece, for live streaming. The output is text: a byte that is not part of UTF-8,
 *   and NUL, shows as U+FFFD (the cap counts the text kept).
 * - The child leads its own process group (`detached: true`). On timeout or abort the whole group gets SIGTERM, then
 *   SIGKILL after `killGraceMs` (default 2 s), so grandchildren (`sh -c 'sleep 100 & ...'`) die too. When the command
 *   exits by itself, anything it left running in its group (a background process) is treated as debris and gets the
 *   same SIGTERM/SIGKILL sequence: a job ends when its command ends. A process that leaves the group (`setsid`,
 *   `nohup ... &` via a daemonizer) escapes this; if it still holds the output pipes, they are closed on it.
 * - `runCommand` never rejects and never hangs: a bad spec, a missing executable or a bad cwd is a `failed` result with
 *   `error`; after SIGKILL, a process that still does not exit (stuck in the kernel) is given up on.
 *
 * Status: `succeeded` = exit code 0; `timed_out` = killed because `timeoutMs` passed; `failed` = everything else
 * (non-zero exit, death by a signal, spawn error, abort). `error` is set for everything except a plain exit code.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { StringDecoder } from 'node:string_decoder';

export const DEFAULT_OUTPUT_CAP_BYTES = 64 * 1024;
export const DEFAULT_KILL_GRACE_MS = 2_000;
/** The PATH every command starts with (override with `spec.env.PATH`). */
export const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
/** setTimeout's upper bound; a longer delay would fire after 1 ms. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;
/** After the command exits, how long pipes still held by an escaped process may stay open before we close them. */
const DRAIN_MS = 500;
/** After SIGKILL, how long to wait for the exit before giving up on the process. */
const GIVE_UP_MS = 1_000;

export interface RunSpec {
  /** `argv[0]` is the executable (absolute, or looked up in the child's PATH); the rest are its arguments. */
  argv: readonly string[];
  cwd?: string;
  /** Merged onto `baseEnv()`; the server's own environment is never passed on. */
  env?: Readonly<Record<string, string>>;
  timeoutMs: number;
  /** Default 64 KiB. */
  outputCapBytes?: number;
  /** Time between SIGTERM and SIGKILL. Default 2 s. */
  killGraceMs?: number;
}

export interface RunHooks {
  /** Each piece of the kept output, in order; called synchronously as data arrives. Exceptions are ignored. */
  onOutput?(chunk: string): void;
  /** Abort = stop the command (same kill sequence as a timeout); the result is `failed` with error `aborted`. */
  signal?: AbortSignal;
  /** Clock for startedAt/endedAt (ms since the epoch). Default `Date.now`. */
  now?(): number;
  /**
   * The command's process group: called with `true` once it runs (its id is the child's pid), with `false` when the
   * run is over. A supervisor that outlives this process kills the groups still running when it dies (infra/cluster.ts).
   */
  onGroup?(pgid: number, running: boolean): void;
}

export type RunStatus = 'succeeded' | 'failed' | 'timed_out';

export interface RunResult {
  status: RunStatus;
  /** The exit code, or null if the process was killed by a signal or never started. */
  exitCode: number | null;
  /** The signal that killed the process (e.g. `SIGTERM`), or null. */
  signal: string | null;
  output: string;
  truncated: boolean;
  /** ms since the epoch. */
  startedAt: number;
  endedAt: number;
  error?: string;
}

/** The environment every command starts from. */
export function baseEnv(): Record<string, string> {
  return { PATH: DEFAULT_PATH, HOME: homedir(), LANG: 'C.UTF-8' };
}

function checkSpec(spec: RunSpec): string | null {
  if (!Array.isArray(spec.argv) || spec.argv.length === 0 || typeof spec.argv[0] !== 'string' || spec.argv[0] === '') {
    return 'argv must name an executable';
  }
  if (!Number.isFinite(spec.timeoutMs) || spec.timeoutMs <= 0 || spec.timeoutMs > MAX_TIMEOUT_MS) {
    return `timeoutMs must be between 1 and ${MAX_TIMEOUT_MS}`;
  }
  const cap = spec.outputCapBytes ?? DEFAULT_OUTPUT_CAP_BYTES;
  if (!Number.isInteger(cap) || cap < 0) return 'outputCapBytes must be an integer >= 0';
  const grace = spec.killGraceMs ?? DEFAULT_KILL_GRACE_MS;
  if (!Number.isFinite(grace) || grace < 0 || grace > MAX_TIMEOUT_MS) return 'killGraceMs is out of range';
  return null;
}

/** The longest prefix of `text` whose UTF-8 encoding fits in `room` bytes, without cutting a character. */
function utf8Prefix(text: string, room: number): string {
  const buf = Buffer.from(text, 'utf8');
  let end = Math.min(room, buf.length);
  while (end > 0 && end < buf.length && (buf[end]! & 0xc0) === 0x80) end--; // back off to a character start
  return buf.subarray(0, end).toString('utf8');
}

function spawnError(e: unknown, spec: RunSpec): string {
  const err = e as NodeJS.ErrnoException;
  const exe = spec.argv[0];
  if (err.code === 'ENOENT') {
    // uv_spawn reports a missing cwd as ENOENT too; tell the two apart.
    if (spec.cwd !== undefined && !existsSync(spec.cwd)) return `working directory not found: ${spec.cwd}`;
    return `executable not found: ${exe}`;
  }
  if (err.code === 'EACCES') return `permission denied: ${exe}`;
  if (err.code === 'ENOTDIR') return `not a directory: ${spec.cwd ?? exe}`;
  if (err.code === 'ERR_INVALID_ARG_VALUE' || err.code === 'ERR_INVALID_ARG_TYPE') {
    return 'invalid argument or environment value (a NUL character?)';
  }
  return `could not start ${exe}: ${err.message ?? String(e)}`;
}

export function runCommand(spec: RunSpec, hooks: RunHooks = {}): Promise<RunResult> {
  const now = (): number => (hooks.now ? hooks.now() : Date.now()); // called on hooks, so a Clock method keeps `this`
  const startedAt = now();
  const failed = (error: string): RunResult => ({
    status: 'failed', exitCode: null, signal: null, output: '', truncated: false, startedAt, endedAt: now(), error,
  });
  const bad = checkSpec(spec);
  if (bad) return Promise.resolve(failed(bad));
  if (hooks.signal?.aborted) return Promise.resolve(failed('aborted'));

  const cap = spec.outputCapBytes ?? DEFAULT_OUTPUT_CAP_BYTES;
  const grace = spec.killGraceMs ?? DEFAULT_KILL_GRACE_MS;

  return new Promise<RunResult>((resolve) => {
    let child: ChildProcess;
    try {
      child = spawn(spec.argv[0]!, spec.argv.slice(1), {
        cwd: spec.cwd,
        env: { ...baseEnv(), ...spec.env },
        shell: false,
        detached: true, // setsid(): the child leads a new process group whose id is its pid
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (e) {
      resolve(failed(spawnError(e, spec))); // argv/env validation errors are thrown synchronously
      return;
    }

    // --- output ---
    const pieces: string[] = [];
    let used = 0;
    let truncated = false;
    let done = false;
    const take = (decoded: string): void => {
      if (done || truncated || decoded === '') return;
      // Output is text: bytes that are not UTF-8 are already U+FFFD (the decoder), and so is NUL, which no store's text
      // can hold (PostgreSQL refuses it).
      const text = decoded.includes('\0') ? decoded.replaceAll('\0', '\uFFFD') : decoded;
      let piece = text;
      const bytes = Buffer.byteLength(text);
      if (used + bytes > cap) {
        piece = utf8Prefix(text, cap - used);
        truncated = true;
      }
      if (piece === '') return;
      pieces.push(piece);
      used += Buffer.byteLength(piece);
      try {
        hooks.onOutput?.(piece);
      } catch {
        // A failing listener (e.g. a closed live stream) must not break the job.
      }
    };
    for (const stream of [child.stdout, child.stderr]) {
      if (!stream) continue;
      const decoder = new StringDecoder('utf8'); // one per stream: a character may be split across chunks
      stream.on('data', (buf: Buffer) => {
        if (!truncated) take(decoder.write(buf)); // once truncated, data is only drained
      });
      stream.on('end', () => take(decoder.end()));
      stream.on('error', () => {}); // a pipe error only ends the output; never an uncaught 'error'
    }

    // --- killing ---
    const pgid = child.pid;
    let ended = false;
    const report = (running: boolean): void => {
      if (pgid === undefined || hooks.onGroup === undefined || ended) return;
      if (!running) ended = true;
      try { hooks.onGroup(pgid, running); } catch { /* a report is never the run's business */ }
    };
    report(true);
    /** Signals the whole group; false if it no longer exists (ESRCH) or cannot be signalled. */
    const signalGroup = (sig: NodeJS.Signals | 0): boolean => {
      if (pgid === undefined) return false;
      try {
        process.kill(-pgid, sig);
        return true;
      } catch {
        return false;
      }
    };
    let exited = false;
    let exitCode: number | null = null;
    let exitSignal: string | null = null;
    let reason: 'timeout' | 'abort' | null = null;
    let spawnFailure: string | null = null;
    let terminating = false;
    let killTimer: NodeJS.Timeout | undefined;
    /** The group got its SIGKILL (nothing more to do for it). */
    let killed = false;
    let giveUpTimer: NodeJS.Timeout | undefined;
    let drainTimer: NodeJS.Timeout | undefined;

    const terminate = (): void => {
      if (terminating) return;
      terminating = true;
      if (!signalGroup('SIGTERM')) return; // nothing left to kill
      killTimer = setTimeout(() => {
        killed = true;
        signalGroup('SIGKILL');
        if (done) report(false); // finish left the report to this: the group outlived its leader
        if (!exited) giveUpTimer = setTimeout(finish, GIVE_UP_MS);
      }, grace);
    };

    const deadline = setTimeout(() => {
      reason ??= 'timeout';
      terminate();
    }, spec.timeoutMs);
    const onAbort = (): void => {
      if (exited) return;
      reason ??= 'abort';
      terminate();
    };
    hooks.signal?.addEventListener('abort', onAbort, { once: true });

    function finish(): void {
      if (done) return;
      // Pipes still open here are held by a process outside the group, or we are giving up: stop reading them.
      child.stdout?.destroy();
      child.stderr?.destroy();
      done = true;
      clearTimeout(deadline);
      clearTimeout(drainTimer);
      clearTimeout(giveUpTimer);
      // killTimer stays armed while something in the group may still ignore SIGTERM; cleared once the group is gone.
      // The group is reported ended only once it is gone or has had its SIGKILL: a member that ignores SIGTERM is
      // still a command of ours until then (a server killed meanwhile must find it in its ledger).
      const gone = !signalGroup(0);
      if (gone) clearTimeout(killTimer);
      hooks.signal?.removeEventListener('abort', onAbort);
      if (gone || killed || killTimer === undefined) report(false);
      const base = { exitCode, signal: exitSignal, output: pieces.join(''), truncated, startedAt, endedAt: now() };
      if (spawnFailure !== null) resolve({ ...base, status: 'failed', error: spawnFailure });
      else if (reason === 'timeout') resolve({ ...base, status: 'timed_out', error: `timed out after ${spec.timeoutMs} ms` });
      else if (reason === 'abort') resolve({ ...base, status: 'failed', error: 'aborted' });
      else if (!exited) resolve({ ...base, status: 'failed', error: 'the process did not exit after SIGKILL' });
      else if (exitCode === 0) resolve({ ...base, status: 'succeeded' });
      else if (exitCode === null) resolve({ ...base, status: 'failed', error: `killed by ${exitSignal ?? 'a signal'}` });
      else resolve({ ...base, status: 'failed' });
    }

    child.on('error', (e) => {
      if (pgid === undefined) {
        // The process never started (ENOENT, EACCES, bad cwd). 'close' follows, but there is nothing to wait for.
        spawnFailure = spawnError(e, spec);
        exited = true;
        finish();
      }
    });
    child.on('exit', (code, sig) => {
      exited = true;
      exitCode = code;
      exitSignal = sig;
      clearTimeout(deadline);
      clearTimeout(giveUpTimer);
      // Whatever the command left running in its group is debris (see the header); stop it the same way.
      if (!terminating && signalGroup(0)) terminate();
      // Wait for the pipes to close (all output read), but not for ever.
      drainTimer = setTimeout(finish, (terminating ? grace : 0) + DRAIN_MS);
    });
    child.on('close', () => {
      if (exited) finish();
    });
  });
}
