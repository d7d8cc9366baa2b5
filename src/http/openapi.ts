/**
 * The OpenAPI document's central rules (@fastify/swagger's `transform` and `transformObject`), so every route — also
 * one added later — gets, without writing them:
 * - `operationId`: derived from method + path (`GET /api/v1/tokens` → `listTokens`, `POST /api/v1/tokens/{id}/rotate`
 *   → `rotateToken`), compat routes prefixed with their product (`semaphoreListUserTokens`); a route's own
 *   `schema.operationId` wins. A route answering several methods gets one id per method (`forwardAuthGet`, …).
 * - `security`: from the route's `config.auth` (auth.ts): `required` and `endpoint` → every credential source the
 *   extractor reads (credentials.ts), `optional` → the same or none, `none`/unset → `[]`. A route's own `security`
 *   wins; unless the route says `auth: 'none'` (it reads its credential its own way), its `bearer` entry stands for
 *   every token source the extractor reads besides the session (one extractor serves every route), listed with them.
 * - `tags`: a route's own, else its area (the first path segment after `/api/v1/`); every tag used is declared at the
 *   top level (TAGS below; an area not listed there is declared with a generic description).
 * - `servers` at the top level: `public_url`, else this server's root.
 * - the error answers the shared steps give on any native route, where the route does not list them itself
 *   (`commonAnswers`): 400/413/415 for a body, 400 for path and query values, 400/401/403/429 for a route that
 *   authenticates (the caller's own credential), 503 everywhere; and the headers of every 401 (`WWW-Authenticate`)
 *   and 429 (`Retry-After`, `RateLimit-*`). The compat routes keep what they list: their products answer in shapes
 *   of their own.
 */
import type { SwaggerTransform, SwaggerTransformObject } from '@fastify/swagger';
import { ErrorSchema } from './schemas.js';
import { optionalBody } from './input.js';

type Security = { [scheme: string]: string[] }[];
type Json = Record<string, unknown>;

/** Every tag, declared once at the top level. */
export const TAGS: readonly { name: string; description: string }[] = [
  { name: 'auth', description: 'log in and out, who am I, JWT access tokens' },
  { name: 'tokens', description: 'token lifecycle' },
  { name: 'verify', description: 'checking tokens for other services: verify, forward-auth, introspection, the invalidation stream' },
  { name: 'users', description: 'accounts (admin)' },
  { name: 'permissions', description: 'the permission catalogue, roles and group grants' },
  { name: 'leaks', description: 'leaked tokens reported by secret scanners' },
  { name: 'audit', description: 'the audit log (admin)' },
  { name: 'webhooks', description: 'signed event deliveries to registered URLs, their log and redelivery (admin)' },
  { name: 'commands', description: 'configured commands: list, run' },
  { name: 'jobs', description: 'runs of commands and their outcomes' },
  { name: 'channels', description: 'where job outcomes are posted: messages and a live stream' },
  { name: 'chat', description: 'Meeseeks\'s chat commands for command-bound tokens: native and Slack slash command (seed 000)' },
  { name: 'health', description: 'liveness and readiness' },
  { name: 'compat: filebin', description: 'FileBin\'s /api/v2/user/* API-key endpoints (seed 001)' },
  { name: 'compat: semaphore', description: 'Semaphore UI\'s login, /api/user/tokens and tasks (seed 002)' },
  { name: 'compat: query', description: 'Query\'s /_/token service-token admin API (seed 003)' },
  { name: 'compat: meshplay', description: 'Meshplay\'s Get Token (seed 004)' },
  { name: 'compat: meeseeks', description: 'Meeseeks\'s POST /message with a command-bound token (seed 000)' },
];

/** The security scheme of an extra credential header (`x-api-key` → `xApiKeyHeader`). */
export const headerScheme = (header: string): string => `${camel(header.split(/[^A-Za-z0-9]+/))}Header`;

/** Every place a credential may be (credentials.ts), as OpenAPI security schemes. */
type Scheme = { type: 'http'; scheme: 'bearer' | 'basic'; description: string } | { type: 'apiKey'; in: 'header' | 'cookie'; name: string; description: string };

