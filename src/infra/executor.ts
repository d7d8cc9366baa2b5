/** The CommandExecutor port on src/runner: argv without a shell, own process group, timeout, output cap, a bounded pool. */
import type { ArgPolicy } from '../core/job-types.js';
import type { CommandExecutor, ExecResult, ExecSpec } from '../core/ports.js';
import { checkArgs } from '../runner/args.js';
import { Pool, PoolFullError } from '../runner/pool.js';
import { runCommand } from '../runner/run.js';

export interface ExecutorOptions {
  /** Jobs running at once. */
  maxConcurrent: number;
  /** Jobs allowed to wait for a slot; one more is refused (JOB_QUEUE_FULL). */
  maxQueued: number;
  /** Time between SIGTERM and SIGKILL when a job is stopped. */
  killGraceMs?: number;
  now?(): number;
  /** Each command's process group as it starts (`true`) and ends (`false`): a worker tells its primary (cluster.ts). */
  onGroup?(pgid: number, running: boolean): void;
}

export const runnerExecutor = (o: ExecutorOptions): CommandExecutor & { pool: Pool } => {
  const pool = new Pool({ limit: o.maxConcurrent, maxQueued: o.maxQueued });
  return {
    pool,
    checkArgs: (policy: ArgPolicy, extra: readonly string[]) => checkArgs(policy, extra),
    isFull: () => pool.running >= pool.limit && pool.queued >= pool.maxQueued,
    run: (spec: ExecSpec, signal: AbortSignal, onOutput?: (chunk: string) => void): Promise<ExecResult> => pool.run(async () => {
      const r = await runCommand({
        argv: spec.argv, cwd: spec.cwd, env: spec.env, timeoutMs: spec.timeoutMs, outputCapBytes: spec.outputCapBytes, killGraceMs: o.killGraceMs,
      }, { signal, now: o.now, ...(onOutput ? { onOutput } : {}), ...(o.onGroup ? { onGroup: o.onGroup } : {}) });
      return { status: r.status, exitCode: r.exitCode, output: r.output, truncated: r.truncated, ...(r.error !== undefined ? { error: r.error } : {}) };
    }, { signal }).catch((e: unknown): ExecResult => {
      if (e instanceof PoolFullError) throw e;
      // Stopped while still waiting for a slot: it never started.
      return { status: 'failed', exitCode: null, output: '', truncated: false, error: signal.aborted ? 'aborted' : String((e as Error)?.message ?? e) };
    }),
  };
};
