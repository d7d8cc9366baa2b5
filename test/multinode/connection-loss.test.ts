/**
 * Losing the database: (1) PostgreSQL terminates a node's backends during traffic (pg_terminate_backend, by the node's
 * application_name); (2) the database becomes unreachable for a while (the node reaches it through a TCP proxy this
 * test cuts: connections reset, new ones refused). Meanwhile the node answers 503 STORE_UNAVAILABLE or succeeds — never
 * 500 —, it recovers without a restart, its change feed comes back, and every write it acknowledged (201) is stored.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { pgAdmin, pgProxy } from '../services.js';
import { bearer, type Cluster, type Node, needPostgres, pollUntil, type Res, startCluster, terminateBackends } from './support.js';

/** Every answer must be a success or a 503 STORE_UNAVAILABLE; returns the statuses seen. */
const acceptable = (r: Res, what: string, ok: number[]): void => {
  if (r.status === 503) assert.equal(r.body?.error?.code, 'STORE_UNAVAILABLE', `${what}: 503 with ${JSON.stringify(r.body)}`);
  else assert.ok(ok.includes(r.status), `${what}: got ${r.status} ${JSON.stringify(r.body)}`);
};

const storedIds = async (c: Cluster): Promise<Set<string>> =>
  new Set((await pgAdmin<{ id: string }>(`select id from ${c.schema.name}.tokens`)).map((r) => r.id));

if (await needPostgres('connection loss')) {
  describe('connection loss', () => {
    let c: Cluster;
    let admin: string;
    let proxy: Awaited<ReturnType<typeof pgProxy>>;
    let p: Node;
    before(async () => {
      c = await startCluster({ nodes: 1 });
      proxy = await pgProxy();
      const u = new URL(c.schema.url());
      u.host = `127.0.0.1:${proxy.port}`;
      p = await c.start({ name: 'p', databaseUrl: u.toString() });
      admin = await c.login(c.a);
    });
    after(async () => { await c?.close(); await proxy?.close(); });

    test('backends terminated during traffic: 201/200 or 503, never 500; recovery by itself; no acknowledged write lost', async () => {
      const cookie = await c.login(p);
      const { token } = (await p.req('POST', '/api/v1/tokens', { headers: { cookie }, body: { access: 'read' } })).body;
      const acked: string[] = [];
      const seen = new Map<number, number>();
      for (let round = 0; round < 6; round++) {
        const work: Promise<void>[] = [];
        for (let i = 0; i < 15; i++) {
          work.push(p.req('POST', '/api/v1/tokens', { headers: { cookie }, body: { access: 'read', comment: `r${round}-${i}` } }).then((r) => {
            acceptable(r, 'create', [201]);
            seen.set(r.status, (seen.get(r.status) ?? 0) + 1);
            if (r.status === 201) acked.push(r.body.id);
          }));
          work.push(p.req('GET', '/api/v1/auth/me', { headers: bearer(token) }).then((r) => { acceptable(r, 'verify', [200]); }));
        }
        work.push(terminateBackends(p).then(() => undefined));
        await Promise.all(work);
      }
      console.log(`  answers during terminations: ${JSON.stringify(Object.fromEntries(seen))}`);
      // Recovered without a restart: ready, and requests succeed again.
      await pollUntil(async () => (await p.req('GET', '/readyz')).status === 200);
      const after = await p.req('POST', '/api/v1/tokens', { headers: { cookie }, body: { access: 'read' } });
      assert.equal(after.status, 201);
      acked.push(after.body.id);
      const stored = await storedIds(c);
      for (const id of acked) assert.ok(stored.has(id), `acknowledged token ${id} is stored`);
      // The change feed is back too (the node caches again), and a revocation on A reaches the node again.
      await pollUntil(async () => (await p.req('GET', '/readyz')).body?.verification_cache === 'on');
      const fresh = (await c.a.req('POST', '/api/v1/tokens', { headers: { cookie: admin }, body: { access: 'read' } })).body;
      assert.equal((await p.req('GET', '/api/v1/auth/me', { headers: bearer(fresh.token) })).status, 200);
      assert.equal((await c.a.req('DELETE', `/api/v1/tokens/${fresh.id}`, { headers: { cookie: admin } })).status, 200);
      await pollUntil(async () => (await p.req('GET', '/api/v1/auth/me', { headers: bearer(fresh.token) })).status === 401);
    });

    test('database unreachable: 503 STORE_UNAVAILABLE (readyz says why), never 500; back by itself when it is reachable', async () => {
      const cookie = await c.login(p);
      const { id, token } = (await p.req('POST', '/api/v1/tokens', { headers: { cookie }, body: { access: 'read' } })).body;
      assert.equal((await p.req('GET', '/api/v1/auth/me', { headers: bearer(token) })).status, 200);
      await proxy.cut();
      try {
        const ready = await p.req('GET', '/readyz');
        assert.equal(ready.status, 503);
        assert.equal(ready.body.error.code, 'STORE_UNAVAILABLE');
        assert.match(ready.body.error.message, /not reachable: \S/);
        assert.equal((await p.req('GET', '/healthz')).status, 200, 'the process itself is alive');
        const answers = await Promise.all([
          p.req('GET', '/api/v1/auth/me', { headers: bearer(token) }),
          p.req('POST', '/api/v1/tokens', { headers: { cookie }, body: { access: 'read' } }),
          p.req('GET', '/api/v1/tokens', { headers: { cookie } }),
          p.req('POST', '/api/v1/auth/login', { body: { username: 'admin', password: 'admin-password-1' } }),
          p.req('POST', '/api/v1/verify', { headers: { cookie }, body: { token } }),
        ]);
        for (const r of answers) {
          assert.equal(r.status, 503, JSON.stringify(r.body));
          assert.equal(r.body.error.code, 'STORE_UNAVAILABLE');
        }
        // Meanwhile the token is revoked through the other node, which still reaches the database.
        assert.equal((await c.a.req('DELETE', `/api/v1/tokens/${id}`, { headers: { cookie: admin } })).status, 200);
      } finally {
        await proxy.restore();
      }
      await pollUntil(async () => (await p.req('GET', '/readyz')).status === 200);
      const back = await p.req('POST', '/api/v1/tokens', { headers: { cookie }, body: { access: 'read' } });
      assert.equal(back.status, 201);
      assert.ok((await storedIds(c)).has(back.body.id));
      // The revocation made while this node was cut off applies here: it cached nothing while its feed was down.
      const r = await p.req('GET', '/api/v1/auth/me', { headers: bearer(token) });
      assert.equal(r.status, 401);
      assert.equal(r.body.error.code, 'TOKEN_REVOKED');
    });
  });
}
