/**
 * Per-token rate limits (the TokenRateLimiter port) with rate-limiter-flexible: fixed windows of `windowSeconds`, at
 * most `limit` requests each. In this process (RateLimiterMemory) by default; with a Redis URL shared by every node
 * (RateLimiterRedis over ioredis: one Lua script counts and reads the window in one atomic step).
 *
 * Redis down or not answering: the node keeps answering — it falls back to an in-memory limiter of the same size (its
 * own, per window length), so each node then enforces the limit on its own (up to limit × nodes in total), and logs one
 * warning per outage. Refusing every limited token (503) while Redis is away would turn a cache outage into an API
 * outage; usage limits (`remaining`) stay exact regardless, since they live in the database.
 */
import { Redis } from 'ioredis';
import { type RateLimiterAbstract, RateLimiterCluster, RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';
import type { RateDecision, TokenRateLimiter } from '../core/ports.js';

export interface RateLimitLog { warn(msg: string): void; info(msg: string): void }

/**
 * One limiter per window length, counting up to far past any limit; the limit is applied to its count at each request
 * (`decide`). So a token's counter is its id's in that window whatever its limit: a PATCH that changes `rate_limit.limit`
 * mid-window applies the new limit to the requests already counted (with one counter per limit, the old and the new
 * limits added up within that window). A new window length starts a new counter.
 */
const COUNT_CEILING = Number.MAX_SAFE_INTEGER;

const limiters = (make: (windowSeconds: number) => RateLimiterAbstract) => {
  const byWindow = new Map<number, RateLimiterAbstract>();
  return (windowSeconds: number): RateLimiterAbstract => {
    let l = byWindow.get(windowSeconds);
    if (!l) byWindow.set(windowSeconds, (l = make(windowSeconds)));
    return l;
  };
};

const decide = async (l: RateLimiterAbstract, key: string, limit: number): Promise<RateDecision> => {
  const r = await l.consume(key);
  const allowed = r.consumedPoints <= limit;
  return { allowed, remaining: Math.max(0, limit - r.consumedPoints), msBeforeReset: r.msBeforeNext };
};

const memory = (windowSeconds: number) => new RateLimiterMemory({ points: COUNT_CEILING, duration: windowSeconds });

export const memoryRateLimiter = (): TokenRateLimiter => {
  const get = limiters(memory);
  return {
    consume: (key, limit, windowSeconds) => decide(get(windowSeconds), key, limit),
    close: async () => undefined,
  };
};

/**
 * Limits shared by the workers of one `tessera serve --workers N` (no Redis): counted in the primary
 * (RateLimiterClusterMaster, started by `superviseWorkers`), asked over the cluster IPC channel.
 */
export const clusterRateLimiter = (opts: { timeoutMs?: number } = {}): TokenRateLimiter => {
  const get = limiters((windowSeconds) => new RateLimiterCluster({
    keyPrefix: `tessera:rlw:${windowSeconds}`, points: COUNT_CEILING, duration: windowSeconds, timeoutMs: opts.timeoutMs ?? 2000,
  }));
  // The primary did not answer in time (it is gone or stuck): this worker counts on its own meanwhile, as a node does
  // when Redis is away, rather than failing the request.
  const local = limiters(memory);
  return {
    consume: (key, limit, windowSeconds) => decide(get(windowSeconds), key, limit)
      .catch(() => decide(local(windowSeconds), key, limit)),
    close: async () => undefined,
  };
};

/**
 * Limits shared through Redis. Commands fail at once while disconnected (no offline queue), and then the per-node
 * limiter answers; ioredis reconnects by itself. A Redis that is connected but fails or does not answer a count within
 * `commandTimeoutMs` is not asked again for `retryAfterMs` (the node counts on its own meanwhile, so only the first
 * request of an outage waits); then one count tries it again.
 */
export const redisRateLimiter = async (url: string, log: RateLimitLog,
  opts: { connectTimeoutMs?: number; commandTimeoutMs?: number; retryAfterMs?: number } = {}): Promise<TokenRateLimiter> => {
  const connectTimeoutMs = opts.connectTimeoutMs ?? 2000;
  const client = new Redis(url, {
    enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: connectTimeoutMs,
    // A Redis that takes connections but does not answer (paused, overloaded, a network that silently drops packets)
    // fails a count after this long, and the per-node limiter answers (and keeps answering for `retryAfterMs`).
    commandTimeout: opts.commandTimeoutMs ?? 500,
    retryStrategy: (n) => Math.min(n * 200, 2000), lazyConnect: true,
  });
  let degraded = false;
  const retryAfterMs = opts.retryAfterMs ?? 5000;
  /** While Date.now() is before this, a connected Redis that failed a count is not asked (0: ask it). */
  let askAgainAt = 0;
  const down = (why: string) => {
    if (degraded) return;
    degraded = true;
    log.warn(`Redis at ${redact(url)} is unreachable (${why}): token rate limits are enforced per node until it is back`);
  };
  const up = () => {
    if (!degraded) return;
    degraded = false;
    log.info('Redis is reachable again: token rate limits are shared across nodes');
  };
  client.on('error', (e: Error) => down(e.message)); // without a listener an 'error' event would crash the process
  client.on('ready', () => { askAgainAt = 0; up(); }); // a new connection: ask it again
  // Wait for the first connection so the first requests are counted in Redis; a Redis that is down — or that accepts
  // the connection and never answers its ready check — does not stop the node from starting.
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    client.connect(),
    new Promise<never>((_, fail) => { timer = setTimeout(() => fail(new Error(`no answer within ${connectTimeoutMs} ms`)), connectTimeoutMs); }),
  ]).catch((e: Error) => down(e.message)).finally(() => clearTimeout(timer));
  const get = limiters((windowSeconds) => new RateLimiterRedis({
    storeClient: client, keyPrefix: `tessera:rlw:${windowSeconds}`, points: COUNT_CEILING, duration: windowSeconds,
    rejectIfRedisNotReady: true,
  }));
  const local = limiters(memory);
  return {
    consume(key, limit, windowSeconds) {
      if (client.status !== 'ready') {
        down(`connection ${client.status}`);
        return decide(local(windowSeconds), key, limit);
      }
      if (askAgainAt !== 0 && Date.now() < askAgainAt) return decide(local(windowSeconds), key, limit);
      return decide(get(windowSeconds), key, limit).then((d) => {
        if (askAgainAt !== 0) { askAgainAt = 0; up(); }
        return d;
      }, (e: unknown) => {
        down((e as Error)?.message ?? String(e));
        askAgainAt = Date.now() + retryAfterMs;
        return decide(local(windowSeconds), key, limit);
      });
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
