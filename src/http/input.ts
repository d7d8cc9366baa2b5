/**
 * Input hygiene that holds for every route, whatever its schema: no string in the body, query or path may contain a
 * NUL byte (U+0000). PostgreSQL refuses NUL in text, so without this rule a NUL in a username, a token name, a filter
 * or an id would reach SQL and fail there (a 500); with it, every store answers 400 VALIDATION_ERROR naming the field.
 * Headers need no check: Node's HTTP parser refuses NUL in them.
 */
import type { FastifyRequest } from 'fastify';
import { TesseraError } from '../core/errors.js';

const MAX_DEPTH = 64;

/**
 * A field's path as every error names it: names joined by dots, array items by their index in brackets
 * (`tokens[1].expires_in`, `body.tags[2]`) — what a service's own checks write (`tokens[3].owner`) too.
 */
/**
 * The preValidation hook of a route whose body may be left out (`POST …/rotate` alone): fastify validates an absent
 * body against the object schema, so "no body" is read as `{}`. The OpenAPI document marks such a body not required
 * (openapi.ts looks for this hook).
 */
export const optionalBody = async (req: FastifyRequest): Promise<void> => { if (req.body === undefined) req.body = {}; };

export const fieldPath = (segments: readonly string[]): string => {
  let out = '';
  for (const s of segments) out += /^\d+$/.test(s) ? `[${s}]` : out === '' ? s : `.${s}`;
  return out;
};

/** The path (`body.name`, `query.owner`, `params.id`, `body.tags[2]`) of the first string holding NUL, or null. */
export const findNul = (value: unknown, path: string, depth = 0): string | null => {
  const at = nulAt(value, depth);
  return at === null ? null : fieldPath([path, ...at]);
};

/** The path below `value` to a NUL, or null. Paths are built only when one is found: the common case allocates nothing. */
const nulAt = (value: unknown, depth: number): string[] | null => {
  if (typeof value === 'string') return value.includes('\u0000') ? [] : null;
  if (value === null || typeof value !== 'object' || depth > MAX_DEPTH) return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const p = nulAt(value[i], depth + 1);
      if (p !== null) { p.unshift(String(i)); return p; }
    }
    return null;
  }
  for (const k in value) {
    if (!Object.hasOwn(value, k)) continue;
    if (k.includes('\u0000')) return [k.replaceAll('\u0000', '\\0')];
    const p = nulAt((value as Record<string, unknown>)[k], depth + 1);
    if (p !== null) { p.unshift(k); return p; }
  }
  return null;
};

export const nulMessage = (path: string): string => `${path} must not contain a NUL byte (U+0000)`;

/** The refusal of a NUL at `path` (`body.name`): VALIDATION_ERROR with `field` as validation errors name it (`name`). */
export const nulError = (path: string): TesseraError =>
  new TesseraError('VALIDATION_ERROR', nulMessage(path), { field: path.slice(path.indexOf('.') + 1) });

/** preValidation hook (auth.ts puts it right after authentication): refuses a NUL anywhere in body, query or params. */
export const refuseNul = (req: FastifyRequest, _reply: unknown, done: (err?: Error) => void): void => {
  const at = findNul(req.body, 'body') ?? findNul(req.query, 'query') ?? findNul(req.params, 'params');
  done(at === null ? undefined : nulError(at));
};

/**
 * A compiled body validator with the same rule in front, for code that validates without fastify (the hot lane):
 * its errors read as the hook's message through the shared error mapper.
 */
export const withNulRule = <V extends ((data: unknown) => boolean) & { errors?: unknown[] | null }>(validate: V): V => {
  const wrapped = ((data: unknown): boolean => {
    const at = findNul(data, 'body');
    if (at !== null) {
      wrapped.errors = [{ instancePath: `/${at.slice('body.'.length).replaceAll('.', '/')}`, keyword: 'nul', params: {}, message: 'must not contain a NUL byte (U+0000)' }];
      return false;
    }
    const ok = validate(data);
    wrapped.errors = validate.errors;
    return ok;
  }) as V;
  return wrapped;
};
