/**
 * The hot lane: `POST /api/v1/verify` and `/api/v1/auth/forward` answered straight from node:http.
 *
 * These two routes are what other services call on every one of their own requests. Through fastify, the framework's
 * per-request work (routing, the request and reply objects, hooks, content-type dispatch, serializer lookup) cost more
 * than the verification itself (bench/README.md). The lane sits in front of fastify (the `serverFactory` in app.ts)
 * and takes only requests of the plain shape; everything else falls through to fastify untouched, which also serves
 * every request made with `inject()`:
 *
 * - forward-auth: no Cookie header, no body, and no query other than `access=read|write|full`;
 * - verify: no Cookie header, `Content-Type: application/json` (optionally `; charset=utf-8`), a Content-Length of at
 *   most 4 KiB (and the body limit), and a credential in a header unless `verify_policy` is `public`.
 *
 * It implements no rule of its own: the credential extractor, the JSON parser, the body schema (the same compiled ajv
 * validator), the authentication, the answer and the error mapping are the ones the fastify routes use
 * (credentials.ts, routes/v1/verify.ts, errors.ts). test/api/hot-lane.test.ts sends each request both ways and
 * requires the same status, headers and body.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyBaseLogger } from 'fastify';
import type { Access } from '../core/access.js';
import type { Principal } from '../core/principal.js';
import { TesseraError } from '../core/errors.js';
import type { Services } from '../core/services.js';
import { dropApikeyField, findCredential } from './credentials.js';
import { errorReply, JSON_CONTENT_TYPE } from './errors.js';
import { withAnswerHeaders } from './headers.js';
import { FORWARD_METHODS, forwardChallenge, forwardDecision, verifyAnswer, type VerifyPolicy } from './routes/v1/verify.js';

const VERIFY = '/api/v1/verify';
const FORWARD = '/api/v1/auth/forward';
const MAX_BODY = 4096;
const JSON_TYPE = /^application\/json\s*(?:;\s*charset=utf-8\s*)?$/i;
const FORWARD_QUERY = /^(?:access=(read|write|full))?$/;
const NO_COOKIES = (): Record<string, string | undefined> => ({});

/** The fastify app's own parts the lane reuses (app.ts hands them over). */
export interface LaneParts {
  services: Services;
  policy: VerifyPolicy;
  /** Lower-case header names that may carry a credential (besides Authorization and TOKEN). */
  credentialHeaders: readonly string[];
  bodyLimit: number;
  /** The request id generator fastify uses (`genReqId`). */
  nextId: () => string;
  /** The app's JSON body parser: '' → undefined, poisoned or bad JSON → an error fastify maps too. */
  parseJson: (text: string, done: (err: Error | null, body?: unknown) => void) => void;
  /** The compiled validator of VerifyBody (the instance fastify's validator compiler builds). */
  validateBody: ((data: unknown) => boolean) & { errors?: unknown[] | null };
  log: FastifyBaseLogger;
  /** Fastify's request serializer input for log lines: method, url, host, address. */
  clientAddress: (req: IncomingMessage) => string | undefined;
  /** null: any Host; else the lane declines a request this refuses, and fastify answers it (HOST_NOT_ALLOWED). */
  hostAllowed: ((req: IncomingMessage) => boolean) | null;
}

export class HotLane {
  /** Requests the lane answered (tests read it to know which way a request went). */
  served = 0;
  /** Set when the server begins to close: fastify then answers new requests (503, `Connection: close`). */
  closing = false;
  private readonly logRequests: boolean;
  private readonly needsCaller: boolean;
  private readonly maxBody: number;

  constructor(private readonly p: LaneParts) {
    this.logRequests = (p.log as { isLevelEnabled?: (l: string) => boolean }).isLevelEnabled?.('info') ?? true;
    this.needsCaller = p.policy !== 'public';
    this.maxBody = Math.min(MAX_BODY, p.bodyLimit);
  }

  /** Answers the request and returns true, or returns false without touching it (fastify takes it). */
  handle(req: IncomingMessage, res: ServerResponse): boolean {
    if (this.closing) return false;
    const url = req.url!;
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    const h = req.headers;
    if (h.cookie !== undefined || h['transfer-encoding'] !== undefined) return false;
    if (this.p.hostAllowed !== null && !this.p.hostAllowed(req)) return false;
    if (path === VERIFY || path === `${VERIFY}/`) {
      if (req.method !== 'POST') return false;
      const ct = h['content-type'];
      if (ct === undefined || !JSON_TYPE.test(ct)) return false;
      const len = Number(h['content-length']);
      if (!(len >= 1 && len <= this.maxBody)) return false;
      if (this.needsCaller && h.authorization === undefined && h.token === undefined && !this.extraHeader(req)) return false;
      this.verify(req, res, len);
      return true;
    }
    if (path === FORWARD || path === `${FORWARD}/`) {
      if (!FORWARD_METHODS.includes(req.method!)) return false;
      const len = h['content-length'];
      if (len !== undefined && len !== '0') return false;
      const m = FORWARD_QUERY.exec(q === -1 ? '' : url.slice(q + 1));
      if (m === null) return false;
      void this.forward(req, res, m[1] as Access | undefined);
      return true;
    }
    return false;
  }

