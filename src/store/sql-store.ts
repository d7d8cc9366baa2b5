/**
 * The Store port over Kysely: one implementation of the SQL for every dialect. Dialect folders (sqlite/, postgres/)
 * only open the connection and say how their driver reports a unique violation.
 */
import { type CompiledQuery, type Insertable, type Kysely, type Selectable, sql } from 'kysely';
import type { Access } from '../core/access.js';
import type {
  AuditFilter, NewToken, NewUser, SecretLookup, Store, TokenFilter, TokenLimitFields, TokenPatch, UsageDelta, UseGrant, UserPatch,
} from '../core/ports.js';
import { MAX_TOKEN_ADDRESSES, OwnerGone, UniqueViolation, type TokenAddress } from '../core/ports.js';
import type { AuditEvent, Page, Role, Session, Token, TokenKind, TokenRecord, User, UserRecord } from '../core/types.js';
import type { AuditTable, Database, TokenSecretsTable, TokensTable, UsersTable } from './schema.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { publicUser } from '../core/types.js';
import type { OutboxEvent } from '../core/webhook-types.js';
import { writeOutbox } from './sql-webhooks.js';

export interface SqlStoreOptions {
  /** Which constraint a driver error violated, when it is a unique violation. */
  uniqueViolation(err: unknown): string | null;
  /** Whether a driver error is a foreign-key violation (a token written for a user deleted meanwhile: OwnerGone). */
  foreignKeyViolation(err: unknown): boolean;
  /** The dialect locks rows (`SELECT … FOR UPDATE`; PostgreSQL). SQLite's write transactions exclude each other whole. */
  rowLocks?: boolean;
  close(): Promise<void>;
  /**
   * Secrets known to exist, when this process sees every write (SQLite: sqlite/secret-filter.ts): a hash it rules out
   * is answered "not found" without a query. Told of each new secret right after its row is inserted (in the
   * transaction, on the store's one connection), before the value can reach anyone.
   */
  secrets?: { mayContain(hash: string): boolean; add(hash: string): void };
  /**
   * Writes token rows and secret rows in one transaction, synchronously, with statements prepared once (SQLite:
   * ~3× faster than multi-row inserts through Kysely). Called while this store's one connection is held
   * (`db.connection()`), so no other query runs in between. Without it, `insertTokens` uses multi-row inserts.
   */
  insertRows?(tokens: readonly TokenRow[], secrets: readonly Insertable<TokenSecretsTable>[]): void;
  /**
   * Reads the first row of a compiled read query at once, synchronously, without the driver's connection lock and its
   * promises: the row, null for none, or `false` when a transaction is open on the connection (which could hold
   * uncommitted rows; the query then goes through Kysely). SQLite: the verification lookup that misses every cache,
   * in a read transaction shared by one turn's lookups (sqlite/reader.ts).
   */
  readRowNow?(q: CompiledQuery): unknown;
  /** Ends the snapshot `readRowNow` reads from, if it keeps one: the next read sees everything committed until now. */
  readFresh?(): void;
  /**
   * Runs a compiled write at once, synchronously, on the connection — inside the caller's open transaction on it —
   * and returns the number of rows it changed. SQLite: the use-count batch, one statement per token without a
   * promise and a lock hand-off each.
   */
  writeNow?(q: CompiledQuery): number;
  /** Begin `transaction`s IMMEDIATE (SQLite: several processes write the file; see `transaction`). */
  beginImmediate?: boolean;
  /** Whether a driver error ended a transaction that may simply be run again (a deadlock broken by the database). */
  retryable?(err: unknown): boolean;
}

/** A token row with every column (see `tokenRow`). */
export type TokenRow = ReturnType<typeof tokenRow>;

const b = (v: boolean): number => (v ? 1 : 0);
/** Whether a number can be a user id (an int4 on PostgreSQL, which refuses larger values with an error): else no such user. */
const userId = (id: number): boolean => Number.isInteger(id) && id >= -2147483648 && id <= 2147483647;
const num = (v: number | string | bigint | null): number | null => (v === null ? null : Number(v));
const json = <T>(s: string | null): T | null => (s === null ? null : (JSON.parse(s) as T));

/** The limit columns of a new token or a patch; keys absent from the input are left out (unchanged). */
type LimitColumns = Partial<Pick<TokensTable, 'remaining' | 'refill_amount' | 'refill_interval_seconds' | 'refilled_at' | 'rate_limit' | 'rate_window_seconds'>>;
const limitColumns = (t: TokenLimitFields): LimitColumns => {
  const c: LimitColumns = {};
  if (t.remaining !== undefined) c.remaining = t.remaining;
  if (t.refill !== undefined) { c.refill_amount = t.refill?.amount ?? null; c.refill_interval_seconds = t.refill?.intervalSeconds ?? null; }
  if (t.refilledAt !== undefined) c.refilled_at = t.refilledAt;
  if (t.rateLimit !== undefined) { c.rate_limit = t.rateLimit?.limit ?? null; c.rate_window_seconds = t.rateLimit?.windowSeconds ?? null; }
  return c;
};
const nextRefill = (r: { refilled_at: number | string | null; refill_interval_seconds: number | string | null }): number | null =>
  r.refilled_at === null || r.refill_interval_seconds === null ? null : Number(r.refilled_at) + Number(r.refill_interval_seconds) * 1000;