export const securitySchemes = (credentialHeaders: readonly string[]): Record<string, Scheme> => ({
  bearer: { type: 'http', scheme: 'bearer', description: 'a Tessera token or JWT: `Authorization: Bearer <token>`' },
  tokenHeader: { type: 'apiKey', in: 'header', name: 'TOKEN', description: 'a Tessera token in the `TOKEN` header (Meeseeks)' },
  ...Object.fromEntries(credentialHeaders.map((h): [string, Scheme] => [headerScheme(h),
    { type: 'apiKey', in: 'header', name: h, description: `a Tessera token in the \`${h}\` header (config \`credential_headers\`)` }])),
  tokenCookie: { type: 'apiKey', in: 'cookie', name: 'token', description: 'a Tessera token in the `token` cookie (Meshplay); writes must come from this origin' },
  session: { type: 'apiKey', in: 'cookie', name: 'tessera_session', description: 'the session cookie set by a login; writes must come from this origin' },
  basic: { type: 'http', scheme: 'basic', description: 'a Tessera token as the password (introspection, forward-auth profiles that read it)' },
});

/** The token sources the extractor reads wherever it reads `Authorization: Bearer` (not the session cookie). */
const tokenSources = (credentialHeaders: readonly string[]): string[] => ['bearer', 'tokenHeader', ...credentialHeaders.map(headerScheme), 'tokenCookie'];

const requirement = (schemes: readonly string[]): Security => schemes.map((s) => ({ [s]: [] }));

/** `security` for a route: its own (its `bearer` widened to every token source), else from `config.auth`. */
export const routeSecurity = (own: Security | undefined, auth: string | undefined, credentialHeaders: readonly string[]): Security => {
  const tokens = tokenSources(credentialHeaders);
  if (own !== undefined) {
    if (auth === 'none') return own; // the route reads its credential its own way: as it says
    const out: Security = [];
    const seen = new Set<string>();
    for (const req of own) {
      const names = Object.keys(req);
      const expanded = names.length === 1 && names[0] === 'bearer' ? requirement(tokens) : [req];
      for (const r of expanded) {
        const key = JSON.stringify(r);
        if (!seen.has(key)) { seen.add(key); out.push(r); }
      }
    }
    return out;
  }
  if (auth === 'required' || auth === 'endpoint') return requirement([...tokens, 'session']);
  if (auth === 'optional') return [...requirement([...tokens, 'session']), {}];
  return [];
};

const WORD = /[^A-Za-z0-9]+/;
const cap = (w: string): string => (w === '' ? '' : w[0]!.toUpperCase() + w.slice(1).toLowerCase());
const camel = (words: readonly string[]): string => {
  const ws = words.filter((w) => w !== '');
  return ws.length === 0 ? '' : ws[0]!.toLowerCase() + ws.slice(1).map(cap).join('');
};
const singular = (w: string): string => (/(ss|us)$/i.test(w) ? w : w.replace(/ies$/i, 'y').replace(/(s|x|ch|sh)es$/i, '$1').replace(/s$/i, ''));
const isPlural = (w: string): boolean => /[^s]s$/i.test(w) && !/(us|ss)$/i.test(w);
const isParam = (seg: string): boolean => seg.startsWith('{') || seg.startsWith(':');

/** Verbs a path may end with (`POST /tokens/{id}/rotate` → `rotateToken`). */
const ACTIONS = new Set(['rotate', 'revoke', 'run', 'login', 'logout', 'verify', 'export', 'introspect', 'stream']);

