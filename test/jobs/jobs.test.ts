/** Job listing and reading, refusals recorded as jobs (bound tokens' mode), the queue limit, shutdown and restart. */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { PassThrough } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { loadConfig } from '../../src/config/load.js';
import type { Principal } from '../../src/core/principal.js';
import type { NewJob } from '../../src/core/job-types.js';
import { createTessera, nodeId } from '../../src/main.js';
import { SqlJobStore } from '../../src/store/sql-jobs.js';
import type { SqlStore } from '../../src/store/sql-store.js';
import { bearer, type Harness } from '../helpers.js';
import { settled, startJobsHarness } from './support.js';

describe('listing and reading jobs', () => {
  let h: Harness;
  let ana: Awaited<ReturnType<Harness['createUser']>>;
  let ben: Awaited<ReturnType<Harness['createUser']>>;
  const ids: Record<string, number[]> = { ana: [], ben: [] };
  before(async () => {
    h = await startJobsHarness({
      ok: { id: 1, argv: ['/bin/true'], groups: ['ops'] },
      ko: { id: 2, argv: ['/bin/false'], groups: ['ops'] },
    });
    ana = await h.createUser('ana', { groups: ['ops'] });
    ben = await h.createUser('ben', { groups: ['ops'] });
    for (const [who, u, cmd] of [['ana', ana, 'ok'], ['ana', ana, 'ko'], ['ana', ana, 'ok'], ['ben', ben, 'ko']] as const) {
      const r = await h.req({ method: 'POST', url: `/api/v1/commands/${cmd}/run`, headers: bearer(u.token) });
      assert.equal(r.statusCode, 202, r.body);
      await settled(h, r.json().id);
      ids[who]!.push(r.json().id);
    }
  });
  after(async () => { await h.close(); });

  const list = (qs: string, headers: Record<string, string>) => h.req({ method: 'GET', url: `/api/v1/jobs${qs}`, headers });

  test('a user sees only their own jobs, newest first', async () => {
    const r = await list('', bearer(ana.token));
    assert.equal(r.statusCode, 200);
    assert.deepEqual(r.json().items.map((j: { id: number }) => j.id), [...ids.ana!].reverse());
    assert.ok(r.json().items.every((j: { user: { username: string }; token_id: string }) => j.user.username === 'ana' && j.token_id === ana.tokenId));
  });

  test('filters: status and command; admins may pick a user; users may not pick another', async () => {
    assert.deepEqual((await list('?status=failed', bearer(ana.token))).json().items.map((j: { id: number }) => j.id), [ids.ana![1]]);
    assert.deepEqual((await list('?command=ok', bearer(ana.token))).json().items.map((j: { id: number }) => j.id), [ids.ana![2], ids.ana![0]]);
    assert.deepEqual((await list('?user=ben', { cookie: h.adminCookie })).json().items.map((j: { id: number }) => j.id), ids.ben);
    assert.deepEqual((await list(`?user=${ben.id}&status=failed`, { cookie: h.adminCookie })).json().items.map((j: { id: number }) => j.id), ids.ben);
    assert.equal((await list('', { cookie: h.adminCookie })).json().items.length, 4);
    const nobody = await list('?user=nobody', { cookie: h.adminCookie });
    assert.equal(nobody.statusCode, 400, 'an unknown user is reported, as the token listing reports an unknown owner');
    assert.equal(nobody.json().error.code, 'VALIDATION_ERROR');
    assert.equal(nobody.json().error.field, 'user');
    const other = await list('?user=ben', bearer(ana.token));
    assert.equal(other.statusCode, 403);
    assert.equal(other.json().error.code, 'FORBIDDEN');
    assert.equal((await list('?status=bogus', bearer(ana.token))).statusCode, 400);
  });

  test('cursor pagination visits every job once', async () => {
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const r = await list(`?limit=1${cursor ? `&cursor=${cursor}` : ''}`, { cookie: h.adminCookie });
      assert.equal(r.statusCode, 200);
      seen.push(...r.json().items.map((j: { id: number }) => j.id));
      cursor = r.json().next_cursor;
    } while (cursor);
    assert.deepEqual(seen, [...ids.ana!, ...ids.ben!].sort((a, b) => b - a));
  });

  test('GET /jobs/{id}: own job 200, someone else\'s 404 (admins see all), unknown 404, not a number 400', async () => {
    assert.equal((await h.req({ method: 'GET', url: `/api/v1/jobs/${ids.ana![0]}`, headers: bearer(ana.token) })).statusCode, 200);
    const foreign = await h.req({ method: 'GET', url: `/api/v1/jobs/${ids.ben![0]}`, headers: bearer(ana.token) });
    assert.equal(foreign.statusCode, 404);
    assert.equal(foreign.json().error.code, 'NOT_FOUND');
    assert.equal((await h.req({ method: 'GET', url: `/api/v1/jobs/${ids.ben![0]}`, headers: { cookie: h.adminCookie } })).statusCode, 200);
    assert.equal((await h.req({ method: 'GET', url: '/api/v1/jobs/99999', headers: { cookie: h.adminCookie } })).statusCode, 404);
    assert.equal((await h.req({ method: 'GET', url: '/api/v1/jobs/abc', headers: { cookie: h.adminCookie } })).statusCode, 400);
  });

  test('refusal mode `record` (bound tokens): a refused run is a rejected job, posted to its channel, not an error', async () => {
    const stale = (await h.t.services.store.getUser(ben.id))!;
    const p = await h.req({ method: 'PATCH', url: `/api/v1/users/${ben.id}`, headers: { cookie: h.adminCookie }, payload: { groups: [] } });
    assert.equal(p.statusCode, 200);
    const principal: Principal = { type: 'user', user: stale, access: 'full' }; // stale groups ['ops']: the store decides
    const job = await h.t.services.commands.start(
      { principal, command: 'ok', args: [], trigger: 'token', tokenId: 'tok_bound0000000001' }, { refusal: 'record' });
    assert.equal(job.status, 'rejected');
    assert.match(job.reason ?? '', /may not run 'ok'/);
    assert.equal(job.tokenId, 'tok_bound0000000001');
    assert.equal(job.trigger, 'token');
    assert.ok(job.endedAt !== null);
    const m = await h.req({ method: 'GET', url: '/api/v1/channels/default/messages?limit=1', headers: { cookie: h.adminCookie } });
    assert.equal(m.json().items[0].job_id, job.id);
    assert.match(m.json().items[0].text, /^@ben \*ok\* was refused: user 'ben' may not run 'ok'/);
    const audit = await h.req({ method: 'GET', url: `/api/v1/audit?action=job.refuse&target=${job.id}`, headers: { cookie: h.adminCookie } });
    assert.equal(audit.json().items.length, 1);
    const args = await h.t.services.commands.start({ principal: { type: 'user', user: (await h.t.services.store.getUser(1))!, access: 'full' }, command: 'ok', args: ['x'], trigger: 'token' }, { refusal: 'record' });
    assert.equal(args.status, 'rejected');
    assert.match(args.reason ?? '', /no extra arguments/);
    const unknown = await h.t.services.commands.start({ principal, command: 'gone', args: [], trigger: 'token' }, { refusal: 'record' });
    assert.equal(unknown.status, 'rejected');
    assert.equal(unknown.command, 'gone');
    assert.equal(unknown.commandId, null);
    await assert.rejects(h.t.services.commands.start({ principal, command: 'ok', args: [], trigger: 'token', channel: 'nope' }, { refusal: 'record' }),
      { code: 'CHANNEL_NOT_FOUND' });
    const env = await h.t.services.commands.start({ principal: { type: 'user', user: (await h.t.services.store.getUser(1))!, access: 'full' }, command: 'ok', args: [], trigger: 'token', env: { LD_PRELOAD: '/x.so' } }, { refusal: 'record' });
    assert.equal(env.status, 'rejected');
    assert.match(env.reason ?? '', /LD_PRELOAD/);
  });
});

