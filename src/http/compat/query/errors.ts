/**
 * Query's error replies (crates/server/src/main.rs): 400 with the message as plain text, 401 with an empty body,
 * 404 `404 Not Found`, 500 `Internal Server Error`. There is no JSON error envelope. Every refusal of the caller —
 * no credential, a bad one, or one that is not an admin user's — is the same empty 401, as in Query.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { TesseraError } from '../../../core/errors.js';
import { errorFor, statusOf } from '../../errors.js';

const UNAUTHORIZED = new Set(['UNAUTHENTICATED', 'INVALID_LOGIN', 'SESSION_INVALID', 'TOKEN_MALFORMED', 'TOKEN_NOT_FOUND', 'TOKEN_EXPIRED',
  'TOKEN_REVOKED', 'TOKEN_ROTATED', 'TOKEN_DISABLED', 'TOKEN_BOUND', 'INSUFFICIENT_ACCESS', 'FORBIDDEN', 'CSRF_REJECTED', 'AMBIGUOUS_CREDENTIALS']);

/** Query's words for the core's expiry checks (the field is `expiration_date` here). */
const message = (te: TesseraError): string => {
  const f = te.details.field;
  if (f !== 'expires_at' && f !== 'expires_in') return te.message;
  if (te.details.rule === 'future') return 'The expiration_date must be greater than current time';
  return te.message.startsWith(f) ? `expiration_date${te.message.slice(f.length)}` : te.message;
};

export const sendQueryError = (req: FastifyRequest, reply: FastifyReply, err: unknown): FastifyReply => {
  const te = errorFor(req, reply, err);
  if (UNAUTHORIZED.has(te.code)) return reply.code(401).send();
  const text = (status: number, body: string) => reply.code(status).type('text/plain; charset=utf-8').send(body);
  if (te.code === 'NOT_FOUND' || te.code === 'ROUTE_NOT_FOUND') return text(404, '404 Not Found');
  if (te.code === 'INTERNAL_ERROR' || te.code === 'STORE_UNAVAILABLE') {
    return text(statusOf(te.code), te.code === 'INTERNAL_ERROR' ? 'Internal Server Error' : 'Service Unavailable');
  }
  if (te.code === 'RATE_LIMITED' || te.code === 'USAGE_EXCEEDED' || te.code === 'PAYLOAD_TOO_LARGE') return text(statusOf(te.code), te.message);
  return text(400, message(te));
};
