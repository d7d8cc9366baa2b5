import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type as T } from 'typebox';
import type { Services } from '../../../core/services.js';
import { errors, page, RoleSchema, UserIdParam, UserSchema, userOut } from '../../schemas.js';

const AUTH = { auth: 'required' as const };
const SECURITY: { [k: string]: string[] }[] = [{ bearer: [] }, { session: [] }];
const Groups = T.Array(T.String({ minLength: 1, maxLength: 64 }), { maxItems: 100 });
const Grants = {
  roles: T.Optional(T.Array(T.String({ maxLength: 64 }), { maxItems: 50, description: 'roles granted to the user directly' })),
  permissions: T.Optional(T.Array(T.String({ maxLength: 128 }), { maxItems: 100, description: 'permissions granted to the user directly' })),
};

export const userRoutes = (s: Services): FastifyPluginAsyncTypebox => async (app) => {
  app.post('/api/v1/users', {
    config: AUTH,
    schema: {
      tags: ['users'], summary: 'Create a user (admin)', security: SECURITY,
      body: T.Object({
        username: T.String({ minLength: 1, maxLength: 64 }), password: T.String({ minLength: 1, maxLength: 1024 }),
        email: T.Optional(T.Union([T.String({ format: 'email', maxLength: 254 }), T.Null()])), role: T.Optional(RoleSchema),
        groups: T.Optional(Groups), disabled: T.Optional(T.Boolean()), ...Grants,
      }, { additionalProperties: false }),
      response: { 201: UserSchema, ...errors(400, 401, 403, 409) },
    },
  }, async (req, reply) => reply.code(201).send(userOut(await s.users.create(req.ctx, req.body))));

  app.get('/api/v1/users', {
    config: AUTH,
    schema: {
      tags: ['users'], summary: 'List users (admin)', security: SECURITY,
      querystring: T.Object({ limit: T.Optional(T.Integer({ minimum: 1, maximum: 200, default: 50 })), cursor: T.Optional(T.String({ maxLength: 512 })) }, { additionalProperties: false }),
      response: { 200: page(UserSchema), ...errors(400, 401, 403) },
    },
  }, async (req) => {
    const r = await s.users.list(req.ctx, req.query.limit, req.query.cursor);
    return { items: r.items.map(userOut), next_cursor: r.nextCursor };
  });

  app.get('/api/v1/users/:id', {
    config: AUTH,
    schema: { tags: ['users'], summary: 'Show a user (admin)', security: SECURITY, params: UserIdParam, response: { 200: UserSchema, ...errors(401, 403, 404) } },
  }, async (req) => userOut(await s.users.get(req.ctx, req.params.id)));

  app.patch('/api/v1/users/:id', {
    config: AUTH,
    schema: {
      tags: ['users'], summary: 'Change a user (admin); disabling stops all their tokens at once', security: SECURITY, params: UserIdParam,
      body: T.Object({
        username: T.Optional(T.String({ minLength: 1, maxLength: 64 })), password: T.Optional(T.String({ minLength: 1, maxLength: 1024 })),
        email: T.Optional(T.Union([T.String({ format: 'email', maxLength: 254 }), T.Null()])), role: T.Optional(RoleSchema),
        groups: T.Optional(Groups), disabled: T.Optional(T.Boolean()), ...Grants,
      }, { additionalProperties: false, minProperties: 1 }),
      response: { 200: UserSchema, ...errors(400, 401, 403, 404, 409) },
    },
  }, async (req) => userOut(await s.users.update(req.ctx, req.params.id, req.body)));

  app.delete('/api/v1/users/:id', {
    config: AUTH,
    schema: { tags: ['users'], summary: 'Delete a user with their tokens and sessions (admin)', security: SECURITY, params: UserIdParam, response: { 204: T.Null(), ...errors(401, 403, 404, 409) } },
  }, async (req, reply) => {
    await s.users.delete(req.ctx, req.params.id);
    return reply.code(204).send(null);
  });
};
