/**
 * `tessera serve --workers N` (issue 18): N processes on one port through node:cluster.
 *
 * The primary (`superviseWorkers`) forks the workers, relays their change messages to each other, holds the shared
 * token rate limits when there is no Redis (rate-limiter-flexible's `RateLimiterClusterMaster`), gathers the workers'
 * metrics for a scrape (`answer`: infra/metrics.ts `workersMetrics`), restarts a worker
 * that dies (with backoff, logged) and, on SIGTERM or SIGINT, asks every worker to drain and waits for them.
 *
 * Each worker (`IpcChangeFeed`) is a node like the nodes of a multi-node PostgreSQL deployment: it tells the others
 * what it changed (token, user, grants, session ends) so they drop their cached verifications. On PostgreSQL the
 * workers use LISTEN/NOTIFY like any node; on SQLite, which has none, the change goes to the primary over the cluster
 * IPC channel and from there to every other worker (well under a millisecond on one host: bench/workers.ts measures it).
 * A worker that loses its primary has lost its feed: it stops caching, and shuts down (it cannot be given connections
 * any more).
 *
 * A job's live output (`GET /api/v1/jobs/{id}/stream`) is in the memory of the worker that runs the job, while the
 * stream may be asked of another worker (a browser's connections are dealt to any): that worker asks its siblings
 * through the primary (`IpcSiblingOutput`), and the one running the job passes on what was printed so far and each
 * later piece, then the ended job.
 */
import cluster, { type Worker } from 'node:cluster';
import { hostname } from 'node:os';
import { startTime } from './process-groups.js';
import { RateLimiterClusterMaster } from 'rate-limiter-flexible';
import type { Change, ChangeFeed, ChangeListener } from '../core/ports.js';
import type { Job } from '../core/job-types.js';
import type { LiveOutput, OutputFollower, SiblingOutput } from '../core/jobs/live.js';

/** The IPC message carrying one change between workers (ids only, never a value). */
interface ChangeMessage { tessera: 'change'; change: Change }

const isChangeMessage = (m: unknown): m is ChangeMessage =>
  typeof m === 'object' && m !== null && (m as { tessera?: unknown }).tessera === 'change' && typeof (m as { change?: unknown }).change === 'object';

/** The environment variable telling a forked process which worker it is (1…N). */
export const WORKER_ENV = 'TESSERA_WORKER';

/** This process's worker number, when it is a worker forked by `superviseWorkers`. */
export const workerNumber = (env: NodeJS.ProcessEnv): number | undefined => {
  if (!cluster.isWorker) return undefined;
  const n = Number(env[WORKER_ENV]);
  return Number.isInteger(n) && n >= 1 ? n : undefined;
};

/**
 * A worker whose primary is gone (killed, crashed) drains like one told to stop: node's cluster code would otherwise
 * `process.exit(0)` the moment the IPC channel closes, before any 'disconnect' listener runs — cutting requests in
 * flight, losing the batched use counts and leaving running commands orphaned. Marking the worker as one that
 * expects its disconnect is what node checks (lib/internal/cluster/child.js); the worker's own 'disconnect' listener
 * (cli/commands/serve.ts) then closes it cleanly.
 */
export const drainWhenPrimaryGone = (): void => {
  if (cluster.worker) cluster.worker.exitedAfterDisconnect = true;
};

/**
 * A command's process group, as a worker tells its primary: running (`true`) or over. Commands lead process groups of
 * their own (src/runner/run.ts), so a worker killed outright (SIGKILL, a crash) would leave them running with no one
 * to stop them — and its successor marks their jobs failed, so a retry would run the command twice. The primary
 * kills the groups a dead worker left running.
 */
type GroupMessage = { tessera: 'group'; pgid: number; running: boolean; start?: number | null };

const isGroupMessage = (m: unknown): m is GroupMessage =>
  typeof m === 'object' && m !== null && (m as { tessera?: unknown }).tessera === 'group' && Number.isInteger((m as { pgid?: unknown }).pgid)
  && (m as { pgid: number }).pgid > 1 && typeof (m as { running?: unknown }).running === 'boolean';

