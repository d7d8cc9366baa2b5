/**
 * The native API's error catalogue and envelope. Every core code has one HTTP status and one description here
 * (`docs/errors.md` lists the same table); every native error answers `{"error": {"code", "message", "request_id"}}`,
 * plus `field` when it is about one input field. Framework errors (validation, bad JSON, content type, size) are
 * mapped here so a client's mistake is never a 500. The compat faces start from the same mapping (`errorFor`).
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { type ErrorCode, type ErrorDetails, TesseraError } from '../core/errors.js';
import { storeErrorKind } from '../core/metrics.js';
import { fieldPath } from './input.js';
import { type Complaint, firstComplaint } from '../core/complaints.js';

export const CATALOGUE = {
  VALIDATION_ERROR: { status: 400, description: 'A field of the body, query or path is missing, has the wrong type or is out of range; the message names the field.' },
  INVALID_CURSOR: { status: 400, description: 'The `cursor` query parameter is not one this server issued: pass the `next_cursor` of the previous page unchanged.' },
  INVALID_JSON: { status: 400, description: 'The request body is not valid JSON.' },
  AMBIGUOUS_CREDENTIALS: { status: 400, description: 'The request carries two different credentials (for example a Bearer token and an X-API-Key header).' },
  UNAUTHENTICATED: { status: 401, description: 'The route needs a credential and the request carries none.' },
  INVALID_LOGIN: { status: 401, description: 'Username or password is wrong, or the user is disabled.' },
  SESSION_INVALID: { status: 401, description: 'The session cookie is unknown, expired or was logged out.' },
  TOKEN_MALFORMED: { status: 401, description: 'The value carries the Tessera prefix but not the shape of a Tessera token, or its checksum is wrong; or it is empty, longer than 1024 characters or holds control characters.' },
  TOKEN_NOT_FOUND: { status: 401, description: 'The token has a valid shape but is not known (values without the Tessera prefix, in any format, are looked up by hash).' },
  TOKEN_EXPIRED: { status: 401, description: 'The token has passed its expiry time.' },
  TOKEN_REVOKED: { status: 401, description: 'The token was revoked.' },
  TOKEN_ROTATED: { status: 401, description: 'The value was replaced by a rotation (its grace period, if any, is over); the token itself may still be valid with its new value.' },
  TOKEN_DISABLED: { status: 401, description: 'The token is inactive, or its owner is disabled.' },
  TOKEN_MISSING: { status: 400, description: 'POST /message needs a command-bound token in the TOKEN header (or Authorization: Bearer) and the request has none.' },
  SLACK_SIGNATURE_INVALID: { status: 401, description: 'A Slack request\'s X-Slack-Signature is missing or wrong, or its X-Slack-Request-Timestamp is more than 5 minutes from the server\'s time.' },
  LEAK_SIGNATURE_INVALID: { status: 401, description: 'A secret-scanning report (POST /api/v1/leaks/github) lacks the Github-Public-Key-Identifier/-Signature headers, names an unknown key, or its signature does not match the body.' },
  TOKEN_BOUND: { status: 403, description: 'The token is bound to one command and works only on POST /message, not as a general credential.' },
  TOKEN_NOT_BOUND: { status: 403, description: 'POST /message takes only command-bound tokens (created with the chat command token-new); this token is not one.' },
  INSUFFICIENT_ACCESS: { status: 403, description: 'The credential is valid but its access level is below the level the route needs.' },
  INSUFFICIENT_PERMISSIONS: { status: 403, description: 'The credential is valid but does not grant the permissions the request asks for (a verify query, forward-auth `?permission=`, a route); `missing` in verify answers lists them.' },
  PERMISSION_NOT_HELD: { status: 403, description: 'A personal token cannot be given a permission or role its owner does not hold now; `field` says whether `permissions` or `roles`.' },
  IP_NOT_ALLOWED: { status: 403, description: 'The token has an address allowlist (`allowed_cidrs`) and the client address (after `trust_proxy`; for verify, the `ip` field) is not in it, or was not given.' },
  FORBIDDEN: { status: 403, description: 'The caller may not do this (for example a non-admin on an admin route, or a service token managing tokens).' },
  CSRF_REJECTED: { status: 403, description: 'A cookie-authenticated write (forward-auth included) or a login came with an Origin header that is not this server\'s origin (or is `null`); in single-user mode, a request without a credential came from a browser page of another origin (such an Origin, or `Sec-Fetch-Site` other than `same-origin`/`none`).' },
  HOST_NOT_ALLOWED: { status: 403, description: 'The request\'s Host (or trusted X-Forwarded-Host) is not one of `allowed_hosts` (in single-user mode, by default: loopback names, `host`, `public_url`\'s host); refused against DNS rebinding.' },
  NOT_FOUND: { status: 404, description: 'The resource does not exist or is not visible to the caller.' },
  TOKEN_NOT_RECOVERABLE: { status: 404, description: 'The token was not created recoverable, so its value cannot be shown again.' },
  COMMAND_NOT_FOUND: { status: 404, description: 'No configured command has this name or id (or the caller may not see it).' },
  CHANNEL_NOT_FOUND: { status: 404, description: 'No configured channel has this name.' },
  ROUTE_NOT_FOUND: { status: 404, description: 'No route matches the method and path.' },
  TOKEN_QUOTA_EXCEEDED: { status: 409, description: 'A user already has `max_tokens_per_user` live (not revoked) personal and command-bound tokens; revoke one first.' },
  CONFLICT: { status: 409, description: 'The request conflicts with the current state: a unique name is taken, the resource is revoked, or the last admin would be removed.' },
  ARGS_REFUSED: { status: 400, description: 'The extra arguments (or environment) are not allowed by the command\'s args policy; the message says which one.' },
  POLICY_VIOLATION: { status: 400, description: 'The token would break a token policy (`tokens.policy` or a role\'s `max_lifetime_seconds`): no expiry where one is required, or an expiry beyond the maximum lifetime; the message names the rule.' },
  PAYLOAD_TOO_LARGE: { status: 413, description: 'The request body is larger than the server accepts.' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, description: 'The request body has a content type the route does not accept.' },
  RATE_LIMITED: { status: 429, description: 'Too many attempts (failed logins), or the token\'s rate limit is used up for this window; the Retry-After header says when to try again.' },
  USAGE_EXCEEDED: { status: 429, description: 'The token has no uses left (its `remaining` is 0); Retry-After says when its refill comes, and is absent when it has none.' },
  INTERNAL_ERROR: { status: 500, description: 'An unexpected server error; the request id identifies it in the logs.' },
  JOB_QUEUE_FULL: { status: 503, description: 'Every job slot is busy and the wait queue is full; try again later (Retry-After).' },
  STORE_UNAVAILABLE: { status: 503, description: 'The database cannot be reached, or cannot be written now (SQLite: its write lock held by another process for more than 5 s, a full disk, an I/O error); try again later.' },
  METRICS_UNAVAILABLE: { status: 503, description: 'GET /metrics with `--workers N`: the workers\' metrics could not be gathered in time (a worker starting or stuck); the next scrape may succeed.' },
  SHUTTING_DOWN: { status: 503, description: 'The server is shutting down (a stop or a restart): the request was not handled and its connection is closed; send it again (to another node, or once the server is back).' },
} as const satisfies Record<ErrorCode, { status: number; description: string }>;

export const statusOf = (code: ErrorCode): number => CATALOGUE[code].status;

export interface Envelope { error: { code: ErrorCode; message: string; request_id: string; field?: string } }

export const envelope = (te: TesseraError, requestId: string): Envelope => ({
  error: te.details.field === undefined ? { code: te.code, message: te.message, request_id: requestId }
    : { code: te.code, message: te.message, request_id: requestId, field: te.details.field },
});

/**
 * `Retry-After` (when waiting helps) and the IETF draft's `RateLimit-Limit` / `RateLimit-Remaining` /
 * `RateLimit-Reset` (seconds) of a limited credential, from an error's or a principal's details.
 */
