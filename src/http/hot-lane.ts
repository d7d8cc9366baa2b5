/**
 * The hot lane: `POST /api/v1/verify` and `/api/v1/auth/forward` answered straight from node:http.
 *
 * These two routes are what other services call on every one of their own requests. Through fastify, the framework's
 * per-request work (routing, the request and reply objects, hooks, content-type dispatch, serializer lookup) cost more
 * than the verification itself (bench/README.md). The lane sits in front of fastify (the `serverFactory` in app.ts)
 * and takes only requests of the plain shape; everything else falls through to fastify untouched, which also serves
 * every request made with `inject()`:
 *
 * - forward-auth: no Cookie header, no body, and no query other than `access=read|write|full`; a forward-auth profile
 *   (`/api/v1/auth/forward/<profile>`, a configured one): no body, no query, and no Cookie header if the profile reads
 *   cookies;
 * - verify: no Cookie header, `Content-Type: application/json` (optionally `; charset=utf-8`), a Content-Length of at
 *   most 4 KiB (and the body limit), and a credential in a header unless `verify_policy` is `public`.
 *
 * It holds no rule of its own: it decides whether a request is its own (the shape above, and an allowed Host), reads
 * the body, parses it with the app's JSON parser (fastify's parsing step for the one content type it takes) — or,
 * for the usual `{"token":"…"}`, takes the value as json-body.ts reads it and hands it over with no body object, and
 * for `{"token":"…",<rest>}` with a rest the endpoint has seen in a valid body, the value and that rest — and
 * hands the request to the endpoint (endpoints/verify.ts, endpoints/forward.ts) that the fastify routes call too; it
 * writes the answer, logs as fastify does and adds the headers of headers.ts. test/api/hot-lane.test.ts sends each
 * request both ways and requires the same status, headers and body.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyBaseLogger } from 'fastify';
import type { Access } from '../core/access.js';
import { FORWARD_METHODS, type ForwardEndpoint, plainForwardQuery } from './endpoints/forward.js';
import type { ForwardProfiles } from './endpoints/forward-profile.js';
import { type EndpointAnswer, type EndpointRequest, endpointRequest, errorAnswer } from './endpoints/request.js';
import type { VerifyEndpoint } from './endpoints/verify.js';
import { withAnswerHeaders } from './headers.js';
import { onlyTheToken, TOKEN_VALUE_AT, tokenValueEnd } from './json-body.js';
import type { MaybePromise } from '../core/maybe.js';
import { TesseraError } from '../core/errors.js';
import { type HistogramChild, type LaneRoute, type Metrics, NO_METRICS } from '../core/metrics.js';

const VERIFY = '/api/v1/verify';
const FORWARD = '/api/v1/auth/forward';
const FORWARD_PROFILE = '/api/v1/auth/forward/';
const MAX_BODY = 4096;
const JSON_TYPE = /^application\/json\s*(?:;\s*charset=utf-8\s*)?$/i;
const NO_COOKIES = (): Record<string, string | undefined> => ({});
/**
 * The lane takes no request with a Cookie header, and none that the auth step would treat as a browser's (a request
 * without a credential in single-user mode has none in a header, so the verify gate declines it): the origin is never
 * asked for. Should it be, no Origin header matches '' — the refusal, never a pass.
 */
const NO_ORIGIN = (): string => '';

/** The fastify app's own parts the lane reuses (app.ts hands them over). */
export interface LaneParts {
  verify: VerifyEndpoint;
  forward: ForwardEndpoint;
  /** Forward-auth profiles (`/api/v1/auth/forward/<profile>`): the lane takes a known profile without a query. */
  profiles: ForwardProfiles;
  /** Lower-case header names that may carry a credential (besides Authorization and TOKEN). */
  credentialHeaders: readonly string[];
  bodyLimit: number;
  /** The request id generator fastify uses (`genReqId`). */
  nextId: () => string;
  /** The app's JSON body parser: '' → undefined, poisoned or bad JSON → an error fastify maps too. */
  parseJson: (text: string, done: (err: Error | null, body?: unknown) => void) => void;
  log: FastifyBaseLogger;
  /** Fastify's request serializer input for log lines: method, url, host, address. */
  clientAddress: (req: IncomingMessage) => string | undefined;
  /** null: any Host; else the lane declines a request this refuses, and fastify answers it (HOST_NOT_ALLOWED). */
  hostAllowed: ((req: IncomingMessage) => boolean) | null;
  /** The lane's latency histograms (src/core/metrics.ts); each request observes into a child made once. */
  metrics?: Metrics;
}

