/**
 * The fuzz test's generator: a seeded PRNG (mulberry32), values drawn from a route's JSON schema (as the OpenAPI
 * document prints it) and hostile mutations of them. Everything is a function of the seed, so a failure reproduces
 * with TESSERA_FUZZ_SEED.
 */

export type Rng = () => number;

export const mulberry32 = (seed: number): Rng => {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

export const int = (r: Rng, lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));
export const pick = <T>(r: Rng, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
export const chance = (r: Rng, p: number): boolean => r() < p;

/** Strings a careless or hostile client sends. */
const HOSTILE_STRINGS = [
  '', ' ', '\u0000', 'a\u0000b', 'x'.repeat(10_000), '../../etc/passwd', "' OR 1=1 --", '"; DROP TABLE tokens; --', '%00', '%ZZ',
  '<script>alert(1)</script>', '${jndi:ldap://x}', '\u202e\u0645\u0631\u062d\u0628\u0627', '😀'.repeat(50), '\ud800', '\uffff', 'null', 'true', '-1',
  '1e309', 'NaN', '__proto__', 'constructor', 'tsr_', 'tsr_000000000000000000000000000000000', 'W10', '9'.repeat(40), '\r\nX-Injected: 1', '*',
];
const HOSTILE_NUMBERS = [0, -1, -0, 1.5, 2 ** 31, 2 ** 53, -(2 ** 53), 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 1e-300];

type Schema = Record<string, any>;

export const resolveRef = (doc: Schema, s: Schema | undefined): Schema | undefined => {
  if (s?.$ref === undefined) return s;
  const name = String(s.$ref).split('/').pop()!;
  return doc.components?.schemas?.[name];
};

const randomString = (r: Rng, s: Schema): string => {
  if (s.format === 'date-time') return new Date(Date.now() + int(r, -1e9, 1e11)).toISOString();
  const lo = s.minLength ?? 0;
  const hi = Math.min(s.maxLength ?? 40, lo + 40);
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789-_.';
  let out = '';
  for (let i = int(r, lo, Math.max(lo, hi)); i > 0; i--) out += alphabet[int(r, 0, alphabet.length - 1)];
  return out;
};

/** A value that fits the schema (as far as this simple generator can tell), with depth bounded. */
export const valid = (doc: Schema, r: Rng, schema: Schema | undefined, depth = 0): unknown => {
  const s = resolveRef(doc, schema) ?? {};
  if (depth > 6) return null;
  if (s.const !== undefined) return s.const;
  if (Array.isArray(s.enum)) return pick(r, s.enum);
  const alts = s.anyOf ?? s.oneOf;
  if (Array.isArray(alts)) return valid(doc, r, pick(r, alts), depth + 1);
  const type = Array.isArray(s.type) ? pick(r, s.type) : s.type;
  switch (type) {
    case 'string': return randomString(r, s);
    case 'integer': return int(r, Math.max(s.minimum ?? 0, -1000), Math.min(s.maximum ?? 1000, 100_000));
    case 'number': return r() * 100;
    case 'boolean': return chance(r, 0.5);
    case 'null': return null;
    case 'array': return Array.from({ length: int(r, s.minItems ?? 0, Math.min(s.maxItems ?? 3, 3)) }, () => valid(doc, r, s.items, depth + 1));
    case 'object':
    default: {
      const out: Record<string, unknown> = {};
      const required = new Set<string>(s.required ?? []);
      for (const [k, sub] of Object.entries<Schema>(s.properties ?? {})) {
        if (required.has(k) || chance(r, 0.5)) out[k] = valid(doc, r, sub, depth + 1);
      }
      return out;
    }
  }
};

const hostile = (r: Rng): unknown => {
  switch (int(r, 0, 7)) {
    case 0: return pick(r, HOSTILE_STRINGS);
    case 1: return pick(r, HOSTILE_NUMBERS);
    case 2: return null;
    case 3: return [pick(r, HOSTILE_STRINGS), pick(r, HOSTILE_NUMBERS)];
    case 4: return { nested: { deeper: pick(r, HOSTILE_STRINGS) } };
    case 5: { let v: unknown = 'x'; for (let i = 0; i < 200; i++) v = [v]; return v; }
    case 6: return chance(r, 0.5);
    default: return Object.fromEntries([['__proto__', { admin: true }], ['constructor', { prototype: { x: 1 } }]]);
  }
};

/** The value with one to three places replaced by hostile ones, a field dropped or an unknown field added. */
export const mutate = (r: Rng, value: unknown): unknown => {
  if (value === null || typeof value !== 'object') return hostile(r);
  const copy: any = Array.isArray(value) ? [...value] : { ...(value as object) };
  for (let n = int(r, 1, 3); n > 0; n--) {
    const keys = Object.keys(copy);
    const op = int(r, 0, 3);
    if (op === 0 || keys.length === 0) copy[pick(r, ['extra', 'x', 'token', 'owner', 'id', 'admin', 'role'])] = hostile(r);
    else if (op === 1) delete copy[pick(r, keys)];
    else if (op === 2) { const k = pick(r, keys); copy[k] = mutate(r, copy[k]); }
    else copy[pick(r, keys)] = hostile(r);
  }
  return copy;
};

/** A path or query parameter value: usually a plausible one from `pool`, often a hostile one. */
export const paramValue = (r: Rng, pool: readonly string[]): string => {
  if (pool.length > 0 && chance(r, 0.5)) return pick(r, pool);
  const v = hostile(r);
  return typeof v === 'string' ? v : JSON.stringify(v) ?? 'x';
};

/** encodeURIComponent refuses lone surrogates: send them as U+FFFD. */
export const uriEncode = (v: string): string => encodeURIComponent(v.replace(/[\ud800-\udfff]/g, '\ufffd'));

/** A body as the wire sees it: JSON mostly; sometimes a form, text, broken JSON or nothing. */
export const encodeBody = (r: Rng, value: unknown): { payload?: string; contentType?: string } => {
  const k = r();
  if (k < 0.7) return { payload: JSON.stringify(value) ?? 'null', contentType: 'application/json' };
  if (k < 0.8) {
    const flat = value !== null && typeof value === 'object' ? Object.entries(value as object) : [['value', value]];
    return { payload: flat.map(([a, b]) => `${uriEncode(String(a))}=${uriEncode(typeof b === 'string' ? b : JSON.stringify(b) ?? '')}`).join('&'), contentType: 'application/x-www-form-urlencoded' };
  }
  if (k < 0.85) return { payload: 'just text', contentType: 'text/plain' };
  if (k < 0.9) return { payload: '{"a": [1, 2,', contentType: 'application/json' };
  if (k < 0.93) return { payload: '{"__proto__": {"admin": true}}', contentType: 'application/json' };
  if (k < 0.96) return { payload: '--x\r\nContent-Disposition: form-data; name="message"\r\n\r\nhi\r\n--x--\r\n', contentType: 'multipart/form-data; boundary=x' };
  return {};
};
