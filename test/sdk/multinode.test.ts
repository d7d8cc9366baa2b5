/**
 * The local verifier subscribed to node B of two `tessera serve` processes on one PostgreSQL database: a token
 * revoked on node A reaches it through the change feed and B's invalidation stream within 1 s. Skipped (visibly)
 * without PostgreSQL, failing with TESSERA_REQUIRE_SERVICES=1.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { LocalVerifier } from '../../sdk/local.js';
import { type Cluster, needPostgres, startCluster } from '../multinode/support.js';
import { within } from './server.js';

if (await needPostgres('SDK local verifier across nodes')) {
  describe('LocalVerifier on node B, revocation on node A', () => {
    let c: Cluster;
    let admin: string;
    before(async () => { c = await startCluster(); admin = await c.login(c.a); });
    after(async () => { await c?.close(); });

    test('a revocation on A is seen by a verifier subscribed to B within 1 s', async () => {
      const mk = async (body: Record<string, unknown>) => {
        const r = await c.a.req('POST', '/api/v1/tokens', { headers: { cookie: admin }, body });
        assert.equal(r.status, 201, JSON.stringify(r.body));
        return r.body as { id: string; token: string };
      };
      const service = await mk({ name: 'sdk-svc', kind: 'service', access: 'read' });
      const t = await mk({ name: 'sdk-target', access: 'read' });
      const v = new LocalVerifier({ baseUrl: c.b.url, credential: service.token });
      await v.start();
      try {
        assert.equal(v.caching, true);
        assert.equal((await v.verify(t.token)).valid, true);
        assert.ok(v.cached(t.token));
        assert.equal((await c.a.req('DELETE', `/api/v1/tokens/${t.id}`, { headers: { cookie: admin } })).status, 200);
        const ms = await within(1000, () => v.cached(t.token) === undefined, 'revocation from node A');
        console.log(`  revocation on A seen by the SDK on B after ${ms.toFixed(1)} ms`);
        assert.equal((await v.verify(t.token)).code, 'REVOKED');
      } finally { v.close(); }
    });
  });
}
