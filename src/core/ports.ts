/**
 * The ports the core depends on. Implementations live outside the core (store/, infra/); the core imports none of them.
 */
import type { OutboxEvent } from './webhook-types.js';
import type { AuditEvent, GroupGrant, Page, PermissionDef, RoleDef, Role, Session, Token, TokenBinding, TokenKind, TokenRateLimit, TokenRecord, TokenRefill, TokenStatus, User, UserRecord } from './types.js';
import type { ArgPolicy, ChannelMessage, Job, JobEnd, JobFilter, MessageFilter, NewJob } from './job-types.js';

export interface Clock { now(): number }
export interface Random { bytes(n: number): Uint8Array }

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hash: string, password: string): Promise<boolean>;
}

/** Symmetric encryption of recoverable token values (AES-256-GCM in infra/). */
export interface Cipher {
  encrypt(plain: string): string;
  decrypt(box: string): string;
}

/** Claims of Tessera's JWT access tokens (iss, iat, exp are added by the signer). */
export interface JwtClaims {
  sub: string;
  jti: string;
  access: string;
  /** What the JWT was derived from: a token id (`tok_…`), a session id, or (single-user mode) a user id. */
  src_type: 'token' | 'session' | 'user';
  src_id: string;
  [k: string]: unknown;
}

/** A JWT signing key as kept: the private JWK as JSON (a store may encrypt it), the public JWK as JSON. */
export interface StoredJwtKey { kid: string; createdAt: number; retiredAt: number | null; privateJwk: string; publicJwk: string }

/** Where JWT signing keys live: files in the data directory (one node) or the database (shared by every node). */
export interface JwtKeyStore {
  list(): Promise<StoredJwtKey[]>;
  /** Adds the key unless a key that is not retired exists already (then another node made one first). */
  addIfNoneActive(k: StoredJwtKey): Promise<void>;
  /** Adds a key unconditionally. */
  add(k: StoredJwtKey): Promise<void>;
  /**
   * Rotation, as one step: retires (at `at`) every key that is not retired yet and adds k, so exactly one key is
   * left to sign even when two nodes rotate at once. Keys retired before keep their `retiredAt`.
   */
  rotate(k: StoredJwtKey, at: number): Promise<void>;
  remove(kid: string): Promise<void>;
}

/** Signs and verifies JWTs and publishes the public keys (ES256 with jose in infra/jwt.ts). */
export interface JwtSigner {
  sign(claims: JwtClaims, ttlSeconds: number): Promise<{ jwt: string; expiresAt: number }>;
  /** The claims of a JWT with a valid signature, issuer and expiry; null otherwise. */
  verify(jwt: string): Promise<(JwtClaims & { exp: number; iat: number }) | null>;
  /** The public keys: the signing key and every retired key whose tokens may not have expired yet. */
  jwks(): { keys: object[] };
  /**
   * Makes a new signing key and returns its key id. The previous key is retired but stays published (and accepted)
   * until every token it signed has expired. `commit` runs the rotation's write (`write`, on the key store it is
   * given) together with what must stand or fall with it — the rotation's audit row, in one transaction where the keys
   * are in the database. The signer signs with the new key only once `commit` has resolved; if it throws, nothing of
   * the rotation may stand (`commit`'s business: a database rolls back, key files are put back — infra/jwt.ts
   * `fileKeysAtomically`) and the error is the caller's.
   * Without `commit` the write runs on the signer's own key store.
   */
  rotate(commit?: (write: JwtKeyWrite, kid: string) => Promise<void>): Promise<string>;
}

/** A key rotation's write: retires the signing key and adds the new one, on the key store it is given. */
export type JwtKeyWrite = (keys: JwtKeyStore) => Promise<void>;

/**
 * Throttles password logins; keys are e.g. `user:alice` and `ip:10.0.0.1`. An attempt is counted *before* the
 * password is checked: a check-then-count throttle lets any number of concurrent guesses through, since none has
 * failed yet when the others are checked.
 */
/** Why a login attempt is refused before its password is checked, and for how long. */
export interface ThrottleRefusal {
  waitSeconds: number;
  /** `address`: this client failed too often; `username`: this account's growing delay (see LoginThrottle). */
  limit: 'address' | 'username';
  /**
   * `busy`: not failures but too many logins in progress at once from this address (each attempt is counted before
   * its slow password check); it passes as soon as one of them ends.
   */
  busy?: boolean;
}

