/**
 * Which token secrets exist, kept in memory as a Bloom filter, so that a value no token has (an attacker's
 * well-formed garbage, a typo that kept its checksum) is refused without a database lookup. A Bloom filter never
 * answers "absent" for a hash it was given; it answers "maybe" for about 0.06 % of the others, which then cost the
 * lookup they would have cost anyway.
 *
 * It is only ever as complete as what it was told, so it is used where one process sees every write: the embedded
 * SQLite store. The store adds each new secret (`add`) right after inserting its row, and builds the filter from the
 * table at start and when it outgrows its size. Why none of this process's secrets can be missed: the build scans on
 * the store's own connection, which sees that row from the insert on (committed or not); an `add` made while a build
 * runs goes into the filter being built as well; so a secret is in the new filter whether its insert came before the
 * scan reached it or its `add` came after the build began. (A rolled-back insert leaves a hash behind: a false
 * positive, harmless.)
 *
 * Another process writing into the same file (the other workers of `tessera serve --workers N`, or a script) is
 * noticed through `PRAGMA data_version`, which changes only on commits of *other* connections. Reading it costs as
 * much as a lookup (~5 µs), so an "absent" answer reads it at most every `recheckMs` (250 ms; 0 with workers, so a
 * token created through one worker verifies on another at once). When it moved, the filter catches up: the secrets
 * with a rowid above the highest one it has read are added, synchronously, and the question is answered again. That
 * is complete because SQLite gives a new row a rowid above every row present: only when the row holding the highest
 * rowid read is gone or changed (deleted, VACUUM) could a new row have reused a lower one, and then the filter is
 * distrusted (every lookup goes to the database) until it is rebuilt. Writes of a process outside the workers are
 * seen late in any case: the verification cache keeps answers up to its TTL (`cache.ttl_seconds`), since only
 * this server's changes invalidate it.
 *
 * Bits: 16 per planned entry, 8 probes (false positives ≈ 0.06 %); 1,000,000 tokens plan 2,097,152 entries: 4 MiB.
 * The probes come from the SHA-256 itself (uniform already): two 32-bit words h1, h2 of the hex digest, probe i at
 * h1 + i·h2 (Kirsch and Mitzenmacher's double hashing).
 */
import type Database from 'better-sqlite3';

const PROBES = 8;
const BITS_PER_ENTRY = 16;
const MIN_CAPACITY = 65_536;
const MAX_BITS = 2 ** 30;
const CHUNK = 50_000;

export class BloomFilter {
  readonly bits: Uint32Array;
  private readonly mask: number;

  /** A filter for `capacity` entries (rounded up so the bit count is a power of two). */
  constructor(readonly capacity: number) {
    let m = 1024;
    while (m < capacity * BITS_PER_ENTRY && m < MAX_BITS) m *= 2;
    this.bits = new Uint32Array(m / 32);
    this.mask = m - 1;
  }

  /** `hash`: a SHA-256 as 64 hex digits. */
  add(hash: string): void {
    const h1 = parseInt(hash.slice(0, 8), 16);
    const h2 = parseInt(hash.slice(8, 16), 16) | 1;
    for (let i = 0; i < PROBES; i++) {
      const b = (h1 + i * h2) & this.mask;
      this.bits[b >>> 5]! |= 1 << (b & 31);
    }
  }

  has(hash: string): boolean {
    const h1 = parseInt(hash.slice(0, 8), 16);
    const h2 = parseInt(hash.slice(8, 16), 16) | 1;
    for (let i = 0; i < PROBES; i++) {
      const b = (h1 + i * h2) & this.mask;
      if ((this.bits[b >>> 5]! & (1 << (b & 31))) === 0) return false;
    }
    return true;
  }
}

export interface SecretFilterStats {
  /** Lookups answered "absent" without the database. */
  rejected: number;
  /** Completed builds (the first, growth, and when another process's writes could not be caught up with). */
  builds: number;
  /** Secrets read after another process committed (rows above the highest rowid read). */
  catchUps: number;
  /** Whether "absent" answers are trusted now (false while the first build or a rebuild after a foreign write runs). */
  trusted: boolean;
  capacity: number;
}

export class SecretFilter {
  private bloom = new BloomFilter(MIN_CAPACITY);
  /** The filter being built, which `add` feeds too, so nothing added during a build is missing from it. */
  private next: BloomFilter | null = null;
  private count = 0;
  private trusted = false;
  private version = -1;
  private generation = 0;
  private building: Promise<void> | null = null;
  /** A build runs that `add` need not start again (cleared when it ends, not a microtask later). */
  private growing = false;
  private readonly versionStmt: Database.Statement;
  private readonly countStmt: Database.Statement;
  private readonly chunkStmt: Database.Statement;
  private readonly maxStmt: Database.Statement;
  private readonly atStmt: Database.Statement;
  private readonly afterStmt: Database.Statement;
  /** The highest rowid read into the filter, and the hash that row held (null: the table was empty). */
  private maxRowid = 0;
  private maxHash: string | null = null;
  private catchUps = 0;
  private rejected = 0;
  private builds = 0;
  private checkedAt = 0;

