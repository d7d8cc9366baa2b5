/**
 * Rate limits shared through Redis (`redis_url`): two limiters on one Redis count together, exactly; a Tessera with
 * redis_url keeps its windows in Redis; and with Redis unreachable the limiter falls back to per-node counting and
 * says so in the log (that part needs no Redis and always runs).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import { redisRateLimiter } from '../../src/infra/ratelimit.js';
import { type Harness, startHarness } from '../helpers.js';
import { redisUrl, requireRedis, tcpProxy } from '../services.js';

const logs = () => {
  const lines: string[] = [];
  return { lines, log: { warn: (m: string) => lines.push(`warn ${m}`), info: (m: string) => lines.push(`info ${m}`) } };
};

describe('Redis unreachable', () => {
  test('the limiter keeps answering with a per-node limit and logs one warning', async () => {
    const l = logs();
    const limiter = await redisRateLimiter('redis://127.0.0.1:1', l.log, { connectTimeoutMs: 500 });
    try {
      const key = `tok_${randomBytes(6).toString('hex')}`;
      const ds = [];
      for (let i = 0; i < 3; i++) ds.push(await limiter.consume(key, 2, 3600));
      assert.deepEqual(ds.map((d) => [d.allowed, d.remaining]), [[true, 1], [true, 0], [false, 0]]);
      const warnings = l.lines.filter((x) => x.startsWith('warn '));
      assert.equal(warnings.length, 1, l.lines.join('\n'));
      assert.match(warnings[0]!, /per node/);
    } finally {
      await limiter.close();
    }
  });
});

if (await requireRedis('rate limits shared through Redis')) {
  describe('rate limits shared through Redis', () => {
    let redis: Redis;
    before(() => { redis = new Redis(redisUrl()); });
    after(async () => { await redis.quit(); });

    test('two limiters (two nodes) on one Redis: 40 concurrent requests on a limit of 5 → exactly 5 allowed', async () => {
      const a = await redisRateLimiter(redisUrl(), logs().log);
      const b = await redisRateLimiter(redisUrl(), logs().log);
      try {
        const key = `tok_${randomBytes(6).toString('hex')}`;
        const ds = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).consume(key, 5, 3600)));
        const allowed = ds.filter((d) => d.allowed);
        assert.equal(allowed.length, 5);
        assert.deepEqual(allowed.map((d) => d.remaining).sort(), [0, 1, 2, 3, 4]);
        for (const d of ds) assert.ok(d.msBeforeReset > 0 && d.msBeforeReset <= 3_600_000);
        assert.equal(await redis.get(`tessera:rlw:3600:${key}`), '40', 'the count lives in Redis');
      } finally {
        await a.close();
        await b.close();
      }
    });

    test('a Tessera with redis_url counts its tokens\' windows in Redis', async () => {
      const h: Harness = await startHarness({ redis_url: redisUrl() });
      try {
        const c = await h.req({ method: 'POST', url: '/api/v1/tokens', headers: { cookie: h.adminCookie }, payload: { rate_limit: { limit: 2, window_seconds: 3600 } } });
        assert.equal(c.statusCode, 201);
        const { id, token } = c.json();
        const codes = [];
        for (let i = 0; i < 3; i++) {
          codes.push((await h.req({ method: 'POST', url: '/api/v1/verify', headers: { cookie: h.adminCookie }, payload: { token } })).json().code);
        }
        assert.deepEqual(codes, ['VALID', 'VALID', 'RATE_LIMITED']);
        assert.equal(await redis.get(`tessera:rlw:3600:${id}`), '3');
        assert.doesNotMatch(h.logs(), /unreachable/);
      } finally {
        await h.close();
      }
    });

    test('a Redis that takes connections but does not answer: one count gives up after the command timeout, the node counts on its own (logged once) and asks Redis again later; a start is not held', { timeout: 30_000 }, async () => {
      const proxy = await tcpProxy(redisUrl());
      const url = `redis://127.0.0.1:${proxy.port}`;
      const l = logs();
      const limiter = await redisRateLimiter(url, l.log, { connectTimeoutMs: 1000, commandTimeoutMs: 300, retryAfterMs: 1500 });
      try {
        const key = `tok_${randomBytes(6).toString('hex')}`;
        assert.equal((await limiter.consume(key, 2, 3600)).allowed, true, 'counted in Redis');
        proxy.freeze(true);
        const timed = async (): Promise<[boolean, number]> => {
          const t = Date.now();
          const d = await limiter.consume(key, 2, 3600);
          return [d.allowed, Date.now() - t];
        };
        const [first, waited] = await timed();
        assert.ok(waited >= 250, `the first count waited for the command timeout (${waited} ms)`);
        const rest = [await timed(), await timed()];
        assert.ok(rest.every(([, ms]) => ms < 200), `the next counts did not wait for Redis: ${JSON.stringify(rest)}`);
        assert.deepEqual([first, ...rest.map(([a]) => a)], [true, true, false], 'the node\'s own counter (the per-node fallback) decides meanwhile');
        assert.equal(l.lines.filter((x) => /^warn .*per node/.test(x)).length, 1, l.lines.join('\n'));
        // After retryAfterMs one count asks Redis again (and waits for it, in vain here); the next ones do not.
        await new Promise((r) => setTimeout(r, 1600));
        const again = [await timed(), await timed()];
        assert.ok(again[0]![1] >= 250 && again[1]![1] < 200, `asked again once: ${JSON.stringify(again)}`);
        proxy.freeze(true);
        // A node starting while Redis does not answer starts all the same (and says why it counts on its own).
        const t2 = Date.now();
        const other = await redisRateLimiter(url, l.log, { connectTimeoutMs: 800, commandTimeoutMs: 300 });
        assert.ok(Date.now() - t2 < 3000, `started in ${Date.now() - t2} ms`);
        assert.equal((await other.consume(key, 5, 3600)).allowed, true);
        await other.close();
        assert.ok(l.lines.some((x) => /^warn .*per node/.test(x)), l.lines.join('\n'));
      } finally {
        proxy.freeze(false);
        await limiter.close();
        await proxy.close();
      }
    });
  });
}
