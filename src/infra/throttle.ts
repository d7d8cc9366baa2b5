import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { LoginThrottle } from '../core/ports.js';

/**
 * Login throttling with rate-limiter-flexible: each key (username, address) gets `maxFailures` attempts per
 * `windowSeconds`, and is blocked for `blockSeconds` when the last of them fails. `consume` counts and checks in one
 * synchronous step, which makes `attempt` atomic per key. Attempts in flight hold a point, so a burst of concurrent
 * guesses beyond the limit is refused; it does not block the key, because those attempts may still succeed.
 */
export const memoryLoginThrottle = (o: { maxFailures: number; windowSeconds: number; blockSeconds: number }): LoginThrottle => {
  const limiter = new RateLimiterMemory({ points: o.maxFailures, duration: o.windowSeconds });
  return {
    async attempt(keys) {
      const taken: string[] = [];
      for (const k of keys) {
        try {
          await limiter.consume(k);
          taken.push(k);
        } catch (e) {
          if (!(e instanceof RateLimiterRes)) throw e;
          for (const t of [...taken, k]) await limiter.reward(t); // a refused attempt counts nowhere
          // A blocked key waits out its block; a key full of attempts in flight waits at most as long as a block.
          return Math.min(o.blockSeconds, Math.max(1, Math.ceil(e.msBeforeNext / 1000)));
        }
      }
      return 0;
    },
    async failed(keys) {
      for (const k of keys) {
        const r = await limiter.get(k);
        if (r && r.consumedPoints >= o.maxFailures) await limiter.block(k, o.blockSeconds);
      }
    },
    async refund(keys) {
      for (const k of keys) await limiter.reward(k);
    },
    async reset(keys) {
      for (const k of keys) await limiter.delete(k);
    },
  };
};