/** Ids whose derived form reads badly: `METHOD path` → id (`* path`: a route answering several methods, the id's stem). */
const NAMED: Record<string, string> = {
  'POST /api/v1/verify': 'verifyToken',
  'GET /api/v1/verify/events': 'streamVerifyEvents',
  'POST /api/v1/tokens/revoke-by-value': 'revokeTokenByValue',
  'POST /api/v1/tokens/revoke': 'revokeTokens',
  'GET /api/v1/auth/me': 'getMe',
  'POST /api/v1/auth/jwt': 'createJwt',
  'POST /api/v1/auth/jwt/keys/rotate': 'rotateJwtKey',
  'GET /.well-known/jwks.json': 'getJwks',
  'GET /api/v1/audit': 'listAuditEvents',
  'GET /api/v1/audit/verify': 'verifyAuditChain',
  'GET /api/v1/audit/export': 'exportAudit',
  'POST /api/v1/introspect': 'introspectToken',
  'POST /api/v1/leaks/github': 'reportGithubLeaks',
  'POST /api/v1/chat': 'chat',
  'POST /api/v1/chat/slack': 'chatSlack',
  'PUT /api/v1/groups/{name}/grants': 'setGroupGrants',
  '* /api/v1/auth/forward': 'forwardAuth',
  '* /api/v1/auth/forward/{profile}': 'forwardAuthProfile',
  'POST /api/v1/auth/login': 'login',
  'POST /api/v1/auth/logout': 'logout',
  'GET /healthz': 'getHealth',
  'GET /readyz': 'getReadiness',
};

/** A compat route's product (`compat: semaphore` → `semaphore`), its ids' prefix. */
const productOf = (tags: unknown): string | null => {
  const t = Array.isArray(tags) ? tags.find((x): x is string => typeof x === 'string' && x.startsWith('compat:')) : undefined;
  return t === undefined ? null : t.slice('compat:'.length).trim();
};

/**
 * The id of `method path` (OpenAPI path syntax): the verb from the method, the nouns from the path's fixed segments
 * (the one before a parameter singular); a last segment that is a verb (ACTIONS) leads. `several`: the route answers
 * several methods, so the method becomes a suffix.
 */
export const deriveOperationId = (method: string, path: string, tags?: unknown, several = false): string => {
  const m = method.toUpperCase();
  const product = productOf(tags);
  const named = product === null ? NAMED[`${several ? '*' : m} ${path}`] : undefined;
  if (named !== undefined) return several ? named + cap(m) : named;
  const segs = path.replace(/^\/api(\/v\d+)?(?=\/|$)/, '').split('/').filter((s) => s !== '');
  const words: string[] = [];
  for (let i = 0; i < segs.length; i++) {
    if (isParam(segs[i]!)) continue;
    const ws = segs[i]!.split(WORD);
    if (i + 1 < segs.length && isParam(segs[i + 1]!)) ws[ws.length - 1] = singular(ws[ws.length - 1]!);
    words.push(...ws);
  }
  const endsWithParam = segs.length > 0 && isParam(segs[segs.length - 1]!);
  let verb: string;
  let nouns = words.filter((w) => w !== '');
  const last = nouns[nouns.length - 1] ?? '';
  if (several) {
    return camel([...(product ? [product] : []), ...nouns, m.toLowerCase()]);
  } else if (!endsWithParam && ACTIONS.has(last.toLowerCase()) && nouns.length > 1) {
    verb = last.toLowerCase();
    nouns = nouns.slice(0, -1);
  } else if (m === 'GET') {
    verb = !endsWithParam && isPlural(last) ? 'list' : 'get';
  } else if (m === 'POST') {
    verb = !endsWithParam && isPlural(last) ? 'create' : 'post';
    if (verb === 'create') nouns = [...nouns.slice(0, -1), singular(last)];
  } else {
    verb = { PUT: 'set', PATCH: 'update', DELETE: 'delete', HEAD: 'head', OPTIONS: 'options' }[m] ?? m.toLowerCase();
  }
  return camel([...(product ? [product] : []), verb, ...nouns]);
};

/** Marks, from `transform` to `transformObject`, an operation whose body may be left out (@fastify/swagger copies `x-` keys). */
const BODY_OPTIONAL = 'x-tessera-body-optional';

const OPERATION_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

export interface OpenApiRules { transform: SwaggerTransform; transformObject: SwaggerTransformObject }

