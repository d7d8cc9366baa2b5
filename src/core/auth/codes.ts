/** How a failed verification is reported when it is the caller's own credential (401/403 errors). */
import { type ErrorCode, TesseraError } from '../errors.js';
import { limitDetails, limitInfo } from '../tokens/limits.js';
import type { VerifyCode, VerifyResult } from '../tokens/verifier.js';

export const VERIFY_TO_ERROR: Record<Exclude<VerifyCode, 'VALID'>, ErrorCode> = {
  MALFORMED: 'TOKEN_MALFORMED',
  NOT_FOUND: 'TOKEN_NOT_FOUND',
  EXPIRED: 'TOKEN_EXPIRED',
  REVOKED: 'TOKEN_REVOKED',
  ROTATED: 'TOKEN_ROTATED',
  DISABLED: 'TOKEN_DISABLED',
  INSUFFICIENT_ACCESS: 'INSUFFICIENT_ACCESS',
  USAGE_EXCEEDED: 'USAGE_EXCEEDED',
  RATE_LIMITED: 'RATE_LIMITED',
  BOUND: 'TOKEN_BOUND',
  IP_NOT_ALLOWED: 'IP_NOT_ALLOWED',
  INSUFFICIENT_PERMISSIONS: 'INSUFFICIENT_PERMISSIONS',
};

export const VERIFY_MESSAGES: Record<Exclude<VerifyCode, 'VALID'>, string> = {
  MALFORMED: 'the token is malformed',
  NOT_FOUND: 'the token is not known',
  EXPIRED: 'the token has expired',
  REVOKED: 'the token was revoked',
  ROTATED: 'the token\'s value was replaced by a rotation; use the new value',
  DISABLED: 'the token is inactive or its owner is disabled',
  INSUFFICIENT_ACCESS: 'the token\'s access level is too low',
  USAGE_EXCEEDED: 'the token has no uses left',
  RATE_LIMITED: 'the token\'s rate limit is reached for now',
  BOUND: 'the token is bound to one command and works only on POST /message',
  IP_NOT_ALLOWED: 'the token does not work from this address',
  INSUFFICIENT_PERMISSIONS: 'the token does not grant the permissions asked for',
};


/**
 * The error for a credential that did not verify: its code, a message (the standard one unless given) and, for a
 * rate- or usage-limited token, its retry time and limit window. Every place that turns a failed verification
 * into a refusal calls this.
 */
export const verifyError = (r: Extract<VerifyResult, { valid: false }>, now: number, message = VERIFY_MESSAGES[r.code]): TesseraError =>
  new TesseraError(VERIFY_TO_ERROR[r.code], message, r.usage || r.rate
    ? { ...limitDetails(r, now), ...limitInfo(r) } : undefined);
