/**
 * Meshplay (seed 004). Its credential sources — the `meshplay-token` header and the `token` cookie — are handled by
 * the core extractor (src/http/credentials.ts) on every route; its JWTs are Tessera's (POST /api/v1/auth/jwt).
 * This folder adds only Meshplay's own route: `GET /api/token`, the "Get Token" download (`auth.json`).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type as T } from 'typebox';
import type { Services } from '../../../core/services.js';
import { errors } from '../../schemas.js';

export const meshplayRoutes = (s: Services, provider: 'local' | 'none'): FastifyPluginAsyncTypebox => async (app) => {
  app.get('/api/token', {
    config: { auth: 'required' },
    schema: {
      tags: ['compat: meshplay'], summary: 'Meshplay "Get Token": the provider name and a JWT for the caller',
      security: [{ bearer: [] }, { session: [] }],
      response: { 200: T.Object({ 'meshplay-provider': T.String(), token: T.String() }), ...errors(401) },
    },
  }, async (req) => {
    const r = await s.jwt.issue(req.ctx);
    return { 'meshplay-provider': provider === 'none' ? 'None' : 'Local', token: r.jwt };
  });
};
