import { randomFillSync } from 'node:crypto';
import type { Clock, Random } from '../core/ports.js';

export const systemClock: Clock = { now: () => Date.now() };

/** CSPRNG reads, drawn from a pool to avoid a syscall per token. */
export const cryptoRandom = (): Random => {
  const pool = Buffer.alloc(4096);
  let pos = pool.length;
  return {
    bytes(n) {
      if (n > pool.length) return randomFillSync(Buffer.alloc(n));
      if (pos + n > pool.length) { randomFillSync(pool); pos = 0; }
      const out = Buffer.from(pool.subarray(pos, pos + n));
      pool.fill(0, pos, pos + n);
      pos += n;
      return out;
    },
  };
};