/** A JSON array column; null (rows from before migration 009) reads as empty. */
const list = (s: string | null): string[] => json<string[]>(s) ?? [];
/** What a list column stores: null for an empty list, so untouched rows and empty lists look the same. */
const listColumn = (l: readonly string[] | undefined): string | null => (l === undefined || l.length === 0 ? null : JSON.stringify(l));

const toUser = (r: Selectable<UsersTable>): UserRecord => ({
  id: Number(r.id), username: r.username, email: r.email, role: r.role as Role, groups: json<string[]>(r.groups) ?? [],
  roles: list(r.roles), permissions: list(r.permissions),
  disabled: r.disabled === 1, createdAt: num(r.created_at)!, updatedAt: num(r.updated_at)!, passwordHash: r.password_hash,
});

/** A token's row with its uses since migration 015 (`token_usage`, left-joined as `tu`: null when never used since). */
type StoredToken = Selectable<TokensTable> & { tu_use_count?: number | string | bigint | null; tu_last_used_at?: number | string | bigint | null };

/** The later of two times, either of which may be missing. */
const later = (a: number | null, b: number | null): number | null => (a === null ? b : b === null ? a : Math.max(a, b));

/** A token's public fields from its row (every column but `secret_enc`), with the given uses. */
const tokenOf = (r: VerifyColumns, useCount: number, lastUsedAt: number | null): Token => ({
  id: r.id, kind: r.kind as TokenKind, ownerId: num(r.owner_id), name: r.name, comment: r.comment,
  access: r.access as Access, prefix: r.prefix, metadata: json(r.metadata), active: Number(r.active) === 1,
  recoverable: Number(r.recoverable) === 1, expiresAt: num(r.expires_at), revokedAt: num(r.revoked_at),
  createdAt: num(r.created_at)!, updatedAt: num(r.updated_at)!, lastUsedAt, useCount,
  remaining: num(r.remaining), refilledAt: num(r.refilled_at),
  refill: r.refill_amount === null || r.refill_interval_seconds === null ? null : { amount: Number(r.refill_amount), intervalSeconds: Number(r.refill_interval_seconds) },
  rateLimit: r.rate_limit === null || r.rate_window_seconds === null ? null : { limit: Number(r.rate_limit), windowSeconds: Number(r.rate_window_seconds) },
  binding: r.bound_command === null ? null : { command: r.bound_command, args: json<string[]>(r.bound_args) ?? [], channel: r.bound_channel ?? '' },
  permissions: list(r.permissions), roles: list(r.roles), allowedCidrs: list(r.allowed_cidrs),
});

/** A whole token record: its public fields, its uses (the row's own and `token_usage`'s) and its encrypted value. */
const toToken = (r: StoredToken): TokenRecord => {
  const t = tokenOf(r, num(r.use_count)! + (num(r.tu_use_count ?? null) ?? 0), later(num(r.last_used_at), num(r.tu_last_used_at ?? null))) as TokenRecord;
  t.secretEnc = r.secret_enc;
  return t;
};

/** Every column of a new token's row (the same keys for every token, so rows can share one multi-row insert). */
const tokenRow = (t: NewToken) => ({
  id: t.id, kind: t.kind, owner_id: t.ownerId, name: t.name, comment: t.comment, access: t.access, prefix: t.prefix,
  metadata: t.metadata === null ? null : JSON.stringify(t.metadata), active: b(t.active), recoverable: b(t.recoverable),
  secret_enc: t.secretEnc, expires_at: t.expiresAt, revoked_at: null, created_at: t.createdAt, updated_at: t.createdAt,
  last_used_at: null, use_count: 0,
  remaining: t.remaining ?? null, refill_amount: t.refill?.amount ?? null, refill_interval_seconds: t.refill?.intervalSeconds ?? null,
  refilled_at: t.refilledAt ?? null, rate_limit: t.rateLimit?.limit ?? null, rate_window_seconds: t.rateLimit?.windowSeconds ?? null,
  bound_command: t.binding?.command ?? null, bound_args: t.binding ? JSON.stringify(t.binding.args) : null, bound_channel: t.binding?.channel ?? null,
  permissions: listColumn(t.permissions), roles: listColumn(t.roles), allowed_cidrs: listColumn(t.allowedCidrs),
});

/** A verification lookup's row as the verifier reads it. */
const secretLookup = (r: SecretRow): SecretLookup => {
  const owner: User | null = r.u_id === null ? null : {
    id: Number(r.u_id), username: r.u_username!, email: r.u_email, role: r.u_role as Role, groups: json<string[]>(r.u_groups) ?? [],
    disabled: Number(r.u_disabled) === 1, createdAt: num(r.u_created_at)!, updatedAt: num(r.u_updated_at)!,
    roles: list(r.u_roles), permissions: list(r.u_permissions),
  };
  // Without its uses (SecretLookup): joining token_usage cost a cold lookup 5–10 µs on a 1M store whose every token
  // had been used (bench/README.md, "Use counts in a table of their own").
  return { hash: r.s_hash, token: tokenOf(r, 0, null), secretExpiresAt: num(r.s_expires_at), owner };
};

const auditRow = (r: Selectable<AuditTable>): AuditEvent => ({
  id: Number(r.id), at: num(r.at)!, actorType: r.actor_type as AuditEvent['actorType'], actorId: r.actor_id, actorName: r.actor_name,
  action: r.action, targetType: r.target_type, targetId: r.target_id, ip: r.ip, requestId: r.request_id, details: json(r.details),
});

