/** Wire shapes of the native API, shared by routes (validation, serialization) and the OpenAPI document. */
import { Type as T } from 'typebox';
import type { TokenView } from '../core/tokens/service.js';
import { LIMIT_BOUNDS } from '../core/tokens/limits.js';
import type { AuditEvent, User } from '../core/types.js';

/**
 * A time on the wire. The last one is kept: a token's `created_at` and `updated_at` are often the same, and a batch's
 * or a listing's tokens were mostly made in the same few milliseconds (a Date and its string cost ~0.2 µs each).
 */
let lastMs = Number.NaN;
let lastIso = '';
const iso = (ms: number | null): string | null => {
  if (ms === null) return null;
  if (ms !== lastMs) { lastIso = new Date(ms).toISOString(); lastMs = ms; }
  return lastIso;
};
const Nullable = <S extends ReturnType<typeof T.String>>(s: S) => T.Union([s, T.Null()]);
const DateTime = T.String({ format: 'date-time' });

export const ErrorSchema = T.Object({
  error: T.Object({
    code: T.String({ description: "a code from docs/errors.md" }),
    message: T.String(),
    request_id: T.String(),
    field: T.Optional(T.String({ description: 'the input field the error is about (e.g. `name`, `rate_limit.limit`), when it is about one' })),
  }),
}, { $id: 'Error', description: 'The error envelope. `code` is from docs/errors.md.' });

export const AccessSchema = T.Union([T.Literal('read'), T.Literal('write'), T.Literal('full')], { description: 'read < write < full; only full may manage tokens' });
export const KindSchema = T.Union([T.Literal('personal'), T.Literal('service'), T.Literal('bound')], { description: 'bound = command-bound (Meeseeks), created with the chat command token-new and usable only on POST /message' });
/** What a `bound` token runs: a configured command, its fixed arguments, the channel it reports into. */
export const BindingSchema = T.Object({ command: T.String(), args: T.Array(T.String()), channel: T.String() });
/** Usage and rate limits (issue 5): the input shapes of POST/PATCH /api/v1/tokens and what token views show. */
export const RemainingSchema = T.Integer({ minimum: 0, maximum: LIMIT_BOUNDS.remainingMax,
  description: 'usage limit: uses left. Each successful verification of the token (POST /api/v1/verify, forward-auth, or any request it authenticates) takes one, atomically and exactly, on every node; at 0 the token answers USAGE_EXCEEDED. Absent or null: unlimited' });
export const RefillSchema = T.Object({
  amount: T.Integer({ minimum: 1, maximum: LIMIT_BOUNDS.remainingMax, description: 'remaining is set back to this at each refill' }),
  interval_seconds: T.Integer({ minimum: 1, maximum: LIMIT_BOUNDS.refillIntervalMaxSeconds, description: 'seconds between refills; the first period starts when the refill is set' }),
}, { additionalProperties: false, description: 'refills the usage limit every interval (needs remaining)' });
export const RateLimitSchema = T.Object({
  limit: T.Integer({ minimum: 1, maximum: LIMIT_BOUNDS.rateLimitMax, description: 'verifications allowed per window' }),
  window_seconds: T.Integer({ minimum: 1, maximum: LIMIT_BOUNDS.rateWindowMaxSeconds, description: 'length of the fixed window, which starts at its first request' }),
}, { additionalProperties: false, description: 'rate limit: beyond `limit` verifications per window the token answers RATE_LIMITED (429 with Retry-After); counted per node, or across nodes with redis_url' });
export const StatusSchema = T.Union([T.Literal('active'), T.Literal('inactive'), T.Literal('expired'), T.Literal('revoked')]);
export const RoleSchema = T.Union([T.Literal('admin'), T.Literal('user')]);

export const OwnerSchema = T.Union([T.Object({ id: T.Integer(), username: T.Union([T.String(), T.Null()]) }), T.Null()]);

export const TokenSchema = T.Object({
  id: T.String(),
  name: T.Union([T.String(), T.Null()]),
  comment: T.String(),
  kind: KindSchema,
  owner: OwnerSchema,
  access: AccessSchema,
  prefix: T.String({ description: 'the first characters of the value, to recognise it; not usable as a credential' }),
  status: StatusSchema,
  active: T.Boolean(),
  recoverable: T.Boolean(),
  metadata: T.Union([T.Object({}, { additionalProperties: true }), T.Null()]),
  created_at: DateTime,
  updated_at: DateTime,
  expires_at: Nullable(DateTime),
  revoked_at: Nullable(DateTime),
  last_used_at: Nullable(DateTime),
  use_count: T.Integer(),
  remaining: T.Union([T.Integer(), T.Null()], { description: 'uses left (a refill that is due is counted); null = unlimited' }),
  refill: T.Union([T.Object({ amount: T.Integer(), interval_seconds: T.Integer(), next_at: Nullable(DateTime) }), T.Null()], { description: 'next_at: when remaining is next set back to amount' }),
  rate_limit: T.Union([T.Object({ limit: T.Integer(), window_seconds: T.Integer() }), T.Null()]),
  binding: T.Optional(BindingSchema),
  permissions: T.Array(T.String(), { description: 'permissions given to the token (a personal token grants only those its owner holds at use)' }),
  roles: T.Array(T.String(), { description: 'roles given to the token, besides its access level' }),
  allowed_cidrs: T.Array(T.String(), { description: 'client addresses the token works from (CIDR); empty = anywhere' }),
  effective_permissions: T.Array(T.String(), { description: 'what the token grants now: its access level\'s role, its roles and permissions, limited to what its owner holds now' }),
  last_used_from: T.Optional(T.Array(T.Object({ ip: T.String(), at: DateTime }), {
    description: 'the distinct client addresses the token was last used from (at most 5), newest first; only when one token is shown',
  })),
}, { $id: 'Token' });

