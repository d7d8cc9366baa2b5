/**
 * The error catalogue: every error Tessera reports to a client has one stable UPPER_SNAKE code, one HTTP status and
 * one description. `docs/errors.md` lists the same table; `test/errors-doc.test.ts` fails when the two differ.
 * The core throws `TesseraError`; the HTTP layer turns it into the envelope `{"error": {code, message, request_id}}`.
 */
export const ERRORS = {
  VALIDATION_ERROR: { status: 400, description: 'A field of the body, query or path is missing, has the wrong type or is out of range; the message names the field.' },
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
  INSUFFICIENT_ACCESS: { status: 403, description: 'The credential is valid but its access level is below the level the route needs.' },
  FORBIDDEN: { status: 403, description: 'The caller may not do this (for example a non-admin on an admin route, or a service token managing tokens).' },
  CSRF_REJECTED: { status: 403, description: 'A cookie-authenticated write came with an Origin header that is not this server\'s origin.' },
  NOT_FOUND: { status: 404, description: 'The resource does not exist or is not visible to the caller.' },
  TOKEN_NOT_RECOVERABLE: { status: 404, description: 'The token was not created recoverable, so its value cannot be shown again.' },
  ROUTE_NOT_FOUND: { status: 404, description: 'No route matches the method and path.' },
  CONFLICT: { status: 409, description: 'The request conflicts with the current state: a unique name is taken, the resource is revoked, or the last admin would be removed.' },
  PAYLOAD_TOO_LARGE: { status: 413, description: 'The request body is larger than the server accepts.' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, description: 'The request body has a content type the route does not accept.' },
  RATE_LIMITED: { status: 429, description: 'Too many attempts; the Retry-After header says when to try again.' },
  INTERNAL_ERROR: { status: 500, description: 'An unexpected server error; the request id identifies it in the logs.' },
  STORE_UNAVAILABLE: { status: 503, description: 'The database cannot be reached; try again later.' },
} as const satisfies Record<string, { status: number; description: string }>;

export type ErrorCode = keyof typeof ERRORS;

export class TesseraError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  /** Extra response headers the HTTP layer should send (e.g. Retry-After). */
  readonly headers: Record<string, string>;
  constructor(code: ErrorCode, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.name = 'TesseraError';
    this.code = code;
    this.status = ERRORS[code].status;
    this.headers = headers;
  }
}

export const fail = (code: ErrorCode, message: string, headers?: Record<string, string>): never => {
  throw new TesseraError(code, message, headers);
};
