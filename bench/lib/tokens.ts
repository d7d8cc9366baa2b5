/** Token values for the loaders, written one per line. Unknown values are well formed (right prefix and checksum). */
import { writeFileSync } from 'node:fs';
import { generateTokenValue } from '../../src/core/tokens/format.js';
import { cryptoRandom } from '../../src/infra/system.js';

const random = cryptoRandom();
const SAFE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-';

export const writeLines = (file: string, values: readonly string[]): string => {
  writeFileSync(file, values.join('\n') + '\n');
  return file;
};

/** Well-formed values that are in no store: each costs the server a hash and, unless cached, a store lookup. */
export const unknownValues = (n: number, prefix = 'tsr_'): string[] => Array.from({ length: n }, () => generateTokenValue(random, prefix));

/**
 * Garbage an attacker or a broken client sends, refused by shape or checksum before any hashing: a third random
 * strings of 1–80 characters, a third right-looking values with a wrong checksum, a third with a foreign prefix.
 */
export const malformedValues = (n: number, prefix = 'tsr_'): string[] => Array.from({ length: n }, (_, i) => {
  const b = random.bytes(80);
  if (i % 3 === 0) {
    let s = '';
    for (let k = 0; k < 1 + (b[0]! % 80); k++) s += SAFE[b[k]! % SAFE.length];
    return s;
  }
  const v = generateTokenValue(random, prefix);
  if (i % 3 === 1) return v.slice(0, -1) + (v.endsWith('A') ? 'B' : 'A');
  return `ghp_${v.slice(prefix.length)}`;
});