/** The two hooks for @fastify/swagger (app.ts). `publicUrl`: config `public_url`. */
export const openApiRules = (o: { credentialHeaders: readonly string[]; publicUrl?: string | undefined }): OpenApiRules => ({
  transform: ({ schema, url, route }) => {
    const s = { ...(schema as Json | undefined) };
    const config = route.config as { auth?: string } | undefined;
    s.security = routeSecurity(s.security as Security | undefined, config?.auth, o.credentialHeaders);
    if (s.tags === undefined) s.tags = [areaOf(url)];
    // A body the route reads as `{}` when left out is not required (the document's key is taken off again below).
    const pre = route.preValidation as unknown;
    if (s.body !== undefined && (pre === optionalBody || (Array.isArray(pre) && pre.includes(optionalBody)))) s[BODY_OPTIONAL] = true;
    return { schema: s, url };
  },
  transformObject: (d) => {
    const doc = { ...('openapiObject' in d ? d.openapiObject : d.swaggerObject) } as Json & { paths?: Record<string, Record<string, unknown>> };
    const paths: Record<string, Record<string, unknown>> = {};
    const used = new Set<string>();
    const ids = new Set<string>();
    for (const [path, item] of Object.entries(doc.paths ?? {})) {
      const methods = OPERATION_METHODS.filter((m) => item[m] !== undefined);
      const out: Record<string, unknown> = { ...item };
      for (const m of methods) {
        // One route answering several methods shares one operation object: each method gets its own copy and id.
        const op = { ...(item[m] as Json) };
        const several = methods.some((other) => other !== m && item[other] === item[m]);
        const own = typeof op.operationId === 'string' ? op.operationId : null;
        const base = own === null ? deriveOperationId(m, path, op.tags, several) : several ? `${own}${cap(m)}` : own;
        let id = base;
        // A derived id that is taken gets a number; an id a route chose itself stays (lint refuses a duplicate).
        if (own === null) for (let n = 2; ids.has(id); n++) id = `${base}${n}`;
        ids.add(id);
        op.operationId = id;
        for (const t of (op.tags as string[] | undefined) ?? []) used.add(t);
        if (op[BODY_OPTIONAL] === true) {
          delete op[BODY_OPTIONAL];
          op.requestBody = { ...(op.requestBody as Json), required: false };
        }
        if (productOf(op.tags) === null) op.responses = commonAnswers(op);
        op.responses = referToError((op.responses ?? {}) as Record<string, Json>);
        out[m] = op;
      }
      paths[path] = out;
    }
    doc.paths = paths;
    const components = (doc.components ?? {}) as Json;
    doc.components = { ...components, schemas: { ...(components.schemas as Json | undefined), Error: errorJson() } };
    const declared = new Set(TAGS.map((t) => t.name));
    doc.tags = [...TAGS.filter((t) => used.has(t.name)),
      ...[...used].filter((t) => !declared.has(t)).sort().map((name) => ({ name, description: `the ${name} routes` }))];
    doc.servers = [o.publicUrl
      ? { url: o.publicUrl.replace(/\/+$/, ''), description: 'this server (public_url)' }
      : { url: '/', description: 'this server' }];
    return doc as ReturnType<SwaggerTransformObject>;
  },
});

