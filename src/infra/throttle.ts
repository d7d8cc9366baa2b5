import { RateLimiterMemory } from 'rate-limiter-flexible';
import type { LoginThrottle } from '../core/ports.js';

/**
 * Failed-login throttling with rate-limiter-flexible: each key (username, address) may fail `maxFailures` times
 * within `windowSeconds`; after that it is blocked for `blockSeconds`. A success clears the username's count.
 */
export const memoryLoginThrottle = (o: { maxFailures: number; windowSeconds: number; blockSeconds: number }): LoginThrottle => {
  const limiter = new RateLimiterMemory({ points: o.maxFailures, duration: o.windowSeconds, blockDuration: o.blockSeconds });
  return {
    async blockedFor(keys) {
      let wait = 0;
      for (const k of keys) {
        const r = await limiter.get(k);
        if (r && r.consumedPoints >= o.maxFailures) wait = Math.max(wait, Math.ceil(r.msBeforeNext / 1000));
      }
      return wait;
    },
    async failure(keys) {
      for (const k of keys) await limiter.penalty(k, 1).then(async (r) => {
        if (r.consumedPoints >= o.maxFailures) await limiter.block(k, o.blockSeconds);
      });
    },
    async success(keys) {
      for (const k of keys) await limiter.delete(k);
    },
  };
};
