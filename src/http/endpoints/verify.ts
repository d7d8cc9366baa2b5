/**
 * POST /api/v1/verify, framework-free: the fastify route (routes/v1/verify.ts) and the hot lane (hot-lane.ts) both
 * call `VerifyEndpoint.answer`. In fastify's order: the body is parsed (by the caller: fastify's parsers, or the lane
 * with the app's JSON parser), the caller authenticated (auth.ts, unless `verify_policy` is `public`), NUL and the
 * body schema checked (the one compiled validator, input.ts's NUL rule in front), then the token verified.
 */
import { type Static, Type as T } from 'typebox';
import { parseQuery, type PermissionQuery } from '../../core/authz/query.js';
import type { Access } from '../../core/access.js';
import { type Principal, requireAdmin } from '../../core/principal.js';
import type { JwtVerifyResult } from '../../core/auth/service.js';
import { TesseraError } from '../../core/errors.js';
import type { Services } from '../../core/services.js';
import type { MaybePromise } from '../../core/maybe.js';
import type { LimitInfo } from '../../core/types.js';
import { BoundedMap } from '../../core/tokens/bounded-map.js';
import { VERIFY_CODES, type VerifyOptions, type VerifyResult } from '../../core/tokens/verifier.js';
import { type AuthRule, authenticateCaller } from '../auth.js';
import { JSON_CONTENT_TYPE } from '../errors.js';
import { findNul, nulError } from '../input.js';
import { AccessSchema, KindSchema, OwnerSchema } from '../schemas.js';
import { type CodeCounter, type Metrics, NO_METRICS } from '../../core/metrics.js';
import { type EndpointAnswer, type EndpointRequest, errorAnswer, type ErrorLog } from './request.js';

export type VerifyPolicy = 'any' | 'admin' | 'public';

/** The longest token value the body may hold (characters). */
const TOKEN_MAX = 8192;

/**
 * How many distinct body rests (the text after the token: the permission query, the access level) the endpoint keeps
 * the meaning of. A service sends one or a few; each is at most the lane's 4 KiB of text.
 */
const KNOWN_RESTS = 256;

/** What a body's rest means for the verification: its options other than the token and the time. */
interface RestOptions { need: Access | undefined; query: PermissionQuery | undefined }

/**
 * A copy of `s` that shares no memory with the text it was sliced from: V8 keeps a slice as a view of its parent,
 * and the parent of a body's rest is the whole body, token value included — which must not outlive the request.
 */
const ownCopy = (s: string): string => Buffer.from(s, 'utf8').toString('utf8');

/** The body of POST /api/v1/verify. */
export const VerifyBody = T.Object({
  token: T.String({ maxLength: TOKEN_MAX, description: 'a token value of any format (values without the Tessera prefix are looked up by hash), or one of Tessera\'s JWTs' }),
  access: T.Optional(AccessSchema),
  permissions: T.Optional(T.Unknown({
    description: 'a permission query: a name (`deploy:write`), a list (all of them), or `{"and": [...]}` / `{"or": [...]}` nested up to 5 levels (a top-level list is the first; names add none), at most 50 names',
  })),
  ip: T.Optional(T.String({ maxLength: 64, description: 'the client address the token is presented from, checked against its allowed_cidrs' })),
}, { additionalProperties: false });

