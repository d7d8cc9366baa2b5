/**
 * Headers on every answer of the server (fastify's and the hot lane's alike):
 * - `Cache-Control: no-store` unless the route set its own caching (the JWKS, the web UI's files). Many API answers
 *   carry a secret — token create, rotate and reveal, JWTs, logins, the compat creates (FileBin, Semaphore, Query,
 *   Meshplay) — and no API answer gains from being stored by a browser or a shared cache, so the default is one rule
 *   for every answer rather than a list of routes that a new route could miss.
 * - `X-Content-Type-Options: nosniff`: a JSON answer (which may echo input) is never taken for HTML or script.
 */
import type { FastifyInstance } from 'fastify';

export const NO_STORE = 'no-store';
export const NOSNIFF = 'nosniff';

/** Adds both headers to a plain header object (the hot lane's answers). */
export const withAnswerHeaders = <T extends Record<string, string | number>>(h: T): T => {
  (h as Record<string, string | number>)['cache-control'] = NO_STORE;
  (h as Record<string, string | number>)['x-content-type-options'] = NOSNIFF;
  return h;
};

/** The same on every fastify answer, errors and 404s included (an onSend hook on the root instance). */
export const registerAnswerHeaders = (app: FastifyInstance): void => {
  app.addHook('onSend', (_req, reply, payload, done) => {
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', NO_STORE);
    reply.header('x-content-type-options', NOSNIFF);
    done(null, payload);
  });
};
