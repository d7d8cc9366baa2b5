import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type as T } from 'typebox';
import type { Services } from '../../../core/services.js';
import { clearSessionCookie, setSessionCookie } from '../../session-cookie.js';
import { errors, UserSchema, userOut, AccessSchema } from '../../schemas.js';

export const authRoutes = (s: Services): FastifyPluginAsyncTypebox => async (app) => {
  app.post('/api/v1/auth/login', {
    config: { sameOrigin: true },
    schema: {
      tags: ['auth'], summary: 'Log in with a password; sets the session cookie',
      body: T.Object({ username: T.String({ minLength: 1, maxLength: 256 }), password: T.String({ minLength: 1, maxLength: 1024 }) }, { additionalProperties: false }),
      response: { 200: T.Object({ user: UserSchema }), ...errors(400, 401, 403, 429) },
    },
  }, async (req, reply) => {
    const r = await s.auth.login(req.ctx, req.body.username, req.body.password, req.headers['user-agent'] ?? null);
    setSessionCookie(req, reply, r.session, r.expiresAt);
    return { user: userOut(r.user) };
  });

  app.post('/api/v1/auth/logout', {
    config: { auth: 'required' },
    schema: { tags: ['auth'], summary: 'End the current session', security: [{ session: [] }], response: { 204: T.Null(), ...errors(400, 401) } },
  }, async (req, reply) => {
    await s.auth.logout(req.ctx);
    clearSessionCookie(req, reply);
    return reply.code(204).send(null);
  });

  app.get('/api/v1/auth/me', {
    config: { auth: 'required' },
    schema: {
      tags: ['auth'], summary: 'The caller: user and credential', security: [{ bearer: [] }, { session: [] }],
      response: {
        200: T.Object({
          user: T.Union([UserSchema, T.Null()]),
          credential: T.Object({
            type: T.Union([T.Literal('session'), T.Literal('token'), T.Literal('user')], { description: 'user = single-user mode (provider none)' }),
            access: AccessSchema, token_id: T.Union([T.String(), T.Null()]),
            jwt: T.Boolean({ description: 'the credential was a Tessera JWT derived from this token or session' }),
          }),
        }),
        ...errors(401),
      },
    },
  }, async (req) => {
    const p = req.ctx.principal!;
    return {
      user: p.user ? userOut(p.user) : null,
      credential: { type: p.type, access: p.access, token_id: p.type === 'token' ? p.token.id : null, jwt: p.jwt !== undefined },
    };
  });
};
