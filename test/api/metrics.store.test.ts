/**
 * `tessera_store_errors_total{kind="unavailable"}` (docs/metrics.md): the PostgreSQL store reached through a TCP
 * proxy that the test cuts, so the database is unreachable; requests answer 503 STORE_UNAVAILABLE and each is counted,
 * through fastify and through the hot lane alike. PostgreSQL only (SQLite is a file: it cannot become unreachable;
 * its unexpected driver errors are counted in metrics.test.ts).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Harness, bearer, startProxiedHarness } from '../helpers.js';
import { postgresReachable, postgresUrl, requireServices, type TcpProxy } from '../services.js';
import { expectError, unknownToken } from './support.js';

const SCRAPE = 'scrape-secret-0123456789';

const sample = (text: string, line: string): number => {
  const l = text.split('\n').find((x) => x.startsWith(`${line} `));
  return l === undefined ? 0 : Number(l.slice(line.length + 1));
};

const usable = process.env.TESSERA_TEST_STORE === 'postgres' && await postgresReachable();
if (!usable) {
  if (process.env.TESSERA_TEST_STORE === 'postgres' && requireServices()) test('PostgreSQL is reachable', () => { throw new Error(`cannot connect to ${postgresUrl()}`); });
  else test('store-unavailable metrics — SKIPPED: PostgreSQL only (TESSERA_TEST_STORE=postgres)', { skip: true }, () => {});
} else {
  describe('store unavailable', () => {
    let h: Harness;
    let proxy: TcpProxy;
    let close: () => Promise<void>;
    before(async () => {
      ({ h, proxy, close } = await startProxiedHarness({ metrics: { enabled: true, token: SCRAPE, allow: [] } }));
      await h.t.app.listen({ port: 0, host: '127.0.0.1' });
    });
    after(async () => { await close?.(); });

    test('503 STORE_UNAVAILABLE answers are counted, through fastify and the hot lane', async () => {
      const { token } = await h.adminToken();
      const scrape = async (): Promise<string> => (await h.req({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${SCRAPE}` } })).body;
      const line = 'tessera_store_errors_total{kind="unavailable"}';
      const before = sample(await scrape(), line);
      await proxy.cut();
      // fastify: a listing reads the store.
      expectError(await h.req({ method: 'GET', url: '/api/v1/tokens', headers: bearer(token) }), 503, 'STORE_UNAVAILABLE');
      // The hot lane: forward-auth with a value never seen (not cached) must look it up.
      const port = (h.t.app.server.address() as { port: number }).port;
      const r = await fetch(`http://127.0.0.1:${port}/api/v1/auth/forward`, { headers: bearer(unknownToken()) });
      assert.equal(r.status, 503);
      assert.equal(((await r.json()) as { error: { code: string } }).error.code, 'STORE_UNAVAILABLE');
      const after = await scrape();
      assert.equal(sample(after, line) - before, 2);
      assert.equal(sample(after, 'tessera_verifications_total{face="forward",lane="hot",code="STORE_UNAVAILABLE"}'), 1);
    });
  });
}
