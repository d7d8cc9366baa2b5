/**
 * State the workers of one `tessera serve --workers 2` must share, on the store the caller names (shared-state.sqlite
 * and shared-state.postgres test files): token rate limits counted in Redis (with `redis_url`), the JWT signing keys
 * (rotated through one worker, used and published by both), jobs run once per trigger and webhook events delivered
 * once. Requests open a fresh connection each, so the primary's round-robin spreads them over both workers; where a
 * test needs to know which worker answered one request, it sends requests one at a time and reads the worker from the
 * request's log line (`answered`).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import { redisReachable, redisUrl, requireRedis } from '../services.js';
import { Receiver, verifySignature } from '../webhooks/support.js';
import { bearer, type Res, type Server, startServer, workersThatAnswered } from './support.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `probe` until it returns a value (not undefined) or `limitMs` has passed (then throws with `what`). */
const until = async <T>(what: string, limitMs: number, probe: () => Promise<T | undefined>): Promise<T> => {
  const end = Date.now() + limitMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`not within ${limitMs} ms: ${what}`);
    await sleep(50);
  }
};

const kidOf = (jwt: string): string => (JSON.parse(Buffer.from(jwt.split('.')[0]!, 'base64url').toString('utf8')) as { kid: string }).kid;

export const sharedStateCases = async (store: 'sqlite' | 'postgres'): Promise<void> => {
  const withRedis = await redisReachable();
  describe(`tessera serve --workers 2 on ${store}: shared state${withRedis ? ' (rate limits in Redis)' : ''}`, () => {
    let s: Server;
    let cookie: string;
    let rx: Receiver;
    const dir = mkdtempSync(join(tmpdir(), 'tessera-workers-shared-'));
    const runs = join(dir, 'runs');
    before(async () => {
      writeFileSync(runs, '');
      const config = join(dir, 'tessera.yaml');
      writeFileSync(config, JSON.stringify({
        // Each run of `tally` appends its shell's pid to the runs file: one line per process actually started.
        commands: { tally: { id: 1, argv: ['/bin/sh', '-c', `echo "$$" >> "${runs}"; echo ok`], args: 'none', timeout: 30 } },
        message: { accepted_body: 'job_id' },
        webhooks: { poll_ms: 20, retry_base_ms: 1000, max_attempts: 5, timeout_ms: 2000 },
        password_hash: { memory_kib: 1024, iterations: 1 },
      }));
      rx = await Receiver.start();
      s = await startServer({ workers: 2, postgres: store === 'postgres', env: { TESSERA_CONFIG: config, ...(withRedis ? { TESSERA_REDIS_URL: redisUrl() } : {}) } });
      cookie = await s.login();
    });
    after(async () => {
      // DEBUG_LINES=1 prints the server's warnings and errors (e.g. a store error that lost an event).
      if (process.env.DEBUG_LINES) for (const l of s?.lines() ?? []) if (l.level >= 40) console.log(JSON.stringify(l));
      await s?.stop();
      await rx?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    const admin = (): Record<string, string> => ({ cookie });
    const create = async (body: Record<string, unknown>): Promise<{ id: string; token: string }> => {
      const r = await s.req('POST', '/api/v1/tokens', { headers: admin(), body });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      return r.body;
    };
    const me = (token: string) => s.req('GET', '/api/v1/auth/me', { headers: bearer(token) });
    /** Sends one request (nothing else is under way) and reads which worker answered it from its log line. */
    const answered = async (send: () => Promise<Res>): Promise<{ r: Res; worker: number }> => {
      const from = s.lines().length;
      const r = await send();
      const line = await s.waitForLine((l) => l.msg === 'request completed' && l.worker !== undefined, from, 10_000);
      return { r, worker: line.worker! };
    };
    /** Sends `send` one request at a time until both workers have answered (at most 12 requests); returns every answer. */
    const onBoth = async (send: () => Promise<Res>): Promise<{ r: Res; worker: number }[]> => {
      const out: { r: Res; worker: number }[] = [];
      while (new Set(out.map((a) => a.worker)).size < 2) {
        assert.ok(out.length < 12, `both workers answered within 12 requests (workers: ${out.map((a) => a.worker)})`);
        out.push(await answered(send));
      }
      return out;
    };
    const signJwt = (parent: string) => s.req('POST', '/api/v1/auth/jwt', { headers: bearer(parent), body: {} });
    const jwksKids = async (): Promise<{ worker: number; kids: string[] }[]> =>
      (await onBoth(() => s.req('GET', '/.well-known/jwks.json'))).map(({ r, worker }) => {
        assert.equal(r.status, 200);
        return { worker, kids: (r.body.keys as { kid: string }[]).map((k) => k.kid).sort() };
      });

    if (withRedis) {
      test('rate limit in Redis shared by both workers: limit 10, 40 requests → exactly 10 VALID, every request counted in Redis', async () => {
        const t = await create({ name: 'rated-redis', rate_limit: { limit: 10, window_seconds: 3600 } });
        const from = s.lines().length;
        const rs = await Promise.all(Array.from({ length: 40 }, () => s.req('POST', '/api/v1/verify', { headers: admin(), body: { token: t.token } })));
        assert.ok(rs.every((r) => r.status === 200), `every verification answered: ${[...new Set(rs.map((r) => r.status))]}`);
        await sleep(50); // the log lines of the last answers
        assert.deepEqual([...workersThatAnswered(s.lines(), from)].sort(), [1, 2], 'both workers took part');
        assert.equal(rs.filter((r) => r.body.code === 'VALID').length, 10);
        assert.equal(rs.filter((r) => r.body.code === 'RATE_LIMITED').length, 30);
        // Counted in Redis (not in the primary, not per worker): the window's counter saw all 40 requests.
        const redis = new Redis(redisUrl(), { lazyConnect: true, maxRetriesPerRequest: 1 });
        try {
          await redis.connect();
          const key = `tessera:rlw:3600:${t.id}`;
          assert.equal(await redis.get(key), '40', `Redis counter ${key}`);
          await redis.del(key);
        } finally {
          redis.disconnect();
        }
        assert.equal(s.lines().filter((l) => /Redis .* is unreachable/.test(l.msg)).length, 0, 'no worker fell back to counting on its own');
      });
    }

    test('JWT key rotated through one worker: JWTs signed afterwards by either worker verify on both; both JWKS publish the new key within 12 s', async () => {
      const { token: parent } = await create({ name: 'jwt-parent', access: 'read' });
      const before = await jwksKids();
      assert.deepEqual(before[0]!.kids, before[1]!.kids, 'one JWKS before the rotation');
      const old = await signJwt(parent);
      assert.equal(old.status, 200, JSON.stringify(old.body));
      assert.ok(before[0]!.kids.includes(kidOf(old.body.token)));

      const rot = await answered(() => s.req('POST', '/api/v1/auth/jwt/keys/rotate', { headers: admin() }));
      assert.equal(rot.r.status, 200, JSON.stringify(rot.r.body));
      const kid = rot.r.body.kid as string;
      assert.ok(!before[0]!.kids.includes(kid), 'a new key');
      const t0 = Date.now();

      // A JWT signed after the rotation by each worker: the rotating one signs with the new key at once; the other may
      // still sign with the previous key (which stays published) until it re-reads the keys.
      const signed = await onBoth(() => signJwt(parent));
      for (const { r, worker } of signed) {
        assert.equal(r.status, 200, JSON.stringify(r.body));
        if (worker === rot.worker) assert.equal(kidOf(r.body.token), kid, 'the rotating worker signs with the new key');
      }

      // Both workers publish the new key (and still the old one) within their 10 s re-read of the keys, with 2 s to
      // spare; no JWT of the new key has been shown to the other worker yet, so this is the periodic re-read.
      const published = await until('both workers publish the new key', 12_000, async () => {
        const j = await jwksKids();
        return j.every((w) => w.kids.includes(kid)) ? j : undefined;
      });
      console.log(`  new key published by both workers after ${Date.now() - t0} ms`);
      assert.deepEqual(published[0]!.kids, published[1]!.kids, 'one JWKS again');
      assert.ok(published[0]!.kids.includes(kidOf(old.body.token)), 'the previous key stays published');

      // Every JWT signed after the rotation, and the one signed before it, verifies on both workers.
      for (const { r, worker } of signed) {
        const checks = await onBoth(() => me(r.body.token));
        assert.deepEqual(checks.map((c) => c.r.status), checks.map(() => 200), `a JWT signed by worker ${worker} (key ${kidOf(r.body.token)}) verifies on both`);
      }
      const oldChecks = await onBoth(() => me(old.body.token));
      assert.deepEqual(oldChecks.map((c) => c.r.status), oldChecks.map(() => 200), 'the JWT signed before the rotation stays valid on both');
      // Now both sign with the new key.
      const after = await onBoth(() => signJwt(parent));
      assert.deepEqual(after.map((a) => kidOf(a.r.body.token)), after.map(() => kid));
    });

    test('JWT key rotated again and again for 12 s: each time, a JWT of the new key verifies at once on the other worker', async () => {
      // Covers a whole 10 s refresh period of the other worker, so some rotation lands just after its periodic re-read
      // of the keys (which must not keep it from re-reading them for a key id it does not know).
      const { token: parent } = await create({ name: 'jwt-rotations', access: 'read' });
      const refused: string[] = [];
      let rounds = 0;
      // Look-ups of an unknown key id are limited to one a second per worker (by design): each round starts at least
      // 1.1 s after the answer to the last request that may have made one (the previous test's included), then
      // rotates, signs and verifies without pause.
      let lastLookup = Date.now();
      for (const end = Date.now() + 12_000; Date.now() < end; rounds++) {
        await sleep(Math.max(0, lastLookup + 1100 - Date.now()));
        const rot = await answered(() => s.req('POST', '/api/v1/auth/jwt/keys/rotate', { headers: admin() }));
        assert.equal(rot.r.status, 200, JSON.stringify(rot.r.body));
        const kid = rot.r.body.kid as string;
        let jwt = '';
        for (let i = 0; i < 12 && jwt === ''; i++) {
          const a = await answered(() => signJwt(parent));
          assert.equal(a.r.status, 200, JSON.stringify(a.r.body));
          if (kidOf(a.r.body.token) === kid) jwt = a.r.body.token;
        }
        assert.notEqual(jwt, '', 'a JWT of the new key');
        let other = 0;
        for (let i = 0; i < 12 && other === 0; i++) {
          const c = await answered(() => me(jwt));
          lastLookup = Date.now();
          if (c.worker !== rot.worker) {
            other = c.worker;
            if (c.r.status !== 200) refused.push(`round ${rounds}: key ${kid} refused by worker ${c.worker}: ${c.r.status} ${JSON.stringify(c.r.body)}`);
          } else {
            assert.equal(c.r.status, 200, 'the rotating worker accepts its own new key');
          }
        }
        assert.notEqual(other, 0, 'the other worker was asked');
      }
      console.log(`  ${rounds} rotations`);
      assert.deepEqual(refused, []);
    });

    test('a command-bound token triggered 24 times over both workers runs exactly 24 jobs; job.finished delivered once each', async () => {
      const hook = await s.req('POST', '/api/v1/webhooks', { headers: admin(), body: { url: `${rx.url}?jobs`, events: ['job.finished'] } });
      assert.equal(hook.status, 201, JSON.stringify(hook.body));
      const chat = await s.req('POST', '/api/v1/chat', { headers: admin(), body: { text: 'token-new @admin #default tally' } });
      assert.equal(chat.status, 200, JSON.stringify(chat.body));
      const value = /^created token (\S+)$/.exec(chat.body.reply)?.[1];
      assert.ok(value, chat.body.reply);
      const bound = await s.req('GET', '/api/v1/tokens?kind=bound', { headers: admin() });
      assert.equal(bound.body.items.length, 1);
      const tokenId = bound.body.items[0].id as string;

      const N = 24;
      const from = s.lines().length;
      const rs = await Promise.all(Array.from({ length: N }, () => s.req('POST', '/message', { headers: { token: value } })));
      assert.deepEqual(rs.map((r) => r.status), rs.map(() => 202), JSON.stringify(rs.map((r) => r.body)));
      await sleep(50);
      assert.deepEqual([...workersThatAnswered(s.lines(), from)].sort(), [1, 2], 'both workers took triggers');
      const ids = rs.map((r) => r.body.job_id as number);
      assert.equal(new Set(ids).size, N, 'one job id per trigger');

      // Every job listed once, finished, run by the worker that took its trigger (node id `<node>#w<n>`).
      const listed = await until('every job finished', 20_000, async () => {
        const l = await s.req('GET', '/api/v1/jobs?command=tally&limit=200', { headers: admin() });
        assert.equal(l.status, 200);
        assert.equal(l.body.next_cursor, null);
        const items = l.body.items as { id: number; status: string; token_id: string; output: string; node: string }[];
        return items.length >= N && items.every((j) => j.status !== 'queued' && j.status !== 'running') ? items : undefined;
      });
      assert.equal(listed.length, N, 'no job more than triggered');
      assert.deepEqual(listed.map((j) => j.id).sort((a, b) => a - b), [...ids].sort((a, b) => a - b), 'each job id listed exactly once');
      assert.deepEqual(listed.map((j) => [j.status, j.token_id]), listed.map(() => ['succeeded', tokenId]));
      assert.deepEqual([...new Set(listed.map((j) => Number(/#w(\d+)$/.exec(j.node)?.[1])))].sort(), [1, 2], 'jobs ran on both workers');
      const lines = readFileSync(runs, 'utf8').split('\n').filter((x) => x !== '');
      assert.equal(lines.length, N, 'the command ran exactly once per trigger');
      assert.equal(new Set(lines).size, N, 'in a process of its own each time');

      // job.finished: one delivery per job, none twice.
      const jobEvents = () => rx.got.filter((g) => g.headers['webhook-id'] !== undefined && JSON.parse(g.body).type === 'job.finished');
      await rx.until(() => new Set(jobEvents().map((g) => JSON.parse(g.body).data.job.id)).size >= N, 15_000, 'job.finished events');
      await sleep(500); // time for a duplicate to arrive (the dispatchers poll every 20 ms)
      const got = jobEvents();
      assert.equal(got.length, N, 'exactly one job.finished request per job');
      assert.deepEqual(got.map((g) => JSON.parse(g.body).data.job.id).sort((a: number, b: number) => a - b), [...ids].sort((a, b) => a - b));
      for (const g of got) verifySignature(hook.body.secret, g);
      assert.equal((await s.req('DELETE', `/api/v1/webhooks/${hook.body.webhook.id}`, { headers: admin() })).status, 204);
    });

    test('webhook events written on both workers (first attempts refused, so retries race): each delivered exactly once', async () => {
      const N = 30;
      const hook = await s.req('POST', '/api/v1/webhooks', { headers: admin(), body: { url: rx.url, events: ['token.created'] } });
      assert.equal(hook.status, 201, JSON.stringify(hook.body));
      const secret = hook.body.secret as string;
      rx.got.length = 0;
      rx.status = 500;
      const from = s.lines().length;
      const made = await Promise.all(Array.from({ length: N }, (_, i) => create({ name: `wh-${i}` })));
      await sleep(50);
      assert.deepEqual([...workersThatAnswered(s.lines(), from)].sort(), [1, 2], 'events written on both workers');
      await rx.until((g) => new Set(g.map((x) => String(x.headers['webhook-id']))).size >= N, 15_000, 'first attempts');
      rx.status = 200;
      const oks = () => rx.got.filter((g) => g.status === 200);
      await rx.until(() => new Set(oks().map((x) => String(x.headers['webhook-id']))).size >= N, 20_000, 'retries answered 200');
      await sleep(1500); // a duplicate (or a retry of a delivered event) would come within one retry period

      const ok = oks();
      assert.equal(ok.length, N, 'each event answered 200 exactly once: never sent again once delivered');
      assert.equal(new Set(ok.map((g) => String(g.headers['webhook-id']))).size, N);
      const tokenIds = ok.map((g) => (JSON.parse(g.body) as { data: { token: { id: string } } }).data.token.id).sort();
      assert.deepEqual(tokenIds, made.map((m) => m.id).sort(), 'one event per token created');
      for (const g of rx.got) verifySignature(secret, g);

      // The delivery log agrees with the receiver: one recorded attempt per request it saw, every delivery delivered.
      const d = await s.req('GET', `/api/v1/webhooks/${hook.body.webhook.id}/deliveries?limit=200`, { headers: admin() });
      assert.equal(d.status, 200);
      const deliveries = d.body.items as { status: string; attempts: number; log: { attempt: number }[] }[];
      assert.equal(deliveries.length, N);
      assert.deepEqual(deliveries.map((x) => x.status), deliveries.map(() => 'delivered'));
      assert.equal(deliveries.reduce((n, x) => n + x.log.length, 0), rx.got.length, 'no attempt sent by both workers');
      for (const x of deliveries) assert.deepEqual(x.log.map((a) => a.attempt), Array.from({ length: x.attempts }, (_, i) => i + 1), 'attempt numbers not repeated');
    });
  });
  if (!withRedis) await requireRedis(`workers on ${store}: rate limits shared through Redis`);
};