  /**
   * `fresh`: ends the read transaction the connection's verification lookups may hold (reader.ts), so that asking
   * whether another process committed reads what is committed now.
   */
  constructor(sqlite: Database.Database, private readonly minCapacity = MIN_CAPACITY, private readonly recheckMs = 250,
    private readonly fresh: () => void = () => undefined) {
    this.versionStmt = sqlite.prepare('pragma data_version').pluck();
    this.countStmt = sqlite.prepare('select count(*) from token_secrets').pluck();
    this.chunkStmt = sqlite.prepare('select hash from token_secrets where hash > ? order by hash limit ?').pluck();
    this.maxStmt = sqlite.prepare('select rowid as id, hash from token_secrets order by rowid desc limit 1');
    this.atStmt = sqlite.prepare('select hash from token_secrets where rowid = ?').pluck();
    this.afterStmt = sqlite.prepare('select rowid as id, hash from token_secrets where rowid > ? order by rowid');
  }

  get stats(): SecretFilterStats {
    return { rejected: this.rejected, builds: this.builds, catchUps: this.catchUps, trusted: this.trusted, capacity: this.bloom.capacity };
  }

  /** Starts the first build (in chunks, between which requests are served; lookups use the database meanwhile). */
  start(): Promise<void> {
    return this.rebuild(false);
  }

  /** Resolves when no build is running (tests). */
  async settled(): Promise<void> {
    while (this.building) await this.building;
  }

  /** False only when `hash` is certainly not in the table. */
  mayContain(hash: string): boolean {
    if (!this.trusted || this.bloom.has(hash)) return true;
    const now = Date.now();
    if (now - this.checkedAt >= this.recheckMs && ((this.checkedAt = now), this.fresh(), (this.versionStmt.get() as number) !== this.version)) {
      // Another connection committed since the filter was built: its secrets may be missing.
      if (!this.catchUp()) { void this.rebuild(false); return true; }
      if (this.bloom.has(hash)) return true;
    }
    this.rejected++;
    return false;
  }

  /** Call right after the secret's row is inserted on this connection, before its value is handed out. */
  add(hash: string): void {
    this.bloom.add(hash);
    this.next?.add(hash);
    if (++this.count > this.bloom.capacity && !this.growing) void this.rebuild(true);
  }

  /**
   * Adds the secrets other processes inserted since the filter last read the table; false when that cannot be known
   * (the highest row read is gone or changed, a build runs): then only a rebuild makes the filter complete again.
   */
  private catchUp(): boolean {
    if (this.growing) return false;
    try {
      this.fresh();
      const version = this.versionStmt.get() as number;
      if (this.maxHash !== null && this.atStmt.get(this.maxRowid) !== this.maxHash) return false;
      let added = 0;
      for (const r of this.afterStmt.iterate(this.maxRowid) as IterableIterator<{ id: number; hash: string }>) {
        this.bloom.add(r.hash);
        this.maxRowid = r.id;
        this.maxHash = r.hash;
        added++;
      }
      this.version = version;
      this.catchUps += added;
      this.count += added;
      if (this.count > this.bloom.capacity) void this.rebuild(true);
      return true;
    } catch {
      return false;
    }
  }

  /** Stops a running build (the store is closing). */
  stop(): void {
    this.generation++;
    this.trusted = false;
  }

  /**
   * Reads every hash into a new filter. `keepTrusting`: the current filter stays complete meanwhile (growth), so it
   * keeps answering; after a foreign write it does not.
   */
  private rebuild(keepTrusting: boolean): Promise<void> {
    const gen = ++this.generation;
    if (!keepTrusting) this.trusted = false;
    this.growing = true;
    const run = (async () => {
      try {
        // Read before the scan: a foreign commit during the scan changes it again, and the next "absent" sees that.
        this.fresh();
        const version = this.versionStmt.get() as number;
        const top = this.maxStmt.get() as { id: number; hash: string } | undefined;
        const total = this.countStmt.get() as number;
        const next = new BloomFilter(Math.max(this.minCapacity, total * 2));
        this.next = next;
        let after = '';
        for (;;) {
          const rows = this.chunkStmt.all(after, CHUNK) as string[];
          for (const h of rows) next.add(h);
          if (rows.length < CHUNK) break;
          after = rows[rows.length - 1]!;
          await new Promise((r) => setImmediate(r));
          if (gen !== this.generation) return;
        }
        if (gen !== this.generation) return;
        this.bloom = next;
        this.count = Math.max(total, this.count);
        this.version = version;
        this.maxRowid = top?.id ?? 0;
        this.maxHash = top?.hash ?? null;
        this.builds++;
        this.trusted = true;
        this.next = null;
        this.growing = false;
        // Secrets added during the build may have filled it already.
        if (this.count > next.capacity) void this.rebuild(true);
      } catch {
        // The database closed under the build, or failed: stay untrusted; lookups keep going to the database.
        if (gen === this.generation) this.trusted = false;
      } finally {
        if (gen === this.generation) { this.next = null; this.growing = false; }
      }
    })();
    const tracked = run.finally(() => { if (this.building === tracked) this.building = null; });
    this.building = tracked;
    return tracked;
  }
}
