import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type as T } from 'typebox';
import type { Services } from '../../core/services.js';
import { sendError } from '../errors.js';
import { TesseraError } from '../../core/errors.js';
import { errors } from '../schemas.js';

const READY_TIMEOUT_MS = 2000;

export const healthRoutes = (s: Services): FastifyPluginAsyncTypebox => async (app) => {
  app.get('/healthz', {
    // 403: HOST_NOT_ALLOWED, as every route (allowed_hosts)
    schema: { tags: ['health'], summary: 'The process is up', response: { 200: T.Object({ status: T.Literal('ok') }), ...errors(403) } },
  }, async () => ({ status: 'ok' as const }));

  app.get('/readyz', {
    schema: { tags: ['health'], summary: 'The store is reachable', response: {
      200: T.Object({
        status: T.Literal('ready'),
        verification_cache: T.Union([T.Literal('on'), T.Literal('off')], { description: "'off' while this node's change feed (multi-node) is down: it verifies every token against the store" }),
      }),
      ...errors(403, 503),
    } },
  }, async (req, reply) => {
    // A cheap query with a short deadline: a load balancer must not wait on a hung database.
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${READY_TIMEOUT_MS} ms`)), READY_TIMEOUT_MS);
    });
    try {
      await Promise.race([s.store.ping(), deadline]);
    } catch (e) {
      req.log.warn({ err: e }, 'store not reachable');
      const reason = e instanceof TesseraError ? (e as TesseraError & { reason?: string }).reason ?? e.message : (e as Error).message;
      return sendError(req, reply, new TesseraError('STORE_UNAVAILABLE', `the store is not reachable: ${reason}`));
    } finally {
      clearTimeout(timer);
    }
    return { status: 'ready' as const, verification_cache: s.verifier.cachingEnabled ? 'on' as const : 'off' as const };
  });
};