export class HotLane {
  /** Requests the lane answered (tests read it to know which way a request went). */
  served = 0;
  /** Set when the server begins to close: fastify then answers new requests (503, `Connection: close`). */
  closing = false;
  private readonly logRequests: boolean;
  private readonly needsCaller: boolean;
  private readonly maxBody: number;
  /** Whether a request's time is taken (for the log line, or for the latency histograms). */
  private readonly timed: boolean;
  private readonly times: Record<LaneRoute, HistogramChild> | null;

  constructor(private readonly p: LaneParts) {
    // pino answers for its level; a logger without `isLevelEnabled` is fastify's no-op one (`log_level: silent`).
    this.logRequests = (p.log as { isLevelEnabled?: (l: string) => boolean }).isLevelEnabled?.('info') ?? false;
    const m = p.metrics ?? NO_METRICS;
    this.times = m.enabled ? { verify: m.lane('verify'), forward: m.lane('forward'), forward_profile: m.lane('forward_profile') } : null;
    this.timed = this.logRequests || this.times !== null;
    this.needsCaller = p.verify.rule !== null;
    this.maxBody = Math.min(MAX_BODY, p.bodyLimit);
  }

  /** Answers the request and returns true, or returns false without touching it (fastify takes it). */
  handle(req: IncomingMessage, res: ServerResponse): boolean {
    if (this.closing) return false;
    const url = req.url!;
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    const h = req.headers;
    if (h['transfer-encoding'] !== undefined) return false;
    if (this.p.hostAllowed !== null && !this.p.hostAllowed(req)) return false;
    const cookie = h.cookie !== undefined;
    if (path.startsWith(FORWARD_PROFILE) && path.length > FORWARD_PROFILE.length) {
      if (q !== -1 || !FORWARD_METHODS.includes(req.method!)) return false;
      const len = h['content-length'];
      if (len !== undefined && len !== '0') return false;
      const end = path.length - (path.charCodeAt(path.length - 1) === 47 ? 1 : 0); // one trailing slash, as fastify
      const name = path.slice(FORWARD_PROFILE.length, end);
      // A profile that reads no cookie never looks at the Cookie header (an app's own cookies): the lane takes it.
      if (!this.p.profiles.has(name) || (cookie && this.p.profiles.readsCookies(name))) return false;
      void this.profile(req, res, name);
      return true;
    }
    if (cookie) return false;
    if (path === VERIFY || path === `${VERIFY}/`) {
      if (req.method !== 'POST' || q !== -1) return false;
      const ct = h['content-type'];
      if (ct === undefined || (ct !== 'application/json' && !JSON_TYPE.test(ct))) return false;
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
      const need = plainForwardQuery(q === -1 ? '' : url.slice(q + 1));
      if (need === false) return false;
      this.forward(req, res, need);
      return true;
    }
    return false;
  }

  /**
   * A request that arrives once the server is closing (a keep-alive connection still open): not handled, 503
   * SHUTTING_DOWN in the error envelope, and the connection closed. Fastify's own answer (`return503OnClosing`) has
   * a body of its own shape, so app.ts turns it off and sends every such request here.
   */
  refuseWhileClosing(req: IncomingMessage, res: ServerResponse): void {
    const q = endpointRequest(req.method!, req.headers, undefined, null, this.p.nextId(), NO_COOKIES, NO_ORIGIN, () => null, true);
    const a = errorAnswer(q, new TesseraError('SHUTTING_DOWN', 'the server is shutting down: the request was not handled; send it again'), this.p.log);
    a.headers.connection = 'close';
    req.resume(); // a body is read and dropped, so the answer is not cut short by it
    res.writeHead(a.status, withAnswerHeaders(a.headers));
    res.end(a.body);
  }

  private extraHeader(req: IncomingMessage): boolean {
    const names = this.p.credentialHeaders;
    for (let i = 0; i < names.length; i++) if (typeof req.headers[names[i]!] === 'string') return true;
    return false;
  }