/** The error envelope as the document shows it (the TypeBox schema's JSON, without its `$id`): components.schemas.Error. */
const errorJson = (): Json => {
  const { $id: _id, ...schema } = JSON.parse(JSON.stringify(ErrorSchema)) as Json;
  return schema;
};
const ERROR_TEXT = JSON.stringify(errorJson());
const ERROR_REF = Object.freeze({ $ref: '#/components/schemas/Error' });
const HEADER = (description: string, type: 'string' | 'integer' = 'string'): Json => ({ description, schema: { type } });
/** The headers of an answer of this status (errors.ts `limitHeaders`, `errorReply`). */
const ANSWER_HEADERS: Record<string, Json> = {
  401: { 'WWW-Authenticate': HEADER('`Bearer realm="tessera"` (RFC 6750); introspection and Basic-reading profiles challenge with `Basic`') },
  429: {
    'Retry-After': HEADER('seconds until a try can succeed (absent when a used-up token has no refill)', 'integer'),
    'RateLimit-Limit': HEADER('the limit of the token\'s rate window or its uses (a limited token)', 'integer'),
    'RateLimit-Remaining': HEADER('what is left of it', 'integer'),
    'RateLimit-Reset': HEADER('seconds until the window ends or the uses refill', 'integer'),
  },
};
/** Which codes (docs/errors.md) an added answer stands for. */
const COMMON: Record<string, string> = {
  400: 'VALIDATION_ERROR (the body, path or query), INVALID_JSON, AMBIGUOUS_CREDENTIALS (two different credentials)',
  401: 'the caller\'s credential: UNAUTHENTICATED, TOKEN_MALFORMED, TOKEN_NOT_FOUND, TOKEN_EXPIRED, TOKEN_REVOKED, TOKEN_ROTATED, TOKEN_DISABLED, SESSION_INVALID',
  403: 'the caller\'s credential: INSUFFICIENT_ACCESS, IP_NOT_ALLOWED, TOKEN_BOUND, CSRF_REJECTED',
  413: 'PAYLOAD_TOO_LARGE: the body is larger than `body_limit_bytes`',
  415: 'UNSUPPORTED_MEDIA_TYPE: a body of a content type the route does not take',
  429: 'the caller\'s token: RATE_LIMITED (its rate limit), USAGE_EXCEEDED (no uses left)',
  503: 'STORE_UNAVAILABLE (the database cannot be reached or written), SHUTTING_DOWN (the server is closing)',
};

/**
 * An operation's answers with those the shared steps may give added (see the file's comment): the body's parsing and
 * schema (400, 413, 415), the path and query schemas (400), the caller's authentication (400, 401, 403, 429), the
 * store (503). A status the route lists keeps its own description and body; 401 and 429 get their headers.
 */
export const commonAnswers = (op: Json): Json => {
  const responses = { ...(op.responses as Record<string, Json> | undefined) };
  const params = (op.parameters as { in?: string }[] | undefined) ?? [];
  const authenticates = ((op.security as Security | undefined) ?? []).some((r) => Object.keys(r).length > 0);
  const add = new Set<string>(['503']);
  if (op.requestBody !== undefined) for (const st of ['400', '413', '415']) add.add(st);
  if (params.some((p) => p.in === 'path' || p.in === 'query')) add.add('400');
  if (authenticates) for (const st of ['400', '401', '403', '429']) add.add(st);
  for (const st of add) {
    if (responses[st] === undefined) responses[st] = { description: COMMON[st]!, content: { 'application/json': { schema: ERROR_REF } } };
  }
  for (const [st, headers] of Object.entries(ANSWER_HEADERS)) {
    if (responses[st] !== undefined) responses[st] = { ...responses[st], headers: { ...(responses[st].headers as Json | undefined), ...headers } };
  }
  return Object.fromEntries(Object.entries(responses).sort(([a], [b]) => a.localeCompare(b)));
};

/** An operation's answers with every error envelope (the route's own included) as one reference (components.schemas.Error). */
const referToError = (responses: Record<string, Json>): Record<string, Json> => {
  const out: Record<string, Json> = {};
  for (const [st, r] of Object.entries(responses)) {
    const content = r.content as Record<string, { schema?: unknown }> | undefined;
    const json = content?.['application/json'];
    out[st] = json !== undefined && JSON.stringify(json.schema) === ERROR_TEXT
      ? { ...r, content: { ...content, 'application/json': { ...json, schema: ERROR_REF } } } : r;
  }
  return out;
};

/** A route's area: the first fixed segment after `/api/v1/` (else after `/`), e.g. `tokens`. */
const areaOf = (url: string): string => {
  const segs = url.replace(/^\/api(\/v\d+)?(?=\/|$)/, '').split('/').filter((s) => s !== '' && !isParam(s));
  return (segs[0] ?? 'root').replace(/^\./, '').split(WORD)[0]!.toLowerCase() || 'root';
};
