import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type as T } from 'typebox';
import type { Services } from '../../core/services.js';
import { sendError } from '../errors.js';
import { TesseraError } from '../../core/errors.js';
import { errors } from '../schemas.js';

export const healthRoutes = (s: Services): FastifyPluginAsyncTypebox => async (app) => {
  app.get('/healthz', {
    schema: { tags: ['health'], summary: 'The process is up', response: { 200: T.Object({ status: T.Literal('ok') }) } },
  }, async () => ({ status: 'ok' as const }));

  app.get('/readyz', {
    schema: { tags: ['health'], summary: 'The store is reachable', response: { 200: T.Object({ status: T.Literal('ready') }), ...errors(503) } },
  }, async (req, reply) => {
    try {
      await s.store.ping();
    } catch (e) {
      req.log.warn({ err: e }, 'store not reachable');
      return sendError(req, reply, new TesseraError('STORE_UNAVAILABLE', 'the store is not reachable'));
    }
    return { status: 'ready' as const };
  });
};
