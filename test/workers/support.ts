/**
 * Harness for `tessera serve --workers N` (issue 18): one real server process (bin/tessera.js, as a deployment starts
 * it) whose primary forks N workers on one port. Every request here opens a new connection (no keep-alive), so the
 * primary's round-robin hands consecutive requests to different workers; which worker answered is read from the log
 * (each worker's lines carry `worker`). Worker pids come from the primary's `worker listening` lines.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshSchema, type TestSchema } from '../services.js';
import { BIN, childEnv } from '../tessera-process.js';

export const ADMIN_PASSWORD = 'admin-password-1';

export interface Res { status: number; body: any; headers: Record<string, string | string[] | undefined> }

export interface LogLine { level: number; msg: string; worker?: number; worker_pid?: number; role?: string; [k: string]: unknown }

export interface Server {
  url: string;
  port: number;
  /** One request on a fresh connection. */
  req(method: string, path: string, o?: { headers?: Record<string, string>; body?: unknown }): Promise<Res>;
  /** The JSON log lines written so far (primary and workers). */
  lines(): LogLine[];
  /** Pid of each worker now listening, by worker number (from the primary's log). */
  workerPids(): Map<number, number>;
  /** Resolves once `pred` holds for a log line written after `from` lines (or rejects after `limitMs`). */
  waitForLine(pred: (l: LogLine) => boolean, from?: number, limitMs?: number): Promise<LogLine>;
  /** The primary's pid. */
  pid: number;
  /** SIGTERM to the primary; resolves with its exit code. */
  stop(): Promise<number | null>;
  /** A signal to the server's whole process group (started with `group: true`), as systemd stops a unit. */
  signalGroup(signal: NodeJS.Signals): void;
  /** Resolves with the primary's exit code once it has exited. */
  exited: Promise<number | null>;
  /** Session cookie of `admin`. */
  login(): Promise<string>;
}

export const fresh = (base: string) => (method: string, path: string, o: { headers?: Record<string, string>; body?: unknown } = {}): Promise<Res> =>
  new Promise((done, fail) => {
    const body = o.body === undefined ? undefined : JSON.stringify(o.body);
    const r = httpRequest(base + path, {
      method, agent: false,
      headers: { connection: 'close', ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...o.headers },
    }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => { text += c; });
      res.on('end', () => {
        let parsed: unknown = text;
        try { parsed = JSON.parse(text); } catch { /* not JSON */ }
        done({ status: res.statusCode ?? 0, body: parsed, headers: res.headers });
      });
    });
    r.on('error', fail);
    r.end(body);
  });

/**
 * Starts `tessera serve --workers <workers>` on port 0 (SQLite in a fresh data directory, or PostgreSQL on a fresh
 * schema with `postgres: true`) and resolves once every worker listens. `workers: 1` is the single process. With
 * `dataDir`, the server uses that one (and leaves it in place when it stops): a restart on the same data.
 */
