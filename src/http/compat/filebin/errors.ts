/**
 * FileBin's error replies: every error is HTTP 400 with `{"status":"error","error_id","message"}` (its API router
 * ignores the exception classes' own status codes). Ids and messages are FileBin's own, from
 * application/controllers/Api.php and application/service/user.php.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { TesseraError } from '../../../core/errors.js';
import { errorFor } from '../../errors.js';
import { fromAccess } from './levels.js';

/** An error raised by the FileBin routes themselves, already in FileBin's vocabulary. */
export class FileBinError extends Error {
  constructor(readonly id: string, message: string) { super(message); this.name = 'FileBinError'; }
}

export const FB = {
  invalidVersion: () => new FileBinError('api/invalid-version', 'Invalid API version requested'),
  invalidEndpoint: () => new FileBinError('api/invalid-endpoint', 'Invalid endpoint requested'),
  versionNotSupported: () => new FileBinError('api/version-not-supported', 'Requested API version is not supported'),
  unknownEndpoint: () => new FileBinError('api/unknown-endpoint', 'Unknown endpoint requested'),
  accessLevelInvalid: () => new FileBinError('user/validation/access_level/invalid', 'Invalid access levels requested.'),
  deleteFailed: () => new FileBinError('user/delete_apikey/failed', 'Apikey deletion failed. Possibly wrong owner.'),
} as const;

const site = (req: FastifyRequest): string => `${req.protocol}://${req.host}/`;

/** Tessera's catalogue code → FileBin's id and message. Codes FileBin has no word for keep Tessera's message. */
const translate = (te: TesseraError, req: FastifyRequest): { id: string; message: string } => {
  switch (te.code) {
    case 'UNAUTHENTICATED':
    case 'SESSION_INVALID':
      return { id: 'api/not-authenticated', message: `Not authenticated. FileBin requires you to have an account, please go to the homepage at ${site(req)} for more information.` };
    case 'TOKEN_MALFORMED': case 'TOKEN_NOT_FOUND': case 'TOKEN_EXPIRED': case 'TOKEN_REVOKED': case 'TOKEN_ROTATED': case 'TOKEN_DISABLED':
      return { id: 'user/api-login-failed', message: 'API key login failed' };
    case 'INVALID_LOGIN':
      return { id: 'user/login-failed', message: 'Login failed' };
    case 'RATE_LIMITED':
      return { id: 'user/login-failed', message: `Login failed: ${te.message}` };
    case 'INSUFFICIENT_ACCESS': {
      const have = req.ctx?.principal ? fromAccess(req.ctx.principal.access) : 'none';
      return { id: 'api/insufficient-permissions', message: `Access denied: Access level too low. Required: full; Have: ${have}` };
    }
    case 'FORBIDDEN':
    case 'CSRF_REJECTED':
      return { id: 'api/insufficient-permissions', message: `Access denied: ${te.message}` };
    case 'VALIDATION_ERROR':
      if (te.details.field === 'comment') return { id: 'user/validation/comment/too-long', message: 'Comment may only be 255 chars long.' };
      return { id: 'api/invalid-request', message: te.message };
    case 'UNSUPPORTED_MEDIA_TYPE':
      return { id: 'api/invalid-request', message: 'send the fields as multipart/form-data (curl -F) or application/x-www-form-urlencoded' };
    case 'INVALID_JSON': case 'PAYLOAD_TOO_LARGE': case 'AMBIGUOUS_CREDENTIALS':
      return { id: 'api/invalid-request', message: te.message };
    case 'INTERNAL_ERROR':
    case 'STORE_UNAVAILABLE':
      return { id: 'internal-error', message: 'An unhandled internal server error occured' };
    default:
      return { id: `api/${te.code.toLowerCase().replaceAll('_', '-')}`, message: te.message };
  }
};

export const sendFileBinError = (req: FastifyRequest, reply: FastifyReply, err: unknown): FastifyReply => {
  let out: { id: string; message: string };
  if (err instanceof FileBinError) out = { id: err.id, message: err.message };
  else {
    out = translate(errorFor(req, reply, err), req);
  }
  return reply.code(400).type('application/json; charset=utf-8').send({ status: 'error', error_id: out.id, message: out.message });
};
