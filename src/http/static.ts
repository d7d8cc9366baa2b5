/**
 * Serves the web UI built into web/dist/ (by `npm install`'s prepare step, or `npm run build:web`).
 *
 * - The files are read once at start-up into memory (a few hundred kB), with an ETag and a gzip copy; a request never
 *   touches the file system, so no path can reach outside the folder.
 * - Any other GET from a browser (Accept: text/html) gets index.html, so the UI's own paths (/tokens, /jobs/…) can be
 *   reloaded and bookmarked. The server's own spaces — /api, /docs, /healthz, /readyz, /.well-known, /message, /_ —
 *   are never answered with the UI: a miss there stays the API's 404 ROUTE_NOT_FOUND.
 * - Every response of this plugin carries a strict Content-Security-Policy (the build has no inline script or style)
 *   and the usual hardening headers. The plugin is encapsulated: API routes are not affected.
 * - Without a build, the server still starts and `/` says how to build the UI.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';

export const DEFAULT_WEB_DIR = fileURLToPath(new URL('../../web/dist/', import.meta.url));

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self'", "font-src 'self'", "connect-src 'self'",
  "manifest-src 'self'", "worker-src 'none'", "object-src 'none'", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'",
].join('; ');

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
};

/** Path prefixes that belong to the server, never to the UI. */
const RESERVED = /^\/(api|docs|healthz|readyz|\.well-known|message|_)(\/|$)/;
export const isReservedPath = (path: string): boolean => RESERVED.test(path);

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon', '.webp': 'image/webp', '.woff2': 'font/woff2',
  '.json': 'application/json; charset=utf-8', '.txt': 'text/plain; charset=utf-8', '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};
const COMPRESSIBLE = new Set(['.html', '.js', '.css', '.svg', '.json', '.txt', '.map', '.webmanifest']);

interface Asset { body: Buffer; gzip: Buffer | null; type: string; etag: string; cache: string }

const walk = (dir: string): string[] =>
  readdirSync(dir).flatMap((f) => { const p = join(dir, f); return statSync(p).isDirectory() ? walk(p) : [p]; });

const loadAssets = (dir: string): Map<string, Asset> => {
  const assets = new Map<string, Asset>();
  for (const file of walk(dir)) {
    const url = `/${relative(dir, file).split(sep).join('/')}`;
    const ext = extname(file).toLowerCase();
    const body = readFileSync(file);
    const gzip = COMPRESSIBLE.has(ext) && body.length > 1024 ? gzipSync(body, { level: 9 }) : null;
    assets.set(url, {
      body, gzip: gzip && gzip.length < body.length ? gzip : null,
      type: TYPES[ext] ?? 'application/octet-stream',
      etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
      // Vite puts content hashes in the names under assets/: those never change. Everything else is revalidated.
      cache: url.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
  }
  return assets;
};

const NOT_BUILT = [
  'Tessera is running, but its web UI is not built.',
  'Build it with `npm run build:web` (`npm install` does this too), then restart the server.',
  'The API is under /api/v1/ and documented at /docs.',
  '',
].join('\n');

export interface WebUiOptions { dir?: string }

export interface WebUi {
  /** Registers the built files (and `/`) as routes, with the security headers. */
  plugin: FastifyPluginAsync;
  /**
   * Called by the server's not-found handler: a browser navigating to one of the UI's own pages (/tokens, /jobs/12…)
   * gets index.html, so pages can be reloaded and bookmarked. Returns false for anything else (the API's 404 stands).
   * Being a fallback rather than a catch-all route, it never shadows a more specific not-found handler (Query's /_/).
   */
  page: (req: FastifyRequest, reply: FastifyReply) => boolean;
}

const withHeaders = (reply: FastifyReply): FastifyReply => {
  for (const [k, v] of Object.entries(SECURITY_HEADERS)) reply.header(k, v);
  return reply;
};

export const webUi = (opts: WebUiOptions = {}): WebUi => {
  const dir = opts.dir ?? DEFAULT_WEB_DIR;
  if (!existsSync(join(dir, 'index.html'))) {
    return {
      plugin: async (app) => {
        app.log.warn({ dir }, 'web UI not built: / explains how to build it');
        app.get('/', { schema: { hide: true } }, async (_req, reply) => withHeaders(reply).type('text/plain; charset=utf-8').send(NOT_BUILT));
      },
      page: () => false,
    };
  }
  const assets = loadAssets(dir);
  const index = assets.get('/index.html')!;
  const send = (req: FastifyRequest, reply: FastifyReply, a: Asset) => {
    withHeaders(reply).header('etag', a.etag).header('cache-control', a.cache).header('vary', 'accept-encoding').type(a.type);
    if (req.headers['if-none-match'] === a.etag) return reply.code(304).send();
    if (a.gzip && /\bgzip\b/.test(req.headers['accept-encoding'] ?? '')) return reply.header('content-encoding', 'gzip').send(a.gzip);
    return reply.send(a.body);
  };
  return {
    plugin: async (app) => {
      app.get('/', { schema: { hide: true } }, async (req, reply) => send(req, reply, index));
      for (const [url, a] of assets) {
        if (url !== '/index.html') app.get(url, { schema: { hide: true } }, async (req, reply) => send(req, reply, a));
      }
    },
    page: (req, reply) => {
      const path = req.url.split('?')[0]!;
      if ((req.method !== 'GET' && req.method !== 'HEAD') || isReservedPath(path) || !(req.headers.accept ?? '').includes('text/html')) return false;
      void send(req, reply, index);
      return true;
    },
  };
};
