/**
 * Per-token rate limits (the TokenRateLimiter port) with rate-limiter-flexible: fixed windows of `windowSeconds`, at
 * most `limit` requests each. In this process (RateLimiterMemory) by default; with a Redis URL shared by every node
 * (RateLimiterRedis over ioredis: one Lua script counts and reads the window in one atomic step).
 *
 * Redis down: the node keeps answering — it falls back to an in-memory limiter of the same size (rate-limiter-flexible's
 * insurance limiter), so each node then enforces the limit on its own (up to limit × nodes in total), and logs one
 * warning per outage. Refusing every limited token (503) while Redis is away would turn a cache outage into an API
 * outage; usage limits (`remaining`) stay exact regardless, since they live in the database.
 */
import { Redis } from 'ioredis';
import { type RateLimiterAbstract, RateLimiterCluster, RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { RateDecision, TokenRateLimiter } from '../core/ports.js';

export interface RateLimitLog { warn(msg: string): void; info(msg: string): void }

/** One limiter per distinct (limit, window): rate-limiter-flexible fixes both per instance. */
const limiters = (make: (limit: number, windowSeconds: number) => RateLimiterAbstract) => {
  const byShape = new Map<string, RateLimiterAbstract>();
  return (limit: number, windowSeconds: number): RateLimiterAbstract => {
    const k = `${limit}:${windowSeconds}`;
    let l = byShape.get(k);
    if (!l) byShape.set(k, (l = make(limit, windowSeconds)));
    return l;
  };
};

const decide = async (l: RateLimiterAbstract, key: string, limit: number): Promise<RateDecision> => {
  try {
    const r = await l.consume(key);
    return { allowed: true, remaining: Math.max(0, limit - r.consumedPoints), msBeforeReset: r.msBeforeNext };
  } catch (e) {
    if (!(e instanceof RateLimiterRes)) throw e;
    return { allowed: false, remaining: 0, msBeforeReset: e.msBeforeNext };
  }
};

const memory = (limit: number, windowSeconds: number) => new RateLimiterMemory({ points: limit, duration: windowSeconds });

export const memoryRateLimiter = (): TokenRateLimiter => {
  const get = limiters(memory);
  return {
    consume: (key, limit, windowSeconds) => decide(get(limit, windowSeconds), key, limit),
    close: async () => undefined,
  };
};

/**
 * Limits shared by the workers of one `tessera serve --workers N` (no Redis): counted in the primary
 * (RateLimiterClusterMaster, started by `superviseWorkers`), asked over the cluster IPC channel.
 */
export const clusterRateLimiter = (opts: { timeoutMs?: number } = {}): TokenRateLimiter => {
  const get = limiters((limit, windowSeconds) => new RateLimiterCluster({
    keyPrefix: `tessera:rl:${limit}:${windowSeconds}`, points: limit, duration: windowSeconds, timeoutMs: opts.timeoutMs ?? 2000,
  }));
  // The primary did not answer in time (it is gone or stuck): this worker counts on its own meanwhile, as a node does
  // when Redis is away, rather than failing the request.
  const local = limiters(memory);
  return {
    consume: (key, limit, windowSeconds) => decide(get(limit, windowSeconds), key, limit)
      .catch(() => decide(local(limit, windowSeconds), key, limit)),
    close: async () => undefined,
  };
};

/**
 * Limits shared through Redis. Commands fail at once while disconnected (no offline queue), and then the per-node
 * insurance limiter answers; ioredis reconnects by itself.
 */
export const redisRateLimiter = async (url: string, log: RateLimitLog, opts: { connectTimeoutMs?: number } = {}): Promise<TokenRateLimiter> => {
  const client = new Redis(url, {
    enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: opts.connectTimeoutMs ?? 2000,
    retryStrategy: (n) => Math.min(n * 200, 2000), lazyConnect: true,
  });
  let degraded = false;
  const down = (why: string) => {
    if (degraded) return;
    degraded = true;
    log.warn(`Redis at ${redact(url)} is unreachable (${why}): token rate limits are enforced per node until it is back`);
  };
  client.on('error', (e: Error) => down(e.message)); // without a listener an 'error' event would crash the process
  client.on('ready', () => { if (degraded) { degraded = false; log.info('Redis is reachable again: token rate limits are shared across nodes'); } });
  // Wait for the first connection so the first requests are counted in Redis; a Redis that is down does not stop the node.
  await client.connect().catch((e: Error) => down(e.message));
  const get = limiters((limit, windowSeconds) => new RateLimiterRedis({
    storeClient: client, keyPrefix: `tessera:rl:${limit}:${windowSeconds}`, points: limit, duration: windowSeconds,
    rejectIfRedisNotReady: true, insuranceLimiter: memory(limit, windowSeconds),
  }));
  return {
    consume(key, limit, windowSeconds) {
      if (client.status !== 'ready') down(`connection ${client.status}`);
      return decide(get(limit, windowSeconds), key, limit);
    },
    async close() {
      client.removeAllListeners('ready');
      if (client.status === 'ready') await client.quit().catch(() => client.disconnect());
      else client.disconnect();
    },
  };
};

/** The URL without its password, for log lines. */
const redact = (url: string): string => url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