/** Tokens with their uses (`toToken` adds `tu_*` to the row's own counts). */
const tokensWithUsage = (db: Kysely<Database>) => db.selectFrom('tokens as t')
  .leftJoin('token_usage as tu', 'tu.token_id', 't.id')
  .selectAll('t')
  .select(['tu.use_count as tu_use_count', 'tu.last_used_at as tu_last_used_at']);

/**
 * The columns of `tokens` the verification lookup reads: all but the encrypted value (`secret_enc`: nothing that finds
 * a token by its value needs it, and the cache must not hold it) and the row's old use counts (SecretLookup).
 */
const VERIFY_COLUMNS = ['id', 'kind', 'owner_id', 'name', 'comment', 'access', 'prefix', 'metadata', 'active', 'recoverable',
  'expires_at', 'revoked_at', 'created_at', 'updated_at', 'remaining', 'refill_amount', 'refill_interval_seconds', 'refilled_at',
  'rate_limit', 'rate_window_seconds', 'bound_command', 'bound_args', 'bound_channel', 'permissions', 'roles', 'allowed_cidrs'] as const;
type VerifyColumns = Pick<Selectable<TokensTable>, (typeof VERIFY_COLUMNS)[number]>;

/** The verification lookup. It runs on every cache miss, so it is built and compiled once (compiling costs ~40 µs). */
const secretQuery = (db: Kysely<Database>) => db.selectFrom('token_secrets as s')
  .innerJoin('tokens as t', 't.id', 's.token_id')
  .leftJoin('users as u', 'u.id', 't.owner_id')
  .select(VERIFY_COLUMNS.map((c) => `t.${c}` as const))
  .select(['s.hash as s_hash', 's.expires_at as s_expires_at', 'u.id as u_id', 'u.username as u_username', 'u.username_key as u_username_key',
    'u.email as u_email', 'u.role as u_role', 'u.groups as u_groups', 'u.disabled as u_disabled', 'u.created_at as u_created_at',
    'u.updated_at as u_updated_at', 'u.roles as u_roles', 'u.permissions as u_permissions'])
  .where('s.hash', '=', '');
type SecretRow = NonNullable<Awaited<ReturnType<ReturnType<typeof secretQuery>['executeTakeFirst']>>>;

/** The statements a store runs most, compiled once per database (a store bound to a transaction reuses its root's). */
const compiledFor = (db: Kysely<Database>) => ({
  secret: secretQuery(db).compile(),
  /** One use-count upsert into token_usage per used token per flush (parameters: id, uses, last used, id). */
  // Only for a token that still exists (a purge deletes its row first); the casts type the parameters for PostgreSQL.
  usage: sql`insert into token_usage (token_id, use_count, last_used_at)
      select cast(${''} as text), cast(${0} as bigint), cast(${0} as bigint) where exists (select 1 from tokens where id = ${''})
      on conflict (token_id) do update set use_count = token_usage.use_count + excluded.use_count,
      last_used_at = case when token_usage.last_used_at is null or token_usage.last_used_at < excluded.last_used_at
        then excluded.last_used_at else token_usage.last_used_at end`.compile(db),
  /** A use's client address, kept or moved forward (parameters: token id, ip, at). */
  address: sql`insert into token_addresses (token_id, ip, at) values (${''}, ${''}, ${0})
      on conflict (token_id, ip) do update set
      at = case when token_addresses.at < excluded.at then excluded.at else token_addresses.at end`.compile(db),
  /** Drops a token's addresses beyond the newest few (parameters: token id, token id, how many). */
  // Ties on the time are broken by the address, so every node keeps the same rows.
  prune: sql`delete from token_addresses where token_id = ${''} and ip not in
      (select ip from token_addresses where token_id = ${''} order by at desc, ip limit ${0})`.compile(db),
  begin: sql`begin immediate`.compile(db),
  commit: sql`commit`.compile(db),
  rollback: sql`rollback`.compile(db),
});
type Compiled = ReturnType<typeof compiledFor>;

export class SqlStore implements Store {
  private readonly compiled: Compiled;

  /** The secret filter, where this store has one (SQLite). */
  get secrets(): SqlStoreOptions['secrets'] { return this.opts.secrets; }

  /**
   * `bound`: this store runs inside a transaction its creator opened (`transaction`); it opens none of its own, and
   * reuses its creator's compiled statements (`compiled`).
   */
  constructor(readonly db: Kysely<Database>, private readonly opts: SqlStoreOptions, private readonly bound = false, compiled?: Compiled) {
    this.compiled = compiled ?? compiledFor(db);
  }

  async ping(): Promise<void> {
    await sql`select 1`.execute(this.db);
  }

  close(): Promise<void> {
    return this.opts.close();
  }

  /**
   * Runs `fn` in a transaction: a new one, or the one this store is bound to (`atomically`), which then commits or
   * rolls back `fn`'s statements with everything else in it.
   */
  private tx<T>(fn: (tx: Kysely<Database>) => Promise<T>): Promise<T> {
    return this.bound ? fn(this.db) : this.db.transaction().execute(fn);
  }

  /**
   * Runs `fn` with a store bound to one transaction: what `fn` does through it is committed when `fn` resolves and
   * rolled back when it throws. A change and its audit row go through it (`AuditService.audited`), so neither is
   * stored without the other. The bound store reads through Kysely only (not the SQLite snapshot lookups, which read
   * outside the transaction's connection hand-off); its bulk insert runs on the connection the transaction holds.
   */
  atomically<T>(fn: (s: Store) => Promise<T>): Promise<T> {
    return this.transaction(fn);
  }