/** A worker's report of one of its commands' process groups (the executor's `onGroup`). */
export const reportGroup = (pgid: number, running: boolean): void => {
  if (!process.connected || !process.send) return;
  // The leader's start time, read here at once: by the time the primary reads the message the leader may be gone.
  const m: GroupMessage = { tessera: 'group', pgid, running, ...(running ? { start: startTime(pgid) ?? null } : {}) };
  try { process.send(m, undefined, {}, () => undefined); } catch { /* disconnected: the worker stops its commands itself */ }
};

/** The worker side of the relay: a ChangeFeed over `process.send` to the primary, which passes it to every other worker. */
export class IpcChangeFeed implements ChangeFeed {
  private listener: ChangeListener | null = null;
  private closed = false;
  private readonly onMessage = (m: unknown): void => {
    if (isChangeMessage(m)) this.listener?.changed(m.change);
  };

  private readonly onDisconnect = (): void => { if (!this.closed) this.listener?.lost(); };

  async start(l: ChangeListener): Promise<void> {
    this.listener = l;
    process.on('message', this.onMessage);
    process.on('disconnect', this.onDisconnect);
  }

  live(): boolean { return process.connected === true; }

  publish(change: Change): void {
    if (this.closed || !process.connected || !process.send) return;
    const msg: ChangeMessage = { tessera: 'change', change };
    // Never throws: a channel that closes under us is handled by 'disconnect' (the worker stops caching and ends).
    try { process.send(msg, undefined, {}, () => undefined); } catch { /* disconnected */ }
  }

  async close(): Promise<void> {
    this.closed = true;
    process.off('message', this.onMessage);
    process.off('disconnect', this.onDisconnect);
  }
}

/**
 * The IPC messages of the job-output relay. A worker asks its siblings (`follow`, `unfollow`; `sub` numbers its
 * subscription, `from` is set by the primary to the asking worker's pid); the worker running the job answers the
 * asker (`to`) with `output` pieces and the `end`. By pid, not worker number: a restarted worker numbers its
 * subscriptions from 0 again, and must not get what was still being sent to its predecessor's.
 */
type JobMessage = { tessera: 'job'; sub: number } & (
  | { op: 'follow'; id: number; from?: number }
  | { op: 'unfollow'; from?: number }
  | { op: 'output'; to: number; chunk: string }
  | { op: 'end'; to: number; job: Job });

const isJobMessage = (m: unknown): m is JobMessage =>
  typeof m === 'object' && m !== null && (m as { tessera?: unknown }).tessera === 'job' && typeof (m as { sub?: unknown }).sub === 'number';

const sendToPrimary = (m: JobMessage): void => {
  if (!process.connected || !process.send) return;
  try { process.send(m, undefined, {}, () => undefined); } catch { /* disconnected: the worker is shutting down */ }
};

/**
 * A worker's side of the job-output relay: follows jobs that run in its siblings (`follow`), and passes on the output
 * of the jobs that run here to the siblings that follow them. Messages carry a job's output, never a token value.
 */
export class IpcSiblingOutput implements SiblingOutput {
  private next = 0;
  /** This worker's subscriptions to its siblings' jobs, by `sub`. */
  private readonly following = new Map<number, OutputFollower>();
  /** Siblings' subscriptions to jobs running here, by `<worker>:<sub>`: how to stop each. */
  private readonly serving = new Map<string, () => void>();
  private readonly onMessage = (m: unknown): void => {
    if (isJobMessage(m)) this.received(m);
  };

  constructor(private readonly live: LiveOutput) {}

  start(): void {
    process.on('message', this.onMessage);
  }

  follow(id: number, f: OutputFollower): () => void {
    const sub = this.next++;
    this.following.set(sub, f);
    sendToPrimary({ tessera: 'job', op: 'follow', id, sub });
    return () => { if (this.following.delete(sub)) sendToPrimary({ tessera: 'job', op: 'unfollow', sub }); };
  }

  close(): void {
    process.off('message', this.onMessage);
    for (const stop of this.serving.values()) stop();
    this.serving.clear();
    this.following.clear();
  }

