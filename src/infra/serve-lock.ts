/**
 * One server per data directory: `tessera serve` (the single process, or the primary of `--workers N`) holds
 * `<data_dir>/serve.pid` while it runs. A second `serve` on the same directory refuses to start instead of taking
 * over what the first one runs — it would mark its running jobs failed and kill its commands (process-groups.ts).
 * A file left by a process that is gone (killed outright) is taken over: the pid must still run with the start time
 * recorded (`/proc`; elsewhere, that the pid exists).
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTime } from './process-groups.js';

export const LOCK_FILE = 'serve.pid';

export class DataDirInUse extends Error {
  constructor(message: string) { super(message); this.name = 'DataDirInUse'; }
}

interface Holder { pid: number; start: number | null }

const read = (file: string): Holder | null => {
  try {
    const h = JSON.parse(readFileSync(file, 'utf8')) as Holder;
    return Number.isInteger(h.pid) && h.pid > 0 ? h : null;
  } catch {
    return null; // unreadable or half written: taken over
  }
};

const runs = (h: Holder): boolean => {
  const start = startTime(h.pid);
  if (start !== undefined) return start !== null && start === h.start;
  try { process.kill(h.pid, 0); return true; } catch (e) { return (e as NodeJS.ErrnoException).code === 'EPERM'; }
};

export interface ServeLock { release(): void }

/** Takes the data directory (which exists) for this process, or throws DataDirInUse naming the process that has it. */
export const takeServeLock = (dataDir: string): ServeLock => {
  const file = join(dataDir, LOCK_FILE);
  const me: Holder = { pid: process.pid, start: startTime(process.pid) ?? null };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      writeFileSync(file, JSON.stringify(me), { flag: 'wx', mode: 0o600 });
      return {
        release: () => {
          const h = read(file);
          if (h?.pid === me.pid && h.start === me.start) rmSync(file, { force: true });
        },
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const held = read(file);
    if (held !== null && runs(held)) {
      throw new DataDirInUse(`the data directory ${dataDir} is in use by another tessera serve (pid ${held.pid}); stop that one first, or give this one a data_dir of its own`);
    }
    rmSync(file, { force: true }); // left by a process that is gone
  }
  throw new DataDirInUse(`the data directory ${dataDir} is being taken by another tessera serve at this moment`);
};
