/** Conformance of the JobStore (jobs, channel messages) on every dialect. A dialect file says how to open an empty one. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { JobStore } from '../../src/core/ports.js';
import type { NewJob } from '../../src/core/job-types.js';

export interface JobStoreFactory {
  open(): Promise<{ jobs: JobStore; close(): Promise<void> }>;
  cleanup?(): Promise<void>;
}

const T0 = 1_700_000_000_000;
const newJob = (over: Partial<NewJob> = {}): NewJob => ({
  command: 'deploy', commandId: 3, args: ['a b', '$(x)'], userId: 1, username: 'alice', tokenId: null, channel: 'ops',
  trigger: 'api', status: 'running', reason: null, startedAt: T0, ...over,
});

export const jobStoreConformance = (name: string, factory: JobStoreFactory): void => {
  describe(`job store conformance: ${name}`, () => {
    let s: JobStore;
    let close: () => Promise<void>;
    before(async () => { const o = await factory.open(); s = o.jobs; close = o.close; });
    after(async () => { await close(); await factory.cleanup?.(); });

    test('createJob returns the job with an id and empty output; getJob reads it back exactly', async () => {
      const j = await s.createJob(newJob({ tokenId: 'tok_x', trigger: 'token' }));
      assert.ok(Number.isInteger(j.id) && j.id > 0);
      assert.deepEqual(j, {
        id: j.id, command: 'deploy', commandId: 3, args: ['a b', '$(x)'], userId: 1, username: 'alice', tokenId: 'tok_x', channel: 'ops',
        trigger: 'token', status: 'running', exitCode: null, output: '', truncated: false, reason: null, startedAt: T0, endedAt: null,
        node: null,
      });
      assert.deepEqual(await s.getJob(j.id), j);
      assert.equal(await s.getJob(987654), null);
    });

    test('finishJob ends a running job once; a second finish changes nothing', async () => {
      const j = await s.createJob(newJob());
      const end = { status: 'failed' as const, exitCode: 2, output: 'é\nout', truncated: true, reason: null, endedAt: T0 + 5 };
      const f = await s.finishJob(j.id, end);
      assert.equal(f?.status, 'failed');
      assert.equal(f?.exitCode, 2);
      assert.equal(f?.output, 'é\nout');
      assert.equal(f?.truncated, true);
      assert.equal(f?.endedAt, T0 + 5);
      assert.equal(await s.finishJob(j.id, { ...end, status: 'succeeded', exitCode: 0 }), null);
      assert.equal((await s.getJob(j.id))?.status, 'failed');
    });

    test('saveOutput writes a running job\'s output so far; an ended job keeps its stored output', async () => {
      const j = await s.createJob(newJob());
      assert.equal(await s.saveOutput(j.id, 'é one\n'), true);
      assert.equal((await s.getJob(j.id))?.output, 'é one\n');
      assert.equal(await s.saveOutput(j.id, 'é one\ntwo\n'), true);
      const r = await s.getJob(j.id);
      assert.equal(r?.output, 'é one\ntwo\n');
      assert.equal(r?.status, 'running');
      await s.finishJob(j.id, { status: 'succeeded', exitCode: 0, output: 'é one\ntwo\nend\n', truncated: false, reason: null, endedAt: T0 + 1 });
      assert.equal(await s.saveOutput(j.id, 'é one\n'), false);
      assert.equal((await s.getJob(j.id))?.output, 'é one\ntwo\nend\n');
      assert.equal(await s.saveOutput(987654, 'x'), false);
    });

    test('a rejected job can be created ended, with its reason', async () => {
      const j = await s.createJob(newJob({ status: 'rejected', reason: 'no', endedAt: T0, commandId: null, userId: null, username: null }));
      assert.equal(j.status, 'rejected');
      assert.equal(j.reason, 'no');
      assert.equal(j.endedAt, T0);
      assert.equal(j.userId, null);
    });

    test('listJobs: newest first, filters combine, the cursor pages without gaps or repeats', async () => {
      const mine: number[] = [];
      for (let i = 0; i < 5; i++) mine.push((await s.createJob(newJob({ command: 'listme', userId: 40 + (i % 2), status: i === 2 ? 'rejected' : 'running', endedAt: i === 2 ? T0 : null }))).id);
      const all = await s.listJobs({ command: 'listme', limit: 10 });
      assert.deepEqual(all.items.map((j) => j.id), [...mine].reverse());
      assert.equal(all.nextCursor, null);
      assert.deepEqual((await s.listJobs({ command: 'listme', userId: 40, limit: 10 })).items.map((j) => j.id), [mine[4], mine[2], mine[0]]);
      assert.deepEqual((await s.listJobs({ command: 'listme', status: 'rejected', limit: 10 })).items.map((j) => j.id), [mine[2]]);
      const seen: number[] = [];
      let cursor: string | undefined;
      for (;;) {
        const p = await s.listJobs({ command: 'listme', limit: 2, cursor });
        seen.push(...p.items.map((j) => j.id));
        if (!p.nextCursor) break;
        cursor = p.nextCursor;
      }
      assert.deepEqual(seen, [...mine].reverse());
      await assert.rejects(s.listJobs({ limit: 2, cursor: 'not-a-cursor' }), { code: 'INVALID_CURSOR' });
    });

    test('failRunningJobs marks every running job failed with the reason and leaves ended ones alone', async () => {
      const running = await s.createJob(newJob({ command: 'crash' }));
      const done = await s.createJob(newJob({ command: 'crash' }));
      await s.finishJob(done.id, { status: 'succeeded', exitCode: 0, output: '', truncated: false, reason: null, endedAt: T0 + 1 });
      const n = await s.failRunningJobs('server restarted', T0 + 9);
      assert.ok(n >= 1);
      const r = await s.getJob(running.id);
      assert.equal(r?.status, 'failed');
      assert.equal(r?.reason, 'server restarted');
      assert.equal(r?.endedAt, T0 + 9);
      assert.equal((await s.getJob(done.id))?.status, 'succeeded');
      assert.equal((await s.listJobs({ status: 'running', limit: 10 })).items.length, 0);
    });

    test('a job records its node; failRunningJobs with a node fails only that node\'s jobs and those without a node', async () => {
      const mine = await s.createJob(newJob({ command: 'nodes', node: 'node-a' }));
      const theirs = await s.createJob(newJob({ command: 'nodes', node: 'node-b' }));
      const legacy = await s.createJob(newJob({ command: 'nodes' }));
      const mineDone = await s.createJob(newJob({ command: 'nodes', node: 'node-a' }));
      await s.finishJob(mineDone.id, { status: 'succeeded', exitCode: 0, output: 'ok', truncated: false, reason: null, endedAt: T0 + 1 });
      assert.equal(mine.node, 'node-a');
      assert.equal((await s.getJob(theirs.id))?.node, 'node-b');
      assert.equal(legacy.node, null);
      assert.equal(await s.failRunningJobs('server restarted', T0 + 9, 'node-a'), 2);
      const m = await s.getJob(mine.id);
      assert.deepEqual([m?.status, m?.reason, m?.endedAt, m?.node], ['failed', 'server restarted', T0 + 9, 'node-a']);
      assert.equal((await s.getJob(legacy.id))?.status, 'failed');
      const t = await s.getJob(theirs.id);
      assert.deepEqual([t?.status, t?.reason, t?.endedAt], ['running', null, null]);
      assert.equal((await s.getJob(mineDone.id))?.status, 'succeeded');
      assert.equal(await s.failRunningJobs('server restarted', T0 + 10, 'node-a'), 0);
      assert.equal(await s.failRunningJobs('server restarted', T0 + 10, 'node-b'), 1);
      assert.equal((await s.getJob(theirs.id))?.status, 'failed');
    });

    test('failRunningJobs with workers: also `<node>#w<n>`, never another node whose id merely starts alike', async () => {
      const ids = new Map<string, number>();
      for (const node of ['w_1', 'w_1#w1', 'w_1#w2', 'wx1#w1', 'w_1-west', 'w_1#', 'other#w1']) {
        ids.set(node, (await s.createJob(newJob({ command: 'workers', node }))).id);
      }
      assert.equal(await s.failRunningJobs('server restarted', T0 + 9, 'w_1#w2'), 1, 'a worker: only its own');
      assert.equal((await s.getJob(ids.get('w_1#w1')!))?.status, 'running');
      assert.equal(await s.failRunningJobs('server restarted', T0 + 9, 'w_1', true), 2, 'the node itself and its worker 1');
      const status = async (node: string) => (await s.getJob(ids.get(node)!))?.status;
      for (const node of ['w_1', 'w_1#w1', 'w_1#w2']) assert.equal(await status(node), 'failed', node);
      for (const node of ['wx1#w1', 'w_1-west', 'w_1#', 'other#w1']) assert.equal(await status(node), 'running', `${node} is another node's`);
    });

    test('messages: stored per channel, newest-first pages, and everything after an id oldest first', async () => {
      const ids: number[] = [];
      for (let i = 0; i < 4; i++) ids.push((await s.addMessage({ channel: 'm1', text: `msg ${i} ✓`, jobId: i === 0 ? null : i, at: T0 + i })).id);
      await s.addMessage({ channel: 'other', text: 'x', jobId: null, at: T0 });
      const p1 = await s.listMessages({ channel: 'm1', limit: 3 });
      assert.deepEqual(p1.items.map((m) => m.id), [ids[3], ids[2], ids[1]]);
      assert.equal(p1.items[0]!.text, 'msg 3 ✓');
      assert.equal(p1.items[0]!.jobId, 3);
      assert.equal(p1.items[0]!.at, T0 + 3);
      const p2 = await s.listMessages({ channel: 'm1', limit: 3, cursor: p1.nextCursor! });
      assert.deepEqual(p2.items.map((m) => m.id), [ids[0]]);
      assert.equal(p2.items[0]!.jobId, null);
      assert.equal(p2.nextCursor, null);
      const after = await s.listMessages({ channel: 'm1', limit: 100, afterId: ids[1]! });
      assert.deepEqual(after.items.map((m) => m.id), [ids[2], ids[3]]);
    });
  });
};
