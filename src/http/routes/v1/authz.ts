/**
 * Permissions, roles and group grants (issue 14): the catalogue admins manage. Users' own grants are fields of
 * /api/v1/users, tokens' of /api/v1/tokens. Every rule is in core/authz; these routes translate shapes.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type as T } from 'typebox';
import type { Services } from '../../../core/services.js';
import type { GroupGrant, PermissionDef, RoleDef } from '../../../core/types.js';
import { errors } from '../../schemas.js';

const AUTH = { auth: 'required' as const };
const SECURITY: { [k: string]: string[] }[] = [{ bearer: [] }, { session: [] }];
const iso = (ms: number): string => new Date(ms).toISOString();

const PermissionDefSchema = T.Object({ name: T.String(), description: T.String(), created_at: T.String({ format: 'date-time' }) }, { $id: 'PermissionDef' });
const RoleSchema = T.Object({
  name: T.String(), description: T.String(), permissions: T.Array(T.String()),
  max_lifetime_seconds: T.Union([T.Integer(), T.Null()], { description: 'tokens carrying this role may not live longer (policy)' }),
  builtin: T.Boolean({ description: 'read, write and full are built in: the access levels' }),
}, { $id: 'RoleDef' });
const GroupGrantSchema = T.Object({ group: T.String(), roles: T.Array(T.String()), permissions: T.Array(T.String()) }, { $id: 'GroupGrant' });
const Perms = T.Array(T.String({ maxLength: 128 }), { maxItems: 100 });
const Lifetime = T.Union([T.Integer({ minimum: 60 }), T.Null()]);
const NameParam = T.Object({ name: T.String({ minLength: 1, maxLength: 128 }) });

const defOut = (d: PermissionDef) => ({ name: d.name, description: d.description, created_at: iso(d.createdAt) });
const roleOut = (r: RoleDef) => ({ name: r.name, description: r.description, permissions: r.permissions, max_lifetime_seconds: r.maxLifetimeSeconds, builtin: r.builtin });
const grantOut = (g: GroupGrant) => ({ group: g.group, roles: g.roles, permissions: g.permissions });

export const authzRoutes = (s: Services): FastifyPluginAsyncTypebox => async (app) => {
  app.get('/api/v1/permissions', {
    config: AUTH,
    schema: { tags: ['permissions'], summary: 'The permission catalogue (for pickers; with permissions.strict, the only grantable ones)', security: SECURITY,
      response: { 200: T.Object({ items: T.Array(PermissionDefSchema) }), ...errors(401, 403) } },
  }, async (req) => ({ items: (await s.authz.listPermissions(req.ctx)).map(defOut) }));

  app.post('/api/v1/permissions', {
    config: AUTH,
    schema: { tags: ['permissions'], summary: 'Define a permission (admin)', security: SECURITY,
      body: T.Object({ name: T.String({ minLength: 1, maxLength: 128 }), description: T.Optional(T.String({ maxLength: 500 })) }, { additionalProperties: false }),
      response: { 201: PermissionDefSchema, ...errors(400, 401, 403, 409) } },
  }, async (req, reply) => reply.code(201).send(defOut(await s.authz.definePermission(req.ctx, req.body.name, req.body.description ?? ''))));

  app.delete('/api/v1/permissions/:name', {
    config: AUTH,
    schema: { tags: ['permissions'], summary: 'Remove a permission from the catalogue (admin); grants of it stay', security: SECURITY, params: NameParam,
      response: { 204: T.Null(), ...errors(401, 403, 404) } },
  }, async (req, reply) => { await s.authz.deletePermission(req.ctx, req.params.name); return reply.code(204).send(null); });

  app.get('/api/v1/roles', {
    config: AUTH,
    schema: { tags: ['permissions'], summary: 'Roles: the built-in read, write, full and those admins defined', security: SECURITY,
      response: { 200: T.Object({ items: T.Array(RoleSchema) }), ...errors(401, 403) } },
  }, async (req) => ({ items: (await s.authz.listRoles(req.ctx)).map(roleOut) }));

  app.get('/api/v1/roles/:name', {
    config: AUTH,
    schema: { tags: ['permissions'], summary: 'One role', security: SECURITY, params: NameParam, response: { 200: RoleSchema, ...errors(401, 403, 404) } },
  }, async (req) => roleOut(await s.authz.getRole(req.ctx, req.params.name)));

  app.post('/api/v1/roles', {
    config: AUTH,
    schema: { tags: ['permissions'], summary: 'Define a role (admin)', security: SECURITY,
      body: T.Object({ name: T.String({ minLength: 1, maxLength: 64 }), description: T.Optional(T.String({ maxLength: 500 })), permissions: Perms,
        max_lifetime_seconds: T.Optional(Lifetime) }, { additionalProperties: false }),
      response: { 201: RoleSchema, ...errors(400, 401, 403, 409) } },
  }, async (req, reply) => {
    const b = req.body;
    return reply.code(201).send(roleOut(await s.authz.createRole(req.ctx, { name: b.name, description: b.description, permissions: b.permissions, maxLifetimeSeconds: b.max_lifetime_seconds })));
  });

  app.patch('/api/v1/roles/:name', {
    config: AUTH,
    schema: { tags: ['permissions'], summary: 'Change a role (admin); tokens and users carrying it change at once', security: SECURITY, params: NameParam,
      body: T.Object({ description: T.Optional(T.String({ maxLength: 500 })), permissions: T.Optional(Perms), max_lifetime_seconds: T.Optional(Lifetime) },
        { additionalProperties: false, minProperties: 1 }),
      response: { 200: RoleSchema, ...errors(400, 401, 403, 404, 409) } },
  }, async (req) => {
    const b = req.body;
    return roleOut(await s.authz.updateRole(req.ctx, req.params.name, { description: b.description, permissions: b.permissions, maxLifetimeSeconds: b.max_lifetime_seconds }));
  });

  app.delete('/api/v1/roles/:name', {
    config: AUTH,
    schema: { tags: ['permissions'], summary: 'Delete a role (admin); whoever carried it loses its permissions at once', security: SECURITY, params: NameParam,
      response: { 204: T.Null(), ...errors(401, 403, 404, 409) } },
  }, async (req, reply) => { await s.authz.deleteRole(req.ctx, req.params.name); return reply.code(204).send(null); });

  app.get('/api/v1/groups', {
    config: AUTH,
    schema: { tags: ['permissions'], summary: 'What each group is granted (admin)', security: SECURITY,
      response: { 200: T.Object({ items: T.Array(GroupGrantSchema) }), ...errors(401, 403) } },
  }, async (req) => ({ items: (await s.authz.listGroupGrants(req.ctx)).map(grantOut) }));

  app.put('/api/v1/groups/:name/grants', {
    config: AUTH,
    schema: { tags: ['permissions'], summary: 'Set what a group\'s members are granted (admin); empty lists remove the grant', security: SECURITY,
      params: T.Object({ name: T.String({ minLength: 1, maxLength: 64 }) }),
      body: T.Object({ roles: T.Array(T.String({ maxLength: 64 }), { maxItems: 50 }), permissions: Perms }, { additionalProperties: false }),
      response: { 200: GroupGrantSchema, ...errors(400, 401, 403) } },
  }, async (req) => grantOut(await s.authz.setGroupGrant(req.ctx, req.params.name, req.body)));
};