  private received(m: JobMessage): void {
    switch (m.op) {
      case 'follow': {
        // Another worker asks; only the one running the job answers. `follow` is synchronous: the output so far, sent
        // first, and the pieces after it leave in order, with no gap.
        if (m.from === undefined) return;
        const to = m.from;
        const key = `${to}:${m.sub}`;
        const sub = this.live.follow(m.id, {
          output: (chunk) => sendToPrimary({ tessera: 'job', op: 'output', sub: m.sub, to, chunk }),
          end: (job) => { this.serving.delete(key); sendToPrimary({ tessera: 'job', op: 'end', sub: m.sub, to, job }); },
        });
        if (sub === null) return;
        this.serving.set(key, sub.stop);
        if (sub.sofar !== '') sendToPrimary({ tessera: 'job', op: 'output', sub: m.sub, to, chunk: sub.sofar });
        return;
      }
      case 'unfollow': {
        const key = `${m.from}:${m.sub}`;
        this.serving.get(key)?.();
        this.serving.delete(key);
        return;
      }
      case 'output':
        this.following.get(m.sub)?.output(m.chunk);
        return;
      case 'end': {
        const f = this.following.get(m.sub);
        this.following.delete(m.sub);
        f?.end(m.job);
        return;
      }
    }
  }
}

export interface SupervisorLog { (level: 'info' | 'warn' | 'error', obj: Record<string, unknown>, msg: string): void }

/** Log lines of the primary in pino's JSON shape (the workers log through fastify's pino), at `level` and above. */
export const primaryLog = (level: string, out: NodeJS.WritableStream = process.stdout): SupervisorLog => {
  const levels: Record<string, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: Infinity };
  const min = levels[level] ?? 30;
  const host = hostname();
  return (l, obj, msg) => {
    const n = levels[l]!;
    if (n < min) return;
    out.write(`${JSON.stringify({ level: n, time: Date.now(), pid: process.pid, hostname: host, role: 'primary', ...obj, msg })}\n`);
  };
};

export interface SuperviseOptions {
  count: number;
  log: SupervisorLog;
  /** The first restart of a worker waits this long; doubles while a worker keeps dying young, up to `maxBackoffMs`. */
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** A worker that lived this long before dying restarts after `minBackoffMs` again. */
  stableMs?: number;
  /** How long a worker may take to drain at shutdown before it is killed. */
  drainMs?: number;
  /** Hold the token rate limits in the primary (no Redis configured). */
  rateLimits: boolean;
  /** Where the workers' command process groups are recorded, for the next start to kill if this primary is killed. */
  ledger?: { note(pgid: number, running: boolean, start?: number | null): void };
  /** Answers a worker's other requests to the primary (the workers' metrics: infra/metrics.ts `workersMetrics`). */
  answer?: (w: Worker, m: unknown) => void;
}

interface Slot {
  n: number; worker: Worker | null; backoff: number; startedAt: number; listened: boolean; timer: NodeJS.Timeout | null;
  /** Process groups of the commands the worker runs now (its `reportGroup` messages). */
  groups: Set<number>;
}

/**
 * Runs the primary until SIGTERM or SIGINT and every worker has ended. Resolves with the exit code: 0 after a clean
 * shutdown, 1 when a worker failed to start the first time (a port in use, a bad database: restarting will not help).
 */
