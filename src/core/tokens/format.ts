/**
 * Token wire format
 *
 *     tsr_ 2bFq9LkTz0xY1mW3pQ8sR7vN4cJ5hG6  A1b2C3
 *     ^^^^ ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^  ^^^^^^
 *     prefix   27 base62 chars of entropy   checksum: CRC32 of everything before it, base62, 6 chars
 *
 * - The prefix (default `tsr_`, configurable) makes leaked tokens easy to find with secret scanners.
 * - 27 base62 characters carry 27 × log2(62) ≈ 160.8 bits; each is drawn by rejection sampling from the CSPRNG,
 *   so every character is uniform (no modulo bias).
 * - The checksum lets us refuse typos and garbage without touching the store (GitHub's token format does the same).
 *   CRC32 is not a MAC: it only detects accidents. The secret's strength is the random part.
 * - The store keeps only SHA-256(value), hex-encoded, looked up by a unique index. A fast hash is right here because
 *   the value has 160 bits of entropy: there is nothing to brute-force that a slow hash would protect.
 */
import { hash, timingSafeEqual } from 'node:crypto';
import { crc32 } from 'node:zlib';
import type { Random } from '../ports.js';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
export const RANDOM_CHARS = 27;
export const CHECKSUM_CHARS = 6;
/** How many characters of the value (after the prefix) are kept as the display prefix. */
export const DISPLAY_CHARS = 6;

export const base62 = (n: number, width: number): string => {
  let s = '';
  for (let i = 0; i < width; i++) { s = ALPHABET[n % 62] + s; n = Math.floor(n / 62); }
  return s;
};

/** Uniform base62 string of `len` characters, drawn by rejection sampling (bytes ≥ 248 are discarded). */
export const randomBase62 = (random: Random, len: number): string => {
  let out = '';
  while (out.length < len) {
    const buf = random.bytes(len * 2);
    for (let i = 0; i < buf.length && out.length < len; i++) {
      const b = buf[i]!;
      if (b < 248) out += ALPHABET[b % 62];
    }
  }
  return out;
};

export const checksum = (body: string): string => base62(crc32(body) >>> 0, CHECKSUM_CHARS);

export const generateTokenValue = (random: Random, prefix: string): string => {
  const body = prefix + randomBase62(random, RANDOM_CHARS);
  return body + checksum(body);
};

/** CRC-32 (the zlib polynomial) by table, for the ASCII strings of the verification path. */
const CRC_TABLE = new Int32Array(256);
for (let n = 0; n < 256; n++) {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  CRC_TABLE[n] = c;
}
/** Base62 digit values by character code (-1: not a base62 character). */
const DIGIT = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DIGIT[ALPHABET.charCodeAt(i)] = i;

/**
 * True when `value` has the exact shape of a token with this prefix and a correct checksum. It runs on every
 * credential, garbage included, so it allocates nothing: the CRC-32 is computed over the character codes (the whole
 * value is ASCII once the shape is checked; equal to zlib's `crc32` of the UTF-8 bytes) and compared with the decoded
 * checksum digits (base62 of a 32-bit number in 6 digits is unique, so this equals comparing the strings).
 */
export const isWellFormed = (value: string, prefix: string): boolean => {
  const len = prefix.length + RANDOM_CHARS + CHECKSUM_CHARS;
  if (value.length !== len || !value.startsWith(prefix)) return false;
  const cut = len - CHECKSUM_CHARS;
  let crc = -1;
  for (let i = 0; i < cut; i++) {
    const c = value.charCodeAt(i);
    if (c >= 128 || (i >= prefix.length && DIGIT[c] === -1)) return false;
    crc = CRC_TABLE[(crc ^ c) & 0xff]! ^ (crc >>> 8);
  }
  let sum = 0;
  for (let i = cut; i < len; i++) {
    const c = value.charCodeAt(i);
    const d = c < 128 ? DIGIT[c]! : -1;
    if (d === -1) return false;
    sum = sum * 62 + d;
  }
  return sum === (~crc >>> 0);
};

/**
 * Whether a value without the prefix may be an imported token (issue 17: FileBin keys, Semaphore tokens, Meeseeks
 * UUIDs, Query JWTs keep their values): 8 to 4096 printable ASCII characters without spaces. Such values have no
 * checksum, so they are looked up by hash; the checksum fast-reject still applies to every value with the prefix.
 */
export const isForeignCandidate = (value: string, prefix: string): boolean => {
  if (value.length < 8 || value.length > 4096 || value.startsWith(prefix)) return false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c <= 0x20 || c >= 0x7f) return false;
  }
  return true;
};

export const hashValue = (value: string): string => hash('sha256', value, 'hex');

export const displayPrefix = (value: string, prefix: string): string => value.slice(0, prefix.length + DISPLAY_CHARS);

/** Constant-time equality of two hex digests (used after an index lookup, as defence in depth). */
export const sameHash = (a: string, b: string): boolean =>
  a.length === b.length && timingSafeEqual(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

/** Random identifiers for tokens and sessions: not secret, but unguessable so ids do not reveal counts. */
export const newId = (random: Random, tag: string): string => `${tag}_${randomBase62(random, 16)}`;

const TOKEN_ID = /^tok_[0-9A-Za-z]{16}$/;
/** Whether a string has the shape of a token id (`newId(random, 'tok')`), as opposed to a token value. */
export const isTokenId = (s: string): boolean => TOKEN_ID.test(s);
