/**
 * A job's output live: GET /api/v1/jobs/{id}/stream on a real listening server, read with fetch. The command prints a
 * line, waits for a file the test creates, then prints again: what the stream shows while it waits is certain, never
 * raced against a clock.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { nodeId } from '../../src/main.js';
import { SqlJobStore } from '../../src/store/sql-jobs.js';
import type { SqlStore } from '../../src/store/sql-store.js';
import { bearer, type Harness } from '../helpers.js';
import { script, scriptDir, settled, type SseEvent, sseReader, startJobsHarness } from './support.js';

const dir = scriptDir();
const gate = join(dir, 'go');
let h: Harness;
let base: string;
let olga: Awaited<ReturnType<Harness['createUser']>>;

before(async () => {
  h = await startJobsHarness({
    talk: { id: 1, argv: [script(dir, 'talk.sh', `echo "first line"\nwhile [ ! -e "${gate}" ]; do sleep 0.02; done\necho "second line"\nexit 3`)], groups: ['ops'], timeout: 600 },
    hello: { id: 2, argv: ['/bin/echo', 'héllo wörld'], groups: ['ops'] },
    big: { id: 3, argv: ['/bin/sh', '-c', 'yes abcdefgh | head -c 5000'], output_cap: 1000 },
  });
  olga = await h.createUser('olga', { groups: ['ops'] });
  await h.t.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(h.t.app.server.address() as AddressInfo).port}`;
});
after(async () => {
  writeFileSync(gate, '');
  await h.close();
});

const run = async (name: string, headers: Record<string, string> = { cookie: h.adminCookie }): Promise<number> => {
  const r = await h.req({ method: 'POST', url: `/api/v1/commands/${name}/run`, headers });
  assert.equal(r.statusCode, 202, r.body);
  return r.json().id as number;
};
const stream = (id: number, headers: Record<string, string> = { cookie: h.adminCookie }) => fetch(`${base}/api/v1/jobs/${id}/stream`, { headers });
const text = (ev: SseEvent[]): string => ev.filter((e) => e.event === 'output').map((e) => JSON.parse(e.data!).text as string).join('');
const hasEnd = (ev: SseEvent[]): boolean => ev.some((e) => e.event === 'end');

describe('GET /api/v1/jobs/{id}/stream', () => {
  test('output arrives while the command runs; a late client gets what was printed so far; `end` carries the job', async () => {
    const id = await run('talk', bearer(olga.token));
    const res = await stream(id, bearer(olga.token));
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/event-stream/);
    const first = sseReader(res.body!);
    await first.until((ev) => text(ev).includes('first line\n'));
    assert.equal(text(first.events), 'first line\n');
    assert.ok(!hasEnd(first.events));
    // The command is still waiting for the gate: the job is running; GET shows the output so far, and the store gets
    // it too (within `jobs.output_save_ms`, for the other nodes and workers).
    const mid = (await h.req({ method: 'GET', url: `/api/v1/jobs/${id}`, headers: bearer(olga.token) })).json();
    assert.equal(mid.status, 'running');
    assert.equal(mid.output, 'first line\n');
    const jobs = new SqlJobStore((h.t.services.store as SqlStore).db);
    for (let i = 0; i < 100 && (await jobs.getJob(id))!.output === ''; i++) await new Promise((done) => setTimeout(done, 50));
    assert.deepEqual([(await jobs.getJob(id))!.status, (await jobs.getJob(id))!.output], ['running', 'first line\n']);

    const late = sseReader((await stream(id)).body!); // an admin, connecting mid-run
    await late.until((ev) => text(ev).length >= 'first line\n'.length);
    assert.equal(text(late.events), 'first line\n');
    const o = late.events.find((e) => e.event === 'output')!;
    assert.equal(o.id, String('first line\n'.length), 'the event id is the number of characters sent so far');

    writeFileSync(gate, '');
    for (const r of [first, late]) {
      await r.until(hasEnd);
      assert.equal(text(r.events), 'first line\nsecond line\n');
      const end = r.events.at(-1)!;
      assert.equal(end.event, 'end');
      const job = JSON.parse(end.data!);
      assert.equal(job.id, id);
      assert.equal(job.status, 'failed');
      assert.equal(job.exit_code, 3);
      assert.equal(job.output, 'first line\nsecond line\n');
      await r.until(() => false); // the server closes the stream after `end`
      assert.ok(r.ended);
    }
    const stored = (await h.req({ method: 'GET', url: `/api/v1/jobs/${id}`, headers: bearer(olga.token) })).json();
    assert.equal(stored.status, 'failed');
    assert.equal(stored.node, nodeId(h.t.config));
  });

  test('a finished job gives its output and `end` at once; Last-Event-ID resumes at that character', async () => {
    const id = await run('hello');
    await settled(h, id);
    const r = sseReader((await stream(id)).body!);
    await r.until(() => false);
    assert.ok(r.ended);
    assert.deepEqual(r.events.map((e) => e.event), ['output', 'end']);
    assert.equal(text(r.events), 'héllo wörld\n');
    assert.equal(JSON.parse(r.events[1]!.data!).status, 'succeeded');

    const resumed = sseReader((await stream(id, { cookie: h.adminCookie, 'last-event-id': '6' })).body!);
    await resumed.until(() => false);
    assert.equal(text(resumed.events), 'wörld\n');
    assert.equal(resumed.events[0]!.id, String('héllo wörld\n'.length));
    const past = sseReader((await stream(id, { cookie: h.adminCookie, 'last-event-id': '999' })).body!);
    await past.until(() => false);
    assert.deepEqual(past.events.map((e) => e.event), ['end']);
  });

  test('the streamed output is the stored output, cut at the command\'s cap', async () => {
    const id = await run('big');
    const r = sseReader((await stream(id)).body!);
    await r.until(hasEnd);
    const job = JSON.parse(r.events.at(-1)!.data!);
    assert.equal(job.truncated, true);
    assert.equal(job.output.length, 1000);
    assert.equal(text(r.events), job.output);
  });

  test('a job running on another node: the output it wrote to the store arrives while it runs, the rest and `end` when it ends', async () => {
    const jobs = new SqlJobStore((h.t.services.store as SqlStore).db);
    const j = await jobs.createJob({
      command: 'hello', commandId: 2, args: [], userId: 1, username: 'admin', tokenId: null, channel: 'default', trigger: 'api',
      status: 'running', reason: null, startedAt: h.clock.now(), node: 'some-other-node',
    });
    const r = sseReader((await stream(j.id)).body!);
    await jobs.saveOutput(j.id, 'half way\n'); // as the other node does every `jobs.output_save_ms`
    await r.until((ev) => text(ev) === 'half way\n');
    assert.ok(!hasEnd(r.events));
    await jobs.finishJob(j.id, { status: 'succeeded', exitCode: 0, output: 'half way\ndone elsewhere\n', truncated: false, reason: null, endedAt: h.clock.now() });
    await r.until(hasEnd);
    assert.deepEqual(r.events.map((e) => e.event), ['output', 'output', 'end']);
    assert.equal(text(r.events), 'half way\ndone elsewhere\n');
    assert.equal(JSON.parse(r.events[2]!.data!).node, 'some-other-node');
  });

  test('permission as GET /jobs/{id}: someone else\'s job 404, no credential 401, unknown 404, bad id 400', async () => {
    const id = await run('hello');
    await settled(h, id);
    const ben = await h.createUser('ben', { groups: ['ops'] });
    const foreign = await stream(id, bearer(ben.token));
    assert.equal(foreign.status, 404);
    assert.equal((await foreign.json()).error.code, 'NOT_FOUND');
    assert.equal((await stream(id, {})).status, 401);
    assert.equal((await stream(987654)).status, 404);
    const bad = await fetch(`${base}/api/v1/jobs/abc/stream`, { headers: { cookie: h.adminCookie } });
    assert.equal(bad.status, 400);
    const badResume = await stream(id, { cookie: h.adminCookie, 'last-event-id': 'x' });
    assert.equal(badResume.status, 400);
  });
});
