/**
 * Page cursors: an opaque base64url of a JSON array of the last row's sort key. Every listing decodes its cursor here,
 * against the shape it expects, so a cursor a client made up is a 400 INVALID_CURSOR on every store, never a value
 * that reaches SQL with the wrong type (PostgreSQL would answer that with an error, SQLite would compare it silently).
 */
import { TesseraError } from '../core/errors.js';

type Part = 'int' | 'string';
type Decoded<S extends readonly Part[]> = { [K in keyof S]: S[K] extends 'int' ? number : string };

export const encodeCursor = (parts: readonly (string | number)[]): string => Buffer.from(JSON.stringify(parts)).toString('base64url');

const invalid = (): never => { throw new TesseraError('INVALID_CURSOR', 'cursor is not valid: pass the next_cursor of the previous page unchanged'); };

/** The cursor's parts, checked against `shape` (safe integers; strings of at most 200 characters without NUL). */
export const decodeCursor = <const S extends readonly Part[]>(cursor: string, shape: S): Decoded<S> => {
  if (cursor.length === 0 || cursor.length > 1024 || !/^[A-Za-z0-9_-]+$/.test(cursor)) invalid();
  let v: unknown;
  try { v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')); } catch { invalid(); }
  if (!Array.isArray(v) || v.length !== shape.length) invalid();
  const parts = v as unknown[];
  shape.forEach((kind, i) => {
    const p = parts[i];
    const ok = kind === 'int' ? Number.isSafeInteger(p) : typeof p === 'string' && p.length <= 200 && !p.includes('\u0000');
    if (!ok) invalid();
  });
  return parts as Decoded<S>;
};
