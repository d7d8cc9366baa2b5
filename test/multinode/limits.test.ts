/**
 * Limits across two real `tessera serve` processes on one PostgreSQL database (D1's harness, support.ts):
 * - usage limits are exact across nodes: `remaining: 100` and 400 concurrent verifications spread over both nodes
 *   give exactly 100 VALID (one atomic UPDATE per use, see Store.consumeUse);
 * - with TESSERA_REDIS_URL, a rate limit is one budget for both nodes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { redisReachable, redisUrl, requireRedis } from '../services.js';
import { type Cluster, needPostgres, startCluster } from './support.js';

if (await needPostgres('multi-node limits')) {
  const withRedis = await redisReachable();
  describe('limits on two nodes', () => {
    let c: Cluster;
    let cookie: string;
    before(async () => {
      c = await startCluster(withRedis ? { env: { TESSERA_REDIS_URL: redisUrl() } } : {});
      cookie = await c.login(c.a); // sessions live in the database: the cookie works on both nodes
    });
    after(async () => { await c?.close(); });

    const create = async (body: Record<string, unknown>): Promise<{ id: string; token: string }> => {
      const r = await c.a.req('POST', '/api/v1/tokens', { headers: { cookie }, body });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      return r.body;
    };
    const spread = (token: string, n: number) => Promise.all(Array.from({ length: n }, (_, i) =>
      c.nodes[i % 2]!.req('POST', '/api/v1/verify', { headers: { cookie }, body: { token } })));

    test('remaining 100, 400 concurrent verifications over two nodes → exactly 100 VALID', async () => {
      const t = await create({ name: 'race', remaining: 100 });
      const rs = await spread(t.token, 400);
      assert.ok(rs.every((r) => r.status === 200), 'every verification answered');
      const valid = rs.filter((r) => r.body.code === 'VALID');
      console.log(`  usage race: ${valid.length} VALID of 400 (A: ${rs.filter((r, i) => i % 2 === 0 && r.body.code === 'VALID').length}, B: ${rs.filter((r, i) => i % 2 === 1 && r.body.code === 'VALID').length})`);
      assert.equal(valid.length, 100);
      assert.equal(rs.filter((r) => r.body.code === 'USAGE_EXCEEDED').length, 300);
      assert.deepEqual(valid.map((r) => r.body.usage.remaining).sort((a: number, b: number) => a - b), Array.from({ length: 100 }, (_, i) => i),
        'each use went to exactly one caller');
      const view = await c.b.req('GET', `/api/v1/tokens/${t.id}`, { headers: { cookie } });
      assert.equal(view.body.remaining, 0);
    });

    test('a limit changed on A applies on B at once', async () => {
      const t = await create({ name: 'patched' });
      assert.equal((await c.b.req('POST', '/api/v1/verify', { headers: { cookie }, body: { token: t.token } })).body.code, 'VALID'); // cached on B
      const p = await c.a.req('PATCH', `/api/v1/tokens/${t.id}`, { headers: { cookie }, body: { remaining: 0 } });
      assert.equal(p.status, 200);
      // The change feed drops B's cached row; poll briefly for the notification to arrive.
      let code = '';
      for (let i = 0; i < 200 && code !== 'USAGE_EXCEEDED'; i++) {
        code = (await c.b.req('POST', '/api/v1/verify', { headers: { cookie }, body: { token: t.token } })).body.code;
      }
      assert.equal(code, 'USAGE_EXCEEDED');
    });

    if (withRedis) {
      test('with Redis, one rate limit for both nodes: 40 requests on a limit of 10 → exactly 10 VALID', async () => {
        const t = await create({ name: 'rated', rate_limit: { limit: 10, window_seconds: 3600 } });
        const rs = await spread(t.token, 40);
        assert.equal(rs.filter((r) => r.body.code === 'VALID').length, 10);
        assert.equal(rs.filter((r) => r.body.code === 'RATE_LIMITED').length, 30);
        for (const n of c.nodes) assert.doesNotMatch(n.output(), /Redis .* is unreachable/);
      });
    }
  });
  if (!withRedis) await requireRedis('multi-node rate limit through Redis');
}
