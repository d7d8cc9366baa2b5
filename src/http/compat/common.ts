/**
 * Small helpers shared by the compat routes. Each only combines core calls; none touches the store or states a
 * token rule of its own.
 */
import type { RequestContext } from '../../core/principal.js';
import type { Services } from '../../core/services.js';
import { LIMITS, type ListedToken, type ListTokensInput, type TokenView } from '../../core/tokens/service.js';

/**
 * A listing for the foreign APIs, which have no paging: the newest `max_tokens_per_user` tokens (every live one,
 * since a user has no more; Semaphore also lists revoked ones, which are not counted). Pages are asked for no larger
 * than what is still missing, so no value beyond the ones returned is decrypted.
 */
export const listAll = async (s: Services, ctx: RequestContext, input: Omit<ListTokensInput, 'limit' | 'cursor'>): Promise<ListedToken[]> => {
  const out: ListedToken[] = [];
  const max = s.tokens.maxPerUser;
  let cursor: string | undefined;
  do {
    const limit = Math.min(LIMITS.pageMax, max - out.length);
    const page = await s.tokens.list(ctx, { ...input, limit, ...(cursor === undefined ? {} : { cursor }) });
    out.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined && out.length < max);
  return out;
};

/**
 * Resolves a key a client gave — a token value, or a token id (the key under which a non-recoverable token is
 * listed) — to one of the caller's *own* personal tokens: FileBin and Semaphore only let users manage their own keys,
 * admins included. Null when unknown, not visible or someone else's.
 */
export const findOwnToken = async (s: Services, ctx: RequestContext, key: string): Promise<TokenView | null> => {
  const t = await s.tokens.findByRef(ctx, key);
  const me = ctx.principal?.user?.id;
  return t !== null && t.kind === 'personal' && me !== undefined && t.ownerId === me ? t : null;
};

/** The key a listing shows for a token: its value when recoverable (and revealed), else its id. */
export const keyOf = (t: ListedToken): string => t.value ?? t.id;
