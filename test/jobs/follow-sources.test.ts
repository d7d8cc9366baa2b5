/**
 * `JobService.follow` for a job that runs in another process gets its output from two sources at once: a sibling
 * worker (each piece, live) and the store (the output so far, written every `jobs.output_save_ms` by the process
 * running it, read every `remotePollMs`). Both give the same output from its beginning, each at its own pace: the
 * follower must get every character once, in order, whichever source is ahead. A real SQLite job store; the sibling is
 * the port `SiblingOutput`, driven by the test (the IPC relay behind it has its own test, test/workers/job-stream).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test, type TestContext } from 'node:test';
import { openSqliteStore } from '../../src/store/sqlite/index.js';
import { SqlJobStore } from '../../src/store/sql-jobs.js';
import { JobService } from '../../src/core/jobs/service.js';
import { systemClock } from '../../src/infra/system.js';
import type { OutputFollower, SiblingOutput } from '../../src/core/jobs/live.js';
import type { RequestContext } from '../../src/core/principal.js';
import type { Job } from '../../src/core/job-types.js';

const dir = mkdtempSync(join(tmpdir(), 'tessera-follow-'));
let store: Awaited<ReturnType<typeof openSqliteStore>>;
let jobs: SqlJobStore;
before(async () => { store = await openSqliteStore(join(dir, 'tessera.db')); jobs = new SqlJobStore(store.db); });
after(async () => { await store.close(); rmSync(dir, { recursive: true, force: true }); });

const admin: RequestContext = {
  ip: null, requestId: null,
  principal: { type: 'user', access: 'full', user: { id: 1, username: 'admin', email: null, role: 'admin', groups: [], roles: [], permissions: [], disabled: false, createdAt: 0, updatedAt: 0 } },
};

/** A sibling worker the test speaks for: `send` passes a piece on to whoever follows, `end` ends. */
const sibling = (): SiblingOutput & { send(chunk: string): void; end(j: Job): void; followers: number } => {
  const fs = new Set<OutputFollower>();
  return {
    follow: (_id, f) => { fs.add(f); return () => { fs.delete(f); }; },
    send: (chunk) => { for (const f of fs) f.output(chunk); },
    end: (j) => { for (const f of fs) f.end(j); },
    get followers() { return fs.size; },
  };
};

const follower = (): OutputFollower & { got: string[]; ended: Job | null; next(n: number): Promise<void> } => {
  const got: string[] = [];
  const waits: (() => void)[] = [];
  const me = {
    got, ended: null as Job | null,
    output: (c: string) => { got.push(c); for (const w of waits.splice(0)) w(); },
    end: (j: Job) => { me.ended = j; for (const w of waits.splice(0)) w(); },
    /** Resolves once `n` pieces came. */
    next: async (n: number) => { while (got.length < n) await new Promise<void>((done) => waits.push(done)); },
  };
  return me;
};

const running = () => jobs.createJob({
  command: 'hold', commandId: 1, args: [], userId: 1, username: 'admin', tokenId: null, channel: 'default', trigger: 'api',
  status: 'running', reason: null, startedAt: Date.now(), node: 'web-2',
});

/**
 * A job running elsewhere whose store holds `sofar`, followed from character `from` by a JobService whose sibling the
 * test speaks for (the store read every 10 ms); following stops when the test ends.
 */
const followElsewhere = async (t: TestContext, sofar: string, from = 0) => {
  const sib = sibling();
  const svc = new JobService(store, jobs, systemClock, { siblings: sib, remotePollMs: 10 });
  const job = await running();
  await jobs.saveOutput(job.id, sofar);
  const f = follower();
  t.after(await svc.follow(admin, job.id, f, from));
  return { sib, job, f };
};

test('the sibling ahead, then the store ahead, then the end: every character once, in order', { timeout: 10_000 }, async (t) => {
  const { sib, job, f } = await followElsewhere(t, 'ab');
  assert.deepEqual(f.got, ['ab'], 'the store\'s output so far at once');
  sib.send('ab'); // the sibling's output so far: nothing new
  sib.send('c');
  assert.deepEqual(f.got, ['ab', 'c']);
  await jobs.saveOutput(job.id, 'abcde'); // the store gets ahead of the relay
  await f.next(3);
  assert.deepEqual(f.got, ['ab', 'c', 'de']);
  sib.send('def'); // overlaps what the store gave
  assert.deepEqual(f.got, ['ab', 'c', 'de', 'f']);
  const ended = await jobs.finishJob(job.id, { status: 'succeeded', exitCode: 0, output: 'abcdefgh', truncated: false, reason: null, endedAt: Date.now() });
  sib.send('g'); // (the store's poll may have seen the end first: then this is ignored)
  sib.end(ended!);
  assert.equal(f.got.join(''), 'abcdefgh');
  assert.equal(f.ended?.status, 'succeeded');
  assert.equal(sib.followers, 0, 'the sibling is no longer followed');
});

test('from a character on (Last-Event-ID): the store and the sibling both give only what lies beyond it', { timeout: 10_000 }, async (t) => {
  const { sib, job, f } = await followElsewhere(t, 'abc', 2);
  assert.deepEqual(f.got, ['c']);
  sib.send('abcd');
  assert.deepEqual(f.got, ['c', 'd']);
  await jobs.finishJob(job.id, { status: 'failed', exitCode: 1, output: 'abcdef', truncated: false, reason: null, endedAt: Date.now() });
  while (f.ended === null) await new Promise((done) => setTimeout(done, 5));
  assert.deepEqual(f.got, ['c', 'd', 'ef'], 'the end read from the store carries the rest');
  assert.equal(sib.followers, 0);
});
