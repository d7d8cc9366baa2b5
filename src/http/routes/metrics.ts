/**
 * GET /metrics (issue 19): the Prometheus exposition of `Metrics.render` (docs/metrics.md). Registered only with
 * `metrics.enabled` (else the path is 404 like any unknown one) and kept out of the OpenAPI document: it is for a
 * scraper, not an API client. Who may scrape (config `metrics`): with `token`, the request must carry
 * `Authorization: Bearer <token>` (compared in constant time; 401 UNAUTHENTICATED otherwise); with `allow`, the client
 * address (after `trust_proxy`) must be in one of the listed CIDRs (403 FORBIDDEN otherwise). Both apply when both are
 * set. The token is the scraper's secret, not a Tessera token: the auth hook does not look at this route's headers.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import { CidrList } from '../../core/authz/cidr.js';
import { TesseraError } from '../../core/errors.js';
import type { Metrics } from '../../core/metrics.js';
import { sendError } from '../errors.js';

export interface MetricsAccess {
  /** The bearer secret a scraper sends; undefined: none asked for. */
  token?: string | undefined;
  /** Client addresses/CIDRs allowed to scrape; empty: any address. */
  allow: readonly string[];
}

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();
const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

export const metricsRoutes = (metrics: Metrics, access: MetricsAccess): FastifyPluginAsync => async (app) => {
  const want = access.token === undefined ? null : digest(access.token);
  const allow = access.allow.length > 0 ? new CidrList(access.allow) : null;

  app.get('/metrics', { config: { auth: 'none' }, schema: { hide: true } }, async (req, reply) => {
    if (allow !== null && !allow.allows(req.ip)) {
      return sendError(req, reply, new TesseraError('FORBIDDEN', 'this address may not read /metrics (config metrics.allow)'));
    }
    if (want !== null) {
      const m = BEARER.exec(req.headers.authorization ?? '');
      if (m === null || !timingSafeEqual(digest(m[1]!), want)) {
        return sendError(req, reply, new TesseraError('UNAUTHENTICATED', 'send the scrape token of config metrics.token as Authorization: Bearer'));
      }
    }
    const out = await metrics.render();
    return reply.header('content-type', out.contentType).send(out.body);
  });
};
