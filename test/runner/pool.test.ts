import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Pool, PoolFullError } from '../../src/runner/pool.js';
import { runCommand } from '../../src/runner/run.js';

test('at most `limit` real commands run at once; the rest start in FIFO order', async () => {
  const pool = new Pool({ limit: 2 });
  let maxRunning = 0;
  const started: number[] = [];
  const jobs = [0, 1, 2, 3, 4].map((i) =>
    pool.run(async () => {
      started.push(i);
      maxRunning = Math.max(maxRunning, pool.running);
      return runCommand({ argv: ['/bin/sleep', '0.2'], timeoutMs: 5_000 });
    }),
  );
  assert.equal(pool.running, 2);
  assert.equal(pool.queued, 3);
  const results = await Promise.all(jobs);
  assert.ok(results.every((r) => r.status === 'succeeded'));
  assert.equal(maxRunning, 2);
  assert.deepEqual(started, [0, 1, 2, 3, 4]);
  assert.equal(pool.running, 0);
  assert.equal(pool.queued, 0);
});

test('a failing or synchronously throwing job frees its slot and rejects its caller only', async () => {
  const pool = new Pool({ limit: 1 });
  const a = pool.run(() => Promise.reject(new Error('boom')));
  const b = pool.run(() => {
    throw new Error('sync');
  });
  const c = pool.run(async () => 'ok');
  await assert.rejects(a, /boom/);
  await assert.rejects(b, /sync/);
  assert.equal(await c, 'ok');
  assert.equal(pool.running, 0);
});

test('a full queue refuses with PoolFullError', async () => {
  const pool = new Pool({ limit: 1, maxQueued: 1 });
  let release!: () => void;
  const first = pool.run(() => new Promise<void>((r) => (release = r)));
  const second = pool.run(async () => 2);
  await assert.rejects(pool.run(async () => 3), (e: unknown) => e instanceof PoolFullError && e.code === 'POOL_FULL');
  release();
  await first;
  assert.equal(await second, 2);
});

test('aborting a waiting job removes it from the queue; it never starts', async () => {
  const pool = new Pool({ limit: 1 });
  let release!: () => void;
  const first = pool.run(() => new Promise<void>((r) => (release = r)));
  const ac = new AbortController();
  let ran = false;
  const waiting = pool.run(async () => {
    ran = true;
  }, { signal: ac.signal });
  assert.equal(pool.queued, 1);
  ac.abort(new Error('cancelled'));
  await assert.rejects(waiting, /cancelled/);
  assert.equal(pool.queued, 0);
  release();
  await first;
  assert.equal(ran, false);
  await assert.rejects(pool.run(async () => 1, { signal: ac.signal }), /cancelled/, 'already aborted');
});

test('invalid limits are refused', () => {
  assert.throws(() => new Pool({ limit: 0 }), RangeError);
  assert.throws(() => new Pool({ limit: 1.5 }), RangeError);
  assert.throws(() => new Pool({ limit: 1, maxQueued: -1 }), RangeError);
});
