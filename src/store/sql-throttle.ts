/**
 * The LoginThrottle port over the `login_throttle` table, for every dialect: each step is one statement (an upsert
 * with RETURNING, or an update), so it is atomic on SQLite and PostgreSQL alike, and every node on one database sees
 * the same counters. Logins are rare and already cost a password hash, so a write per attempt is cheap.
 */
import { type Kysely, sql } from 'kysely';
import type { Clock, LoginThrottle, ThrottleRefusal } from '../core/ports.js';
import type { Database } from './schema.js';

export interface ThrottleOptions {
  /** Attempts per address per window; also the failures a username may have before its delay starts. */
  maxFailures: number;
  windowSeconds: number;
  /** How long an address that used up its attempts is blocked; also the longest username delay. */
  blockSeconds: number;
}

interface Row { attempts: number; failures: number; window_start: number | string; last_failure_at: number | string | null; blocked_until: number | string | null }

const n = (v: number | string | null): number | null => (v === null ? null : Number(v));
const seconds = (ms: number): number => Math.max(1, Math.ceil(ms / 1000));
const addressKey = (ip: string): string => `ip:${ip}`;
const userKey = (login: string): string => `user:${login.toLowerCase()}`;

export class SqlLoginThrottle implements LoginThrottle {
  private readonly windowMs: number;

  constructor(private readonly db: Kysely<Database>, private readonly clock: Clock, private readonly o: ThrottleOptions) {
    this.windowMs = o.windowSeconds * 1000;
  }

  /**
   * Adds `attempts`/`failures` to a key's counters, starting a new window when the old one has passed; returns the
   * row as it is now.
   */
  private async bump(key: string, attempts: number, failures: number): Promise<Row> {
    const now = this.clock.now();
    const expired = sql`login_throttle.window_start + ${this.windowMs} <= ${now}`;
    const r = await sql<Row>`
      insert into login_throttle (key, attempts, failures, window_start, last_failure_at, blocked_until)
      values (${key}, ${attempts}, ${failures}, ${now}, ${failures > 0 ? now : null}, null)
      on conflict (key) do update set
        attempts = case when ${expired} then ${attempts} else login_throttle.attempts + ${attempts} end,
        failures = case when ${expired} then ${failures} else login_throttle.failures + ${failures} end,
        last_failure_at = ${failures > 0 ? sql`${now}` : sql`login_throttle.last_failure_at`},
        window_start = case when ${expired} then ${now} else login_throttle.window_start end
      returning attempts, failures, window_start, last_failure_at, blocked_until`.execute(this.db);
    return r.rows[0]!;
  }

  private async read(key: string): Promise<Row | undefined> {
    return this.db.selectFrom('login_throttle').select(['attempts', 'failures', 'window_start', 'last_failure_at', 'blocked_until']).where('key', '=', key).executeTakeFirst();
  }

  /** Failures in the key's current window (0 when it has passed). */
  private current(r: Row | undefined, now: number): number {
    return r && Number(r.window_start) + this.windowMs > now ? r.failures : 0;
  }

  /** Until when a username with this row must wait: its last failure plus 2^(failures − allowed) seconds, capped. */
  private userDelayUntil(r: Row | undefined, now: number): number {
    const failures = this.current(r, now);
    if (failures < this.o.maxFailures || r?.last_failure_at === null || r === undefined) return 0;
    const delay = Math.min(this.o.blockSeconds, 2 ** Math.min(30, failures - this.o.maxFailures)) * 1000;
    return n(r.last_failure_at)! + delay;
  }

  async attempt(login: string, ip: string | null): Promise<ThrottleRefusal | null> {
    const now = this.clock.now();
    let clean = ip !== null; // no address (an in-process call): never a clean one
    if (ip !== null) {
      const row = await this.bump(addressKey(ip), 1, 0);
      const blocked = n(row.blocked_until);
      if ((blocked !== null && blocked > now) || row.attempts > this.o.maxFailures) {
        await this.giveBack(addressKey(ip));
        // Over the count without the failures to block on: the rest are attempts still in progress, not failures.
        if (!(blocked !== null && blocked > now) && this.current(row, now) < this.o.maxFailures) return { waitSeconds: 1, limit: 'address', busy: true };
        const until = blocked !== null && blocked > now ? blocked : Number(row.window_start) + this.windowMs;
        return { waitSeconds: Math.min(this.o.blockSeconds, seconds(until - now)), limit: 'address' };
      }
      clean = row.failures === 0;
    }
    const until = this.userDelayUntil(await this.read(userKey(login)), now);
    if (until > now && !clean) {
      if (ip !== null) await this.giveBack(addressKey(ip));
      return { waitSeconds: seconds(until - now), limit: 'username' };
    }
    return null;
  }

  async failed(login: string, ip: string | null): Promise<void> {
    await this.bump(userKey(login), 0, 1);
    if (ip === null) return;
    const row = await this.bump(addressKey(ip), 0, 1);
    if (row.attempts >= this.o.maxFailures) {
      // The block takes over from the count: when it ends the address has its attempts again (its failures stay, so
      // it is still not a clean address for a username's delay until the window passes).
      await this.db.updateTable('login_throttle').set({ blocked_until: this.clock.now() + this.o.blockSeconds * 1000, attempts: 0 }).where('key', '=', addressKey(ip)).execute();
    }
  }

  async succeeded(login: string, ip: string | null): Promise<void> {
    await this.db.deleteFrom('login_throttle').where('key', '=', userKey(login)).execute();
    if (ip !== null) await this.giveBack(addressKey(ip));
  }

  async abandoned(ip: string | null): Promise<void> {
    if (ip !== null) await this.giveBack(addressKey(ip));
  }

  async sweep(): Promise<number> {
    const now = this.clock.now();
    const r = await this.db.deleteFrom('login_throttle')
      .where('window_start', '<=', now - this.windowMs)
      .where((eb) => eb.or([eb('blocked_until', 'is', null), eb('blocked_until', '<=', now)]))
      .executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  private async giveBack(key: string): Promise<void> {
    await this.db.updateTable('login_throttle').set((eb) => ({ attempts: eb('attempts', '-', 1) })).where('key', '=', key).where('attempts', '>', 0).execute();
  }
}
