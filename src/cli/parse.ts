/**
 * Option parsers. They turn what people type into what the API takes, and refuse bad input before any request
 * with commander's usual "option ... argument ... is invalid" message.
 */
import { InvalidArgumentError } from 'commander';

const UNIT: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };

/** Seconds: `90`, or a number with a unit: `90s`, `15m`, `12h`, `30d`, `2w`. */
export const seconds = (v: string): number => {
  const m = /^(\d+)([smhdw]?)$/.exec(v.trim());
  if (!m) throw new InvalidArgumentError('give seconds, or a number with s, m, h, d or w (e.g. 30d)');
  return Number(m[1]) * UNIT[m[2] || 's']!;
};

export const positiveInt = (v: string): number => {
  if (!/^\d+$/.test(v) || Number(v) < 1) throw new InvalidArgumentError('give a whole number from 1');
  return Number(v);
};

/** A date the API accepts (RFC 3339). Anything Date.parse reads is converted; a time without offset is local. */
export const dateTime = (v: string): string => {
  const ms = Date.parse(v);
  if (Number.isNaN(ms)) throw new InvalidArgumentError('give a date and time, e.g. 2030-01-31 or 2030-01-31T12:00:00Z');
  // Date.parse rolls an impossible day over (2030-02-30 → March 2): such a date is a typo, not a date.
  const d = /^\s*(\d{4})-(\d{2})-(\d{2})/.exec(v);
  if (d) {
    const [y, m, day] = [Number(d[1]), Number(d[2]), Number(d[3])];
    const real = new Date(Date.UTC(y, m - 1, day));
    if (real.getUTCFullYear() !== y || real.getUTCMonth() !== m - 1 || real.getUTCDate() !== day) {
      throw new InvalidArgumentError(`${d[1]}-${d[2]}-${d[3]} is not a date`);
    }
  }
  return new Date(ms).toISOString();
};

/**
 * "Set this field to null". Commander turns a parser's null into '' (as for a flag without a value), so parsers
 * return this marker instead and the command maps it to null with orNull().
 */
export const CLEAR = Symbol('clear');
export const orNull = <T>(v: T | typeof CLEAR): T | null => (v === CLEAR ? null : v);

/** Like dateTime, but `never` clears the expiry. */
export const dateTimeOrNever = (v: string): string | typeof CLEAR => (v.trim().toLowerCase() === 'never' ? CLEAR : dateTime(v));

/** A JSON object for --metadata; `null` (to clear) only where the API allows it. */
export const jsonObject = (allowNull: boolean) => (v: string): Record<string, unknown> | typeof CLEAR => {
  let doc: unknown;
  try { doc = JSON.parse(v); } catch { throw new InvalidArgumentError('not valid JSON'); }
  if (doc === null && allowNull) return CLEAR;
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw new InvalidArgumentError(allowNull ? 'give a JSON object, or null to clear' : 'give a JSON object');
  }
  return doc as Record<string, unknown>;
};

/** `a,b , c` → ['a', 'b', 'c']; an empty string gives no groups. */
export const list = (v: string): string[] => v.split(',').map((s) => s.trim()).filter(Boolean);

/** Repeatable options (`--permission a --permission b`) collect into a list. */
export const collect = (v: string, prev: string[] | undefined): string[] => [...(prev ?? []), v];