/**
 * Failed-login limits (issue 12): per client address, a fixed number of attempts per window, then a block; per
 * username, a delay that doubles with each failure past the allowed number — which only an address that has failures
 * of its own must wait out, so a correct password from a clean address always gets in and nobody can lock a user out.
 */
export interface LoginThrottle {
  /**
   * Before the (slow) password check: counts the attempt against the address, atomically (of N concurrent attempts
   * with k left, k go ahead), and checks the username's delay. Null: go ahead. A refused attempt counts nowhere.
   */
  attempt(login: string, ip: string | null): Promise<ThrottleRefusal | null>;
  /** The attempt failed: counted against both; an address that has used up its attempts is blocked. */
  failed(login: string, ip: string | null): Promise<void>;
  /** The attempt succeeded: the address gets its attempt back and the username's failures are forgotten. */
  succeeded(login: string, ip: string | null): Promise<void>;
  /**
   * The attempt ended in an error before `failed` or `succeeded` had done its work (the database unavailable): the
   * address gets its attempt back, which would otherwise count as one in progress until the window passes.
   */
  abandoned(ip: string | null): Promise<void>;
  /** Forgets counters whose window and block have passed; returns how many. */
  sweep(): Promise<number>;
}

export interface NewUser {
  username: string;
  email: string | null;
  passwordHash: string;
  role: Role;
  groups: string[];
  roles?: string[];
  permissions?: string[];
  disabled: boolean;
  createdAt: number;
}

export interface UserPatch {
  username?: string;
  email?: string | null;
  passwordHash?: string;
  role?: Role;
  groups?: string[];
  roles?: string[];
  permissions?: string[];
  disabled?: boolean;
  updatedAt: number;
}

/** The fields of a token that a create sets, plus the secret's hash and encrypted copy. */
export interface NewToken extends TokenLimitFields, Pick<Token, 'id' | 'kind' | 'ownerId' | 'name' | 'comment' | 'access' | 'prefix'
  | 'metadata' | 'active' | 'recoverable' | 'expiresAt' | 'createdAt'>, Partial<Pick<Token, 'permissions' | 'roles' | 'allowedCidrs'>> {
  hash: string;
  secretEnc: string | null;
  /** Required for (and only for) `bound` tokens. */
  binding?: TokenBinding | null;
}

/** The fields an update may change (absent = unchanged), and when. */
export interface TokenPatch extends TokenLimitFields, Partial<Pick<Token, 'name' | 'comment' | 'access' | 'active' | 'expiresAt' | 'metadata'
  | 'permissions' | 'roles' | 'allowedCidrs'>> {
  updatedAt: number;
}

export interface TokenFilter {
  /**
   * Only tokens a policy would refuse now: without an expiry (when one is required or there is a maximum lifetime),
   * or expiring after `expiresAfter`.
   */
  violates?: { requireExpiry: boolean; expiresAfter: number | null };
  ownerId?: number;
  kind?: TokenKind;
  status?: TokenStatus;
  name?: string;
  /** Only tokens not revoked (any other status). */
  live?: boolean;
  now: number;
  limit: number;
  cursor?: string;
}

/** What verification needs in one read: the token, the secret's own expiry (rotation grace) and the owner. */
export interface SecretLookup {
  /** The stored hash that matched (compared again in constant time by the verifier). */
  hash: string;
  /**
   * The token without its uses: `useCount` 0 and `lastUsedAt` null. Verification never reads them (and a cached token's
   * would be stale at once); reading them would cost the lookup a second table (`getToken` reads them). Without its
   * encrypted value either (a Token, not a TokenRecord): what finds a token by value never reveals it.
   */
  token: Token;
  /** Set when this value was superseded by a rotation and works only until then. */
  secretExpiresAt: number | null;
  owner: User | null;
}

/** One client address a token was used from, and when last (`at`, ms). */
export interface TokenAddress { ip: string; at: number }

/**
 * A token's uses since the last flush. `addresses`: the distinct client addresses of those uses with each one's latest
 * time, in no particular order, at most `MAX_TOKEN_ADDRESSES` (the newest); absent when no use had an address.
 */
export interface UsageDelta { tokenId: string; lastUsedAt: number; uses: number; addresses?: TokenAddress[] }

/** How many last-used addresses are kept per token. */
export const MAX_TOKEN_ADDRESSES = 5;

