/**
 * The HTTP face: fastify with TypeBox schemas (one source for validation, serialization and OpenAPI), the
 * credential extractor, the error envelope, Swagger UI. Routes are registered in labelled groups.
 */
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import Fastify, { type FastifyInstance, type FastifyServerOptions, type onResponseHookHandler } from 'fastify';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { TesseraError } from '../core/errors.js';
import type { Services } from '../core/services.js';
import { registerAuth } from './auth.js';
import { sendError } from './errors.js';
import { HotLane } from './hot-lane.js';
import { openApiRules, securitySchemes, TAGS } from './openapi.js';
import { withNulRule } from './input.js';
import { tokenOnlyBody } from './json-body.js';
import { registerAnswerHeaders } from './headers.js';
import { checkHost, hostMatcher } from './hosts.js';
import { clientAddress, trustFunction, type TrustProxy } from './proxy.js';
import { authRoutes } from './routes/v1/auth.js';
import { auditRoutes } from './routes/v1/audit.js';
import { healthRoutes } from './routes/health.js';
import { tokenRoutes } from './routes/v1/tokens.js';
import { tokenBulkRoutes } from './routes/v1/tokens-bulk.js';
import { userRoutes } from './routes/v1/users.js';
import { authzRoutes } from './routes/v1/authz.js';
import { leakRoutes } from './routes/v1/leaks.js';
import { verifyRoutes } from './routes/v1/verify.js';
import { verifyEventRoutes } from './routes/v1/verify-events.js';
import { ForwardEndpoint } from './endpoints/forward.js';
import { type ForwardProfileConfig, ForwardProfiles, PROFILE_HEADERS } from './endpoints/forward-profile.js';
import { VerifyBody, VerifyEndpoint } from './endpoints/verify.js';
import { jwtRoutes } from './routes/v1/jwt.js';
import { introspectRoutes } from './routes/v1/introspect.js';
import { commandRoutes } from './routes/v1/commands.js';
import { jobRoutes } from './routes/v1/jobs.js';
import { channelRoutes } from './routes/v1/channels.js';
import { chatRoutes } from './routes/v1/chat.js';
import { webhookRoutes } from './routes/v1/webhooks.js';
import { meshplayRoutes } from './compat/meshplay/index.js';
import { compatErrorSender, compatRoutes } from './compat/index.js';
import { webUi } from './static.js';
import { type MetricsAccess, metricsRoutes } from './routes/metrics.js';
import { type HistogramChild, type Metrics, NO_METRICS } from '../core/metrics.js';

export interface HttpOptions {
  logger: FastifyServerOptions['logger'];
  bodyLimit: number;
  /** `trust_proxy`: see proxy.ts. */
  trustProxy: TrustProxy;
  credentialHeaders: readonly string[];
  verifyPolicy: 'any' | 'admin' | 'public';
  /** `none`: single-user mode — a request without a credential acts as the built-in admin. */
  provider: 'local' | 'none';
  version: string;
  /** Host names answered (hosts.ts); null: any. */
  allowedHosts: readonly string[] | null;
  /** Server limits against slow or numerous clients (config `http`). */
  limits: ServerLimits;
  /** `forward_auth.profiles` (endpoints/forward-profile.ts). */
  forwardProfiles?: Readonly<Record<string, ForwardProfileConfig>>;
  /** `message.refusal_status`: POST /message's answer to a command refused at run time. */
  messageRefusalStatus?: 202 | 403;
  /** `message.accepted_body`: the body of POST /message's 202 (auto: empty for a UUID token, as Meeseeks). */
  messageAcceptedBody?: 'auto' | 'empty' | 'job_id';
  /** What is recorded (src/core/metrics.ts); default: nothing. */
  metrics?: Metrics;
  /** `metrics.enabled`: GET /metrics is served, to these scrapers (routes/metrics.ts). */
  metricsAccess?: MetricsAccess | null;
  /** `public_url`: the OpenAPI document's server. */
  publicUrl?: string;
}

export interface ServerLimits { requestTimeoutMs: number; headersTimeoutMs: number; keepAliveTimeoutMs: number; maxConnections: number; shutdownGraceMs?: number }

/** Values that must never reach a log line. */
export const REDACT = [
  'req.headers.authorization', 'req.headers.token', 'req.headers["x-api-key"]', 'req.headers["meshplay-token"]', 'req.headers.cookie',
  'res.headers["set-cookie"]', 'token', 'apikey', 'password', '*.token', '*.apikey', '*.password',
];

/** Body fields are validated strictly (no coercion: `"5"` is not a number); query and path strings are coerced. */
const makeAjv = (coerce: boolean): Ajv => {
  const ajv = new Ajv({ allErrors: false, useDefaults: true, removeAdditional: false, coerceTypes: coerce ? 'array' : false, strict: false });
  (addFormats as unknown as (a: Ajv) => void)(ajv);
  return ajv;
};