export const VerifyAnswer = T.Object({
  valid: T.Boolean(),
  code: T.Enum([...VERIFY_CODES]),
  token: T.Union([T.Object({
    id: T.String(), name: T.Union([T.String(), T.Null()]), kind: KindSchema, owner: OwnerSchema, access: AccessSchema,
    expires_at: T.Union([T.String({ format: 'date-time' }), T.Null()]),
  }), T.Null()]),
  usage: T.Optional(T.Object({
    remaining: T.Integer({ description: 'uses left after this verification' }),
    reset_at: T.Union([T.String({ format: 'date-time' }), T.Null()], { description: 'when the refill sets remaining back (null: no refill)' }),
  }, { description: 'only for tokens with a usage limit (a valid answer took one use); code USAGE_EXCEEDED when none is left' })),
  rate_limit: T.Optional(T.Object({
    limit: T.Integer(), remaining: T.Integer({ description: 'requests left in this window' }),
    reset_at: T.String({ format: 'date-time', description: 'when the window ends' }),
  }, { description: 'only for tokens with a rate limit; code RATE_LIMITED when the window is used up' })),
  permissions: T.Optional(T.Array(T.String(), { description: 'what the token grants now (its access level\'s role, its roles, its permissions; limited to its owner\'s)' })),
  roles: T.Optional(T.Array(T.String(), { description: 'the token\'s roles, its access level first' })),
  metadata: T.Optional(T.Union([T.Record(T.String(), T.Unknown()), T.Null()])),
  missing: T.Optional(T.Array(T.String(), { description: 'code INSUFFICIENT_PERMISSIONS: the permissions that would have made the query pass' })),
  jwt: T.Optional(T.Object({
    jti: T.String(), expires_at: T.String({ format: 'date-time' }),
    parent: T.Union([T.Literal('token'), T.Literal('session'), T.Literal('user')], { description: 'what the JWT was exchanged from; for `token`, `token` above is that parent token' }),
    user: T.Union([T.Object({ id: T.Integer(), username: T.String() }), T.Null()]),
    access: AccessSchema,
  }, { description: 'only when the value was one of Tessera\'s JWTs (and valid)' })),
});

const json = (out: string): EndpointAnswer => ({ status: 200, headers: { 'content-type': JSON_CONTENT_TYPE, 'content-length': Buffer.byteLength(out) }, body: out });

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/**
 * The serialized VALID answer of a verification without limits depends only on the token, its owner and its grants,
 * and the verifier hands out one result object per cache entry for it (`kept`; a change to the token, its owner or
 * the grants replaces the entry, and with it the result). So the body is built once per entry and kept beside that
 * result, for as long as it lives. Saves the answer object, two dates and JSON.stringify per hit.
 */
interface ValidBody { body: string; length: number }
const validBodies = new WeakMap<VerifyResult, ValidBody>();

const validBody = (r: VerifyResult & { valid: true }): ValidBody => {
  const m = validBodies.get(r);
  if (m !== undefined) return m;
  const body = JSON.stringify(verifyAnswer(r));
  const made: ValidBody = { body, length: Buffer.byteLength(body) };
  validBodies.set(r, made);
  return made;
};

/** A limited token's `usage` and `rate_limit` in an answer (a token's own, or a JWT's parent's); none without limits. */
const limitsAnswer = (r: LimitInfo): Pick<Static<typeof VerifyAnswer>, 'usage' | 'rate_limit'> => ({
  ...(r.usage ? { usage: { remaining: r.usage.remaining, reset_at: iso(r.usage.resetAt) } } : {}),
  ...(r.rate ? { rate_limit: { limit: r.rate.limit, remaining: r.rate.remaining, reset_at: iso(r.rate.resetAt)! } } : {}),
});

/** The answer object for a verification's result, in the order of its schema. */
const verifyAnswer = (r: VerifyResult): Static<typeof VerifyAnswer> => {
  const t = r.token;
  return {
    valid: r.valid, code: r.code,
    token: t === null ? null : {
      id: t.id, name: t.name, kind: t.kind, owner: t.ownerId === null ? null : { id: t.ownerId, username: r.owner?.username ?? null },
      access: t.access, expires_at: iso(t.expiresAt),
    },
    ...limitsAnswer(r),
    ...(r.valid ? { permissions: r.grants.permissions, roles: r.grants.roles, metadata: r.token.metadata } : {}),
    ...(r.missing ? { missing: r.missing } : {}),
  };
};

/**
 * The answer for one of Tessera's JWTs: the same shape, `token` being its parent token (if it came from one) with the
 * JWT's own access level (a `read` JWT of a `write` token answers `read`: what its bearer may do).
 */
const jwtAnswer = (r: JwtVerifyResult): Static<typeof VerifyAnswer> => {
  const p = r.principal;
  const t = p?.type === 'token' ? p.token : null;
  const token = t === null ? null : {
    id: t.id, name: t.name, kind: t.kind, owner: t.ownerId === null ? null : { id: t.ownerId, username: p!.user?.username ?? null },
    access: p!.access, expires_at: iso(t.expiresAt),
  };
  // The parent's limits, as for a token: a client (the SDK's LocalVerifier) caches no answer that carries them.
  const limits = limitsAnswer(r);
  if (!r.valid) return { valid: false, code: r.code, token, ...limits, ...(r.missing ? { missing: r.missing } : {}) };
  const q = r.principal;
  return {
    valid: true, code: 'VALID', token, ...limits,
    permissions: r.grants?.permissions ?? [], roles: r.grants?.roles ?? [q.access], metadata: t?.metadata ?? null,
    jwt: { jti: q.jwt.jti, expires_at: iso(q.jwt.exp)!, parent: q.type, user: q.user ? { id: q.user.id, username: q.user.username } : null, access: q.access },
  };
};

