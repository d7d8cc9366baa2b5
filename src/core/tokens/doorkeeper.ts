/**
 * The verifier cache's admission rule: a token enters the cache on its second lookup within a window, not its first.
 *
 * A cache that admits every miss pays for it when most lookups are of tokens seen once (a store of millions, random
 * draws, a scan): every miss builds an entry that lives through `max` more misses and is then evicted — the worst case
 * for V8's generational GC — and each one evicts a token that may be used again. Measured on a store of a million
 * tokens with every request a miss (bench/README.md, "Cold path"), admitting everything cost ~16 µs per verification
 * over not caching at all. TinyLFU's "doorkeeper" fixes that without allocating: one bit per hash bucket remembers
 * that a value was looked up once; the second lookup finds the bit and is admitted. A token in use is cached from its
 * second verification on; a bit shared by two values (a false positive) only admits one of them early. The bits are
 * cleared after `window` first sightings, so old sightings do not admit forever.
 */
export class Doorkeeper {
  private readonly bits: Uint32Array;
  private readonly mask: number;
  private marked = 0;

  /** `window`: first sightings remembered before the bits are cleared (the cache's size is a good value). */
  constructor(private readonly window: number) {
    let n = 1024;
    while (n < window * 8 && n < 1 << 27) n *= 2;
    this.bits = new Uint32Array(n >>> 5);
    this.mask = n - 1;
  }

  /**
   * Whether to cache the value whose SHA-256 is `hexHash` (hex): true if it was looked up before (since the last
   * clearing), else false, remembering this sighting.
   */
  admit(hexHash: string): boolean {
    const i = Number.parseInt(hexHash.slice(0, 8), 16) & this.mask;
    const word = i >>> 5;
    const bit = 1 << (i & 31);
    if ((this.bits[word]! & bit) !== 0) return true;
    if (++this.marked > this.window) { this.bits.fill(0); this.marked = 1; }
    this.bits[word]! |= bit;
    return false;
  }
}