/** A token's usage and rate limits as createToken / updateToken write them (omitted: none on create, unchanged on update). */
export interface TokenLimitFields {
  remaining?: number | null;
  refill?: TokenRefill | null;
  /** Start of the refill period; set whenever `refill` is set. */
  refilledAt?: number | null;
  rateLimit?: TokenRateLimit | null;
}

/** The outcome of `Store.consumeUse`: whether this caller got a use, what is left, and when the next refill comes. */
export interface UseGrant { granted: boolean; remaining: number; resetAt: number | null }

/** One rate-limit decision: allowed or not, requests left in the window, and milliseconds until the window resets. */
export interface RateDecision { allowed: boolean; remaining: number; msBeforeReset: number }

/**
 * Per-token request rate limits (fixed windows, rate-limiter-flexible in infra/ratelimit.ts): in this process by
 * default, shared by every node through Redis when `redis_url` is set. `consume` counts and checks in one atomic step
 * per key (a Lua script on Redis): of N concurrent calls on a key with k requests left, exactly k are allowed.
 * If Redis cannot be reached it falls back to a per-node limit (never throws for that) and logs a warning.
 */
export interface TokenRateLimiter {
  consume(key: string, limit: number, windowSeconds: number): Promise<RateDecision>;
  close(): Promise<void>;
}

export interface AuditFilter {
  action?: string;
  actorId?: string;
  targetId?: string;
  since?: number;
  until?: number;
  limit: number;
  cursor?: string;
}

/**
 * The storage port, in domain verbs. Every store (SQLite, PostgreSQL) passes `test/store/conformance.ts`.
 *
 * Atomicity contracts:
 * - `createToken` inserts the token row and its first secret in one transaction; a name already used by a live
 *   (not revoked) token of the same owner (or of the service namespace) raises `UniqueViolation` and writes nothing.
 * - `rotateSecret` inserts the new secret and shortens the old ones in one transaction; concurrent rotations each leave
 *   exactly one current secret of their own, and every older secret ends at `graceUntil` at the latest.
 * - `revokeToken` sets `revoked_at` only if it is still null and reports whether this call did it: under concurrent
 *   revocations of one token exactly one caller gets `true`.
 * - `recordUsage` adds use counts (never overwrites them) and only moves `last_used_at` forward.
 * - `consumeUse` takes one use of a token with a usage limit in ONE atomic statement ("exactly one caller gets each
 *   use"): `UPDATE tokens SET remaining = remaining - 1 … WHERE id = ? AND remaining > 0 RETURNING remaining`, with a
 *   due refill (now ≥ refilled_at + interval) applied inside the same statement (remaining = amount - 1, refilled_at
 *   moved forward by whole intervals). SQLite runs writes one at a time; PostgreSQL row-locks the row and re-checks the
 *   WHERE clause on the latest version, so of N concurrent callers on k uses exactly k get `granted: true`, on one node
 *   or many. Returns null when the token does not exist or has no usage limit.
 */
/**
 * Runs `fn` with a store of kind `S` and the Store bound to ONE transaction (the composition root builds one over the
 * database both live in): a change made through `S` and its audit row written through the Store commit together.
 */
export type Atomically<S> = <T>(fn: (s: S, store: Store) => Promise<T>) => Promise<T>;

export interface Store {
  ping(): Promise<void>;
  close(): Promise<void>;
  /**
   * Runs `fn` with a store bound to one transaction: everything `fn` does through that store is committed when `fn`
   * resolves and rolled back when it rejects (nested calls join the transaction). A change and its audit row are
   * written through one (`AuditService.audited`). `fn` must use only the store it is given: on SQLite the transaction
   * holds the one connection, and a query through another handle would wait for it for ever.
   */
  atomically<T>(fn: (s: Store) => Promise<T>): Promise<T>;

  createUser(u: NewUser): Promise<User>;
  getUser(id: number): Promise<UserRecord | null>;
  getUserByLogin(login: string): Promise<UserRecord | null>; // username or email, case-insensitive
  listUsers(limit: number, cursor?: string): Promise<Page<User>>;
  updateUser(id: number, patch: UserPatch): Promise<User | null>;
  deleteUser(id: number): Promise<boolean>;
  /**
   * Deletes a user that owns no token and has no session; false (nothing changed) when it has either, or is gone. A
   * token being inserted for the user by another transaction meanwhile is either seen (the user is kept) or fails with
   * OwnerGone: never a token whose owner was deleted under it (an import's users, core/import/service.ts).
   */
  deleteUserIfUnused(id: number): Promise<boolean>;
  countUsers(): Promise<number>;

