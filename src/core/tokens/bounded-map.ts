/**
 * A map of at most `max` entries that forgets the oldest insertion first, in constant time.
 *
 * The obvious version — a Map, evicting `map.keys().next().value` — is not constant time in V8: deleted entries stay
 * in the table's order until it is rehashed, and finding the first live key walks over them. A full cache that
 * evicts on every insert (a flood of unknown values, a cold store) then spends most of its time skipping deleted
 * slots. Here a ring of keys remembers insertion order, and the map is only ever used for lookups.
 */
export class BoundedMap<V> {
  private readonly map = new Map<string, { value: V; slot: number }>();
  private readonly ring: (string | undefined)[];
  private next = 0;

  /** `onEvict` hears of entries dropped to make room (not of `delete` or `clear`). */
  constructor(readonly max: number, private readonly onEvict?: (key: string, value: V) => void) {
    this.ring = new Array<string | undefined>(Math.max(0, max)).fill(undefined);
  }

  get size(): number { return this.map.size; }

  get(key: string): V | undefined {
    return this.map.get(key)?.value;
  }

  /** Inserts or replaces `key` as the newest entry, dropping the oldest when full. No-op when `max` is 0. */
  set(key: string, value: V): void {
    if (this.max <= 0) return;
    const old = this.map.get(key);
    if (old !== undefined) this.ring[old.slot] = undefined;
    const oldest = this.ring[this.next];
    if (oldest !== undefined) {
      const e = this.map.get(oldest)!;
      this.map.delete(oldest);
      this.onEvict?.(oldest, e.value);
    }
    this.ring[this.next] = key;
    this.map.set(key, { value, slot: this.next });
    this.next = this.next + 1 === this.max ? 0 : this.next + 1;
  }

  delete(key: string): boolean {
    const e = this.map.get(key);
    if (e === undefined) return false;
    this.ring[e.slot] = undefined;
    return this.map.delete(key);
  }

  clear(): void {
    this.map.clear();
    this.ring.fill(undefined);
    this.next = 0;
  }
}
