/**
 * Seed-compatible routes, one folder per product. Each folder translates its product's shapes and errors (its own
 * error handler: error handlers are per plugin) and calls the same core services as the native API.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../../core/services.js';
import { sendFileBinError } from './filebin/errors.js';
import { filebinRoutes } from './filebin/index.js';
import { type AcceptedBody, messageRoutes } from './meeseeks/index.js';
import { sendQueryError } from './query/errors.js';
import { queryRoutes } from './query/index.js';
import { sendSemaphoreError } from './semaphore/errors.js';
import { semaphoreRoutes } from './semaphore/index.js';

type ErrorSender = (req: FastifyRequest, reply: FastifyReply, err: unknown) => FastifyReply;

const FILEBIN_PATH = /^\/api\/v(?!1(?:[/?#]|$))\d/;
const SEMAPHORE_PATH = /^\/api\/(?:auth|user|project)(?:[/?#]|$)/;
const QUERY_PATH = /^\/_(?:[/?#]|$)/;

/**
 * The error sender of the face a path belongs to, for answers given before any route is chosen (a malformed
 * %-escape, no route for the method): a client of FileBin, Semaphore or Query gets its product's error shape there
 * too. Null: the native envelope (the native API, Meeseeks's /message, Meshplay's routes).
 */
export const compatErrorSender = (url: string): ErrorSender | null => {
  if (FILEBIN_PATH.test(url)) return sendFileBinError;
  if (SEMAPHORE_PATH.test(url)) return sendSemaphoreError;
  if (QUERY_PATH.test(url)) return sendQueryError;
  return null;
};

export const compatRoutes = (s: Services, messageRefusalStatus: 202 | 403 = 202, messageAcceptedBody: AcceptedBody = 'auto'): FastifyPluginAsyncTypebox => async (app) => {
  await app.register(filebinRoutes(s)); // seed 001: /api/v2…/user/*
  await app.register(semaphoreRoutes(s)); // seed 002: /api/auth/*, /api/user/tokens
  await app.register(queryRoutes(s), { prefix: '/_' }); // seed 003: /_/token
  await app.register(messageRoutes(s, messageRefusalStatus, messageAcceptedBody)); // seed 000: POST /message
};
