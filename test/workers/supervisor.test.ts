/**
 * The primary's supervision (superviseWorkers in src/infra/cluster.ts) with stand-in workers (fixtures/worker.mjs), in
 * this process as the cluster primary: a worker that keeps dying young is restarted with a doubling wait and logged;
 * one that fails before it ever listened stops the start (exit code 1); SIGTERM stops every worker and resolves 0.
 */
import assert from 'node:assert/strict';
import cluster from 'node:cluster';
import { join } from 'node:path';
import { test } from 'node:test';
import { superviseWorkers } from '../../src/infra/cluster.js';

const FIXTURE = join(import.meta.dirname, 'fixtures/worker.mjs');

interface Line { level: string; obj: Record<string, unknown>; msg: string }
const recorder = () => {
  const lines: Line[] = [];
  return { lines, log: (level: 'info' | 'warn' | 'error', obj: Record<string, unknown>, msg: string) => { lines.push({ level, obj, msg }); } };
};
const until = async (cond: () => boolean, limitMs = 20_000): Promise<void> => {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > limitMs) throw new Error('condition not met');
    await new Promise((r) => setTimeout(r, 10));
  }
};

test('a worker that keeps dying young is restarted after 100, 200, 400 ms (logged); SIGTERM stops all and resolves 0', async () => {
  cluster.setupPrimary({ exec: FIXTURE, execArgv: [] });
  process.env.WORKER_MODE = 'serve';
  const r = recorder();
  const done = superviseWorkers({ count: 2, log: r.log, rateLimits: false, minBackoffMs: 100, maxBackoffMs: 400, stableMs: 60_000 });
  await until(() => r.lines.some((l) => /^all 2 workers listening$/.test(l.msg)));
  // From now on each new worker crashes 30 ms after it listens.
  process.env.WORKER_MODE = 'crash';
  const first = r.lines.find((l) => l.msg === 'worker listening' && l.obj.worker === 2)!;
  process.kill(first.obj.worker_pid as number, 'SIGKILL');
  await until(() => r.lines.filter((l) => l.msg === 'worker died; restarting').length >= 4);
  const died = r.lines.filter((l) => l.msg === 'worker died; restarting');
  assert.equal(died[0]!.obj.signal, 'SIGKILL');
  assert.equal(died[0]!.obj.worker, 2);
  assert.deepEqual(died.slice(0, 4).map((l) => l.obj.restart_in_ms), [100, 200, 400, 400], 'doubling, capped');
  assert.ok(died.slice(1).every((l) => l.obj.code === 1 && l.level === 'warn'));
  const restarted = r.lines.filter((l) => l.msg === 'worker listening' && l.obj.worker === 2).map((l) => l.obj.worker_pid);
  assert.ok(new Set(restarted).size >= 3, 'each restart is a new process');
  process.emit('SIGTERM', 'SIGTERM');
  assert.equal(await done, 0);
  const stopped = r.lines.filter((l) => l.msg === 'worker stopped');
  assert.ok(stopped.some((l) => l.obj.worker === 1 && l.obj.code === 0), 'worker 1 drained and exited 0');
  assert.equal(Object.keys(cluster.workers ?? {}).length, 0, 'no worker left');
});

test('a worker that fails before it ever listened stops the start with exit code 1', async () => {
  cluster.setupPrimary({ exec: FIXTURE, execArgv: [] });
  process.env.WORKER_MODE = 'fail';
  const r = recorder();
  const code = await superviseWorkers({ count: 2, log: r.log, rateLimits: false });
  assert.equal(code, 1);
  assert.ok(r.lines.some((l) => l.level === 'error' && l.msg === 'worker failed to start; stopping'));
  assert.equal(Object.keys(cluster.workers ?? {}).length, 0);
});