  createToken(t: NewToken): Promise<TokenRecord>;
  /**
   * Bulk insert (batch creation, import): every token row and its secret in ONE transaction, in multi-row
   * statements. A unique violation (a live name taken, a hash already stored) raises `UniqueViolation` and writes
   * nothing: the batch lands whole or not at all.
   */
  insertTokens(tokens: readonly NewToken[]): Promise<void>;
  /** Which of these secret hashes are stored already (import's idempotency: a value imported before is skipped). */
  existingSecrets(hashes: readonly string[]): Promise<Set<string>>;
  getToken(id: string): Promise<TokenRecord | null>;
  findBySecretHash(hash: string): Promise<SecretLookup | null>;
  /**
   * Optional: the same lookup answered at once, when the store can read without waiting (SQLite with no write
   * transaction open on its connection), or `false` when it cannot (then ask `findBySecretHash`). A verification that misses the
   * cache then makes no promise (bench/README.md, "A cold verification without a promise").
   */
  findBySecretHashNow?(hash: string): SecretLookup | null | false;
  /**
   * Optional: a store whose lookups read from a snapshot kept for a moment (SQLite: one turn of the event loop) ends
   * it, so the next lookup sees every change committed until now, by any process. The verifier calls it after every
   * invalidation, local or from another node.
   */
  readFresh?(): void;
  /**
   * Optional, answered from memory: false when no token has this secret hash, true when one may. A store that keeps
   * a complete in-memory filter of its hashes (SQLite, one process) lets the verifier refuse an unknown value without
   * an asynchronous lookup or a negative-cache entry; a store that cannot be sure leaves it out.
   */
  mayHaveSecret?(hash: string): boolean;
  listTokens(f: TokenFilter): Promise<Page<TokenRecord>>;
  /**
   * How many live personal and bound tokens the user owns (the per-user quota): not revoked, and not expired at `now`
   * (an expired token works for nobody; a user of short-lived tokens would otherwise fill the quota with them).
   */
  countLiveTokens(ownerId: number, now: number): Promise<number>;
  /**
   * In a transaction (`atomically`): holds the user's row until it ends, so that token creations for one owner run one
   * at a time and each counts what the one before it wrote (the quota). PostgreSQL: `SELECT … FOR UPDATE`; SQLite
   * needs none (its write transactions exclude each other whole).
   */
  lockUser(id: number): Promise<void>;
  /**
   * In a transaction (`atomically`): the ids of the active (not disabled) admins, in id order, their rows held until
   * it ends (PostgreSQL: `SELECT … FOR UPDATE`, which a change waiting for one of them reads again once it is free), so
   * that two changes that would each leave the other admin as the last one run one after the other and the second
   * sees the first's.
   */
  lockActiveAdmins(): Promise<number[]>;
  /**
   * One value stored encrypted with the secret key (a recoverable token's, else a webhook's signing secret), or null
   * when there is none: decrypting it at start tells whether this node has the key the database was written with.
   */
  sampleEncrypted(): Promise<{ what: string; box: string } | null>;
  updateToken(id: string, patch: TokenPatch): Promise<TokenRecord | null>;
  revokeToken(id: string, at: number): Promise<boolean>;
  purgeToken(id: string): Promise<boolean>;
  rotateSecret(id: string, newHash: string, secretEnc: string | null, prefix: string, at: number, graceUntil: number): Promise<TokenRecord | null>;
  /**
   * Adds uses and last-used times; upserts each delta's addresses (a later time wins) and keeps only the newest
   * MAX_TOKEN_ADDRESSES addresses per token. Deltas of tokens that no longer exist are ignored.
   */
  recordUsage(deltas: UsageDelta[]): Promise<void>;
  /** The addresses a token was last used from, newest first (at most MAX_TOKEN_ADDRESSES). */
  listTokenAddresses(tokenId: string): Promise<TokenAddress[]>;
  consumeUse(id: string, now: number): Promise<UseGrant | null>;

  createSession(s: Session): Promise<void>;
  getSession(id: string): Promise<Session | null>;
  deleteSession(id: string): Promise<void>;
  deleteUserSessions(userId: number): Promise<void>;
  deleteExpiredSessions(now: number): Promise<number>;