  private begin(req: IncomingMessage): EndpointRequest {
    this.served++;
    const id = this.p.nextId();
    if (this.logRequests) this.p.log.info({ reqId: id, req: this.logReq(req) }, 'incoming request');
    return endpointRequest(req.method!, req.headers, undefined, null, id, NO_COOKIES, NO_ORIGIN, () => this.p.clientAddress(req) ?? null, true);
  }

  private finish(res: ServerResponse, q: EndpointRequest, start: number, a: EndpointAnswer, route: LaneRoute): void {
    res.writeHead(a.status, withAnswerHeaders(a.headers));
    res.end(a.body);
    if (!this.timed) return;
    const ms = performance.now() - start;
    if (this.times !== null) this.times[route].observe(ms / 1000);
    if (this.logRequests) {
      this.p.log.info({ reqId: q.id, res: { statusCode: a.status }, responseTime: ms }, 'request completed');
    }
  }

  private forward(req: IncomingMessage, res: ServerResponse, need: Access | undefined): void {
    const q = this.begin(req);
    const start = this.timed ? performance.now() : 0;
    const a = this.p.forward.answer(q, need);
    if (a instanceof Promise) void a.then((x) => this.finish(res, q, start, x, 'forward'));
    else this.finish(res, q, start, a, 'forward');
  }

  private async profile(req: IncomingMessage, res: ServerResponse, name: string): Promise<void> {
    const q = this.begin(req);
    const start = this.timed ? performance.now() : 0;
    this.finish(res, q, start, await this.p.profiles.answer(q, name), 'forward_profile');
  }

  private verify(req: IncomingMessage, res: ServerResponse, len: number): void {
    const q = this.begin(req);
    const start = this.timed ? performance.now() : 0;
    // Content-Length frames the body (node's parser), so it never holds more than `len` bytes. A body that came in one
    // chunk (a small one nearly always does) is read where it is; only a second chunk makes a buffer to join them in.
    let first: Buffer | null = null;
    let buf: Buffer | null = null;
    let at = 0;
    req.on('data', (c: Buffer) => {
      if (first === null) { first = c; at = c.length; return; }
      if (buf === null) { buf = Buffer.allocUnsafe(len); first.copy(buf, 0); }
      c.copy(buf, at);
      at += c.length;
    });
    req.on('end', () => {
      const text = buf !== null ? buf.toString('utf8', 0, at) : first !== null ? first.toString('utf8') : '';
      // `{"token":"…"}` (a verification's usual body): the value, without an object or a validation; `{"token":"…",…}`
      // with a rest the endpoint has seen in a valid body (the same permission query each time): the value and that
      // body's options. Any other body is parsed.
      const end = tokenValueEnd(text);
      if (end !== -1) {
        if (onlyTheToken(text, end)) return this.answered(res, q, start, this.p.verify.answerToken(q, text.slice(TOKEN_VALUE_AT, end)));
        if (text.charCodeAt(end + 1) === 44 /* , */) {
          const rest = text.slice(end + 2);
          const known = this.p.verify.answerKnownRest(q, text.slice(TOKEN_VALUE_AT, end), rest);
          if (known !== undefined) return this.answered(res, q, start, known);
          return this.parsed(res, q, start, text, rest);
        }
      }
      this.parsed(res, q, start, text, undefined);
    });
  }

  /** A body parsed with the app's JSON parser, then answered by the endpoint (`rest`: as `VerifyEndpoint.answer`'s). */
  private parsed(res: ServerResponse, q: EndpointRequest, start: number, text: string, rest: string | undefined): void {
    this.p.parseJson(text, (err, body) => {
      if (err) return this.finish(res, q, start, errorAnswer(q, err, this.p.log), 'verify');
      q.body = body;
      this.answered(res, q, start, this.p.verify.answer(q, rest));
    });
  }

  private answered(res: ServerResponse, q: EndpointRequest, start: number, a: MaybePromise<EndpointAnswer>): void {
    if (a instanceof Promise) void a.then((x) => this.finish(res, q, start, x, 'verify'));
    else this.finish(res, q, start, a, 'verify');
  }

  private logReq(req: IncomingMessage): { method: string; url: string; host?: string; ip?: string; socket: { remotePort?: number } } {
    return { method: req.method!, url: req.url!, host: req.headers.host, ip: this.p.clientAddress(req), socket: { remotePort: req.socket.remotePort } };
  }
}
