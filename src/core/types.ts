import type { Access } from './access.js';

export type Role = 'admin' | 'user';
export type TokenKind = 'personal' | 'service';
export type TokenStatus = 'active' | 'inactive' | 'expired' | 'revoked';

export interface User {
  id: number;
  username: string;
  email: string | null;
  role: Role;
  groups: string[];
  disabled: boolean;
  createdAt: number;
  updatedAt: number;
}

/** A user row as the store keeps it, including the password hash (never leaves the core). */
export interface UserRecord extends User {
  passwordHash: string;
}

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
}

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

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export const tokenStatus = (t: Token, now: number): TokenStatus => {
  if (t.revokedAt !== null) return 'revoked';
  if (t.expiresAt !== null && t.expiresAt <= now) return 'expired';
  if (!t.active) return 'inactive';
  return 'active';
};