  /**
   * Appends a row. With `chain`, atomically as the next link of the hash chain: the current head is locked and read,
   * `chain(headHash)` gives the new row's hash, the row (with both hashes) and the new head are written, in one
   * transaction — so concurrent appends on any node form one chain.
   */
  /** Appends one audit row (chained when `chain` is given) and returns its id. With `events` (webhooks, issue 16): the outbox
   * rows they cause are written in the same transaction as the row. */
  appendAudit(e: Omit<AuditEvent, 'id'>, chain?: (prevHash: string | null) => string, events?: readonly OutboxEvent[]): Promise<number>;
  /** The hash of the newest chained row, as the chain's head records it (null before the first). */
  auditHead(): Promise<string | null>;
  /** Rows after `afterId`, oldest first, with their chain hashes (verification, export). */
  scanAudit(afterId: number, limit: number): Promise<(AuditEvent & { prevHash: string | null; hash: string | null })[]>;
  listAudit(f: AuditFilter): Promise<Page<AuditEvent>>;
  /** Deletes up to `batch` of the oldest audit rows recorded before `before` (ms); returns how many. */
  pruneAudit(before: number, batch: number): Promise<number>;
}

/**
 * The authorization catalogue: permission definitions, roles, group grants (users' own grants are user columns).
 * Small tables, read whole: the core keeps a snapshot and reloads it after any change (`Change` kind `authz`).
 * Both stores pass test/store/authz-conformance.ts.
 */
export interface AuthzStore {
  listPermissionDefs(): Promise<PermissionDef[]>;
  /** Throws UniqueViolation('name') when it exists. */
  createPermissionDef(d: PermissionDef): Promise<PermissionDef>;
  deletePermissionDef(name: string): Promise<boolean>;
  listRoles(): Promise<RoleDef[]>;
  /** Throws UniqueViolation('name') when it exists. */
  createRole(r: Omit<RoleDef, 'builtin'>): Promise<RoleDef>;
  updateRole(name: string, patch: Partial<Pick<RoleDef, 'description' | 'permissions' | 'maxLifetimeSeconds'>> & { updatedAt: number }): Promise<RoleDef | null>;
  deleteRole(name: string): Promise<boolean>;
  listGroupGrants(): Promise<GroupGrant[]>;
  /** Sets (replaces) a group's grants; empty lists remove the row. */
  setGroupGrant(g: GroupGrant): Promise<GroupGrant>;
}

/** Checks a secret-scanning partner's signature over a raw request body (GitHub: ECDSA P-256 SHA-256, keys by id). */
export interface LeakSignatures {
  verify(rawBody: string, keyId: string, signatureBase64: string): Promise<boolean>;
}

/** Raised by a store when a unique constraint (username, token name) is hit. */
export class UniqueViolation extends Error {
  constructor(readonly field: string) { super(`unique violation on ${field}`); }
}

/** A token was written for an owner that no longer exists: the user was deleted meanwhile (a foreign-key violation). */
export class OwnerGone extends Error {
  constructor() { super('the owner of a token being written was deleted meanwhile'); }
}

// --- cross-node invalidation (src/store/postgres/notify.ts; a no-op feed on single-node SQLite) ---

/** What changed, by id only: never a token value or hash. `user` and `all` drop everything cached (owner state is read per token). */
/** `session`: one of the user's sessions ended (logout); nothing cached changes, but open streams are re-checked. */
/** `authz`: roles, group grants or the permission catalogue changed (every node reloads its snapshot, drops its cache). */
export type Change = { kind: 'token'; id: string } | { kind: 'user'; id: number } | { kind: 'session'; id: number } | { kind: 'all' } | { kind: 'authz' }
  /** A message was posted to a channel (stored: the receivers read it by id for their live subscribers). */
  | { kind: 'message'; id: number; channel: string };

/** Told what other nodes changed, and whether that news can be trusted to arrive. */
export interface ChangeListener {
  changed(c: Change): void;
  /** The feed is down: changes made elsewhere may go unseen, so nothing may be served from a cache. */
  lost(): void;
  /** The feed is back (changes made meanwhile were missed: forget everything once more). */
  restored(): void;
}

/**
 * Carries "this token/user changed" between the nodes sharing one store, so each node drops its cached verification
 * results at once (and "a channel message was posted", so each node's live channel streams get it). `publish` never
 * rejects and never waits on the network: a change made while the feed is down is sent when it is back (by then the
 * other nodes have dropped their caches anyway).
 */