  /**
   * Runs a whole transaction again (up to 3 times in all) when the database ended it to break a deadlock or a
   * serialization conflict (PostgreSQL 40P01/40001: two transactions taking the same rows in opposite orders, e.g. a
   * bulk revocation and a user's deletion); its other errors, and the last attempt's, go to the caller.
   */
  private async retried<T>(run: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await run();
      } catch (e) {
        if (attempt >= 3 || !this.opts.retryable?.(e)) throw e;
        await new Promise((r) => setTimeout(r, 5 + Math.random() * 20 * attempt));
      }
    }
  }

  /** `atomically` with the bound store's own type, for the composition root (other stores over its `db`). */
  transaction<T>(fn: (s: SqlStore) => Promise<T>): Promise<T> {
    if (this.bound) return fn(this);
    // The bound store keeps the bulk insert (synchronous, on the connection the transaction holds) but not the
    // snapshot lookups, which read outside any transaction's hand-off.
    const { readRowNow: _r, readFresh: _f, writeNow: _w, ...opts } = this.opts;
    if (!this.opts.beginImmediate) return this.retried(() => this.db.transaction().execute((tx) => fn(new SqlStore(tx, opts, true, this.compiled))));
    // SQLite: BEGIN IMMEDIATE takes the write lock first (waiting for it on timers: sqlite/lock-wait.ts). A deferred
    // transaction that has read (an event's token, an unchanged row) cannot take it once another process — another
    // worker — has committed since, and fails at once with SQLITE_BUSY_SNAPSHOT. The compiled statements save
    // Kysely's transaction machinery a little per change.
    const q = this.compiled;
    return this.db.connection().execute(async (c) => {
      await c.executeQuery(q.begin);
      try {
        const r = await fn(new SqlStore(c, opts, true, q));
        await c.executeQuery(q.commit);
        return r;
      } catch (e) {
        await c.executeQuery(q.rollback).catch(() => undefined);
        throw e;
      }
    });
  }

  private async unique<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      const field = this.opts.uniqueViolation(e);
      if (field !== null) throw new UniqueViolation(field);
      if (this.opts.foreignKeyViolation(e)) throw new OwnerGone();
      throw e;
    }
  }

  // users

  async createUser(u: NewUser): Promise<User> {
    const row = await this.unique(() => this.db.insertInto('users').values({
      username: u.username, username_key: u.username.toLowerCase(), email: u.email, password_hash: u.passwordHash, role: u.role,
      groups: JSON.stringify(u.groups), roles: listColumn(u.roles), permissions: listColumn(u.permissions),
      disabled: b(u.disabled), created_at: u.createdAt, updated_at: u.createdAt,
    }).returningAll().executeTakeFirstOrThrow());
    return publicUser(toUser(row));
  }

  async getUser(id: number): Promise<UserRecord | null> {
    if (!userId(id)) return null;
    const r = await this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toUser(r) : null;
  }

  async getUserByLogin(login: string): Promise<UserRecord | null> {
    const key = login.toLowerCase();
    const r = await this.db.selectFrom('users').selectAll()
      .where((eb) => eb.or([eb('username_key', '=', key), eb(eb.fn('lower', ['email']), '=', key)]))
      .orderBy('id').executeTakeFirst();
    return r ? toUser(r) : null;
  }

  async listUsers(limit: number, cursor?: string): Promise<Page<User>> {
    let q = this.db.selectFrom('users').selectAll().orderBy('id').limit(limit + 1);
    if (cursor !== undefined) q = q.where('id', '>', decodeCursor(cursor, ['int'])[0]);
    const rows = await q.execute();
    const items = rows.slice(0, limit).map((r) => publicUser(toUser(r)));
    return { items, nextCursor: rows.length > limit ? encodeCursor([items[items.length - 1]!.id]) : null };
  }

  async updateUser(id: number, p: UserPatch): Promise<User | null> {
    if (!userId(id)) return null;
    const set: Partial<Record<keyof UsersTable, unknown>> = { updated_at: p.updatedAt };
    if (p.username !== undefined) { set.username = p.username; set.username_key = p.username.toLowerCase(); }
    if (p.email !== undefined) set.email = p.email;
    if (p.passwordHash !== undefined) set.password_hash = p.passwordHash;
    if (p.role !== undefined) set.role = p.role;
    if (p.groups !== undefined) set.groups = JSON.stringify(p.groups);
    if (p.roles !== undefined) set.roles = listColumn(p.roles);
    if (p.permissions !== undefined) set.permissions = listColumn(p.permissions);
    if (p.disabled !== undefined) set.disabled = b(p.disabled);
    const r = await this.unique(() => this.db.updateTable('users').set(set as any).where('id', '=', id).returningAll().executeTakeFirst());
    return r ? publicUser(toUser(r)) : null;
  }

  async deleteUser(id: number): Promise<boolean> {
    if (!userId(id)) return false;
    return this.tx(async (tx) => {
      // PostgreSQL: the order every change takes its rows in — the user's row (as a creation counting the quota and an
      // import take their owners'), then the user's tokens' rows in id order (as a bulk revocation takes them), then
      // the rows that hang off them (see purgeToken).
      if (this.opts.rowLocks) {
        await this.lockUserIn(tx, id);
        await tx.selectFrom('tokens').select('id').where('owner_id', '=', id).orderBy('id').forUpdate().execute();
      }
      // Explicit deletes, so the result does not depend on the driver enforcing foreign keys.
      await tx.deleteFrom('sessions').where('user_id', '=', id).execute();
      const ids = tx.selectFrom('tokens').select('id').where('owner_id', '=', id);
      await tx.deleteFrom('token_secrets').where('token_id', 'in', ids).execute();
      await tx.deleteFrom('token_addresses').where('token_id', 'in', ids).execute();
      await tx.deleteFrom('token_usage').where('token_id', 'in', ids).execute();
      await tx.deleteFrom('tokens').where('owner_id', '=', id).execute();
      const r = await tx.deleteFrom('users').where('id', '=', id).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    });
  }

  async deleteUserIfUnused(id: number): Promise<boolean> {
    if (!userId(id)) return false;
    return this.tx(async (tx) => {
      // PostgreSQL: the user's row locked first. A token insert naming the user holds a key-share lock on it until it
      // commits: this waits for it, and the reads below (new statements, a new snapshot) see its tokens. One that
      // comes after waits for this transaction and then fails its foreign key (OwnerGone), never leaving a token
      // without its owner. SQLite: write transactions run one at a time.
      await this.lockUserIn(tx, id);
      const token = await tx.selectFrom('tokens').select('id').where('owner_id', '=', id).limit(1).executeTakeFirst();
      const session = token ? undefined : await tx.selectFrom('sessions').select('user_id').where('user_id', '=', id).limit(1).executeTakeFirst();
      if (token !== undefined || session !== undefined) return false;
      const r = await tx.deleteFrom('users').where('id', '=', id).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    });
  }

  async countUsers(): Promise<number> {
    const r = await this.db.selectFrom('users').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    return Number(r.n);
  }

  // tokens

  async createToken(t: NewToken): Promise<TokenRecord> {
    return this.unique(() => this.tx(async (tx) => {
      const row = await tx.insertInto('tokens').values(tokenRow(t)).returningAll().executeTakeFirstOrThrow();
      await tx.insertInto('token_secrets').values({ hash: t.hash, token_id: t.id, created_at: t.createdAt, expires_at: null }).execute();
      this.opts.secrets?.add(t.hash);
      return toToken(row);
    }));
  }

  async insertTokens(tokens: readonly NewToken[]): Promise<void> {
    if (tokens.length === 0) return;
    // Rows per statement: every row has the same columns (tokenRow sets all of them), so the bind count is rows ×
    // columns; kept under SQLite's 32,766 and PostgreSQL's 65,535 parameters.
    const raw = this.opts.insertRows;
    // Unbound, the rows go in a transaction of their own, which takes SQLite's write lock first (BEGIN IMMEDIATE,
    // waited for on timers: sqlite/lock-wait.ts); better-sqlite3's own transaction would ask for it synchronously.
    if (raw && !this.bound) return this.transaction((s) => s.insertTokens(tokens));
    if (raw) {
      const rows = tokens.map(tokenRow);
      const secrets = tokens.map((t) => ({ hash: t.hash, token_id: t.id, created_at: t.createdAt, expires_at: null }));
      const run = async (): Promise<void> => {
        raw(rows, secrets);
        const f = this.opts.secrets;
        if (f) for (const t of tokens) f.add(t.hash);
      };
      // The connection is held by the transaction (`transaction`), and the rows go into it (better-sqlite3 nests its
      // own transaction as a savepoint).
      await this.unique(run);
      return;
    }
    const cols = Object.keys(tokenRow(tokens[0]!)).length;
    const per = Math.max(1, Math.floor(30_000 / cols));
    await this.unique(() => this.tx(async (tx) => {
      for (let i = 0; i < tokens.length; i += per) {
        const chunk = tokens.slice(i, i + per);
        await tx.insertInto('tokens').values(chunk.map(tokenRow)).execute();
      }
      for (let i = 0; i < tokens.length; i += 7_000) {
        const chunk = tokens.slice(i, i + 7_000);
        await tx.insertInto('token_secrets').values(chunk.map((t) => ({ hash: t.hash, token_id: t.id, created_at: t.createdAt, expires_at: null }))).execute();
      }
      const f = this.opts.secrets;
      if (f) for (const t of tokens) f.add(t.hash);
    }));
  }

  async existingSecrets(hashes: readonly string[]): Promise<Set<string>> {
    const out = new Set<string>();
    for (let i = 0; i < hashes.length; i += 5_000) {
      let chunk = hashes.slice(i, i + 5_000);
      // The in-memory filter (SQLite) rules most new hashes out without a query.
      if (this.opts.secrets) chunk = chunk.filter((h) => this.mayHaveSecret(h));
      if (chunk.length === 0) continue;
      const rows = await this.db.selectFrom('token_secrets').select('hash').where('hash', 'in', chunk).execute();
      for (const r of rows) out.add(r.hash);
    }
    return out;
  }

  async getToken(id: string): Promise<TokenRecord | null> {
    const r = await tokensWithUsage(this.db).where('t.id', '=', id).executeTakeFirst();
    return r ? toToken(r) : null;
  }

  readFresh(): void {
    this.opts.readFresh?.();
  }

  mayHaveSecret(hash: string): boolean {
    return this.opts.secrets?.mayContain(hash) ?? true;
  }

  async findBySecretHash(hash: string): Promise<SecretLookup | null> {
    const now = this.findBySecretHashNow(hash);
    if (now !== false) return now;
    const r = (await this.db.executeQuery<SecretRow>({ ...this.compiled.secret, parameters: [hash] })).rows[0];
    return r ? secretLookup(r) : null;
  }

  findBySecretHashNow(hash: string): SecretLookup | null | false {
    if (!this.mayHaveSecret(hash)) return null;
    if (this.opts.readRowNow === undefined) return false;
    const r = this.opts.readRowNow({ ...this.compiled.secret, parameters: [hash] });
    return r === false ? false : r ? secretLookup(r as SecretRow) : null;
  }

  async listTokens(f: TokenFilter): Promise<Page<TokenRecord>> {
    let q = tokensWithUsage(this.db).orderBy('t.created_at', 'desc').orderBy('t.id', 'desc').limit(f.limit + 1);
    if (f.ownerId !== undefined) q = userId(f.ownerId) ? q.where('owner_id', '=', f.ownerId) : q.where(sql<boolean>`false`);
    if (f.kind !== undefined) q = q.where('kind', '=', f.kind);
    if (f.name !== undefined) q = q.where('name', '=', f.name);
    if (f.live) q = q.where('revoked_at', 'is', null);
    if (f.violates) {
      const { requireExpiry, expiresAfter } = f.violates;
      if (!requireExpiry && expiresAfter === null) q = q.where(sql<boolean>`false`);
      else q = q.where((eb) => eb.or([eb('expires_at', 'is', null), ...(expiresAfter === null ? [] : [eb('expires_at', '>', expiresAfter)])]));
    }
    const now = f.now;
    switch (f.status) {
      case 'revoked': q = q.where('revoked_at', 'is not', null); break;
      case 'expired': q = q.where('revoked_at', 'is', null).where('expires_at', '<=', now); break;
      case 'inactive': q = q.where('revoked_at', 'is', null).where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)])).where('active', '=', 0); break;
      case 'active': q = q.where('revoked_at', 'is', null).where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)])).where('active', '=', 1); break;
      default: break;
    }
    if (f.cursor !== undefined) {
      const [at, id] = decodeCursor(f.cursor, ['int', 'string']);
      q = q.where((eb) => eb.or([eb('created_at', '<', at), eb.and([eb('created_at', '=', at), eb('id', '<', id)])]));
    }
    const rows = await q.execute();
    const items = rows.slice(0, f.limit).map(toToken);
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > f.limit && last ? encodeCursor([last.createdAt, last.id]) : null };
  }

  lockUser(id: number): Promise<void> {
    return userId(id) ? this.lockUserIn(this.db, id) : Promise.resolve();
  }

  async sampleEncrypted(): Promise<{ what: string; box: string } | null> {
    const t = await this.db.selectFrom('tokens').select(['id', 'secret_enc']).where('secret_enc', 'is not', null).limit(1).executeTakeFirst();
    if (t?.secret_enc) return { what: `the value of recoverable token ${t.id}`, box: t.secret_enc };
    const w = await this.db.selectFrom('webhooks').select(['id', 'secret_enc']).limit(1).executeTakeFirst();
    return w ? { what: `the signing secret of webhook ${w.id}`, box: w.secret_enc } : null;
  }

  async lockActiveAdmins(): Promise<number[]> {
    let q = this.db.selectFrom('users').select('id').where('role', '=', 'admin').where('disabled', '=', 0).orderBy('id');
    if (this.opts.rowLocks) q = q.forUpdate();
    return (await q.execute()).map((r) => Number(r.id));
  }

  /** PostgreSQL: holds the user's row until `db`'s transaction ends (`SELECT … FOR UPDATE`); SQLite: nothing to do. */
  private async lockUserIn(db: Kysely<Database>, id: number): Promise<void> {
    if (this.opts.rowLocks) await db.selectFrom('users').select('id').where('id', '=', id).forUpdate().execute();
  }

  async countLiveTokens(ownerId: number, now: number): Promise<number> {
    if (!userId(ownerId)) return 0;
    const r = await this.db.selectFrom('tokens').select((eb) => eb.fn.countAll<number | string | bigint>().as('n'))
      .where('owner_id', '=', ownerId).where('kind', 'in', ['personal', 'bound']).where('revoked_at', 'is', null)
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)])).executeTakeFirst();
    return Number(r?.n ?? 0);
  }

  async updateToken(id: string, p: TokenPatch): Promise<TokenRecord | null> {
    const set: Partial<Record<keyof TokensTable, unknown>> = { updated_at: p.updatedAt };
    if (p.name !== undefined) set.name = p.name;
    if (p.comment !== undefined) set.comment = p.comment;
    if (p.access !== undefined) set.access = p.access;
    if (p.active !== undefined) set.active = b(p.active);
    if (p.expiresAt !== undefined) set.expires_at = p.expiresAt;
    if (p.metadata !== undefined) set.metadata = p.metadata === null ? null : JSON.stringify(p.metadata);
    if (p.permissions !== undefined) set.permissions = listColumn(p.permissions);
    if (p.roles !== undefined) set.roles = listColumn(p.roles);
    if (p.allowedCidrs !== undefined) set.allowed_cidrs = listColumn(p.allowedCidrs);
    Object.assign(set, limitColumns(p));
    const r = await this.unique(() => this.db.updateTable('tokens').set(set as any).where('id', '=', id).returningAll().executeTakeFirst());
    return r ? toToken({ ...r, ...await this.usageOf(this.db, id) }) : null;
  }

  /** A token's uses since migration 015, for a row read without the join (an update's `returning`). */
  private async usageOf(db: Kysely<Database>, id: string): Promise<Pick<StoredToken, 'tu_use_count' | 'tu_last_used_at'>> {
    const u = await db.selectFrom('token_usage').select(['use_count', 'last_used_at']).where('token_id', '=', id).executeTakeFirst();
    return u ? { tu_use_count: u.use_count, tu_last_used_at: u.last_used_at } : {};
  }

  async revokeToken(id: string, at: number): Promise<boolean> {
    const r = await this.db.updateTable('tokens').set({ revoked_at: at, updated_at: at })
      .where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async purgeToken(id: string): Promise<boolean> {
    return this.tx(async (tx) => {
      // PostgreSQL: the token's row first, as every other change to a token takes it first (an update, a rotation,
      // a child row's foreign key): deleting its secrets first and then waiting for the row deadlocked with those.
      if (this.opts.rowLocks && (await tx.selectFrom('tokens').select('id').where('id', '=', id).forUpdate().executeTakeFirst()) === undefined) return false;
      await tx.deleteFrom('token_secrets').where('token_id', '=', id).execute();
      await tx.deleteFrom('token_addresses').where('token_id', '=', id).execute();
      await tx.deleteFrom('token_usage').where('token_id', '=', id).execute();
      const r = await tx.deleteFrom('tokens').where('id', '=', id).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    });
  }

  async rotateSecret(id: string, newHash: string, secretEnc: string | null, prefix: string, at: number, graceUntil: number): Promise<TokenRecord | null> {
    return this.tx(async (tx) => {
      const row = await tx.updateTable('tokens').set({ prefix, secret_enc: secretEnc, updated_at: at })
        .where('id', '=', id).returningAll().executeTakeFirst();
      if (!row) return null;
      await tx.updateTable('token_secrets').set({ expires_at: graceUntil })
        .where('token_id', '=', id).where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', graceUntil)])).execute();
      await tx.insertInto('token_secrets').values({ hash: newHash, token_id: id, created_at: at, expires_at: null }).execute();
      this.opts.secrets?.add(newHash);
      // Secrets whose grace ended long ago serve no purpose; keep the table small.
      await tx.deleteFrom('token_secrets').where('token_id', '=', id).where('expires_at', '<', at - 86_400_000).execute();
      return toToken({ ...row, ...await this.usageOf(tx, id) });
    });
  }

  async recordUsage(deltas: UsageDelta[]): Promise<void> {
    if (deltas.length === 0) return;
    // In key order: a batch of tokens spread over a large table walks each B-tree forward (SQLite: a third less work
    // per row at a million tokens), and two nodes flushing the same tokens take their row locks in the same order.
    const sorted = [...deltas].sort((a, b) => (a.tokenId < b.tokenId ? -1 : a.tokenId > b.tokenId ? 1 : 0));
    const now = this.opts.writeNow;
    await this.tx(async (tx) => {
      for (const d of sorted) {
        const q: CompiledQuery = { ...this.compiled.usage, parameters: [d.tokenId, d.uses, d.lastUsedAt, d.tokenId] };
        const changed = now !== undefined ? now(q) : Number((await tx.executeQuery(q)).numAffectedRows ?? 0n);
        // Addresses only for a token that still exists (its uses were written), so a purge leaves none behind.
        if (!d.addresses?.length || changed === 0) continue;
        for (const a of d.addresses) {
          const ins: CompiledQuery = { ...this.compiled.address, parameters: [d.tokenId, a.ip, a.at] };
          if (now !== undefined) now(ins); else await tx.executeQuery(ins);
        }
        // Keep the newest few.
        const prune: CompiledQuery = { ...this.compiled.prune, parameters: [d.tokenId, d.tokenId, MAX_TOKEN_ADDRESSES] };
        if (now !== undefined) now(prune); else await tx.executeQuery(prune);
      }
    });
  }

  async listTokenAddresses(tokenId: string): Promise<TokenAddress[]> {
    const rows = await this.db.selectFrom('token_addresses').select(['ip', 'at']).where('token_id', '=', tokenId)
      .orderBy('at', 'desc').orderBy('ip').limit(MAX_TOKEN_ADDRESSES).execute();
    return rows.map((r) => ({ ip: r.ip, at: Number(r.at) }));
  }

  /**
   * Takes one use in one statement (the atomicity contract in ports.ts): the WHERE clause admits the row only while a
   * use is left or a refill is due, and the SET applies a due refill (remaining = amount - 1, refilled_at moved forward
   * by whole intervals) in the same statement. No row back means no use was taken; a second read only reports why.
   */
  async consumeUse(id: string, now: number): Promise<UseGrant | null> {
    // One statement, so nothing is half done when the database ends it to break a deadlock: run again.
    return this.retried(() => this.consumeUseOnce(id, now));
  }

  private async consumeUseOnce(id: string, now: number): Promise<UseGrant | null> {
    const due = sql`(refill_interval_seconds is not null and ${now} >= refilled_at + refill_interval_seconds * 1000)`;
    const r = await sql<{ remaining: number; refilled_at: number | null; refill_interval_seconds: number | null }>`
      update tokens set
        remaining = case when ${due} then refill_amount - 1 else remaining - 1 end,
        refilled_at = case when ${due}
          then refilled_at + cast((${now} - refilled_at) / (refill_interval_seconds * 1000) as bigint) * refill_interval_seconds * 1000
          else refilled_at end
      where id = ${id} and remaining is not null and (remaining > 0 or (${due} and refill_amount > 0))
      returning remaining, refilled_at, refill_interval_seconds`.execute(this.db);
    const row = r.rows[0];
    if (row) return { granted: true, remaining: Number(row.remaining), resetAt: nextRefill(row) };
    const cur = await this.db.selectFrom('tokens').select(['remaining', 'refilled_at', 'refill_interval_seconds']).where('id', '=', id).executeTakeFirst();
    if (!cur || cur.remaining === null) return null;
    return { granted: false, remaining: Math.max(0, Number(cur.remaining)), resetAt: nextRefill(cur) };
  }

  // sessions

  async createSession(s: Session): Promise<void> {
    await this.db.insertInto('sessions').values({
      id: s.id, user_id: s.userId, created_at: s.createdAt, expires_at: s.expiresAt, ip: s.ip, user_agent: s.userAgent,
    }).execute();
  }

  async getSession(id: string): Promise<Session | null> {
    const r = await this.db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? { id: r.id, userId: Number(r.user_id), createdAt: num(r.created_at)!, expiresAt: num(r.expires_at)!, ip: r.ip, userAgent: r.user_agent } : null;
  }

  async deleteSession(id: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('id', '=', id).execute();
  }

  async deleteUserSessions(userId: number): Promise<void> {
    await this.db.deleteFrom('sessions').where('user_id', '=', userId).execute();
  }

  async deleteExpiredSessions(now: number): Promise<number> {
    const r = await this.db.deleteFrom('sessions').where('expires_at', '<=', now).executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  // audit

  async appendAudit(e: Omit<AuditEvent, 'id'>, chain?: (prevHash: string | null) => string, events?: readonly OutboxEvent[]): Promise<number> {
    const row = {
      at: e.at, actor_type: e.actorType, actor_id: e.actorId, actor_name: e.actorName, action: e.action, target_type: e.targetType,
      target_id: e.targetId, ip: e.ip, request_id: e.requestId, details: e.details === null ? null : JSON.stringify(e.details),
    };
    if (!chain) {
      if (!events?.length) return Number((await this.db.insertInto('audit').values({ ...row, prev_hash: null, hash: null }).returning('id').executeTakeFirstOrThrow()).id);
      return this.tx(async (tx) => {
        const { id } = await tx.insertInto('audit').values({ ...row, prev_hash: null, hash: null }).returning('id').executeTakeFirstOrThrow();
        await writeOutbox(tx, events);
        return Number(id);
      });
    }
    return this.tx(async (tx) => {
      // A no-op update takes the head's row lock (PostgreSQL) and reads it: concurrent appends on any node queue here.
      const head = await tx.updateTable('audit_head').set((eb) => ({ hash: eb.ref('hash') })).where('id', '=', 1).returning('hash').executeTakeFirst();
      const prev = head?.hash ?? null;
      const hash = chain(prev);
      const { id } = await tx.insertInto('audit').values({ ...row, prev_hash: prev, hash }).returning('id').executeTakeFirstOrThrow();
      await tx.updateTable('audit_head').set({ hash }).where('id', '=', 1).execute();
      // Webhook events caused by this change (issue 16): in the audit row's transaction, so one exists iff the other does.
      if (events?.length) await writeOutbox(tx, events);
      return Number(id);
    });
  }

  async auditHead(): Promise<string | null> {
    return (await this.db.selectFrom('audit_head').select('hash').where('id', '=', 1).executeTakeFirst())?.hash ?? null;
  }

  async scanAudit(afterId: number, limit: number): Promise<(AuditEvent & { prevHash: string | null; hash: string | null })[]> {
    const rows = await this.db.selectFrom('audit').selectAll().where('id', '>', afterId).orderBy('id').limit(limit).execute();
    return rows.map((r) => ({ ...auditRow(r), prevHash: r.prev_hash, hash: r.hash }));
  }

  async pruneAudit(before: number, batch: number): Promise<number> {
    // One bounded statement: the ids of the oldest rows before the cutoff, then those rows (the `at` index and the
    // id order agree, rows being appended in time order).
    const ids = this.db.selectFrom('audit').select('id').where('at', '<', before).orderBy('id').limit(batch);
    const r = await this.db.deleteFrom('audit').where('id', 'in', ids).executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  async listAudit(f: AuditFilter): Promise<Page<AuditEvent>> {
    let q = this.db.selectFrom('audit').selectAll().orderBy('id', 'desc').limit(f.limit + 1);
    if (f.action !== undefined) q = f.action.endsWith('.') ? q.where('action', 'like', `${f.action}%`) : q.where('action', '=', f.action);
    if (f.actorId !== undefined) q = q.where('actor_id', '=', f.actorId);
    if (f.targetId !== undefined) q = q.where('target_id', '=', f.targetId);
    if (f.since !== undefined) q = q.where('at', '>=', f.since);
    if (f.until !== undefined) q = q.where('at', '<', f.until);
    if (f.cursor !== undefined) {
      const [id] = decodeCursor(f.cursor, ['int']);
      q = q.where('id', '<', id);
    }
    const rows = await q.execute();
    const items: AuditEvent[] = rows.slice(0, f.limit).map((r) => auditRow(r));
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > f.limit && last ? encodeCursor([last.id]) : null };
  }
}
