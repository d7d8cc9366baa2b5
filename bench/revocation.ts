/**
 * Revocation propagation across nodes: two `tessera serve` processes on one PostgreSQL database (a fresh schema).
 * For each of N tokens (default 200): node B verifies it in a loop (GET /api/v1/auth/me, keep-alive), so B has it
 * cached; node A revokes it; the delay is the time from A acknowledging the revocation (its 200) to the first refusal
 * (401) B sends. A refusal that B sent before A's answer arrived counts as 0 ms. Prints p50/p90/p99/max.
 *
 *   node --import tsx bench/revocation.ts          (or BENCH_ONLY=revocation npm run bench)
 *   BENCH_REVOCATIONS=500 node --import tsx bench/revocation.ts
 *
 * Needs PostgreSQL (TESSERA_TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test).
 */
import { postgresReachable, postgresUrl } from '../test/services.js';
import { bearer, type Cluster, startCluster } from '../test/multinode/support.js';

const N = Number(process.env.BENCH_REVOCATIONS ?? 200);

const pct = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

const main = async (): Promise<void> => {
  if (!(await postgresReachable())) throw new Error(`PostgreSQL is not reachable at ${postgresUrl()}`);
  const c: Cluster = await startCluster();
  try {
    const admin = await c.login(c.a);
    const tokens: { id: string; token: string }[] = [];
    for (let i = 0; i < N; i++) {
      const r = await c.a.req('POST', '/api/v1/tokens', { headers: { cookie: admin }, body: { access: 'read' } });
      if (r.status !== 201) throw new Error(`create: ${r.status} ${JSON.stringify(r.body)}`);
      tokens.push(r.body);
    }
    const delays: number[] = [];
    let early = 0;
    let bRequests = 0;
    for (const t of tokens) {
      // B verifies until refused; the first answer (a 200) also puts the token in B's cache.
      const first = await c.b.req('GET', '/api/v1/auth/me', { headers: bearer(t.token) });
      if (first.status !== 200) throw new Error(`B did not accept a fresh token: ${first.status}`);
      let refusedAt = 0;
      const loop = (async () => {
        for (;;) {
          const r = await c.b.req('GET', '/api/v1/auth/me', { headers: bearer(t.token) });
          bRequests++;
          if (r.status === 401) { refusedAt = performance.now(); return; }
          if (r.status !== 200) throw new Error(`B answered ${r.status}`);
        }
      })();
      const rv = await c.a.req('DELETE', `/api/v1/tokens/${t.id}`, { headers: { cookie: admin } });
      const ackAt = performance.now();
      if (rv.status !== 200) throw new Error(`revoke: ${rv.status}`);
      await loop;
      const d = refusedAt - ackAt;
      if (d <= 0) early++;
      delays.push(Math.max(0, d));
    }
    delays.sort((x, y) => x - y);
    const f = (v: number): string => `${v.toFixed(1)} ms`;
    console.log(`revocation propagation, node A → node B (PostgreSQL LISTEN/NOTIFY), ${N} revocations`);
    console.log(`  p50 ${f(pct(delays, 50))}   p90 ${f(pct(delays, 90))}   p99 ${f(pct(delays, 99))}   max ${f(delays[delays.length - 1]!)}`);
    console.log(`  ${early} of ${N} were refused by B before A's answer arrived (counted as 0 ms); B made ${bRequests} verifications`);
  } finally {
    await c.close();
  }
};

await main();
