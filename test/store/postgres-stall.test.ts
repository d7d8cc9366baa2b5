/**
 * A PostgreSQL connection whose network silently stops (no reset, no refusal: every packet dropped) must not hold a
 * request for the minutes TCP takes to give up: a statement unanswered within `database_query_timeout_ms` ends its
 * connection, the request answers 503 STORE_UNAVAILABLE, and the pool opens a new connection once the network is
 * back. PostgreSQL only.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Harness, startProxiedHarness } from '../helpers.js';
import { postgresReachable, postgresUrl, requireServices, type TcpProxy } from '../services.js';

const usable = await postgresReachable();
if (!usable) {
  if (requireServices()) test('PostgreSQL is reachable', () => { throw new Error(`cannot connect to ${postgresUrl()}`); });
  else test('PostgreSQL stall — SKIPPED: PostgreSQL is not reachable', { skip: true }, () => {});
} else {
  describe('a silently stalled PostgreSQL connection', () => {
    let h: Harness;
    let proxy: TcpProxy;
    let close: () => Promise<void>;
    before(async () => { ({ h, proxy, close } = await startProxiedHarness({ database_query_timeout_ms: 600 })); });
    after(async () => { await close?.(); });

    test('a request answers 503 STORE_UNAVAILABLE after the query timeout, and the service recovers', { timeout: 30_000 }, async () => {
      const admin = { cookie: h.adminCookie };
      assert.equal((await h.req({ method: 'GET', url: '/api/v1/users', headers: admin })).statusCode, 200);
      proxy.freeze(true);
      const t0 = Date.now();
      // A session lookup is cached: creating a token writes, so it needs the database.
      const r = await h.req({ method: 'POST', url: '/api/v1/tokens', headers: admin, payload: { name: 'during-stall' } });
      const took = Date.now() - t0;
      assert.equal(r.statusCode, 503, r.body);
      assert.equal(r.json().error.code, 'STORE_UNAVAILABLE');
      assert.ok(took < 5000, `answered in ${took} ms, not when TCP gives up`);
      proxy.freeze(false);
      let after503 = 0;
      for (let i = 0; i < 50; i++) {
        const ok = await h.req({ method: 'POST', url: '/api/v1/tokens', headers: admin, payload: { name: `after-stall-${i}` } });
        if (ok.statusCode === 201) break;
        after503++;
        await new Promise((res) => setTimeout(res, 100));
      }
      assert.ok(after503 < 50, 'a new connection serves again');
      const names = (await h.req({ method: 'GET', url: '/api/v1/tokens?limit=100', headers: admin })).json().items.map((x: { name: string }) => x.name);
      assert.ok(!names.includes('during-stall'), 'the stalled request made nothing');
    });
  });
}