  private extraHeader(req: IncomingMessage): boolean {
    const names = this.p.credentialHeaders;
    for (let i = 0; i < names.length; i++) if (typeof req.headers[names[i]!] === 'string') return true;
    return false;
  }

  private begin(req: IncomingMessage): { id: string; start: number } {
    this.served++;
    const id = this.p.nextId();
    if (this.logRequests) this.p.log.info({ reqId: id, req: this.logReq(req) }, 'incoming request');
    return { id, start: this.logRequests ? performance.now() : 0 };
  }

  private finish(res: ServerResponse, r: { id: string; start: number }, status: number, headers: Record<string, string | number>, body?: string): void {
    res.writeHead(status, withAnswerHeaders(headers));
    res.end(body);
    if (this.logRequests) {
      this.p.log.info({ reqId: r.id, res: { statusCode: status }, responseTime: performance.now() - r.start }, 'request completed');
    }
  }

  private async forward(req: IncomingMessage, res: ServerResponse, need: Access | undefined): Promise<void> {
    const r = this.begin(req);
    try {
      const d = await forwardDecision(this.p.services, findCredential(req.headers, undefined, NO_COOKIES, this.p.credentialHeaders), need);
      if (d instanceof TesseraError) return this.fail(req, res, r, d, forwardChallenge(d));
      this.finish(res, r, 204, d);
    } catch (e) {
      this.fail(req, res, r, e, forwardChallenge(e));
    }
  }

  private verify(req: IncomingMessage, res: ServerResponse, len: number): void {
    const r = this.begin(req);
    const buf = Buffer.allocUnsafe(len);
    let at = 0;
    req.on('data', (c: Buffer) => {
      // Content-Length frames the body (node's parser), so it never holds more than `len` bytes.
      c.copy(buf, at);
      at += c.length;
    });
    req.on('end', () => {
      this.p.parseJson(buf.toString('utf8', 0, at), (err, body) => {
        if (err) return this.fail(req, res, r, err);
        this.verifyParsed(req, res, r, body).catch((e: unknown) => this.fail(req, res, r, e));
      });
    });
  }

  /** In fastify's order: body parsed, then the caller authenticated (preValidation), then the body validated. */
  private async verifyParsed(req: IncomingMessage, res: ServerResponse, r: { id: string; start: number }, body: unknown): Promise<void> {
    let principal: Principal | null = null;
    if (this.needsCaller) {
      // The gate let only requests with a header credential in, so there is one (or the extractor throws).
      const found = findCredential(req.headers, body, NO_COOKIES, this.p.credentialHeaders)!;
      dropApikeyField(body);
      principal = await this.p.services.auth.authenticate(found.cred);
    }
    if (!this.p.validateBody(body)) {
      return this.fail(req, res, r, Object.assign(new Error('body validation'), { validation: this.p.validateBody.errors, validationContext: 'body' }));
    }
    const answer = await verifyAnswer(this.p.services, this.p.policy, principal, body as { token: string; access?: Access });
    const out = JSON.stringify(answer);
    this.finish(res, r, 200, { 'content-type': JSON_CONTENT_TYPE, 'content-length': Buffer.byteLength(out) }, out);
  }

  private fail(req: IncomingMessage, res: ServerResponse, r: { id: string; start: number }, err: unknown, challenge: string | null = null): void {
    const e = errorReply(err, r.id, req.headers['content-type'], challenge);
    if (e.error.code === 'INTERNAL_ERROR') this.p.log.error({ err, reqId: r.id }, 'unhandled error');
    const body = JSON.stringify(e.body);
    const headers: Record<string, string | number> = e.headers; // errorReply's own fresh object
    headers['content-length'] = Buffer.byteLength(body);
    this.finish(res, r, e.status, headers, body);
  }

  private logReq(req: IncomingMessage): { method: string; url: string; host?: string; ip?: string; socket: { remotePort?: number } } {
    return { method: req.method!, url: req.url!, host: req.headers.host, ip: this.p.clientAddress(req), socket: { remotePort: req.socket.remotePort } };
  }
}
