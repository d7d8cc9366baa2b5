/**
 * Permission queries, as Unkey's verify takes them: a permission name, or `{"and": [...]}` / `{"or": [...]}` of
 * queries, nested. `"deploy:write"` alone means that permission; a list at the top (`["a", "b"]`, forward-auth's
 * repeated `?permission=`) means all of them. A query is checked once when it arrives (shape, depth, size) and then
 * evaluated against a PermissionSet; what failed is reported as the names that were missing.
 */
import { invalid } from '../errors.js';
import type { PermissionCheck } from '../types.js';
import { isPermissionName, PERMISSION_MAX } from './permissions.js';

export type PermissionQuery = string | { and: PermissionQuery[] } | { or: PermissionQuery[] };

export const QUERY_MAX_DEPTH = 5;
export const QUERY_MAX_TERMS = 50;

/**
 * Checks a query from a client (any JSON) and returns it typed; a list becomes `{and: list}`. Refused with
 * VALIDATION_ERROR on `field`: an unknown shape, a name that is not a permission (wildcards are for grants, not
 * queries), an empty and/or, more than QUERY_MAX_DEPTH levels or QUERY_MAX_TERMS names.
 */
export const parseQuery = (q: unknown, field = 'permissions'): PermissionQuery => {
  let terms = 0;
  const walk = (v: unknown, depth: number): PermissionQuery => {
    if (depth > QUERY_MAX_DEPTH) return invalid(field, `${field}: the query is nested more than ${QUERY_MAX_DEPTH} levels`);
    if (typeof v === 'string') {
      if (++terms > QUERY_MAX_TERMS) return invalid(field, `${field}: the query names more than ${QUERY_MAX_TERMS} permissions`);
      if (!isPermissionName(v)) return invalid(field, `${field}: '${String(v).slice(0, PERMISSION_MAX + 8)}' is not a permission name (no wildcards in a query)`);
      return v;
    }
    if (Array.isArray(v)) return { and: list(v, depth, 'a list') };
    if (typeof v === 'object' && v !== null) {
      const keys = Object.keys(v);
      if (keys.length === 1 && (keys[0] === 'and' || keys[0] === 'or')) {
        const k = keys[0];
        const items = (v as Record<string, unknown>)[k];
        if (!Array.isArray(items)) return invalid(field, `${field}: "${k}" takes a list of queries`);
        return k === 'and' ? { and: list(items, depth, '"and"') } : { or: list(items, depth, '"or"') };
      }
    }
    return invalid(field, `${field}: a query is a permission name, a list of them, or {"and": [...]} / {"or": [...]}`);
  };
  const list = (items: unknown[], depth: number, what: string): PermissionQuery[] => {
    if (items.length === 0) return invalid(field, `${field}: ${what} needs at least one query`);
    return items.map((i) => walk(i, depth + 1));
  };
  return walk(q, 1);
};

/** The permission names a query mentions (for `missing` when an `or` fails as a whole). */
const names = (q: PermissionQuery, out: string[] = []): string[] => {
  if (typeof q === 'string') out.push(q);
  else for (const s of 'and' in q ? q.and : q.or) names(s, out);
  return out;
};

/**
 * Evaluates a checked query. `missing` is empty when it passes; otherwise it lists the names that would have made it
 * pass: every failed name of a failed `and`, every name of a failed `or` (any one of which, or one branch, would do).
 */
export const evaluate = (q: PermissionQuery, have: PermissionCheck): { ok: boolean; missing: string[] } => {
  if (typeof q === 'string') return have.has(q) ? PASS : { ok: false, missing: [q] };
  if ('and' in q) {
    const missing: string[] = [];
    for (const s of q.and) {
      const r = evaluate(s, have);
      if (!r.ok) missing.push(...r.missing);
    }
    return missing.length === 0 ? PASS : { ok: false, missing: [...new Set(missing)] };
  }
  for (const s of q.or) if (evaluate(s, have).ok) return PASS;
  return { ok: false, missing: [...new Set(names(q))] };
};

const PASS = Object.freeze({ ok: true, missing: [] as string[] }) as { ok: boolean; missing: string[] };
