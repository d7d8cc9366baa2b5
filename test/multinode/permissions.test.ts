/**
 * Two real `tessera serve` processes on one PostgreSQL database (issue 14): a grant taken away on one node is gone
 * on the other at once — the token is not touched; the owner's group grant or a role changes, and node B's cached
 * verification (default lifetime 60 s) is dropped through the change feed. The delays are printed.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { bearer, type Cluster, needPostgres, pollUntil, startCluster } from './support.js';

const report = (what: string, ms: number): void => { console.log(`  propagation delay (${what}): ${ms.toFixed(1)} ms`); };

if (await needPostgres('multi-node permissions')) {
  describe('permissions across two nodes', () => {
    let c: Cluster;
    let adminA: string;
    before(async () => {
      c = await startCluster();
      adminA = await c.login(c.a);
    });
    after(async () => { await c?.close(); });

    test('a group grant removed on A, and a role changed on A, take a token\'s permission away on B at once', async () => {
      const admin = { cookie: adminA };
      assert.equal((await c.a.req('POST', '/api/v1/users', { headers: admin, body: { username: 'olga', password: 'olga-password-1', groups: ['ops'] } })).status, 201);
      assert.equal((await c.a.req('POST', '/api/v1/roles', { headers: admin, body: { name: 'deployer', permissions: ['deploy:*'] } })).status, 201);
      assert.equal((await c.a.req('PUT', '/api/v1/groups/ops/grants', { headers: admin, body: { roles: ['deployer'], permissions: [] } })).status, 200);
      const olga = await c.login(c.a, 'olga', 'olga-password-1');
      const created = await c.a.req('POST', '/api/v1/tokens', { headers: { cookie: olga }, body: { name: 'ci', permissions: ['deploy:write'] } });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const token = created.body.token as string;
      const check = () => c.b.req('GET', '/api/v1/auth/forward?permission=deploy:write', { headers: bearer(token) });
      for (let i = 0; i < 3; i++) assert.equal((await check()).status, 204, 'B grants it (and caches the answer)');

      assert.equal((await c.a.req('PUT', '/api/v1/groups/ops/grants', { headers: admin, body: { roles: [], permissions: [] } })).status, 200);
      report('group grant removed', await pollUntil(async () => (await check()).status === 403));
      assert.equal((await check()).headers.get('content-type')?.startsWith('application/json'), true);

      assert.equal((await c.a.req('PUT', '/api/v1/groups/ops/grants', { headers: admin, body: { roles: ['deployer'], permissions: [] } })).status, 200);
      await pollUntil(async () => (await check()).status === 204);
      assert.equal((await c.a.req('PATCH', '/api/v1/roles/deployer', { headers: admin, body: { permissions: ['deploy:read'] } })).status, 200);
      report('role changed', await pollUntil(async () => (await check()).status === 403));
    });
  });
}