describe('queue limit, shutdown and restart', () => {
  test('a full queue refuses with 503 JOB_QUEUE_FULL; shutdown fails running jobs; a restart fails this node\'s jobs left running', async () => {
    const h = await startJobsHarness({ block: { id: 1, argv: ['/bin/sleep', '600'], timeout: 3600 } },
      { jobs: { max_concurrent: 1, max_queued: 0, kill_grace_ms: 100, output_save_ms: 1000 } });
    const first = await h.req({ method: 'POST', url: '/api/v1/commands/block/run', headers: { cookie: h.adminCookie } });
    assert.equal(first.statusCode, 202);
    const second = await h.req({ method: 'POST', url: '/api/v1/commands/block/run', headers: { cookie: h.adminCookie } });
    assert.equal(second.statusCode, 503);
    assert.equal(second.json().error.code, 'JOB_QUEUE_FULL');
    assert.ok(second.headers['retry-after']);

    // Jobs a crashed process of this node left `running` (written straight to the store: no process runs them), and
    // one running on another node that shares the database.
    const direct = new SqlJobStore((h.t.services.store as SqlStore).db);
    const orphanJob: NewJob = {
      command: 'block', commandId: 1, args: [], userId: 1, username: 'admin', tokenId: null, channel: 'default', trigger: 'api',
      status: 'running', reason: null, startedAt: h.clock.now(),
    };
    const orphan = await direct.createJob({ ...orphanJob, node: nodeId(h.t.config) });
    const legacy = await direct.createJob(orphanJob); // from before nodes were recorded
    const elsewhere = await direct.createJob({ ...orphanJob, node: 'another-node' });
    assert.equal((await direct.getJob(first.json().id))?.node, nodeId(h.t.config));
    await h.t.close(); // stops the running job (its process group is killed)
    const logs = new PassThrough();
    let logText = '';
    logs.on('data', (c: Buffer) => { logText += c.toString(); });
    const again = await createTessera(h.t.config, { clock: h.clock, logStream: logs });
    try {
      const stopped = await new SqlJobStore((again.services.store as SqlStore).db).getJob(first.json().id);
      assert.equal(stopped!.status, 'failed');
      assert.equal(stopped!.reason, 'server shutting down');
      const o = (await new SqlJobStore((again.services.store as SqlStore).db).getJob(orphan.id))!;
      assert.equal(o.status, 'failed');
      assert.equal(o.reason, 'server restarted');
      assert.ok(o.endedAt !== null);
      assert.equal((await new SqlJobStore((again.services.store as SqlStore).db).getJob(legacy.id))!.status, 'failed');
      const e = (await new SqlJobStore((again.services.store as SqlStore).db).getJob(elsewhere.id))!;
      assert.deepEqual([e.status, e.reason, e.endedAt], ['running', null, null], 'another node\'s live job is left alone');
      assert.match(logText, /jobs left running by a previous process were marked failed/);
    } finally {
      await again.close();
      rmSync(h.dir, { recursive: true, force: true });
    }
  });
});

describe('node id (restart recovery is per node)', () => {
  test('config node_id (or TESSERA_NODE_ID) wins; the default is the host name and a hash of data_dir, stable per directory', () => {
    assert.equal(nodeId(loadConfig({}, { data_dir: '/srv/a', node_id: 'web-1' })), 'web-1');
    assert.equal(nodeId(loadConfig({ TESSERA_NODE_ID: 'web-2' }, { data_dir: '/srv/a' })), 'web-2');
    const a = nodeId(loadConfig({}, { data_dir: '/srv/a' }));
    assert.equal(nodeId(loadConfig({}, { data_dir: '/srv/a/' })), a);
    assert.notEqual(nodeId(loadConfig({}, { data_dir: '/srv/b' })), a);
    assert.match(a, /^[A-Za-z0-9_.:-]+-[0-9a-f]{8}$/);
    assert.ok(a.startsWith(hostname().replace(/[^A-Za-z0-9_.:-]/g, '-').slice(0, 20)));
    assert.throws(() => loadConfig({}, { data_dir: '/srv/a', node_id: 'has space' }), /node_id/);
  });
});
