/**
 * Issue 16: two real `tessera serve` nodes on one PostgreSQL database share one outbox, and each delivery is sent by
 * one node only (lease taken with FOR UPDATE SKIP LOCKED). Every delivery first fails (the receiver answers 500), so
 * all retries fall due at about the same moment and both nodes, polling every 20 ms, race for them.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pgAdmin } from '../services.js';
import { type Cluster, needPostgres, startCluster } from '../multinode/support.js';
import { Receiver, sleep, verifySignature } from './support.js';

const N = 30;

if (await needPostgres('webhooks on two nodes')) {
  describe('webhooks on two nodes sharing PostgreSQL', () => {
    let c: Cluster;
    let rx: Receiver;
    const dir = mkdtempSync(join(tmpdir(), 'tessera-wh-mn-'));
    before(async () => {
      writeFileSync(join(dir, 'tessera.yaml'), 'webhooks:\n  poll_ms: 20\n  retry_base_ms: 1500\n  max_attempts: 3\npassword_hash:\n  memory_kib: 1024\n  iterations: 1\n');
      rx = await Receiver.start();
      c = await startCluster({ env: { TESSERA_CONFIG: join(dir, 'tessera.yaml') } });
    });
    after(async () => { await c?.close(); await rx?.close(); rmSync(dir, { recursive: true, force: true }); });

    test(`${N} events written on both nodes: each delivered once, by one node`, async () => {
      const cookies = [await c.login(c.a), await c.login(c.b)];
      const w = await c.a.req('POST', '/api/v1/webhooks', { headers: { cookie: cookies[0]! }, body: { url: rx.url, events: ['token.created'] } });
      assert.equal(w.status, 201);
      const secret = w.body.secret as string;
      rx.status = 500;
      await Promise.all(Array.from({ length: N }, async (_, i) => {
        const n = i % 2 === 0 ? c.a : c.b;
        const r = await n.req('POST', '/api/v1/tokens', { headers: { cookie: cookies[i % 2]! }, body: { name: `mn-${i}` } });
        assert.equal(r.status, 201);
      }));
      await rx.until((g) => g.length >= N, 20_000, 'first attempts');
      rx.status = 200;
      await rx.until((g) => new Set(g.filter((x) => x.status === 200).map((x) => String(x.headers['webhook-id']))).size >= N, 20_000, 'retries');
      await sleep(500);
      // (under load a retry may fall due before the receiver is switched to 200: then an event has two 500s)
      const oks = rx.got.filter((g) => g.status === 200).map((g) => String(g.headers['webhook-id']));
      assert.equal(oks.length, N, 'each event answered 200 exactly once: never sent again after it was delivered');
      assert.equal(new Set(oks).size, N);
      for (const r of rx.got) verifySignature(secret, r);
      const s = c.schema.name;
      const attempts = await pgAdmin<{ node: string; n: string }>(`select node, count(*) as n from ${s}.webhook_attempts group by node`);
      const total = attempts.reduce((x, a) => x + Number(a.n), 0);
      assert.equal(total, rx.got.length, 'one attempt row per request the receiver saw: no delivery was sent by two nodes at once');
      const dup = await pgAdmin(`select delivery_id, attempt from ${s}.webhook_attempts group by delivery_id, attempt having count(*) > 1`);
      assert.deepEqual(dup, [], 'attempt numbers are not repeated');
      const delivered = await pgAdmin<{ status: string; n: string }>(`select status, count(*) as n from ${s}.webhook_deliveries group by status`);
      assert.deepEqual(delivered.map((d) => [d.status, Number(d.n)]), [['delivered', N]]);
      console.log(`  attempts per node: ${attempts.map((a) => `${a.node}=${a.n}`).join(', ')}`);
    });
  });
}
