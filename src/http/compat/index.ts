/**
 * Seed-compatible routes, one folder per product. Each folder translates its product's shapes and errors (its own
 * error handler: error handlers are per plugin) and calls the same core services as the native API.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Services } from '../../core/services.js';
import { filebinRoutes } from './filebin/index.js';
import { type AcceptedBody, messageRoutes } from './meeseeks/index.js';
import { queryRoutes } from './query/index.js';
import { semaphoreRoutes } from './semaphore/index.js';

export const compatRoutes = (s: Services, messageRefusalStatus: 202 | 403 = 202, messageAcceptedBody: AcceptedBody = 'auto'): FastifyPluginAsyncTypebox => async (app) => {
  await app.register(filebinRoutes(s)); // seed 001: /api/v2…/user/*
  await app.register(semaphoreRoutes(s)); // seed 002: /api/auth/*, /api/user/tokens
  await app.register(queryRoutes(s), { prefix: '/_' }); // seed 003: /_/token
  await app.register(messageRoutes(s, messageRefusalStatus, messageAcceptedBody)); // seed 000: POST /message
};
