/**
 * Meshplay (seed 004). Its credential sources — the `meshplay-token` header and the `token` cookie — are handled by
 * the core extractor (src/http/credentials.ts) on every route; its JWTs are Tessera's (POST /api/v1/auth/jwt).
 * This folder adds only Meshplay's own routes: `GET /api/token`, the "Get Token" download (`auth.json`), and
 * `GET /provider`, the page the seed sends users to for logging in. See docs/compat.md, "Meshplay".
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type as T } from 'typebox';
import type { Services } from '../../../core/services.js';
import { errors } from '../../schemas.js';

export const meshplayRoutes = (s: Services, provider: 'local' | 'none'): FastifyPluginAsyncTypebox => async (app) => {
  app.get('/api/token', {
    config: { auth: 'required' },
    schema: {
      tags: ['compat: meshplay'],
      summary: 'Meshplay "Get Token": the provider name and a JWT for the caller ("" in single-user mode without a credential, as Meshplay\'s provider None)',
      security: [{ bearer: [] }, { session: [] }],
      response: { 200: T.Object({ 'meshplay-provider': T.String(), token: T.String() }), ...errors(401) },
    },
  }, async (req) => {
    const p = req.ctx.principal!;
    // Single-user mode, no credential presented: Meshplay's None provider answers an empty token (nothing to prove);
    // minting an admin JWT for an anonymous caller would only hand out a credential that outlives the mode.
    if (provider === 'none' && p.type === 'user' && p.jwt === undefined) return { 'meshplay-provider': 'None', token: '' };
    const r = await s.jwt.issue(req.ctx);
    return { 'meshplay-provider': provider === 'none' ? 'None' : 'Local', token: r.jwt };
  });

  // The seed: "Log into Meshplay by selecting your identity provider (typically found at {meshplay-server}:9081/provider)".
  // Tessera's provider is fixed by its configuration, so there is nothing to select: go to the web UI (its login).
  app.get('/provider', {
    schema: {
      tags: ['compat: meshplay'], summary: 'Meshplay\'s provider page: redirects to the web UI, where you log in',
      response: { 302: { type: 'null', description: 'to the web UI', headers: { Location: { type: 'string', description: '/' } } } },
    },
  }, async (_req, reply) => reply.redirect('/', 302));
};
