import { Algorithm, hash, verify } from '@node-rs/argon2';
import type { PasswordHasher } from '../core/ports.js';

/** argon2id with OWASP's minimum parameters (19 MiB, 2 passes, 1 lane). */
export const argon2Hasher = (opts: { memoryCost?: number; timeCost?: number } = {}): PasswordHasher => ({
  hash: (password) => hash(password, { algorithm: Algorithm.Argon2id, memoryCost: opts.memoryCost ?? 19456, timeCost: opts.timeCost ?? 2, parallelism: 1 }),
  verify: async (h, password) => {
    try { return await verify(h, password); } catch { return false; }
  },
});
