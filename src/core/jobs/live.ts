/**
 * The output of jobs running on this node, kept in memory while they run, for live streaming
 * (`GET /api/v1/jobs/{id}/stream`). The producer is `CommandService` (each piece of kept output as the runner reports
 * it, then the ended job once it is stored); readers `follow` a job.
 *
 * The text kept is exactly the output the job will store: the runner reports only the kept output, already cut at the
 * command's `output_cap`, so the memory held per job is bounded by that cap. An entry lives from the job's creation
 * (a job waiting for a pool slot has one, with no output) until its outcome is stored; then every follower gets `end`
 * and the entry is dropped. Everything here is synchronous, so a follower gets the output so far and then every
 * later piece, with no gap and no repeat.
 */
import type { Job } from '../job-types.js';

export interface OutputFollower {
  /** A piece of output, in order. */
  output(chunk: string): void;
  /** The job ended; its outcome is stored (a GET now returns it). No call follows. */
  end(job: Job): void;
}

/**
 * The other processes of this node that may run a job (the workers of `serve --workers N`, src/infra/cluster.ts):
 * `follow` asks them for a job's output — what was printed so far, then each piece, then `end` — from whichever
 * runs it; none answers when none runs it. Returns the function that stops following.
 */
export interface SiblingOutput {
  follow(id: number, f: OutputFollower): () => void;
}

interface Entry {
  text: string;
  followers: Set<OutputFollower>;
}

export class LiveOutput {
  private readonly jobs = new Map<number, Entry>();

  /** A job starts on this node (called right after it is created as `running`). */
  begin(id: number): void {
    if (!this.jobs.has(id)) this.jobs.set(id, { text: '', followers: new Set() });
  }

  /** A piece of the job's kept output. */
  append(id: number, chunk: string): void {
    const e = this.jobs.get(id);
    if (!e || chunk === '') return;
    e.text += chunk;
    for (const f of [...e.followers]) {
      try { f.output(chunk); } catch { /* a broken follower (closed stream) must not affect the job or the others */ }
    }
  }

  /** The job's outcome is stored: tells followers and forgets the job. */
  end(job: Job): void {
    const e = this.jobs.get(job.id);
    if (!e) return;
    this.jobs.delete(job.id);
    for (const f of e.followers) {
      try { f.end(job); } catch { /* as above */ }
    }
    e.followers.clear();
  }

  /** Whether the job runs (or waits for a slot) on this node. */
  has(id: number): boolean {
    return this.jobs.has(id);
  }

  /** The output so far, or null when the job does not run on this node. */
  text(id: number): string | null {
    return this.jobs.get(id)?.text ?? null;
  }

  /**
   * Follows a job running on this node: returns the output so far and an unsubscribe function, and from then on calls
   * the follower for each new piece and once at the end. Null when the job does not run here (ended, or on another node).
   */
  follow(id: number, f: OutputFollower): { sofar: string; stop: () => void } | null {
    const e = this.jobs.get(id);
    if (!e) return null;
    e.followers.add(f);
    return { sofar: e.text, stop: () => { e.followers.delete(f); } };
  }

  /** Jobs held (for tests and metrics). */
  get size(): number {
    return this.jobs.size;
  }
}
