/**
 * A concurrency limiter for jobs: at most `limit` run at once, the others wait in FIFO order (Meeseeks has the same
 * knob, `pool: 20`). Every command-bound token call can start a job, so the limit, together with `maxQueued`, is
 * what keeps a burst of calls from forking without bound.
 *
 * Why not a library: p-limit is not installed, and `fastq` is only a transitive dependency of fastify (using it would
 * mean adding it to package.json, outside this module's remit, for a callback-style API). The queue below is small
 * and does the two things fastq/p-limit do not do out of the box: a bounded queue that refuses with a typed error, and
 * cancelling a waiting job through an AbortSignal.
 *
 * A job that is already running is not cancelled by the pool: pass the same AbortSignal to the job itself
 * (`runCommand`'s `hooks.signal`) to stop it.
 */

export class PoolFullError extends Error {
  readonly code = 'POOL_FULL' as const;
  constructor(maxQueued: number) {
    super(`too many jobs waiting (${maxQueued} queued)`);
    this.name = 'PoolFullError';
  }
}

export interface PoolOptions {
  /** Jobs allowed to run at the same time (an integer ≥ 1). */
  limit: number;
  /** Jobs allowed to wait; one more is refused with `PoolFullError`. Default: unbounded. */
  maxQueued?: number;
}

interface Waiting {
  start(): void;
  cancel(reason: unknown): void;
}

export class Pool {
  readonly limit: number;
  readonly maxQueued: number;
  #running = 0;
  // Array.shift is O(n), fine for the queue lengths a bounded pool allows.
  #queue: Waiting[] = [];

  constructor(options: PoolOptions) {
    const { limit, maxQueued = Infinity } = options;
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`pool limit must be an integer >= 1, got ${limit}`);
    if (maxQueued !== Infinity && (!Number.isInteger(maxQueued) || maxQueued < 0)) {
      throw new RangeError(`pool maxQueued must be an integer >= 0, got ${maxQueued}`);
    }
    this.limit = limit;
    this.maxQueued = maxQueued;
  }

  /** Jobs running now. */
  get running(): number {
    return this.#running;
  }

  /** Jobs waiting for a free slot. */
  get queued(): number {
    return this.#queue.length;
  }

  /**
   * Runs `job` when a slot is free and settles like the job's promise. Rejects at once with `PoolFullError` when the
   * queue is full, and with `signal.reason` if `signal` aborts while the job is still waiting (it then never starts).
   */
  run<T>(job: () => Promise<T>, options: { signal?: AbortSignal } = {}): Promise<T> {
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<T>((resolve, reject) => {
      const start = (): void => {
        this.#running++;
        let p: Promise<T>;
        try {
          p = job();
        } catch (e) {
          p = Promise.reject(e); // a job that throws synchronously still frees its slot
        }
        p.then(resolve, reject).finally(() => {
          this.#running--;
          this.#next();
        });
      };
      if (this.#running < this.limit && this.#queue.length === 0) {
        start();
        return;
      }
      if (this.#queue.length >= this.maxQueued) {
        reject(new PoolFullError(this.maxQueued));
        return;
      }
      const onAbort = (): void => entry.cancel(signal?.reason);
      const entry: Waiting = {
        start: () => {
          signal?.removeEventListener('abort', onAbort);
          start();
        },
        cancel: (reason) => {
          const i = this.#queue.indexOf(entry);
          if (i >= 0) this.#queue.splice(i, 1);
          reject(reason);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#queue.push(entry);
    });
  }

  #next(): void {
    while (this.#running < this.limit) {
      const entry = this.#queue.shift();
      if (!entry) return;
      entry.start();
    }
  }
}
