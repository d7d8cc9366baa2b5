/**
 * What an endpoint (verify.ts, forward.ts) reads of a request and what it answers, as plain values: the fastify routes
 * (routes/v1/verify.ts) and the hot lane (hot-lane.ts) build the one and send the other, so neither holds a rule.
 * The auth step (auth.ts) reads the same request object, whichever way it came.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Credential } from '../../core/auth/service.js';
import { errorReply } from '../errors.js';
import { type Metrics, NO_METRICS, storeErrorKind } from '../../core/metrics.js';

export type Cookies = () => Record<string, string | undefined>;

/** Where an endpoint logs an unexpected error (fastify's logger has this shape). */
export interface ErrorLog { error(obj: object, msg: string): void }

/** A request, framework-free. Made by `endpointRequest` only, so every request object has the same shape. */
export interface EndpointRequest {
  readonly method: string;
  readonly headers: IncomingHttpHeaders;
  /** The parsed body (JSON, or a form through fastify); the hot lane sets it once the bytes are parsed. */
  body: unknown;
  /** The parsed query (null: none). */
  readonly query: unknown;
  readonly id: string;
  /** The Cookie header, parsed when first asked for (the extractor asks only when there is one). */
  readonly cookies: Cookies;
  /** This server's origin as the request sees it (`http://host:port`), for the origin rule (auth.ts). */
  readonly ownOrigin: () => string;
  /** The client's address (after `trust_proxy`), worked out when first asked for (tokens with an allowlist). */
  readonly ip: () => string | null;
  /** Set by the auth step: the credential the request authenticated with. */
  credential: Credential | null;
  /** Whether the hot lane (hot-lane.ts) took the request (metrics count the two lanes apart). */
  readonly hot: boolean;
}

/** An object literal, not a class instance: no class-field definitions on the hot lane's path. */
export const endpointRequest = (method: string, headers: IncomingHttpHeaders, body: unknown, query: unknown, id: string,
  cookies: Cookies, ownOrigin: () => string, ip: () => string | null, hot = false): EndpointRequest =>
  ({ method, headers, body, query, id, cookies, ownOrigin, ip, credential: null, hot });

/** An answer: status, headers (content type and length included when there is a body) and the body bytes. */
export interface EndpointAnswer {
  status: number; headers: Record<string, string | number>; body: string | undefined;
  /** An error answer's code (metrics count refusals by it). */
  code?: string;
}

/** The answer to any thrown error, with the envelope of errors.ts; an unexpected one is logged with the request id. */
export const errorAnswer = (q: EndpointRequest, err: unknown, log: ErrorLog, challenge: string | null = null, metrics: Metrics = NO_METRICS): EndpointAnswer => {
  const e = errorReply(err, q.id, q.headers['content-type'], challenge);
  if (e.error.code === 'INTERNAL_ERROR') log.error({ err, reqId: q.id }, 'unhandled error');
  countStoreError(metrics, e.error.code, err);
  const body = JSON.stringify(e.body);
  const headers: Record<string, string | number> = e.headers; // errorReply's own fresh object
  headers['content-length'] = Buffer.byteLength(body);
  return { status: e.status, headers, body, code: e.error.code };
};

/** A store error that reached an answer is counted (`tessera_store_errors_total`). */
export const countStoreError = (metrics: Metrics, code: string, err: unknown): void => {
  const kind = storeErrorKind(code, err);
  if (kind !== null) metrics.storeError(kind).inc();
};
