/**
 * Semaphore's error replies (api/helpers, api/auth.go): authentication failures are 401 with an empty body, missing
 * permissions 403 and unknown objects 404 (both empty), validation errors 400 `{"error": "..."}`, conflicts (and the token quota) 409.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { errorFor, statusOf } from '../../errors.js';

const EMPTY_401 = new Set(['UNAUTHENTICATED', 'INVALID_LOGIN', 'SESSION_INVALID', 'TOKEN_MALFORMED', 'TOKEN_NOT_FOUND', 'TOKEN_EXPIRED', 'TOKEN_REVOKED', 'TOKEN_ROTATED', 'TOKEN_DISABLED']);
const EMPTY_403 = new Set(['INSUFFICIENT_ACCESS', 'TOKEN_BOUND', 'FORBIDDEN', 'CSRF_REJECTED']);
const EMPTY_404 = new Set(['NOT_FOUND', 'ROUTE_NOT_FOUND', 'TOKEN_NOT_RECOVERABLE']);

export const sendSemaphoreError = (req: FastifyRequest, reply: FastifyReply, err: unknown): FastifyReply => {
  const te = errorFor(req, reply, err);
  if (EMPTY_401.has(te.code)) return reply.code(401).send();
  if (EMPTY_403.has(te.code)) return reply.code(403).send();
  if (EMPTY_404.has(te.code)) return reply.code(404).send();
  if (te.code === 'RATE_LIMITED' || te.code === 'USAGE_EXCEEDED') return reply.code(429).send();
  if (te.code === 'INTERNAL_ERROR' || te.code === 'STORE_UNAVAILABLE') {
    return reply.code(statusOf(te.code)).send();
  }
  const status = te.code === 'CONFLICT' || te.code === 'TOKEN_QUOTA_EXCEEDED' ? 409 : te.code === 'PAYLOAD_TOO_LARGE' ? 413 : 400;
  return reply.code(status).type('application/json; charset=utf-8').send({ error: te.message });
};
