/**
 * Revocation propagation delay (issue 19, docs/metrics.md): two real `tessera serve` processes on one PostgreSQL
 * database with metrics on. A change published by A carries its commit time; B, receiving it over LISTEN/NOTIFY,
 * observes now − then into `tessera_change_propagation_seconds{kind}`. A does not hear its own changes.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { bearer, type Cluster, needPostgres, type Node, pollUntil, startCluster } from './support.js';

const SCRAPE = 'multinode-scrape-secret-1';

const sample = (text: string, line: string): number => {
  const l = text.split('\n').find((x) => x.startsWith(`${line} `));
  return l === undefined ? 0 : Number(l.slice(line.length + 1));
};

const scrape = async (n: Node): Promise<string> => {
  const r = await n.req('GET', '/metrics', { headers: bearer(SCRAPE) });
  assert.equal(r.status, 200);
  return r.body as string;
};

if (await needPostgres('multi-node metrics')) {
  describe('propagation delay between two nodes', () => {
    let c: Cluster;
    let dir: string;
    let admin: string;
    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'tessera-metrics-'));
      const file = join(dir, 'tessera.yaml');
      writeFileSync(file, `metrics:\n  enabled: true\n  token: ${SCRAPE}\n`);
      c = await startCluster({ env: { TESSERA_CONFIG: file } });
      admin = await c.login(c.a);
    });
    after(async () => { await c?.close(); rmSync(dir, { recursive: true, force: true }); });

    test('a revocation on A is timed on B into the histogram; A does not time its own', async () => {
      const count = 'tessera_change_propagation_seconds_count{kind="token"}';
      const b0 = sample(await scrape(c.b), count);
      const { id, token } = (await c.a.req('POST', '/api/v1/tokens', { headers: { cookie: admin }, body: { access: 'read' } })).body;
      assert.equal((await c.b.req('GET', '/api/v1/auth/me', { headers: bearer(token) })).status, 200);
      assert.equal((await c.a.req('DELETE', `/api/v1/tokens/${id}`, { headers: { cookie: admin } })).status, 200);
      await pollUntil(async () => sample(await scrape(c.b), count) > b0);
      const mb = await scrape(c.b);
      const n = sample(mb, count) - b0;
      assert.ok(n >= 1);
      assert.equal(sample(mb, 'tessera_change_propagation_seconds_bucket{kind="token",le="+Inf"}'), sample(mb, count));
      const sum = sample(mb, 'tessera_change_propagation_seconds_sum{kind="token"}');
      assert.ok(sum >= 0 && sum < 10, `a plausible delay: ${sum} s`);
      console.log(`  propagation delay observed on B: ${((sum / sample(mb, count)) * 1000).toFixed(2)} ms (mean of ${sample(mb, count)})`);
      assert.equal(sample(await scrape(c.a), count), 0, 'A publishes, it does not receive its own change');
      // And the revocation took effect on B.
      assert.equal((await c.b.req('GET', '/api/v1/auth/me', { headers: bearer(token) })).status, 401);
    });
  });
}