export interface VerifyParts {
  services: Services;
  policy: VerifyPolicy;
  /** Lower-case header names that may carry a credential (besides Authorization and TOKEN). */
  credentialHeaders: readonly string[];
  provider: 'local' | 'none';
  /** The compiled validator of VerifyBody with the NUL rule (`withNulRule`). */
  validateBody: ((data: unknown) => boolean) & { errors?: unknown[] | null };
  log: ErrorLog;
  metrics?: Metrics;
}

type Validator = VerifyParts['validateBody'];

/** The validator's failure as fastify reports a body validation error, so errors.ts maps both alike. */
const bodyError = (v: Validator): Error => Object.assign(new Error('body validation'), { validation: v.errors, validationContext: 'body' });

export class VerifyEndpoint {
  /** null: `verify_policy: public`, no caller is authenticated. */
  readonly rule: AuthRule | null;
  readonly policy: VerifyPolicy;
  private readonly metrics: Metrics;
  /** Verifications by code: token values and JWTs, through fastify and the hot lane (children made once). */
  private readonly codes: CodeCounter;
  private readonly hotCodes: CodeCounter;
  private readonly jwtCodes: CodeCounter;
  private readonly hotJwtCodes: CodeCounter;
  /** The meaning of body rests seen in valid bodies, by their text (`learn`, `answerKnownRest`). */
  private readonly rests = new BoundedMap<RestOptions>(KNOWN_RESTS);

  constructor(private readonly p: VerifyParts) {
    this.policy = p.policy;
    const m = this.metrics = p.metrics ?? NO_METRICS;
    this.codes = m.verifications('verify', 'fastify'); this.hotCodes = m.verifications('verify', 'hot');
    this.jwtCodes = m.verifications('jwt', 'fastify'); this.hotJwtCodes = m.verifications('jwt', 'hot');
    this.rule = p.policy === 'public' ? null
      : { services: p.services, extraHeaders: p.credentialHeaders, provider: p.provider, mode: 'required', keepApikey: false };
  }

  /**
   * The answer to a request whose body is parsed (`q.body`). Never throws or rejects: errors become their answer. A
   * verification the verifier answers from its cache is answered now, without a promise (core/maybe.ts). `rest`: for a
   * body `{"token":"<value>",<rest>` (json-body.ts `tokenValueEnd`), the text after the value's comma, as the hot lane
   * read it, so that a valid body's rest is kept for `answerKnownRest`.
   */
  answer(q: EndpointRequest, rest?: string): MaybePromise<EndpointAnswer> {
    return this.run(q, undefined, undefined, rest);
  }

  /**
   * The answer to a body `{"token":"<token>",<rest>` (a value read as `answerToken`'s) whose rest was part of a valid
   * body before: that body's options, kept by the rest's text, without parsing or validating it again (a service
   * sends the same permission query with every token). Undefined when the rest is not known (or the value is longer
   * than the schema allows): then the body is parsed and `answer` called, with `rest`.
   */
  answerKnownRest(q: EndpointRequest, token: string, rest: string): MaybePromise<EndpointAnswer> | undefined {
    const known = this.rests.get(rest);
    if (known === undefined || token.length > TOKEN_MAX) return undefined;
    return this.run(q, token, known);
  }

  /**
   * The answer to a request whose body is `{"token":"<token>"}` exactly, as json-body.ts's `tokenOnlyValue` read it
   * (the hot lane's usual body; `q.body` is not set). Such a body matches VerifyBody by its shape — one key, a string
   * without a control character, so without NUL — so it is not validated again, unless the value is longer than the
   * schema allows (the lane takes no body over 4 KiB, so only another caller could send one).
   */
  answerToken(q: EndpointRequest, token: string): MaybePromise<EndpointAnswer> {
    if (token.length > TOKEN_MAX) {
      q.body = { token };
      return this.run(q, undefined, undefined);
    }
    return this.run(q, token, undefined);
  }

