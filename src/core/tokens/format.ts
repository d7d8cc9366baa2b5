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
 *
 * Other formats (`tokens.format.<kind>`, issue 17), for clients that expect a product's own shape:
 * - `uuid`: a random UUID v4 (122 random bits), as Meeseeks's `token-new` prints (seed 000); default for bound tokens.
 * - `filebin`: 32 base62 characters (≈190 bits), as FileBin's API keys.
 * They carry no prefix and no checksum, so they cannot be refused before the lookup: every value that is not
 * Tessera-shaped (`screen`) is looked up by its hash (after the store's secret filter and the negative cache), the same
 * way imported tokens of any shape are. Values that carry the Tessera prefix must still pass the checksum.
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

/** The shapes a new token value may take, per kind (`tokens.format`). */
export const TOKEN_FORMATS = ['tessera', 'uuid', 'filebin'] as const;
export type TokenFormat = (typeof TOKEN_FORMATS)[number];
export const FILEBIN_CHARS = 32;
/** How many characters of a value without Tessera's prefix are kept as its display prefix. */
export const PLAIN_DISPLAY_CHARS = 8;
/**
 * The longest value looked up by hash. Longer than any format Tessera issues or a product it imports from uses (Query's
 * JWTs are ~200 characters); anything longer is refused as MALFORMED without hashing it.
 */
export const MAX_VALUE_CHARS = 1024;

const HEX = '0123456789abcdef';
/** A random UUID v4 (RFC 9562 §5.4) from the injected random source, lower-case as Go's `uuid.New().String()`. */
export const randomUuid = (random: Random): string => {
  const b = random.bytes(16);
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  let s = '';
  for (let i = 0; i < 16; i++) {
    if (i === 4 || i === 6 || i === 8 || i === 10) s += '-';
    s += HEX[b[i]! >> 4]! + HEX[b[i]! & 15]!;
  }
  return s;
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
/** Whether a value has the shape of a UUID v4 (the `uuid` format; Meeseeks's tokens). */
export const isUuid = (value: string): boolean => value.length === 36 && UUID.test(value);

/** A new token value of the given format. */
export const newTokenValue = (random: Random, format: TokenFormat, prefix: string): string =>
  format === 'uuid' ? randomUuid(random) : format === 'filebin' ? randomBase62(random, FILEBIN_CHARS) : generateTokenValue(random, prefix);

/**
 * The length rule of `screen` alone (a Tessera value's exact length; any other's 1 to MAX_VALUE_CHARS): what the
 * verifier checks before hashing a value, so no value is hashed whose length alone refuses it. The rest of the
 * screen (characters, checksum; ~100 ns) runs only for a value its cache does not know: one it knows passed it.
 */
export const plausibleLength = (value: string, prefix: string): boolean => {
  const len = value.length;
  return value.startsWith(prefix) ? len === prefix.length + RANDOM_CHARS + CHECKSUM_CHARS : len > 0 && len <= MAX_VALUE_CHARS;
};

/**
 * Whether a presented value may be looked up by hash. A value with the Tessera prefix must be well-formed (checksum
 * included): a typo is refused without a lookup. Any other value (other formats, imported tokens) must be non-empty,
 * at most MAX_VALUE_CHARS long and printable (no control characters: such a value cannot have come from an HTTP
 * header, and no format or import accepts one).
 */
export const screen = (value: string, prefix: string): boolean => {
  if (value.startsWith(prefix)) return isWellFormed(value, prefix);
  const len = value.length;
  if (len === 0 || len > MAX_VALUE_CHARS) return false;
  for (let i = 0; i < len; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return false;
  }
  return true;
};

export const hashValue = (value: string): string => hash('sha256', value, 'hex');

/**
 * The verifier cache's key for a value: its SHA-256 as a 32-character one-byte string (a character per byte), not the
 * store's 64 hex digits. Hashing to it and finding it in a Map of a thousand entries costs ~240 ns against hex's ~320
 * (V8 hashes the key string before the lookup: half the characters); a verification does it once per value.
 */
export const hashKey = (value: string): string => hash('sha256', value, 'binary');
/** A cache key (`hashKey`) as the store's hex hash, for the lookup after a miss. */
export const keyToHash = (key: string): string => Buffer.from(key, 'latin1').toString('hex');
/** The store's hex hash of a value as its cache key (`hashKey`). */
export const hashToKey = (hexHash: string): string => Buffer.from(hexHash, 'hex').toString('latin1');

/** What listings show of a value: the prefix and 6 characters of a Tessera value, the first 8 of any other. */
export const displayPrefix = (value: string, prefix: string): string =>
  value.slice(0, value.startsWith(prefix) ? prefix.length + DISPLAY_CHARS : PLAIN_DISPLAY_CHARS);

/** Constant-time equality of two hex digests (used after an index lookup, as defence in depth). */
export const sameHash = (a: string, b: string): boolean =>
  a.length === b.length && timingSafeEqual(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

/** Random identifiers (JWT ids, `jwt_…`): not secret, but unguessable, so they reveal no counts. Token ids: `newTokenId`. */
export const newId = (random: Random, tag: string): string => `${tag}_${randomBase62(random, 16)}`;

/**
 * A new token id: `tok_`, then the creation time (ms since the epoch, 8 base-62 characters: until the year ~8900) and
 * 8 random ones (~47 bits). The alphabet sorts in ASCII order, so ids sort by creation time: tokens made together
 * land side by side in the B-trees keyed by id (`tokens`' primary key, `token_secrets.token_id`) instead of at random
 * pages — a batch of 1,000 then dirties a few pages of each instead of most of them (bench/README.md, "Token ids in
 * time order"). Ids are names, not secrets: the time is what `created_at` shows anyway, and the random part keeps
 * them from revealing counts.
 */
export const newTokenId = (random: Random, at: number): string => `tok_${base62(Math.max(0, Math.floor(at)), 8)}${randomBase62(random, 8)}`;

const TOKEN_ID = /^tok_[0-9A-Za-z]{16}$/;
/** Whether a string has the shape of a token id (`newTokenId`), as opposed to a token value. */
export const isTokenId = (s: string): boolean => TOKEN_ID.test(s);