export interface ChangeFeed {
  publish(c: Change): void;
  /**
   * Resolves once every change published so far has been handed to the other nodes' channel (PostgreSQL: its
   * `pg_notify` has run), or queued for a reconnection. A change's request awaits it before answering, so a client
   * told "revoked" meets the revocation on any node at once, not after the notification's own trip.
   */
  sent?(): Promise<void>;
  /** Starts delivering to the listener; resolves once the first connection attempt has succeeded or failed. */
  start(l: ChangeListener): Promise<void>;
  /** Whether changes are being received now (always true for a single-node feed). */
  live(): boolean;
  close(): Promise<void>;
}

// --- commands, jobs, channels (src/core/commands, jobs, channels) ---

/** One run of a configured command (implemented on src/runner in src/infra/executor.ts). */
export interface ExecSpec {
  argv: readonly string[];
  cwd?: string;
  env?: Readonly<Record<string, string>>;
  timeoutMs: number;
  outputCapBytes: number;
}

export interface ExecResult {
  status: 'succeeded' | 'failed' | 'timed_out';
  exitCode: number | null;
  output: string;
  truncated: boolean;
  /** Set for everything but a plain exit code (timeout, signal, missing executable, abort). */
  error?: string;
}

/**
 * Runs commands without a shell, each in its own process group, at most N at once (the rest wait in a bounded queue).
 * `run` never rejects for a failing command; it rejects only when the queue is full (then `isFull()` was true).
 */
export interface CommandExecutor {
  /** Checks a caller's extra arguments against the command's policy. */
  checkArgs(policy: ArgPolicy, extra: readonly string[]): { ok: true } | { ok: false; reason: string };
  /** True when one more run would be refused (every slot busy and the wait queue full). */
  isFull(): boolean;
  /** `onOutput` gets each piece of the kept output (exactly what `output` will hold), in order, as it arrives. */
  run(spec: ExecSpec, signal: AbortSignal, onOutput?: (chunk: string) => void): Promise<ExecResult>;
}

/** Slack-compatible incoming webhook: POST {"text": ...} as JSON. */
export interface WebhookSender {
  /** Resolves with whether the receiver answered 2xx; never rejects. */
  post(url: string, body: { text: string }): Promise<{ ok: boolean; detail: string }>;
}

/** Jobs and channel messages. Both stores (SQLite, PostgreSQL) pass `test/store/jobs-conformance.ts`. */
export interface JobStore {
  createJob(j: NewJob): Promise<Job>;
  /** Ends a running job; a job that is no longer running is left as it is (returns null). */
  finishJob(id: number, end: JobEnd): Promise<Job | null>;
  /**
   * The output a running job printed so far (the whole of it, a beginning of what `finishJob` will store), so that any
   * node or worker reading the job sees it; a job that is no longer running is left as it is. Returns whether it was
   * written.
   */
  saveOutput(id: number, output: string): Promise<boolean>;
  getJob(id: number): Promise<Job | null>;
  /** Newest first. */
  listJobs(f: JobFilter): Promise<Page<Job>>;
  /**
   * Start-up recovery: marks running jobs failed with this reason; returns how many. With `node`: only that node's
   * jobs and those that record no node (from before nodes were recorded); without: every running job.
   */
  /** `withWorkers`: also the jobs of this node's workers (`<node>#w<n>`, `tessera serve --workers N`). */
  failRunningJobs(reason: string, at: number, node?: string, withWorkers?: boolean): Promise<number>;
  addMessage(m: Omit<ChannelMessage, 'id'>): Promise<ChannelMessage>;
  /** Newest first by pages, or (with `afterId`) every later message oldest first. */
  listMessages(f: MessageFilter): Promise<Page<ChannelMessage>>;
}

/** An audit row as it is forwarded: the row, its id and its chain hash (null for a row outside the chain). */
export interface ForwardedAudit extends AuditEvent { hash: string | null }

/**
 * Somewhere audit rows are copied to (syslog, an HTTP endpoint: `audit.forward`). `send` delivers a batch in order
 * or rejects (the forwarder retries the whole batch); `close` releases connections.
 */
export interface AuditSink {
  readonly name: string;
  send(batch: readonly ForwardedAudit[]): Promise<void>;
  close(): Promise<void>;
}
