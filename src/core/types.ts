import type { Access } from './access.js';

/** Uses left after this verification and when the next refill comes (null: none configured). */
export interface UsageState { remaining: number; resetAt: number | null }
/** The token's rate limit, requests left in the current window, and when the window resets. */
export interface RateState { limit: number; remaining: number; resetAt: number }
/** Present on verification results of tokens that have limits (absent for the others): core/tokens/limits.ts. */
export interface LimitInfo { usage?: UsageState; rate?: RateState }

export type Role = 'admin' | 'user';
export type TokenKind = 'personal' | 'service' | 'bound';

/**
 * What a `bound` token may do (Meeseeks's command-bound tokens): run one configured command with these fixed
 * arguments, as its owner, reporting into this channel. Only `POST /message` accepts such a token.
 */
export interface TokenBinding {
  command: string;
  args: string[];
  channel: string;
}
export type TokenStatus = 'active' | 'inactive' | 'expired' | 'revoked';

export interface User {
  id: number;
  username: string;
  email: string | null;
  role: Role;
  groups: string[];
  /** Roles granted to the user directly (besides those of their groups); see core/authz. */
  roles: string[];
  /** Permissions granted to the user directly. */
  permissions: string[];
  disabled: boolean;
  createdAt: number;
  updatedAt: number;
}

/** A user row as the store keeps it, including the password hash (never leaves the core). */
export interface UserRecord extends User {
  passwordHash: string;
}

/** The user without the password hash: the one way a user record leaves the store or the core. */
export const publicUser = (u: User & { passwordHash?: string }): User => {
  const { passwordHash: _p, ...rest } = u;
  return rest;
};

export interface Token {
  id: string;
  kind: TokenKind;
  ownerId: number | null;
  name: string | null;
  comment: string;
  access: Access;
  /** First characters of the value, for people to recognise a token; never enough to use it. */
  prefix: string;
  metadata: Record<string, unknown> | null;
  active: boolean;
  recoverable: boolean;
  expiresAt: number | null;
  revokedAt: number | null;
  createdAt: number;
  updatedAt: number;
  lastUsedAt: number | null;
  useCount: number;
  /** Uses left (null = no usage limit). As stored: a refill that is due is applied by the next use (see tokens/limits.ts). */
  remaining: number | null;
  /** Every `intervalSeconds`, `remaining` is set back to `amount` (null = no refill). */
  refill: TokenRefill | null;
  /** Start of the current refill period (set when a refill is configured; moves forward by whole intervals). */
  refilledAt: number | null;
  /** At most `limit` verifications per `windowSeconds` (null = no rate limit). */
  rateLimit: TokenRateLimit | null;
  /** Set for (and only for) `bound` tokens. */
  binding: TokenBinding | null;
  /** Permissions given to the token (a personal token's are limited at every use to what its owner holds then). */
  permissions: string[];
  /** Roles given to the token, besides its access level (itself a built-in role). */
  roles: string[];
  /** Client addresses the token works from (CIDR blocks); empty = anywhere. */
  allowedCidrs: string[];
}

export interface TokenRefill { amount: number; intervalSeconds: number }
export interface TokenRateLimit { limit: number; windowSeconds: number }

/** A token row plus the encrypted copy of its value (only for recoverable tokens). */
export interface TokenRecord extends Token {
  secretEnc: string | null;
}

export interface Session {
  id: string; // SHA-256 of the cookie value, hex
  userId: number;
  createdAt: number;
  expiresAt: number;
  ip: string | null;
  userAgent: string | null;
}

export interface AuditEvent {
  id: number;
  at: number;
  actorType: 'user' | 'token' | 'system' | 'anonymous';
  actorId: string | null;
  actorName: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  ip: string | null;
  requestId: string | null;
  details: Record<string, unknown> | null;
}

/** An entry of the permission catalogue (optional unless `permissions.strict`). */
export interface PermissionDef { name: string; description: string; createdAt: number }

/** A named bundle of permissions; `read`, `write` and `full` are built in. */
export interface RoleDef {
  name: string;
  description: string;
  permissions: string[];
  /** Tokens carrying this role may not live longer than this (policy); null = only the global policy. */
  maxLifetimeSeconds: number | null;
  builtin: boolean;
  createdAt: number;
  updatedAt: number;
}

/** What the members of a group are granted. */
export interface GroupGrant { group: string; roles: string[]; permissions: string[]; updatedAt: number }

/** A compiled set of granted permissions (core/authz/permissions.ts builds it). */
export interface PermissionCheck { has(name: string): boolean }

/** What a token grants after the owner rule: its grants, its roles (the access level first) and the compiled set. */
export interface TokenGrants {
  permissions: string[];
  roles: string[];
  set: PermissionCheck;
  /** The permissions space-separated (OAuth's `scope`, forward-auth's X-Tessera-Permissions), built once. */
  scope: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
