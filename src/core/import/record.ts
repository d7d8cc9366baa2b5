/**
 * Import (issue 17): what one row of another product's token storage becomes. Each product has a small adapter
 * (`filebin.ts`, `semaphore.ts`, `meeseeks.ts`, `query.ts`, `generic.ts`): a pure function from one exported row
 * (the product's own column names, as `sqlite3 -json`, `psql … csv header` or a JSON dump gives them) to an
 * `ImportRecord`, or a `RowError` saying why the row cannot be imported.
 */
import type { Access } from '../access.js';
import type { TokenBinding, TokenKind } from '../types.js';
import { MAX_TIME } from '../tokens/service.js';

/** One exported row: column name → value (strings from CSV; strings, numbers, booleans from JSON). */
export type Row = Readonly<Record<string, unknown>>;

export interface ImportRecord {
  /** The source's own id of the token (for the report), never its value. */
  sourceId?: string;
  /** The token value, hashed on the way in (the value itself is never stored). */
  value?: string;
  /** SHA-256 of the value, hex, when the old system kept only hashes. */
  hash?: string;
  kind: TokenKind;
  /** A Tessera username or e-mail (personal and bound tokens); null for service tokens. */
  owner: string | null;
  name?: string | null;
  comment?: string;
  access?: Access;
  permissions?: string[];
  roles?: string[];
  createdAt?: number | null;
  expiresAt?: number | null;
  active?: boolean;
  binding?: TokenBinding | null;
  /** Source-specific facts kept in the token's metadata (e.g. FileBin's access level). */
  metadata?: Record<string, unknown>;
}

/** Why a row is not imported: a stable reason code (the report's `reason`) and a message for people. */
export type RowReason =
  | 'MISSING_VALUE' | 'INVALID_HASH' | 'INVALID_VALUE' | 'INVALID_FIELD' | 'UNKNOWN_OWNER' | 'EXPIRED_IN_SOURCE'
  | 'DUPLICATE_IN_FILE' | 'DUPLICATE_NAME' | 'ALREADY_IMPORTED' | 'NAME_TAKEN' | 'PERMISSION_NOT_HELD';

export class RowError extends Error {
  constructor(readonly reason: RowReason, message: string) { super(message); }
}

export type Adapter = (row: Row) => ImportRecord;

// Helpers shared by the adapters: tolerant readers of exported columns.

export const str = (row: Row, ...keys: string[]): string | undefined => {
  for (const k of keys) {
    const v = row[k];
    if (v === undefined || v === null) continue;
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
    throw new RowError('INVALID_FIELD', `column '${k}' must be a text value`);
  }
  return undefined;
};

/** A boolean column: true/false, 1/0, t/f (PostgreSQL's CSV), yes/no. */
export const bool = (row: Row, key: string): boolean | undefined => {
  const v = row[key];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v === 'boolean') return v;
  const s = String(v).trim().toLowerCase();
  if (['1', 'true', 't', 'yes', 'y'].includes(s)) return true;
  if (['0', 'false', 'f', 'no', 'n'].includes(s)) return false;
  throw new RowError('INVALID_FIELD', `column '${key}' must be a boolean (true/false, 1/0)`);
};

/**
 * A time column as milliseconds: a number (`unit` says seconds or milliseconds) or a date text (RFC 3339, or SQL's
 * `2024-01-02 03:04:05`, read as UTC). Only times from 1970 to the year 9999 are taken: every stored time must be
 * shown back as an RFC 3339 date (a row with a time beyond broke its owner's listing). `beyond9999: 'never'`: a later
 * time is none (an expiry its product never reaches), rather than refused.
 */
export const time = (row: Row, key: string, unit: 's' | 'ms' | 'auto' = 'auto', beyond9999: 'refuse' | 'never' = 'refuse'): number | null | undefined => {
  const v = row[key];
  if (v === undefined) return undefined;
  if (v === null || v === '') return null;
  const s = String(v).trim();
  let t: number;
  if (/^-?\d+(\.\d+)?$/.test(s)) {
    const n = Number(s);
    // auto: a number below 10^11 is seconds (that is before 1973 in milliseconds, after 5138 in seconds).
    t = Math.round(unit === 's' || (unit === 'auto' && Math.abs(n) < 1e11) ? n * 1000 : n);
  } else {
    const iso = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(s) ? `${s.replace(' ', 'T')}Z` : s;
    t = Date.parse(iso);
  }
  if (!Number.isFinite(t)) throw new RowError('INVALID_FIELD', `column '${key}' is not a time`);
  if (t > MAX_TIME && beyond9999 === 'never') return null;
  if (t < 0 || t > MAX_TIME) throw new RowError('INVALID_FIELD', `column '${key}' is out of range (1970 to 9999)`);
  return t;
};

/** A list column: a JSON array, or names separated by commas or spaces. */
export const names = (row: Row, key: string): string[] | undefined => {
  const v = row[key];
  if (v === undefined || v === null || v === '') return undefined;
  if (Array.isArray(v)) return v.map(String);
  const s = String(v).trim();
  if (s.startsWith('[')) {
    try {
      const a = JSON.parse(s) as unknown;
      if (Array.isArray(a)) return a.map(String);
    } catch { /* not JSON: fall through */ }
    throw new RowError('INVALID_FIELD', `column '${key}' must be a JSON array or a comma-separated list`);
  }
  return s.split(/[\s,]+/).filter((x) => x.length > 0);
};