  /**
   * `token`: a value known to make a valid body, with `known` (a known rest's options) or alone; undefined: `q.body` is
   * to be validated (`rest`: as `answer`'s).
   */
  private run(q: EndpointRequest, token: string | undefined, known: RestOptions | undefined, rest?: string): MaybePromise<EndpointAnswer> {
    // `settle` and `then` written out: an answer from the cache makes no closure (this runs on every verification).
    try {
      // One clock read for both verifications of the request (the caller's and the token's).
      const now = this.p.services.clock.now();
      const principal = this.rule === null ? null : authenticateCaller(this.rule, q, now);
      const a = principal instanceof Promise ? principal.then((p) => this.verified(q, p, now, token, known, rest))
        : this.verified(q, principal, now, token, known, rest);
      return a instanceof Promise ? a.catch((e: unknown) => this.failed(q, e)) : a;
    } catch (e) {
      return this.failed(q, e);
    }
  }

  private failed(q: EndpointRequest, e: unknown): EndpointAnswer {
    return errorAnswer(q, e, this.p.log, null, this.metrics);
  }

  /** The rest of the answer, once the caller is known (null: `verify_policy: public`). */
  private verified(q: EndpointRequest, principal: Principal | null, now: number, token: string | undefined,
    known: RestOptions | undefined, rest: string | undefined): MaybePromise<EndpointAnswer> {
    let body: Static<typeof VerifyBody> | undefined;
    if (token === undefined) {
      // The NUL rule in input.ts's order (body, then query), before the schema.
      const v = this.p.validateBody;
      const ok = v(q.body);
      if (!ok && (v.errors?.[0] as { keyword?: string } | undefined)?.keyword === 'nul') throw bodyError(v);
      const at = q.query === null ? null : findNul(q.query, 'query');
      if (at !== null) throw nulError(at);
      if (!ok) throw bodyError(v);
      body = q.body as Static<typeof VerifyBody>;
      token = body.token;
    }
    if (this.policy === 'admin') requireAdmin(principal);
    let o: VerifyOptions;
    if (body !== undefined) {
      o = { need: body.access, query: body.permissions === undefined ? undefined : parseQuery(body.permissions), ip: body.ip ?? null, now };
      if (rest !== undefined) this.learn(rest, body, o);
    } else {
      o = known === undefined ? { need: undefined, query: undefined, ip: null, now } : { need: known.need, query: known.query, ip: null, now };
    }
    if (this.p.services.jwt.isOwn(token)) {
      return this.p.services.auth.verifyJwt(token, o).then((r) => {
        (q.hot ? this.hotJwtCodes : this.jwtCodes).count(r.code);
        return json(JSON.stringify(jwtAnswer(r)));
      });
    }
    const r = this.p.services.verifier.verify(token, o);
    return r instanceof Promise ? r.then((x) => this.tokenAnswer(q, x)) : this.tokenAnswer(q, r);
  }

  /**
   * Keeps what a valid body's rest means, by its text, for `answerKnownRest`: only when the rest holds nothing but
   * `access` and `permissions` — no second `token` (JSON.parse keeps the last of two, so the rest would decide the
   * token), and no `ip` (a client address differs from one request to the next). The options' query is kept as
   * parsed; nothing changes it (authz/query.ts evaluates without writing).
   */
  private learn(rest: string, body: Static<typeof VerifyBody>, o: VerifyOptions): void {
    if (body.ip !== undefined) return; // never kept (below): not worth reading the rest again
    let members: unknown;
    try {
      members = JSON.parse(`{${rest}`);
    } catch {
      return;
    }
    for (const k in members as object) if (k !== 'access' && k !== 'permissions') return;
    this.rests.set(ownCopy(rest), { need: o.need, query: o.query });
  }

  private tokenAnswer(q: EndpointRequest, r: VerifyResult): EndpointAnswer {
    (q.hot ? this.hotCodes : this.codes).count(r.code);
    // Kept only for the cache's own tokens: one read for this request alone (a first sighting) is never seen again.
    if (r.valid && r.kept && r.usage === undefined && r.rate === undefined) {
      const b = validBody(r);
      return { status: 200, headers: { 'content-type': JSON_CONTENT_TYPE, 'content-length': b.length }, body: b.body };
    }
    return json(JSON.stringify(verifyAnswer(r)));
  }
}
