/**
 * The error catalogue: every error Tessera reports to a client has one stable UPPER_SNAKE code, one HTTP status and
 * one description. `docs/errors.md` lists the same table; `test/errors-doc.test.ts` fails when the two differ.
 * The core throws `TesseraError`; the HTTP layer turns it into the envelope `{"error": {code, message, request_id}}`.
 */
export const ERRORS = {
  VALIDATION_ERROR: { status: 400, description: 'A field of the body, query or path is missing, has the wrong type or is out of range; the message names the field.' },
  INVALID_CURSOR: { status: 400, description: 'The `cursor` query parameter is not one this server issued: pass the `next_cursor` of the previous page unchanged.' },
  INVALID_JSON: { status: 400, description: 'The request body is not valid JSON.' },
  AMBIGUOUS_CREDENTIALS: { status: 400, description: 'The request carries two different credentials (for example a Bearer token and an X-API-Key header).' },
  UNAUTHENTICATED: { status: 401, description: 'The route needs a credential and the request carries none.' },
  INVALID_LOGIN: { status: 401, description: 'Username or password is wrong, or the user is disabled.' },
  SESSION_INVALID: { status: 401, description: 'The session cookie is unknown, expired or was logged out.' },
  TOKEN_MALFORMED: { status: 401, description: 'The token does not have the shape of a Tessera token or its checksum is wrong.' },
  TOKEN_NOT_FOUND: { status: 401, description: 'The token has a valid shape but is not known.' },
  TOKEN_EXPIRED: { status: 401, description: 'The token has passed its expiry time (or is a rotated value past its grace period).' },
  TOKEN_REVOKED: { status: 401, description: 'The token was revoked.' },
  TOKEN_DISABLED: { status: 401, description: 'The token is inactive, or its owner is disabled.' },
  TOKEN_MISSING: { status: 400, description: 'POST /message needs a command-bound token in the TOKEN header (or Authorization: Bearer) and the request has none.' },
  SLACK_SIGNATURE_INVALID: { status: 401, description: 'A Slack request\'s X-Slack-Signature is missing or wrong, or its X-Slack-Request-Timestamp is more than 5 minutes from the server\'s time.' },
  TOKEN_BOUND: { status: 403, description: 'The token is bound to one command and works only on POST /message, not as a general credential.' },
  TOKEN_NOT_BOUND: { status: 403, description: 'POST /message takes only command-bound tokens (created with the chat command token-new); this token is not one.' },
  INSUFFICIENT_ACCESS: { status: 403, description: 'The credential is valid but its access level is below the level the route needs.' },
  FORBIDDEN: { status: 403, description: 'The caller may not do this (for example a non-admin on an admin route, or a service token managing tokens).' },
  CSRF_REJECTED: { status: 403, description: 'A cookie-authenticated write (forward-auth included) or a login came with an Origin header that is not this server\'s origin (or is `null`).' },
  HOST_NOT_ALLOWED: { status: 403, description: 'The request\'s Host (or trusted X-Forwarded-Host) is not one of `allowed_hosts` (in single-user mode, by default: loopback names, `host`, `public_url`\'s host); refused against DNS rebinding.' },
  NOT_FOUND: { status: 404, description: 'The resource does not exist or is not visible to the caller.' },
  TOKEN_NOT_RECOVERABLE: { status: 404, description: 'The token was not created recoverable, so its value cannot be shown again.' },
  COMMAND_NOT_FOUND: { status: 404, description: 'No configured command has this name or id (or the caller may not see it).' },
  CHANNEL_NOT_FOUND: { status: 404, description: 'No configured channel has this name.' },
  ROUTE_NOT_FOUND: { status: 404, description: 'No route matches the method and path.' },
  TOKEN_QUOTA_EXCEEDED: { status: 409, description: 'A user already has `max_tokens_per_user` live (not revoked) personal and command-bound tokens; revoke one first.' },
  CONFLICT: { status: 409, description: 'The request conflicts with the current state: a unique name is taken, the resource is revoked, or the last admin would be removed.' },
  ARGS_REFUSED: { status: 400, description: 'The extra arguments (or environment) are not allowed by the command\'s args policy; the message says which one.' },
  PAYLOAD_TOO_LARGE: { status: 413, description: 'The request body is larger than the server accepts.' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, description: 'The request body has a content type the route does not accept.' },
  RATE_LIMITED: { status: 429, description: 'Too many attempts (failed logins), or the token\'s rate limit is used up for this window; the Retry-After header says when to try again.' },
  USAGE_EXCEEDED: { status: 429, description: 'The token has no uses left (its `remaining` is 0); Retry-After says when its refill comes, and is absent when it has none.' },
  INTERNAL_ERROR: { status: 500, description: 'An unexpected server error; the request id identifies it in the logs.' },
  JOB_QUEUE_FULL: { status: 503, description: 'Every job slot is busy and the wait queue is full; try again later (Retry-After).' },
  STORE_UNAVAILABLE: { status: 503, description: 'The database cannot be reached; try again later.' },
} as const satisfies Record<string, { status: number; description: string }>;

export type ErrorCode = keyof typeof ERRORS;

export class TesseraError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  /** Extra response headers the HTTP layer should send (e.g. Retry-After). */
  readonly headers: Record<string, string>;
  constructor(code: ErrorCode, message: string, headers: Record<string, string> = {}) {
    // A refusal (4xx) is an expected answer, not a fault: capturing its stack would cost more than the rest of
    // rejecting an attacker's garbage token. Faults (5xx) keep theirs.
    const limit = Error.stackTraceLimit;
    if (ERRORS[code].status < 500) Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = limit;
    this.name = 'TesseraError';
    this.code = code;
    this.status = ERRORS[code].status;
    this.headers = headers;
  }
}

export const fail = (code: ErrorCode, message: string, headers?: Record<string, string>): never => {
  throw new TesseraError(code, message, headers);
};
