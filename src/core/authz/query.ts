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
  // Checked in place, without copying: a valid query is returned as it came (a top-level list wrapped in `and`).
  // Module-level functions and one state object: no closure is made per query (this runs on every verify with one).
  check(q, 1, { field, terms: 0 });
  return Array.isArray(q) ? { and: q as PermissionQuery[] } : q as PermissionQuery;
};

interface CheckState { field: string; terms: number }

const SHAPE = 'a query is a permission name, a list of them, or {"and": [...]} / {"or": [...]}';
const bad = (st: CheckState, why: string): never => invalid(st.field, `${st.field}: ${why}`);

/** `depth`: how many lists, `and`s and `or`s hold `v` and `v` itself, if it is one (a name adds no level). */
function check(v: unknown, depth: number, st: CheckState): void {
  if (typeof v === 'string') {
    if (++st.terms > QUERY_MAX_TERMS) bad(st, `the query names more than ${QUERY_MAX_TERMS} permissions`);
    if (!isPermissionName(v)) bad(st, `'${String(v).slice(0, PERMISSION_MAX + 8)}' is not a permission name (no wildcards in a query)`);
    return;
  }
  if (depth > QUERY_MAX_DEPTH) bad(st, `the query nests "and"/"or" more than ${QUERY_MAX_DEPTH} levels deep`);
  if (Array.isArray(v)) {
    if (depth !== 1) bad(st, 'a list is only for the whole query; inside, use {"and": [...]}');
    return checkList(v, depth, 'a list', st);
  }
  if (typeof v === 'object' && v !== null) {
    let key: string | null = null;
    for (const k in v) {
      if (key !== null || (k !== 'and' && k !== 'or')) bad(st, SHAPE);
      key = k;
    }
    if (key !== null) {
      const items = (v as Record<string, unknown>)[key];
      if (!Array.isArray(items)) bad(st, `"${key}" takes a list of queries`);
      return checkList(items as unknown[], depth, key === 'and' ? '"and"' : '"or"', st);
    }
  }
  bad(st, SHAPE);
}

function checkList(items: unknown[], depth: number, what: string, st: CheckState): void {
  if (items.length === 0) bad(st, `${what} needs at least one query`);
  for (let i = 0; i < items.length; i++) check(items[i], depth + 1, st);
}

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
    let missing: string[] | null = null;
    for (let i = 0; i < q.and.length; i++) {
      const r = evaluate(q.and[i]!, have);
      if (!r.ok) (missing ??= []).push(...r.missing);
    }
    return missing === null ? PASS : { ok: false, missing: [...new Set(missing)] };
  }
  for (let i = 0; i < q.or.length; i++) if (evaluate(q.or[i]!, have).ok) return PASS;
  return { ok: false, missing: [...new Set(names(q))] };
};

const PASS = Object.freeze({ ok: true, missing: [] as string[] }) as { ok: boolean; missing: string[] };