export const limitHeaders = (d: Pick<ErrorDetails, 'retryAfterS' | 'limit'>, into: Record<string, string> = {}): Record<string, string> => {
  if (d.retryAfterS !== undefined) into['retry-after'] = String(d.retryAfterS);
  if (d.limit) {
    if (d.limit.limit !== null) into['ratelimit-limit'] = String(d.limit.limit);
    into['ratelimit-remaining'] = String(d.limit.remaining);
    if (d.limit.resetS !== null) into['ratelimit-reset'] = String(d.limit.resetS);
  }
  return into;
};

/** A validation error's JSON pointer (`/tokens/1/expires_in`) as a field path (`tokens[1].expires_in`), after `part`. */
const field = (path: string, part: string | undefined): string =>
  fieldPath([...(part ? [part] : []), ...(path === '' ? [] : path.slice(1).split('/'))]);

/** Maps any thrown error to a catalogue code and message. */
export const toTesseraError = (err: unknown, contentType?: string): TesseraError => {
  if (err instanceof TesseraError) return err;
  const e = err as FastifyError & { validation?: Complaint[]; validationContext?: string };
  if (e?.validation) {
    const where = e.validationContext;
    const v = firstComplaint(e.validation);
    const name = field(v.instancePath, where);
    const inner = field(v.instancePath, undefined);
    const within = (p: unknown): string => `${inner ? inner + '.' : ''}${String(p)}`;
    let msg: string;
    let at: string | undefined = inner || undefined;
    if (v.keyword === 'additionalProperties') {
      at = within(v.params.additionalProperty);
      msg = `${where ?? 'body'} has an unknown field '${at}'`;
    } else if (v.keyword === 'required') {
      at = within(v.params.missingProperty);
      msg = `${name ? name + '.' : (where ? where + '.' : '')}${String(v.params.missingProperty)} is required`;
    } else if (v.keyword === 'type' && v.instancePath === '' && where === 'body') msg = `body must be a JSON ${String(v.params.type)}`;
    // A query value is a string, or an array of them when the parameter is repeated: "must be string" means the latter.
    else if (v.keyword === 'type' && where === 'querystring' && v.params.type === 'string') msg = `${name} must be given once`;
    else msg = `${name || where || 'request'} ${v.message ?? 'is invalid'}`;
    return new TesseraError('VALIDATION_ERROR', msg, at === undefined ? {} : { field: at });
  }
  switch (e?.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new TesseraError('UNSUPPORTED_MEDIA_TYPE', `${contentType ? `content type '${contentType}'` : 'a body without a content type'} is not accepted here; send application/json`);
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new TesseraError('VALIDATION_ERROR', 'the body length does not match the Content-Length header');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new TesseraError('PAYLOAD_TOO_LARGE', 'the request body is too large');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new TesseraError('INVALID_JSON', 'the body is not valid JSON');
    case 'FST_ERR_BAD_URL':
      // Not repeated: the path may hold a token value (DELETE /api/user/tokens/<value>).
      return new TesseraError('VALIDATION_ERROR', 'the request path is not valid: a malformed %-escape, or a part longer than 1,100 characters');
    default:
      break;
  }
  if (e instanceof SyntaxError || (e?.statusCode === 400 && /JSON/i.test(e?.message ?? ''))) {
    // Never echo the parser's message: V8's quotes the start of the body, which may hold a token value.
    return new TesseraError('INVALID_JSON', 'the body is not valid JSON');
  }
  if (e?.statusCode === 413) return new TesseraError('PAYLOAD_TOO_LARGE', 'the request body is too large');
  if (e?.statusCode === 415) return new TesseraError('UNSUPPORTED_MEDIA_TYPE', e.message);
  if (e?.statusCode && e.statusCode >= 400 && e.statusCode < 500) return new TesseraError('VALIDATION_ERROR', e.message);
  return new TesseraError('INTERNAL_ERROR', 'an unexpected error occurred; the request id identifies it in the server log');
};