export const TokenWithValueSchema = T.Object({ ...TokenSchema.properties, token: T.String({ description: 'the token value' }) }, { $id: 'TokenWithValue' });

/**
 * A token on the wire (`tokenOut`), or with its value (`tokenWithValueOut`: `token`, last; the answers that create or
 * rotate one). One object literal of fixed shape, without spreads: a member a token lacks (`binding`,
 * `last_used_from`, `token`) is `undefined`, which JSON.stringify and fast-json-stringify leave out. Spreading (the
 * optional members, or a copy to add the value) cost a batch's answer ~4 µs a token (bench/README.md, "Token ids in
 * time order").
 */
const tokenWire = (t: TokenView, value: string | undefined) => ({
  id: t.id, name: t.name, comment: t.comment, kind: t.kind,
  owner: t.ownerId === null ? null : { id: t.ownerId, username: t.ownerName },
  access: t.access, prefix: t.prefix, status: t.status, active: t.active, recoverable: t.recoverable, metadata: t.metadata,
  created_at: iso(t.createdAt)!, updated_at: iso(t.updatedAt)!, expires_at: iso(t.expiresAt), revoked_at: iso(t.revokedAt),
  last_used_at: iso(t.lastUsedAt), use_count: t.useCount, remaining: t.remaining,
  refill: t.refill === null ? null
    : { amount: t.refill.amount, interval_seconds: t.refill.intervalSeconds, next_at: iso(t.refilledAt === null ? null : t.refilledAt + t.refill.intervalSeconds * 1000) },
  rate_limit: t.rateLimit === null ? null : { limit: t.rateLimit.limit, window_seconds: t.rateLimit.windowSeconds },
  binding: t.binding ? { command: t.binding.command, args: [...t.binding.args], channel: t.binding.channel } : undefined,
  permissions: t.permissions, roles: t.roles, allowed_cidrs: t.allowedCidrs, effective_permissions: t.effectivePermissions,
  last_used_from: t.lastUsedFrom ? t.lastUsedFrom.map((a) => ({ ip: a.ip, at: iso(a.at)! })) : undefined,
  token: value,
});
export const tokenOut = (t: TokenView) => tokenWire(t, undefined);
export const tokenWithValueOut = (t: TokenView, value: string): ReturnType<typeof tokenWire> & { token: string } =>
  tokenWire(t, value) as ReturnType<typeof tokenWire> & { token: string };

export const UserSchema = T.Object({
  id: T.Integer(),
  username: T.String(),
  email: T.Union([T.String(), T.Null()]),
  role: RoleSchema,
  groups: T.Array(T.String()),
  roles: T.Array(T.String(), { description: 'roles granted to the user directly (groups may grant more)' }),
  permissions: T.Array(T.String(), { description: 'permissions granted to the user directly' }),
  disabled: T.Boolean(),
  created_at: DateTime,
  updated_at: DateTime,
}, { $id: 'User' });

export const userOut = (u: User) => ({
  id: u.id, username: u.username, email: u.email, role: u.role, groups: u.groups, roles: u.roles, permissions: u.permissions, disabled: u.disabled,
  created_at: iso(u.createdAt)!, updated_at: iso(u.updatedAt)!,
});

export const AuditSchema = T.Object({
  id: T.Integer(),
  at: DateTime,
  actor: T.Object({ type: T.String(), id: T.Union([T.String(), T.Null()]), name: T.Union([T.String(), T.Null()]) }),
  action: T.String(),
  target: T.Union([T.Object({ type: T.Union([T.String(), T.Null()]), id: T.String() }), T.Null()]),
  ip: T.Union([T.String(), T.Null()]),
  request_id: T.Union([T.String(), T.Null()]),
  details: T.Union([T.Object({}, { additionalProperties: true }), T.Null()]),
}, { $id: 'AuditEvent' });

export const auditOut = (e: AuditEvent) => ({
  id: e.id, at: iso(e.at)!, actor: { type: e.actorType, id: e.actorId, name: e.actorName }, action: e.action,
  target: e.targetId === null ? null : { type: e.targetType, id: e.targetId }, ip: e.ip, request_id: e.requestId, details: e.details,
});

export const page = <S extends ReturnType<typeof T.Object>>(item: S) =>
  T.Object({ items: T.Array(item), next_cursor: T.Union([T.String(), T.Null()], { description: 'pass as `cursor` for the next page; null on the last page' }) });

/** Standard error responses for a route, by status, for the OpenAPI document. */
export const errors = (...statuses: number[]) => Object.fromEntries(statuses.map((s) => [s, ErrorSchema]));

/**
 * A 200 that is not JSON (a stream of Server-Sent Events, NDJSON lines): the document names its content type. The
 * route writes the bytes itself, so no serializer is built from it.
 */
export const streamed = (contentType: 'text/event-stream' | 'application/x-ndjson', description: string) =>
  ({ description, content: { [contentType]: { schema: T.Unsafe<unknown>({ type: 'string', description }) } } });

export const IdParam = T.Object({ id: T.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false });
/** A row id (users, jobs): a positive integer that fits PostgreSQL's `integer` (beyond it the database would fail, not the client). */
export const RowId = (o: { description?: string } = {}) => T.Integer({ minimum: 1, maximum: 2_147_483_647, ...o });
export const UserIdParam = T.Object({ id: RowId() }, { additionalProperties: false });