/**
 * URLs in log lines with long opaque segments masked: a token value may be in a path (Semaphore's
 * `DELETE /api/user/tokens/{value}`) or a query string. 24+ characters catches every value Tessera makes, session and
 * JWT while keeping token ids (`tok_` + 16) and ordinary names readable; Semaphore's path segment is masked whatever
 * its length (an imported value may be as short as one character, docs/migrate.md).
 */
export const maskUrl = (url: string): string =>
  url.replace(/^(\/+api\/+user\/+tokens\/+)[^/?#]+/i, '$1[redacted]').replace(/[^/?&=;#]{24,}/g, '[redacted]');

/** Fastify's default request serializer, with the URL masked. */
const withMaskedUrls = (logger: FastifyServerOptions['logger']): FastifyServerOptions['logger'] => {
  if (!logger) return logger;
  const base = logger === true ? {} : logger;
  return {
    ...base,
    serializers: {
      ...(base as { serializers?: object }).serializers,
      req: (req: { method: string; url: string; host?: string; ip?: string; socket?: { remotePort?: number } }) => ({
        method: req.method, url: maskUrl(req.url), host: req.host, remoteAddress: req.ip, remotePort: req.socket?.remotePort,
      }),
    },
  } as FastifyServerOptions['logger'];
};

export type App = FastifyInstance;

/** Waits until `server` has no open connection, at most `ms`. */
const openConnectionsGone = async (server: Server, ms: number): Promise<void> => {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const open = await new Promise<number>((done) => server.getConnections((err, n) => done(err ? 0 : n)));
    if (open === 0) return;
    await new Promise((r) => setTimeout(r, Math.min(25, Math.max(1, until - Date.now()))));
  }
};

/**
 * Fastify's own HTTP/1 server, with the hot lane (hot-lane.ts) in front: the lane answers plain verify and
 * forward-auth requests itself and hands every other request to fastify's handler.
 */
const laneServer = (lane: () => HotLane | null, limits: ServerLimits): NonNullable<FastifyServerOptions['serverFactory']> => (handler, options) => {
  // Fastify hands over its whole options object, defaults applied (see fastify's lib/server.js for its own server).
  const o = options as { http?: object; connectionTimeout?: number; maxRequestsPerSocket?: number };
  const server = createServer({
    ...o.http,
    // A client must send its headers, then its whole request, within these times (408 and close otherwise); node
    // checks open connections every `connectionsCheckingInterval`, so it is a fraction of the shorter timeout.
    requestTimeout: limits.requestTimeoutMs,
    headersTimeout: limits.headersTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    connectionsCheckingInterval: Math.max(25, Math.min(1000, Math.floor(limits.headersTimeoutMs / 4))),
  }, (req, res) => {
    const l = lane();
    if (l !== null && l.closing) l.refuseWhileClosing(req, res);
    else if (l === null || !l.handle(req, res)) handler(req, res);
  });
  server.maxConnections = limits.maxConnections;
  server.setTimeout(o.connectionTimeout ?? 0);
  if (o.maxRequestsPerSocket) server.maxRequestsPerSocket = o.maxRequestsPerSocket;
  return server;
};

export const buildApp = async (services: Services, opts: HttpOptions): Promise<App> => {
  const reqTag = `req_${randomBytes(5).readUIntBE(0, 5).toString(36).padStart(8, '0')}`;
  let reqSeq = 0;
  const nextId = (): string => `${reqTag}${(++reqSeq).toString(36)}`;
  let lane: HotLane | null = null;
  const trust = trustFunction(opts.trustProxy);
  const app = Fastify({
    serverFactory: laneServer(() => lane, opts.limits),
    // Requests that arrive while the server closes are answered by the hot lane, in the error envelope (SHUTTING_DOWN).
    return503OnClosing: false,
    logger: withMaskedUrls(opts.logger),
    bodyLimit: opts.bodyLimit,
    trustProxy: trust ?? false,
    // A random tag per server instance and a counter: unique across restarts and nodes (the audit log keeps them),
    // without formatting a clock and a random float per request.
    genReqId: nextId,
    // A path parameter may be a token value (DELETE /api/user/tokens/<value>, imported values up to 1024 characters):
    // the routes' own schemas bound it, with their own errors, rather than the router's 100-character default.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 1100 },
    // A child logger per request costs ~3 % of a verification. Below `info` nothing per-request is logged, so the
    // request id is added only where something is (errors.ts logs it with the error).
    childLoggerFactory: (logger, bindings, opts) => ((logger as { isLevelEnabled?: (l: string) => boolean }).isLevelEnabled?.('info') === false ? logger : logger.child(bindings, opts)),
    // Errors raised before routing (a malformed percent-escape in the path) get the envelope too — their face's.
    frameworkErrors: (err, req, reply) => (compatErrorSender(req.url) ?? sendError)(req, reply, err),
  }).withTypeProvider<TypeBoxTypeProvider>();

  // Route latency: each fastify route gets an onResponse hook of its own when it is registered (so this comes before
  // any route) that holds its histogram child — made on the route's first answer, so unused routes add no series —
  // and observes into it: nothing looked up per request. Not-found answers go uncounted.
  const metrics = opts.metrics ?? NO_METRICS;
  app.decorate('metrics', metrics);
  if (metrics.enabled) {
    app.addHook('onRoute', (route) => {
      let timed: onResponseHookHandler;
      if (Array.isArray(route.method) && route.method.length > 1) {
        // A route of several methods (forward-auth, POST /message, FileBin's): a child per method it was asked with,
        // labelled with that method — at most the route's own methods.
        const children = new Map<string, HistogramChild>();
        timed = (req, reply, done) => {
          let c = children.get(req.method);
          if (c === undefined) children.set(req.method, c = metrics.route(req.method, route.url));
          c.observe(reply.elapsedTime / 1000);
          done();
        };
      } else {
        const method = Array.isArray(route.method) ? route.method[0]! : route.method;
        let child: HistogramChild | null = null;
        timed = (_req, reply, done) => { (child ??= metrics.route(method, route.url)).observe(reply.elapsedTime / 1000); done(); };
      }
      const hooks = route.onResponse;
      route.onResponse = hooks === undefined ? [timed] : [...(Array.isArray(hooks) ? hooks : [hooks]), timed] as never;
    });
  }

  // Before anything else (routing aside): a request for a Host this server does not answer gets 403 HOST_NOT_ALLOWED.
  const hostAllowed = opts.allowedHosts === null ? null : hostMatcher(opts.allowedHosts);
  if (hostAllowed !== null) {
    app.addHook('onRequest', (req, reply, done) => {
      try {
        checkHost(hostAllowed, req.headers.host, req.host);
      } catch (e) {
        // A forward-auth profile's answer always carries its headers (a proxy copies them): the refusal's too.
        if (req.url.startsWith('/api/v1/auth/forward/')) reply.headers({ ...Object.fromEntries(PROFILE_HEADERS.map((n) => [n, ''])), 'x-tessera-error': 'HOST_NOT_ALLOWED' });
        throw e;
      }
      done();
    });
  }

  registerAnswerHeaders(app);

  const bodyAjv = makeAjv(false);
  const paramAjv = makeAjv(true);
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? bodyAjv : paramAjv).compile(schema));
  app.setErrorHandler((err, req, reply) => sendError(req, reply, err));
  const ui = webUi();
  app.setNotFoundHandler((req, reply) => {
    if (ui.page(req, reply)) return; // a browser reloading one of the web UI's pages
    (compatErrorSender(req.url) ?? sendError)(req, reply, new TesseraError('ROUTE_NOT_FOUND', `no route for ${req.method} ${req.url.split('?')[0]}`));
  });

  // Bodies are JSON or urlencoded forms. Fastify also parses text/plain by default: drop it, so a text body gets
  // 415 UNSUPPORTED_MEDIA_TYPE instead of a confusing "body must be an object".
  app.removeContentTypeParser('text/plain');
  // An empty body sent as application/json (common for DELETE or POST …/rotate from HTTP clients that always set the
  // header) means "no body", as it does without the header; anything else goes to fastify's safe JSON parser.
  const defaultJson = app.getDefaultJsonParser('error', 'error');
  const parseJson = (text: string, done: (err: Error | null, body?: unknown) => void): void => {
    if (text === '') return done(null, undefined);
    // `{"token":"…"}` and nothing else (a verification's usual body): what JSON.parse would answer, without it.
    const plain = tokenOnlyBody(text);
    if (plain !== undefined) return done(null, plain);
    // A body that cannot hold a `__proto__` or `constructor` key (neither word, and no escape that could spell one)
    // is parsed as it is: the safe parser would scan it twice with its regular expressions to find nothing. Errors and
    // everything else take the safe parser, so their answers stay its own.
    if (text.indexOf('\\') === -1 && text.indexOf('__proto__') === -1 && text.indexOf('constructor') === -1) {
      let body: unknown;
      try { body = JSON.parse(text); } catch { return void defaultJson(undefined as never, text, done); }
      return done(null, body);
    }
    void defaultJson(undefined as never, text, done);
  };
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => parseJson(body as string, done));
  // Cookies are parsed where they are read (the credential step in auth.ts), not by an onRequest hook on every
  // request: most requests (API clients, forward-auth) carry none, and the hook cost a parse and a Map per request.
  await app.register(cookie, { hook: false });
  await app.register(formbody);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Tessera', version: opts.version, description: 'Self-hosted API tokens: create, list, rotate, revoke, verify. Errors use the envelope in docs/errors.md.',
        license: { name: 'MIT', identifier: 'MIT' } },
      components: { securitySchemes: securitySchemes(opts.credentialHeaders) },
      tags: [...TAGS],
    },
    // operationId, security, tags and servers for every route, also those added later (openapi.ts)
    ...openApiRules({ credentialHeaders: opts.credentialHeaders, publicUrl: opts.publicUrl }),
  });
  // Swagger UI's own CSP (its assets are served from /docs/static, its inline pieces hashed), never in a frame, and
  // without upgrade-insecure-requests: the docs must work over plain http on localhost.
  await app.register(swaggerUi, {
    routePrefix: '/docs', staticCSP: true,
    // Everything from this server (offline), no framing; scripts strict. Swagger UI sets style attributes on the
    // elements it renders, so styles (only) may be inline. No upgrade-insecure-requests: /docs works over http on localhost.
    transformStaticCSP: () => "default-src 'self'; base-uri 'self'; font-src 'self' data:; frame-ancestors 'none'; img-src 'self' data:; "
      + "object-src 'none'; script-src 'self'; script-src-attr 'none'; style-src 'self' 'unsafe-inline'; form-action 'self'",
  });
  const credentialHeaders = opts.credentialHeaders.map((h) => h.toLowerCase());
  app.decorate('credentialHeaders', credentialHeaders);
  registerAuth(app, services, credentialHeaders, opts.provider);
  // The two endpoints the fastify routes and the hot lane share (endpoints/): one validator, one auth step.
  const verify = new VerifyEndpoint({
    services, policy: opts.verifyPolicy, credentialHeaders, provider: opts.provider, log: app.log,
    validateBody: withNulRule(bodyAjv.compile(VerifyBody)), metrics,
  });
  const forward = new ForwardEndpoint({ services, credentialHeaders, log: app.log, metrics });
  const profiles = new ForwardProfiles({ services, credentialHeaders, profiles: opts.forwardProfiles ?? {}, log: app.log, metrics });

  // native API
  await app.register(healthRoutes(services));
  await app.register(authRoutes(services));
  await app.register(tokenRoutes(services));
  await app.register(tokenBulkRoutes(services));
  await app.register(verifyRoutes(verify, forward, profiles));
  await app.register(verifyEventRoutes(services));
  await app.register(userRoutes(services));
  await app.register(authzRoutes(services));
  await app.register(leakRoutes(services));
  await app.register(auditRoutes(services));
  await app.register(jwtRoutes(services));
  await app.register(introspectRoutes(services, credentialHeaders, opts.provider));
  await app.register(commandRoutes(services));
  await app.register(jobRoutes(services));
  await app.register(channelRoutes(services));
  await app.register(chatRoutes(services));
  await app.register(webhookRoutes(services));

  // seed-compatible routes (one folder per product under compat/; each translates shapes and errors only)
  await app.register(meshplayRoutes(services, opts.provider));
  await app.register(compatRoutes(services, opts.messageRefusalStatus ?? 202, opts.messageAcceptedBody ?? 'auto')); // FileBin, Semaphore, Query, Meeseeks's POST /message
  await app.register(ui.plugin); // the web UI (web/dist) at /, with its CSP; never under /api
  if (opts.metricsAccess) await app.register(metricsRoutes(metrics, opts.metricsAccess)); // Prometheus, off by default


  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  const hot = new HotLane({
    verify, forward, profiles, credentialHeaders, bodyLimit: opts.bodyLimit, nextId, parseJson, log: app.log,
    // The lane takes only a request whose Host is allowed and that has no X-Forwarded-Host (fastify judges those).
    hostAllowed: hostAllowed === null ? null : (req) => req.headers['x-forwarded-host'] === undefined && hostAllowed(req.headers.host),
    clientAddress: clientAddress(trust), metrics,
  });
  lane = hot;
  app.decorate('hotLane', hot);
  app.addHook('preClose', async () => {
    hot.closing = true;
    // Then fastify and node drop every idle keep-alive connection at once, and a request already on its way on one
    // (sent a moment before, not yet read) would be reset unanswered. Kept open a moment, such a connection's next
    // request is answered instead (refuseWhileClosing: 503 SHUTTING_DOWN, Connection: close).
    await openConnectionsGone(app.server, opts.limits.shutdownGraceMs ?? 0);
  });
  return app;
};

declare module 'fastify' {
  interface FastifyInstance { hotLane: HotLane; metrics: Metrics }
}
