/**
 * One envelope for every native error: `{"error": {"code", "message", "request_id"}}`, with the status from the
 * catalogue in core/errors.ts. Framework errors (validation, bad JSON, content type, size) are mapped here so a
 * client's mistake is never a 500.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ERRORS, type ErrorCode, TesseraError } from '../core/errors.js';

export interface Envelope { error: { code: ErrorCode; message: string; request_id: string } }

export const envelope = (code: ErrorCode, message: string, requestId: string): Envelope => ({ error: { code, message, request_id: requestId } });

const field = (path: string, part: string | undefined): string => {
  const p = path.replace(/^\//, '').replaceAll('/', '.');
  return [part, p].filter(Boolean).join('.');
};

/** Maps any thrown error to a catalogue code and message. */
export const toTesseraError = (err: unknown, contentType?: string): TesseraError => {
  if (err instanceof TesseraError) return err;
  const e = err as FastifyError & { validation?: { instancePath: string; message?: string; keyword: string; params: Record<string, unknown> }[]; validationContext?: string };
  if (e?.validation) {
    const v = e.validation[0]!;
    const where = e.validationContext;
    const name = field(v.instancePath, where);
    let msg: string;
    if (v.keyword === 'additionalProperties') msg = `${where ?? 'body'} has an unknown field '${field(v.instancePath, undefined) ? field(v.instancePath, undefined) + '.' : ''}${String(v.params.additionalProperty)}'`;
    else if (v.keyword === 'required') msg = `${field(v.instancePath, where) ? field(v.instancePath, where) + '.' : (where ? where + '.' : '')}${String(v.params.missingProperty)} is required`;
    else if (v.keyword === 'type' && v.instancePath === '' && where === 'body') msg = `body must be a JSON ${String(v.params.type)}`;
    else msg = `${name || where || 'request'} ${v.message ?? 'is invalid'}`;
    return new TesseraError('VALIDATION_ERROR', msg);
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
  const headers: Record<string, string> = { ...te.headers };
  if (te.status === 401) headers['www-authenticate'] = challenge ?? headers['www-authenticate'] ?? 'Bearer realm="tessera"';
  headers['content-type'] = JSON_CONTENT_TYPE;
  return { error: te, status: ERRORS[te.code].status, headers, body: envelope(te.code, te.message, requestId) };
};

export const sendError = (req: FastifyRequest, reply: FastifyReply, err: unknown, challenge?: string | null): FastifyReply => {
  const r = errorReply(err, req.id, req.headers['content-type'], challenge);
  if (r.error.code === 'INTERNAL_ERROR') req.log.error({ err, reqId: req.id }, 'unhandled error');
  return reply.code(r.status).headers(r.headers).send(r.body);
};
