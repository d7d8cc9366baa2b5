/** Table types for Kysely. Times are integer milliseconds since the epoch; booleans are 0/1 in every dialect. */
import type { Generated } from 'kysely';

export interface UsersTable {
  id: Generated<number>;
  username: string;
  username_key: string; // lower-cased, unique: logins are case-insensitive
  email: string | null;
  password_hash: string;
  role: string;
  groups: string; // JSON array
  roles: string | null; // JSON array (migration 009)
  permissions: string | null; // JSON array (migration 009)
  disabled: number;
  created_at: number;
  updated_at: number;
}

export interface TokensTable {
  id: string;
  kind: string;
  owner_id: number | null;
  name: string | null;
  comment: string;
  access: string;
  prefix: string;
  metadata: string | null; // JSON object
  active: number;
  recoverable: number;
  secret_enc: string | null;
  expires_at: number | null;
  revoked_at: number | null;
  created_at: number;
  updated_at: number;
  /** Uses from before migration 015, no longer written: a token's uses since are in `token_usage`. */
  last_used_at: number | null;
  use_count: number;
  remaining: number | null; // usage limit (migration 004): uses left, null = unlimited
  refill_amount: number | null;
  refill_interval_seconds: number | null;
  refilled_at: number | null;
  rate_limit: number | null;
  rate_window_seconds: number | null;
  bound_command: string | null; // `bound` tokens only (migration 003)
  bound_args: string | null; // JSON array
  bound_channel: string | null;
  permissions: string | null; // JSON array (migration 009)
  roles: string | null; // JSON array
  allowed_cidrs: string | null; // JSON array
}

/** A token's uses (migration 015): one row per used token, written by the usage batch, added to `tokens`' own columns. */
export interface TokenUsageTable { token_id: string; use_count: number; last_used_at: number | null }

export interface PermissionDefsTable { name: string; description: string; created_at: number }
export interface RolesTable {
  name: string;
  description: string;
  permissions: string; // JSON array
  max_lifetime_seconds: number | null;
  created_at: number;
  updated_at: number;
}
export interface GroupGrantsTable { group_name: string; roles: string; permissions: string; updated_at: number }

/** The last addresses a token was used from (migration 012): at most five rows per token. */
export interface TokenAddressesTable {
  token_id: string;
  ip: string;
  at: number;
}

export interface TokenSecretsTable {
  hash: string; // SHA-256 of the value, hex
  token_id: string;
  created_at: number;
  expires_at: number | null; // set when the value was rotated out (end of its grace period)
}

export interface SessionsTable {
  id: string; // SHA-256 of the cookie value, hex
  user_id: number;
  created_at: number;
  expires_at: number;
  ip: string | null;
  user_agent: string | null;
}

export interface AuditTable {
  id: Generated<number>;
  at: number;
  actor_type: string;
  actor_id: string | null;
  actor_name: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  ip: string | null;
  request_id: string | null;
  details: string | null; // JSON object
  prev_hash: string | null; // migration 010: the hash chain
  hash: string | null;
}

export interface AuditHeadTable { id: number; hash: string | null }

export interface LoginThrottleTable {
  key: string;
  attempts: number;
  failures: number;
  window_start: number | string;
  last_failure_at: number | string | null;
  blocked_until: number | string | null;
}

/** Migration 011: webhooks and their outbox (src/store/sql-webhooks.ts). */
export interface WebhooksTable {
  id: string; url: string; events: string; secret_enc: string; active: number; description: string;
  created_at: number | string; updated_at: number | string;
}
export interface WebhookEventsTable { id: string; type: string; payload: string; created_at: number | string }
export interface WebhookDeliveriesTable {
  id: Generated<number>; event_id: string; webhook_id: string; status: string; attempts: number; next_attempt_at: number | string;
  lease_owner: string | null; lease_until: number | string | null; last_status_code: number | null; last_error: string | null;
  created_at: number | string; updated_at: number | string;
}
export interface WebhookAttemptsTable {
  id: Generated<number>; delivery_id: number; attempt: number; at: number | string; status_code: number | null; duration_ms: number;
  error: string | null; node: string | null;
}
export interface TokenNoticesTable { token_id: string; notice: string; at: number | string }

export interface Database {
  webhooks: WebhooksTable;
  webhook_events: WebhookEventsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_attempts: WebhookAttemptsTable;
  token_notices: TokenNoticesTable;
  login_throttle: LoginThrottleTable;
  users: UsersTable;
  tokens: TokensTable;
  token_secrets: TokenSecretsTable;
  token_addresses: TokenAddressesTable;
  token_usage: TokenUsageTable;
  sessions: SessionsTable;
  audit: AuditTable;
  audit_head: AuditHeadTable;
  permission_defs: PermissionDefsTable;
  roles: RolesTable;
  group_grants: GroupGrantsTable;
}

export type Dialect = 'sqlite' | 'postgres';
