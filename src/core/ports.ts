/**
 * The ports the core depends on. Implementations live outside the core (store/, infra/); the core imports none of them.
 */
import type { Access } from './access.js';
import type { AuditEvent, Page, Role, Session, TokenKind, TokenRecord, TokenStatus, User, UserRecord } from './types.js';

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

/** Signs and verifies JWTs and publishes the public keys (ES256 with jose in infra/jwt.ts). */
export interface JwtSigner {
  sign(claims: JwtClaims, ttlSeconds: number): Promise<{ jwt: string; expiresAt: number }>;
  /** The claims of a JWT with a valid signature, issuer and expiry; null otherwise. */
  verify(jwt: string): Promise<(JwtClaims & { exp: number; iat: number }) | null>;
  jwks(): { keys: object[] };
}

/**
 * Throttles password logins; keys are e.g. `user:alice` and `ip:10.0.0.1`. An attempt is counted *before* the
 * password is checked: a check-then-count throttle lets any number of concurrent guesses through, since none has
 * failed yet when the others are checked.
 */
export interface LoginThrottle {
  /**
   * Counts one attempt against every key, atomically per key: of N concurrent attempts on a key with k left, exactly
   * k go ahead. Returns 0 when this one may go ahead, else the seconds until one may (and then it counts nowhere).
   */
  attempt(keys: string[]): Promise<number>;
  /** The attempt failed: a key that has now used up its attempts is blocked for the block period. */
  failed(keys: string[]): Promise<void>;
  /** Takes back one attempt (a login that succeeded is not a failure). */
  refund(keys: string[]): Promise<void>;
  /** Forgets every attempt of these keys. */
  reset(keys: string[]): Promise<void>;
}

export interface NewUser {
  username: string;
  email: string | null;
  passwordHash: string;
  role: Role;
  groups: string[];
  disabled: boolean;
  createdAt: number;
}

export interface UserPatch {
  username?: string;
  email?: string | null;
  passwordHash?: string;
  role?: Role;
  groups?: string[];
  disabled?: boolean;
  updatedAt: number;
}

export interface NewToken {
  id: string;
  hash: string;
  kind: TokenKind;
  ownerId: number | null;
  name: string | null;
  comment: string;
  access: Access;
  prefix: string;
  metadata: Record<string, unknown> | null;
  active: boolean;
  recoverable: boolean;
  secretEnc: string | null;
  expiresAt: number | null;
  createdAt: number;
}

export interface TokenPatch {
  name?: string | null;
  comment?: string;
  access?: Access;
  active?: boolean;
  expiresAt?: number | null;
  metadata?: Record<string, unknown> | null;
  updatedAt: number;
}

export interface TokenFilter {
  ownerId?: number;
  kind?: TokenKind;
  status?: TokenStatus;
  name?: string;
  now: number;
  limit: number;
  cursor?: string;
}

/** What verification needs in one read: the token, the secret's own expiry (rotation grace) and the owner. */
export interface SecretLookup {
  /** The stored hash that matched (compared again in constant time by the verifier). */
  hash: string;
  token: TokenRecord;
  /** Set when this value was superseded by a rotation and works only until then. */
  secretExpiresAt: number | null;
  owner: User | null;
}

export interface UsageDelta { tokenId: string; lastUsedAt: number; uses: number }

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
 */
export interface Store {
  ping(): Promise<void>;
  close(): Promise<void>;

  createUser(u: NewUser): Promise<User>;
  getUser(id: number): Promise<UserRecord | null>;
  getUserByLogin(login: string): Promise<UserRecord | null>; // username or email, case-insensitive
  listUsers(limit: number, cursor?: string): Promise<Page<User>>;
  updateUser(id: number, patch: UserPatch): Promise<User | null>;
  deleteUser(id: number): Promise<boolean>;
  countUsers(): Promise<number>;

  createToken(t: NewToken): Promise<TokenRecord>;
  getToken(id: string): Promise<TokenRecord | null>;
  findBySecretHash(hash: string): Promise<SecretLookup | null>;
  listTokens(f: TokenFilter): Promise<Page<TokenRecord>>;
  updateToken(id: string, patch: TokenPatch): Promise<TokenRecord | null>;
  revokeToken(id: string, at: number): Promise<boolean>;
  purgeToken(id: string): Promise<boolean>;
  rotateSecret(id: string, newHash: string, secretEnc: string | null, prefix: string, at: number, graceUntil: number): Promise<TokenRecord | null>;
  recordUsage(deltas: UsageDelta[]): Promise<void>;

  createSession(s: Session): Promise<void>;
  getSession(id: string): Promise<Session | null>;
  deleteSession(id: string): Promise<void>;
  deleteUserSessions(userId: number): Promise<void>;
  deleteExpiredSessions(now: number): Promise<number>;

  appendAudit(e: Omit<AuditEvent, 'id'>): Promise<void>;
  listAudit(f: AuditFilter): Promise<Page<AuditEvent>>;
}

/** Raised by a store when a unique constraint (username, token name) is hit. */
export class UniqueViolation extends Error {
  constructor(readonly field: string) { super(`unique violation on ${field}`); }
}