export const superviseWorkers = (o: SuperviseOptions): Promise<number> => new Promise((done) => {
  const min = o.minBackoffMs ?? 100;
  const max = o.maxBackoffMs ?? 10_000;
  const stable = o.stableMs ?? 10_000;
  if (o.rateLimits) new RateLimiterClusterMaster(); // answers the workers' RateLimiterCluster requests
  const slots: Slot[] = Array.from({ length: o.count }, (_, i) => ({ n: i + 1, worker: null, backoff: min, startedAt: 0, listened: false, timer: null, groups: new Set<number>() }));
  /** The commands a worker left running when it ended (none after a clean drain): killed, and logged. */
  const killLeftovers = (s: Slot, pid: number): void => {
    if (s.groups.size === 0) return;
    let killed = 0;
    for (const g of s.groups) { try { process.kill(-g, 'SIGKILL'); killed++; } catch { /* already gone */ } o.ledger?.note(g, false); }
    if (killed > 0) o.log('warn', { worker: s.n, worker_pid: pid, process_groups: killed }, 'killed the commands a dead worker left running');
    s.groups.clear();
  };
  /** A message from worker `w` to every other connected worker. */
  const toOthers = (w: Worker, m: object): void => {
    for (const other of slots) if (other.worker && other.worker !== w && other.worker.isConnected()) other.worker.send(m, undefined, () => undefined);
  };
  let stopping = false;
  let everyoneUp = false;
  let exitCode = 0;

  const fork = (s: Slot): void => {
    s.timer = null;
    if (stopping) return;
    const w = cluster.fork({ [WORKER_ENV]: String(s.n) });
    s.worker = w;
    s.startedAt = Date.now();
    s.listened = false;
    w.on('message', (m: unknown) => {
      if (isGroupMessage(m)) {
        if (m.running) s.groups.add(m.pgid);
        else s.groups.delete(m.pgid);
        o.ledger?.note(m.pgid, m.running, typeof m.start === 'number' ? m.start : null);
        return;
      }
      if (isJobMessage(m)) {
        // The job-output relay: a request goes to every other worker (marked with the asker), an answer to the asker.
        if (m.op === 'follow' || m.op === 'unfollow') {
          toOthers(w, { ...m, from: w.process.pid });
        } else {
          const to = slots.find((x) => x.worker?.process.pid === m.to)?.worker;
          if (to && to.isConnected()) to.send(m, undefined, () => undefined);
        }
        return;
      }
      if (isChangeMessage(m)) toOthers(w, m);
      else o.answer?.(w, m);
    });
    w.on('listening', (addr) => {
      s.listened = true;
      o.log('info', { worker: s.n, worker_pid: w.process.pid, port: addr.port }, 'worker listening');
      if (!everyoneUp && slots.every((x) => x.listened)) {
        everyoneUp = true;
        o.log('info', { workers: slots.map((x) => ({ worker: x.n, pid: x.worker?.process.pid })) }, `all ${o.count} workers listening`);
      }
    });
    w.on('exit', (code, signal) => {
      if (s.worker === w) s.worker = null;
      killLeftovers(s, w.process.pid!);
      if (stopping) {
        o.log(code === 0 ? 'info' : 'warn', { worker: s.n, worker_pid: w.process.pid, code, signal }, 'worker stopped');
        if (slots.every((x) => x.worker === null)) finish();
        return;
      }
      if (!everyoneUp && !s.listened) {
        // Failing before it ever listened at start: a restart would fail the same way.
        o.log('error', { worker: s.n, worker_pid: w.process.pid, code, signal }, 'worker failed to start; stopping');
        exitCode = 1;
        stop();
        return;
      }
      const lived = Date.now() - s.startedAt;
      s.backoff = lived >= stable ? min : s.backoff;
      const wait = s.backoff;
      s.backoff = Math.min(s.backoff * 2, max);
      o.log('warn', { worker: s.n, worker_pid: w.process.pid, code, signal, lived_ms: lived, restart_in_ms: wait }, 'worker died; restarting');
      s.timer = setTimeout(() => fork(s), wait);
    });
  };

  let killTimer: NodeJS.Timeout | null = null;
  const finish = (): void => {
    if (killTimer) clearTimeout(killTimer);
    process.off('SIGTERM', onSignal).off('SIGINT', onSignal).off('SIGHUP', onSignal);
    done(exitCode);
  };
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    for (const s of slots) if (s.timer) { clearTimeout(s.timer); s.timer = null; }
    const live = slots.filter((s) => s.worker !== null);
    if (live.length === 0) { finish(); return; }
    for (const s of live) s.worker!.process.kill('SIGTERM');
    killTimer = setTimeout(() => {
      for (const s of slots) if (s.worker) { o.log('warn', { worker: s.n, worker_pid: s.worker.process.pid }, 'worker did not drain in time; killed'); s.worker.process.kill('SIGKILL'); }
    }, o.drainMs ?? 30_000);
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    o.log('info', { signal, workers: slots.filter((s) => s.worker).length }, 'shutting down: draining every worker');
    stop();
  };
  // SIGHUP (a closed terminal, a reload asked of a server that has none) stops it cleanly too, rather than killing it.
  process.on('SIGTERM', onSignal).on('SIGINT', onSignal).on('SIGHUP', onSignal);
  for (const s of slots) fork(s);
});