export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/** An error as the answer to send: status, headers (content type included) and envelope. */
export interface ErrorReply { error: TesseraError; status: number; headers: Record<string, string>; body: Envelope }

/**
 * Builds the answer to any thrown error; fastify routes send it with `sendError`, the hot lane writes it itself.
 * `challenge`: the WWW-Authenticate value for a 401 (default the bare Bearer challenge of RFC 6750 §3).
 */
export const errorReply = (err: unknown, requestId: string, contentType: string | undefined, challenge?: string | null): ErrorReply => {
  const te = toTesseraError(err, contentType?.split(';')[0]);
  const status = statusOf(te.code);
  const headers = limitHeaders(te.details);
  if (status === 401) headers['www-authenticate'] = challenge ?? 'Bearer realm="tessera"';
  headers['content-type'] = JSON_CONTENT_TYPE;
  return { error: te, status, headers, body: envelope(te, requestId) };
};

/**
 * The first step of every error sender, native and compat: the error as a catalogue error, logged when it is an
 * unexpected one, with its Retry-After/RateLimit-* headers set on the reply. Each face then words its own answer.
 */
export const errorFor = (req: FastifyRequest, reply: FastifyReply, err: unknown): TesseraError => {
  // A route that needs a credential found none outside the body, and the body could not be read (bad JSON, its type,
  // its size): it carries none either. The caller is refused first, as for a readable body without one.
  const te = req.awaitingCredential
    ? new TesseraError('UNAUTHENTICATED', 'this route needs a credential: a Bearer token, an API key header or a session cookie')
    : toTesseraError(err, req.headers['content-type']?.split(';')[0]);
  if (te.code === 'INTERNAL_ERROR') req.log.error({ err, reqId: req.id }, 'unhandled error');
  const storeError = storeErrorKind(te.code, err);
  if (storeError !== null) req.server.metrics?.storeError(storeError).inc();
  reply.headers(limitHeaders(te.details));
  return te;
};

export const sendError = (req: FastifyRequest, reply: FastifyReply, err: unknown, challenge?: string | null): FastifyReply => {
  const te = errorFor(req, reply, err);
  const r = errorReply(te, req.id, undefined, challenge);
  return reply.code(r.status).headers(r.headers).send(r.body);
};
