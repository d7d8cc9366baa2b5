/** Shared pieces of the job tests: scripts in a temporary directory and a harness with commands configured. */
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Config } from '../../src/config/schema.js';
import type { Job } from '../../src/core/job-types.js';
import { type Harness, startHarness } from '../helpers.js';

/** Writes an executable /bin/sh script and returns its path. */
export const script = (dir: string, name: string, body: string): string => {
  const p = join(dir, name);
  writeFileSync(p, `#!/bin/sh\n${body}\n`);
  chmodSync(p, 0o755);
  return p;
};

export const scriptDir = (): string => mkdtempSync(join(tmpdir(), 'tessera-scripts-'));

export type Commands = Config['commands'];

export const startJobsHarness = async (commands: Record<string, Partial<Commands[string]> & { id: number; argv: string[] }>, extra: Partial<Config> = {}): Promise<Harness> =>
  startHarness({
    groups: ['ops', 'dev'], jobs: { max_concurrent: 4, max_queued: 10, kill_grace_ms: 200 },
    commands: commands as Commands, ...extra,
  } as Partial<Config>);

/** Waits for a job to end (the service resolves when its outcome is stored and posted) and returns it. */
export const settled = async (h: Harness, id: number): Promise<Job> => {
  const j = await h.t.services.commands.wait(id);
  if (!j) throw new Error(`no job ${id}`);
  return j;
};

/** Whether a process still runs (a zombie counts as dead: it runs no code, and PID 1 here may never reap it). */
export const alive = (pid: number): boolean => {
  try { process.kill(pid, 0); } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw e;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch { return false; }
};

/** Polls until the process is dead; false if it still runs after `withinMs` (a generous bound, not a timing claim). */
export const waitDead = async (pid: number, withinMs = 5_000): Promise<boolean> => {
  const until = Date.now() + withinMs;
  while (Date.now() < until) {
    if (!alive(pid)) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return !alive(pid);
};

export interface SseEvent { id?: string; event?: string; data?: string }

/**
 * Reads Server-Sent Events from a fetch body, in steps: `until(pred)` reads until `pred(events so far)` holds (or the
 * stream ends) and returns every event read so far; `ended` says whether the server closed the stream.
 */
export const sseReader = (body: ReadableStream<Uint8Array>) => {
  const reader = body.getReader();
  const dec = new TextDecoder();
  let buf = '';
  let ended = false;
  const events: SseEvent[] = [];
  return {
    events,
    get ended() { return ended; },
    async until(pred: (ev: SseEvent[]) => boolean): Promise<SseEvent[]> {
      while (!pred(events) && !ended) {
        const { value, done } = await reader.read();
        if (done) { ended = true; break; }
        buf += dec.decode(value, { stream: true });
        let i: number;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const e: Record<string, string> = {};
          for (const line of block.split('\n')) {
            const m = /^(id|event|data): ?(.*)$/.exec(line);
            if (m) e[m[1]!] = m[2]!;
          }
          if (e.event) events.push(e);
        }
      }
      return events;
    },
    cancel: () => reader.cancel(),
  };
};
