/**
 * Usage limits (`remaining` uses, optional refill) and rate limits (requests per window) of tokens: the rules, kept
 * out of the hot path's file. The verifier enforces them; the atomic use is `Store.consumeUse` (ports.ts), the rate
 * counter the `TokenRateLimiter` port (infra/ratelimit.ts).
 */
import { type ErrorDetails, invalid } from '../errors.js';
import type { TokenLimitFields } from '../ports.js';
import type { Token, TokenRateLimit, TokenRefill } from '../types.js';

export const LIMIT_BOUNDS = {
  remainingMax: 1_000_000_000_000,
  refillIntervalMaxSeconds: 366 * 86_400,
  rateLimitMax: 1_000_000_000,
  rateWindowMaxSeconds: 86_400,
} as const;

import type { LimitInfo } from '../types.js';

export type { LimitInfo, RateState, UsageState } from '../types.js';

/** Only the limit states of a result or details (`usage`, `rate`), those it has; `{}` for none. */
export const limitInfo = (l: LimitInfo | undefined): LimitInfo =>
  (l === undefined ? {} : { ...(l.usage ? { usage: l.usage } : {}), ...(l.rate ? { rate: l.rate } : {}) });

export interface LimitInput {
  /** Uses left; null removes the usage limit (and its refill). */
  remaining?: number | null;
  /** Needs a usage limit; null removes the refill. */
  refill?: TokenRefill | null;
  rateLimit?: TokenRateLimit | null;
}

const intIn = (field: string, v: number, min: number, max: number): void => {
  if (!Number.isInteger(v) || v < min || v > max) invalid(field, `${field} must be an integer from ${min} to ${max}`);
};

/**
 * Checks limit input and turns it into the store's fields. `current` is the token being updated (null on create). A
 * refill starts its first period now; removing `remaining` removes the refill too.
 */
export const limitFields = (input: LimitInput, current: Token | null, now: number): TokenLimitFields => {
  const out: TokenLimitFields = {};
  if (input.remaining !== undefined) {
    if (input.remaining !== null) intIn('remaining', input.remaining, 0, LIMIT_BOUNDS.remainingMax);
    out.remaining = input.remaining;
  }
  const remaining = input.remaining !== undefined ? input.remaining : current?.remaining ?? null;
  if (input.refill !== undefined && input.refill !== null) {
    intIn('refill.amount', input.refill.amount, 1, LIMIT_BOUNDS.remainingMax);
    intIn('refill.interval_seconds', input.refill.intervalSeconds, 1, LIMIT_BOUNDS.refillIntervalMaxSeconds);
    if (remaining === null) invalid('refill', 'refill needs a usage limit: set remaining too');
    out.refill = { amount: input.refill.amount, intervalSeconds: input.refill.intervalSeconds };
    out.refilledAt = now;
  } else if (input.refill === null || (input.remaining === null && current?.refill)) {
    out.refill = null;
    out.refilledAt = null;
  }
  if (input.rateLimit !== undefined) {
    if (input.rateLimit !== null) {
      intIn('rate_limit.limit', input.rateLimit.limit, 1, LIMIT_BOUNDS.rateLimitMax);
      intIn('rate_limit.window_seconds', input.rateLimit.windowSeconds, 1, LIMIT_BOUNDS.rateWindowMaxSeconds);
    }
    out.rateLimit = input.rateLimit === null ? null : { limit: input.rateLimit.limit, windowSeconds: input.rateLimit.windowSeconds };
  }
  return out;
};

/**
 * The usage limit as it stands at `now`: a refill that is due is applied by the next use (in the store's statement),
 * so a token nobody used for a while shows what its next caller will find.
 */
export const effectiveUsage = (t: Pick<Token, 'remaining' | 'refill' | 'refilledAt'>, now: number): { remaining: number | null; refilledAt: number | null } => {
  if (t.remaining === null || t.refill === null || t.refilledAt === null) return { remaining: t.remaining, refilledAt: t.refilledAt };
  const ms = t.refill.intervalSeconds * 1000;
  if (now < t.refilledAt + ms) return { remaining: t.remaining, refilledAt: t.refilledAt };
  return { remaining: t.refill.amount, refilledAt: t.refilledAt + Math.floor((now - t.refilledAt) / ms) * ms };
};

const seconds = (ms: number): number => Math.max(1, Math.ceil(ms / 1000));

/**
 * Where a limited token stands after a refusal or a success: `retryAfterS` (refusals with a known end) and its window
 * (the IETF draft's `RateLimit-*` fields; the HTTP faces write the headers). The rate limit wins when a token has both;
 * a usage limit without refill has no reset (and a refusal no retry: it will not get better).
 */
export const limitDetails = (r: LimitInfo & { code: string; token: Token | null }, now: number): Pick<ErrorDetails, 'retryAfterS' | 'limit'> => {
  const d: Pick<ErrorDetails, 'retryAfterS' | 'limit'> = {};
  if (r.code === 'RATE_LIMITED' && r.rate) d.retryAfterS = seconds(r.rate.resetAt - now);
  else if (r.code === 'USAGE_EXCEEDED' && r.usage?.resetAt != null) d.retryAfterS = seconds(r.usage.resetAt - now);
  const useRate = r.rate !== undefined && (r.code !== 'USAGE_EXCEEDED' || r.usage === undefined);
  if (useRate && r.rate) d.limit = { limit: r.rate.limit, remaining: r.rate.remaining, resetS: seconds(r.rate.resetAt - now) };
  else if (r.usage) {
    d.limit = { limit: r.token?.refill ? r.token.refill.amount : null, remaining: r.usage.remaining, resetS: r.usage.resetAt !== null ? seconds(r.usage.resetAt - now) : null };
  }
  return d;
};
