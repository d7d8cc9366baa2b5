/** The session cookie as every login face sets and clears it (native and Semaphore's login). */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { SESSION_COOKIE } from './credentials.js';

/** Sets the session cookie: HttpOnly, SameSite=Lax, Secure when the request came over TLS. */
export const setSessionCookie = (req: FastifyRequest, reply: FastifyReply, value: string, expiresAt: number): void => {
  reply.setCookie(SESSION_COOKIE, value, { path: '/', httpOnly: true, sameSite: 'lax', secure: req.protocol === 'https', expires: new Date(expiresAt) });
};
export const clearSessionCookie = (req: FastifyRequest, reply: FastifyReply): void => {
  reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure: req.protocol === 'https' });
};
