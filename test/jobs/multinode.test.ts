/**
 * Jobs on several nodes (real `tessera serve` processes on one PostgreSQL database): a node starting recovers only its
 * own jobs left `running`, never another node's live job; a job's output so far (GET and stream) shows on any node,
 * and a channel's stream gets the messages posted on the other node. The command
 * waits for a file the test creates, so "still running" is certain, never timed.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pgAdmin } from '../services.js';
import { type Cluster, needPostgres, startCluster } from '../multinode/support.js';
import { sseReader } from './support.js';

if (await needPostgres('multi-node jobs')) {
  describe('jobs on several nodes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tessera-mn-jobs-'));
    const gate = join(dir, 'go');
    let c: Cluster;
    before(async () => {
      const config = join(dir, 'tessera.yaml');
      writeFileSync(config, JSON.stringify({
        commands: { hold: { id: 1, argv: ['/bin/sh', '-c', `echo before; while [ ! -e "${gate}" ]; do sleep 0.02; done; echo after`], timeout: 600 } },
      }));
      c = await startCluster({ env: { TESSERA_CONFIG: config } });
    });
    after(async () => {
      writeFileSync(gate, '');
      await c?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    test('a node starting fails only its own jobs left running; the stream of a job on B works from A', { timeout: 20_000 }, async () => {
      const cookieA = await c.login(c.a);
      const cookieB = await c.login(c.b);
      const started = await c.b.req('POST', '/api/v1/commands/hold/run', { headers: { cookie: cookieB } });
      assert.equal(started.status, 202);
      const job = started.body as { id: number; node: string };
      assert.ok(job.node.length > 0);
      // A job a crashed node "ghost" left running, as that node's last process wrote it.
      const [orphan] = await pgAdmin<{ id: number }>(
        `insert into ${c.schema.name}.jobs (command, command_id, args, user_id, username, channel, trigger, status, output, truncated, started_at, node)
         values ('hold', 1, '[]', 1, 'admin', 'default', 'api', 'running', '', 0, 1, 'ghost') returning id`);

      const ghost = await c.start({ name: 'ghost', env: { TESSERA_NODE_ID: 'ghost' } }); // "ghost" restarts
      assert.match(ghost.output(), /jobs left running by a previous process were marked failed/);
      const o = await c.a.req('GET', `/api/v1/jobs/${orphan!.id}`, { headers: { cookie: cookieA } });
      assert.deepEqual([o.body.status, o.body.reason], ['failed', 'server restarted']);
      const live = await c.a.req('GET', `/api/v1/jobs/${job.id}`, { headers: { cookie: cookieA } });
      assert.deepEqual([live.body.status, live.body.node], ['running', job.node], 'B\'s live job is left alone');

      // Followed from A (the job runs on B): the output so far comes while it runs (B writes it to the store every
      // second), the rest when it ends there. A's GET shows the same output so far.
      const res = await fetch(`${c.a.url}/api/v1/jobs/${job.id}/stream`, { headers: { cookie: cookieA } });
      assert.equal(res.status, 200);
      const r = sseReader(res.body!);
      await r.until((ev) => ev.some((e) => e.event === 'output'));
      assert.deepEqual(r.events.filter((e) => e.event === 'output').map((e) => JSON.parse(e.data!).text), ['before\n']);
      const sofar = await c.a.req('GET', `/api/v1/jobs/${job.id}`, { headers: { cookie: cookieA } });
      assert.deepEqual([sofar.body.status, sofar.body.output], ['running', 'before\n']);
      writeFileSync(gate, '');
      await r.until((ev) => ev.some((e) => e.event === 'end'));
      const text = r.events.filter((e) => e.event === 'output').map((e) => JSON.parse(e.data!).text).join('');
      assert.equal(text, 'before\nafter\n');
      const ended = JSON.parse(r.events.at(-1)!.data!);
      assert.deepEqual([ended.status, ended.exit_code, ended.node], ['succeeded', 0, job.node]);
    });

    test('a channel\'s stream on A gets, live, the message of a job that ran on B (announced over LISTEN/NOTIFY)', { timeout: 20_000 }, async () => {
      const cookieA = await c.login(c.a);
      const cookieB = await c.login(c.b);
      const res = await fetch(`${c.a.url}/api/v1/channels/default/stream`, { headers: { cookie: cookieA } });
      assert.equal(res.status, 200);
      const r = sseReader(res.body!);
      writeFileSync(gate, ''); // the job ends at once
      const started = await c.b.req('POST', '/api/v1/commands/hold/run', { headers: { cookie: cookieB } });
      assert.equal(started.status, 202);
      const id = (started.body as { id: number }).id;
      const mine = (ev: { event?: string; data?: string }[]) => ev.filter((e) => e.event === 'message' && JSON.parse(e.data!).job_id === id);
      await r.until((ev) => mine(ev).length > 0);
      assert.equal(mine(r.events).length, 1);
      assert.match(JSON.parse(mine(r.events)[0]!.data!).text, /hold/);
      await r.cancel();
    });
  });
}