export const startServer = async (o: { workers?: number; postgres?: boolean; env?: Record<string, string>; group?: boolean; dataDir?: string } = {}): Promise<Server & { schema?: TestSchema }> => {
  const workers = o.workers ?? 2;
  const schema = o.postgres ? await freshSchema() : undefined;
  const dataDir = o.dataDir ?? mkdtempSync(join(tmpdir(), 'tessera-workers-'));
  const child: ChildProcess = spawn(process.execPath, [BIN, 'serve', '--workers', String(workers)], {
    env: {
      ...childEnv(), HOME: dataDir, TESSERA_HOST: '127.0.0.1', TESSERA_PORT: '0', TESSERA_DATA_DIR: dataDir,
      TESSERA_ADMIN_PASSWORD: ADMIN_PASSWORD, TESSERA_LOG_LEVEL: 'info',
      ...(schema ? { TESSERA_DATABASE_URL: schema.url('tessera-workers'), TESSERA_SECRET_KEY: randomBytes(32).toString('hex') } : {}),
      ...o.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: o.group === true, // its own process group, which signalGroup signals
  });
  let out = '';
  const parsed: LogLine[] = [];
  let partial = '';
  const waiters = new Set<() => void>();
  const onData = (c: Buffer): void => {
    const s = c.toString('utf8');
    out += s;
    partial += s;
    const parts = partial.split('\n');
    partial = parts.pop()!;
    for (const p of parts) { try { parsed.push(JSON.parse(p) as LogLine); } catch { /* not a log line */ } }
    for (const w of waiters) w();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => { for (const w of waiters) w(); r(code); }));
  let cleaned = false;
  const cleanup = async (): Promise<void> => {
    if (cleaned) return;
    cleaned = true;
    if (o.dataDir === undefined) rmSync(dataDir, { recursive: true, force: true });
    await schema?.drop();
  };

  const waitForLine = (pred: (l: LogLine) => boolean, from = 0, limitMs = 60_000): Promise<LogLine> => new Promise((done, fail) => {
    const check = (): void => {
      const hit = parsed.slice(from).find(pred);
      if (hit) { clearTimeout(timer); waiters.delete(check); done(hit); return; }
      if (child.exitCode !== null || child.signalCode !== null) { clearTimeout(timer); waiters.delete(check); fail(new Error(`server exited:\n${out}`)); }
    };
    const timer = setTimeout(() => { waiters.delete(check); fail(new Error(`log line not seen within ${limitMs} ms:\n${out.slice(-4000)}`)); }, limitMs);
    waiters.add(check);
    check();
  });

  try {
    await waitForLine((l) => (workers === 1 ? /^Server listening at /.test(l.msg) : l.role === 'primary' && /^all \d+ workers listening$/.test(l.msg)), 0, 120_000);
  } catch (e) {
    child.kill('SIGKILL');
    await exited;
    await cleanup();
    throw e;
  }
  const port = workers === 1
    ? Number(/:(\d+)$/.exec(parsed.find((l) => /^Server listening at http:/.test(l.msg))!.msg)![1])
    : parsed.find((l) => l.msg === 'worker listening')!.port as number;
  const url = `http://127.0.0.1:${port}`;
  const req = fresh(url);
  return {
    url, port, req, schema, pid: child.pid!, waitForLine, exited,
    signalGroup(signal) { process.kill(-child.pid!, signal); },
    lines: () => parsed,
    workerPids() {
      const m = new Map<number, number>();
      for (const l of parsed) if (l.role === 'primary' && l.msg === 'worker listening') m.set(l.worker!, l.worker_pid!);
      return m;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const code = await exited;
      await cleanup();
      return code;
    },
    async login() {
      const r = await req('POST', '/api/v1/auth/login', { body: { username: 'admin', password: ADMIN_PASSWORD } });
      if (r.status !== 200) throw new Error(`login failed: ${r.status} ${JSON.stringify(r.body)}`);
      const set = r.headers['set-cookie'] as string[];
      return set.find((c) => c.startsWith('tessera_session='))!.split(';')[0]!;
    },
  };
};

export const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });

/** Which workers logged a completed request among the log lines from index `from` on. */
export const workersThatAnswered = (lines: LogLine[], from: number): Set<number> =>
  new Set(lines.slice(from).filter((l) => l.msg === 'request completed' && l.worker !== undefined).map((l) => l.worker!));

/**
 * After a change made at `t0` (performance.now()), sends `probe` on fresh connections (two at a time, so both workers
 * are asked) for `windowMs`; returns the time of the last accepted request after t0 (0 if none) and how many probes
 * ran. The caller asserts that everything sent later than 100 ms after the change was refused.
 */
export const probeAfter = async (t0: number, windowMs: number, probe: () => Promise<boolean>): Promise<{ lastAcceptedMs: number; probes: number; acceptedLate: number }> => {
  let lastAcceptedMs = 0;
  let probes = 0;
  let acceptedLate = 0;
  while (performance.now() - t0 < windowMs) {
    const sentAt = performance.now() - t0;
    const ok = await Promise.all([probe(), probe()]);
    probes += 2;
    for (const accepted of ok) {
      if (!accepted) continue;
      lastAcceptedMs = Math.max(lastAcceptedMs, sentAt);
      if (sentAt > 100) acceptedLate++;
    }
  }
  return { lastAcceptedMs, probes, acceptedLate };
};
