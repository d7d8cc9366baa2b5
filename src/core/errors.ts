/**
 * The error codes: every refusal or fault Tessera reports has one stable UPPER_SNAKE code. The core throws
 * `TesseraError` with a code, a message for people and structured details; it knows nothing of HTTP. Each face maps
 * codes to its own answers: the native API's statuses, descriptions and envelope are in `src/http/errors.ts`
 * (documented in `docs/errors.md`), the seed-compatible faces translate in `src/http/compat/<product>/`.
 */
import type { RateState, UsageState } from './types.js';
export const ERROR_CODES = [
  'VALIDATION_ERROR',
  'INVALID_CURSOR',
  'INVALID_JSON',
  'AMBIGUOUS_CREDENTIALS',
  'UNAUTHENTICATED',
  'INVALID_LOGIN',
  'SESSION_INVALID',
  'TOKEN_MALFORMED',
  'TOKEN_NOT_FOUND',
  'TOKEN_EXPIRED',
  'TOKEN_REVOKED',
  'TOKEN_ROTATED',
  'TOKEN_DISABLED',
  'TOKEN_MISSING',
  'SLACK_SIGNATURE_INVALID',
  'LEAK_SIGNATURE_INVALID',
  'TOKEN_BOUND',
  'TOKEN_NOT_BOUND',
  'INSUFFICIENT_ACCESS',
  'INSUFFICIENT_PERMISSIONS',
  'PERMISSION_NOT_HELD',
  'IP_NOT_ALLOWED',
  'FORBIDDEN',
  'CSRF_REJECTED',
  'HOST_NOT_ALLOWED',
  'NOT_FOUND',
  'TOKEN_NOT_RECOVERABLE',
  'COMMAND_NOT_FOUND',
  'CHANNEL_NOT_FOUND',
  'ROUTE_NOT_FOUND',
  'TOKEN_QUOTA_EXCEEDED',
  'CONFLICT',
  'ARGS_REFUSED',
  'POLICY_VIOLATION',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'RATE_LIMITED',
  'USAGE_EXCEEDED',
  'INTERNAL_ERROR',
  'JOB_QUEUE_FULL',
  'STORE_UNAVAILABLE',
  'METRICS_UNAVAILABLE',
  'SHUTTING_DOWN',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** A limited credential's window after a request: what the `RateLimit-*` fields carry (all in whole seconds). */
export interface LimitState {
  /** The window's size (requests per window, or uses per refill); null when the limit has no refill. */
  limit: number | null;
  remaining: number;
  /** Seconds until the window resets or the refill comes; null when it never will. */
  resetS: number | null;
}

/** What a face may need besides the code and the message, so that no face has to parse the message. */
export interface ErrorDetails {
  /** The input field the error is about (`name`, `rate_limit.limit`, `expires_at`), without the body/query prefix. */
  field?: string;
  /** A short name of the rule the field breaks, where a face words it its own way (e.g. `future` for a past expiry). */
  rule?: string;
  /** Seconds after which trying again can succeed. */
  retryAfterS?: number;
  /** The credential's limit window, for rate- and usage-limited tokens. */
  limit?: LimitState;
  /** A refused verification's uses left and rate window, as `/verify` answers them (`usage`, `rate_limit`). */
  usage?: UsageState;
  rate?: RateState;
}

/** Codes that are the server's fault or state, not the caller's mistake: they keep their stack for the log. */
const FAULTS: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['INTERNAL_ERROR', 'JOB_QUEUE_FULL', 'STORE_UNAVAILABLE', 'METRICS_UNAVAILABLE', 'SHUTTING_DOWN']);
export const isFault = (code: ErrorCode): boolean => FAULTS.has(code);

export class TesseraError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetails;
  constructor(code: ErrorCode, message: string, details: ErrorDetails = {}) {
    // A refusal is an expected answer, not a fault: capturing its stack would cost more than the rest of rejecting
    // an attacker's garbage token. Faults keep theirs.
    const limit = Error.stackTraceLimit;
    if (!FAULTS.has(code)) Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = limit;
    this.name = 'TesseraError';
    this.code = code;
    this.details = details;
  }
}

export const fail = (code: ErrorCode, message: string, details?: ErrorDetails): never => {
  throw new TesseraError(code, message, details);
};

/** A VALIDATION_ERROR about one input field; the message names the field too. */
export const invalid = (field: string, message: string, rule?: ErrorDetails['rule']): never => {
  throw new TesseraError('VALIDATION_ERROR', message, rule === undefined ? { field } : { field, rule });
};

/**
 * The message for an `owner` that names no user. What was sent is not repeated: a username has the shape of many
 * token values, and a value pasted there would come back in the error.
 */
export const OWNER_UNKNOWN = 'owner: no user has this username or id (GET /api/v1/users lists them)';
export const USER_UNKNOWN = 'user: no user has this username or id (GET /api/v1/users lists them)';

/**
 * A value the client sent, as an error message may repeat it: only when it has the shape the field asks for. Anything
 * else may be a secret pasted into the wrong field (a token value must never come back in an error, nor end up in the
 * client's logs from there).
 */
export const shown = (v: unknown, shape: RegExp, max = 70): string => {
  const s = String(v);
  return shape.test(s) ? `'${s.slice(0, max)}'` : 'the value given';
};
