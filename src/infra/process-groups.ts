/**
 * The process groups of the commands this server runs, kept in a file of the data directory, so that the next start
 * can kill what a process killed outright (SIGKILL, the OOM killer, a power cut of the process but not the host) left
 * running: each command leads a process group of its own (runner/run.ts), which outlives the server that started it.
 * Without this, the next start marks those jobs failed ("server restarted") while their commands go on — and a retry
 * runs a command twice.
 *
 * A group is killed only if it is still the one recorded: its leader runs with the recorded start time (field 22 of
 * `/proc/<pid>/stat`, read by the process that spawned it), or, the leader gone, some process still in the group
 * started after it AND carries `TESSERA_JOB_ID` in its environment (every command gets it): once a group has emptied,
 * its id may be reused by anything, and only that marker tells a command's orphan from an unrelated process. Linux
 * only (`/proc`); elsewhere the file is kept but nothing is killed. Only regular files are read (a FIFO would block);
 * the file is replaced through a temporary file created exclusively (a symlink there is not followed).
 *
 * The single process keeps the ledger, or the primary of `--workers N` (its workers report their groups). Only the
 * process that holds the data directory (serve-lock.ts) reaps: a second `serve` on it refuses to start first.
 */
import { lstatSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const LEDGER_FILE = 'commands.pgids';

interface Stat { pgrp: number; start: number }

/** A process's group and start time (clock ticks after boot), or null when it is gone or there is no /proc. */
const statOf = (pid: number): Stat | null => {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces: the fields after it start past the last ')'.
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    return { pgrp: Number(f[2]), start: Number(f[19]) };
  } catch {
    return null;
  }
};

/**
 * A process's start time (clock ticks after boot), null when it does not run, undefined where there is no /proc
 * (not Linux).
 */
export const startTime = (pid: number): number | null | undefined => {
  const st = statOf(pid);
  if (st !== null) return st.start;
  try { readdirSync('/proc'); return null; } catch { return undefined; }
};

/** Every process's group and start time, read once (one scan of /proc, however many groups are checked). */
const processes = (): Map<number, Stat> => {
  const out = new Map<number, Stat>();
  let pids: string[];
  try { pids = readdirSync('/proc'); } catch { return out; }
  for (const p of pids) {
    if (!/^\d+$/.test(p)) continue;
    const st = statOf(Number(p));
    if (st !== null) out.set(Number(p), st);
  }
  return out;
};

/** Whether a process was started by Tessera's command runner (or is a child that kept its environment). */
const isCommand = (pid: number): boolean => {
  try { return readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').some((v) => v.startsWith('TESSERA_JOB_ID=')); } catch { return false; }
};

/** Whether the group recorded with leader start time `start` still runs (see the file's comment). */
const stillRuns = (pgid: number, start: number, all: () => Map<number, Stat>): boolean => {
  const leader = statOf(pgid);
  if (leader !== null) return leader.pgrp === pgid && leader.start === start;
  for (const [pid, st] of all()) if (st.pgrp === pgid && st.start >= start && isCommand(pid)) return true;
  return false;
};

/** The most groups a ledger is read for (a server runs `jobs.max_concurrent` at once; anything past this is not ours). */
const MAX_GROUPS = 10_000;

export class ProcessGroupLedger {
  private readonly file: string;
  /** pgid → its leader's start time (-1: unknown, never killed). */
  private readonly groups = new Map<number, number>();

  private failed = false;

  /**
   * `onFailure`: told once, at the first write of the file that fails (logged by the caller); the groups are kept and
   * written again at the next change.
   */
  constructor(dataDir: string, private readonly onFailure: (e: unknown) => void = () => undefined) {
    this.file = join(dataDir, LEDGER_FILE);
  }

  private fail(e: unknown): void {
    if (!this.failed) this.onFailure(e);
    this.failed = true;
  }

  /**
   * A command's group started (`running`) or ended: the executor's `onGroup`. `start`: the leader's start time, read
   * by the process that spawned it (a primary told later by its worker may find the leader gone already).
   */
  readonly note = (pgid: number, running: boolean, start?: number | null): void => {
    if (running) this.groups.set(pgid, start ?? statOf(pgid)?.start ?? -1);
    else if (!this.groups.delete(pgid)) return;
    this.write();
  };

  /**
   * At start, before any command runs: kills (SIGKILL, the whole group) the commands a previous process of this data
   * directory left running, and empties the ledger. Returns how many groups were killed.
   */
  reap(): number {
    let recorded: [string, number][] = [];
    try {
      // A regular file only: a FIFO would block the start, a directory or a symlink is not the ledger written here.
      if (lstatSync(this.file).isFile()) recorded = Object.entries(JSON.parse(readFileSync(this.file, 'utf8')) as Record<string, number>).slice(0, MAX_GROUPS);
    } catch { /* no ledger (first start, or nothing ran), or an unreadable one: nothing to kill */ }
    let scan: Map<number, Stat> | null = null;
    const all = (): Map<number, Stat> => (scan ??= processes());
    let killed = 0;
    for (const [g, start] of recorded) {
      const pgid = Number(g);
      if (!Number.isInteger(pgid) || pgid <= 1 || !Number.isInteger(start) || start < 0 || !stillRuns(pgid, start, all)) continue;
      try { process.kill(-pgid, 'SIGKILL'); killed++; } catch { /* gone meanwhile */ }
    }
    this.groups.clear();
    try { rmSync(this.file, { force: true }); } catch (e) { this.fail(e); }
    return killed;
  }

  /** Never throws: a ledger that cannot be written (a full or read-only disk) must not stop a command or the server. */
  private write(): void {
    try {
      if (this.groups.size === 0) { rmSync(this.file, { force: true }); return; }
      const tmp = `${this.file}.tmp`;
      rmSync(tmp, { force: true });
      writeFileSync(tmp, JSON.stringify(Object.fromEntries(this.groups)), { mode: 0o600, flag: 'wx' }); // never through a symlink
      renameSync(tmp, this.file);
    } catch (e) {
      this.fail(e);
    }
  }
}
