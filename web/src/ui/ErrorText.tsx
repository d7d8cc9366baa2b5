/** An API error in words, with its code and request id, placed next to what it concerns. */
import type { ApiError } from '../../../sdk/index.js';

const WORDS: Record<string, string> = {
  VALIDATION_ERROR: 'Check this value.',
  INVALID_JSON: 'The request was not understood.',
  AMBIGUOUS_CREDENTIALS: 'The request carried two different credentials.',
  UNAUTHENTICATED: 'You are not logged in.',
  INVALID_LOGIN: 'Wrong username or password.',
  SESSION_INVALID: 'Your session has ended. Log in again.',
  TOKEN_EXPIRED: 'The token has expired.',
  TOKEN_REVOKED: 'The token was revoked.',
  TOKEN_ROTATED: 'That value was replaced by a rotation; use the new one.',
  TOKEN_DISABLED: 'The token is inactive or its owner is disabled.',
  INSUFFICIENT_ACCESS: 'Your access level is too low for this.',
  FORBIDDEN: 'You are not allowed to do this.',
  CSRF_REJECTED: 'The request came from another site and was refused.',
  NOT_FOUND: 'It does not exist any more.',
  TOKEN_NOT_RECOVERABLE: 'This token was not created recoverable, so its value cannot be shown again.',
  ROUTE_NOT_FOUND: 'Not available on this server.',
  CONFLICT: 'That conflicts with what is already there.',
  PAYLOAD_TOO_LARGE: 'That is too large.',
  RATE_LIMITED: 'Too many attempts. Wait a little and try again.',
  INTERNAL_ERROR: 'The server failed unexpectedly.',
  STORE_UNAVAILABLE: 'The database is unavailable. Try again shortly.',
  NETWORK_ERROR: 'Could not reach the server.',
  TOKEN_MALFORMED: 'That is not a token of this server.',
  TOKEN_NOT_FOUND: 'No such token.',
  TOKEN_MISSING: 'A token is needed here.',
  TOKEN_BOUND: 'This token may only run its one command.',
  TOKEN_NOT_BOUND: 'This needs a command-bound token.',
  COMMAND_NOT_FOUND: 'No such command, or you may not run it.',
  CHANNEL_NOT_FOUND: 'No such channel.',
  ARGS_REFUSED: 'The command does not accept these arguments.',
  UNSUPPORTED_MEDIA_TYPE: 'The request was sent in a format the server does not take.',
  USAGE_EXCEEDED: 'This token has used up what it is allowed.',
  JOB_QUEUE_FULL: 'Too many jobs are waiting. Try again shortly.',
  PERMISSION_NOT_HELD: 'A token cannot carry a permission or role its owner does not hold.',
  POLICY_VIOLATION: 'The token policy does not allow this expiry.',
  TOKEN_QUOTA_EXCEEDED: 'Too many live tokens for this user: revoke one first.',
  INVALID_CURSOR: 'The list changed; load it again.',
  IP_NOT_ALLOWED: 'Not allowed from this address.',
  INSUFFICIENT_PERMISSIONS: 'A permission this needs is missing.',
  HOST_NOT_ALLOWED: 'This server does not answer under this name.',
};

export const errorWords = (e: ApiError): string => WORDS[e.code] ?? 'The request failed.';

export function ErrorText({ error, id }: { error: ApiError | null; id?: string }) {
  if (!error) return null;
  return (
    <p class="error-text" id={id} role="alert">
      <span class="error-words">{errorWords(error)}</span> {error.message}{' '}
      <code class="error-code" title={error.requestId ? `request ${error.requestId}` : undefined}>{error.code}</code>
    </p>
  );
}
