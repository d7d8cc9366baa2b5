/**
 * Who may call what: every protected route against every state a credential can be in (missing, malformed,
 * unknown, expired, inactive, revoked, owner disabled, too little access, not an admin, a service token, someone
 * else's token). Each refusal has its status, its code, the error envelope, and leaves nothing recorded.
 * Commands, jobs, channels, chat and JWT: routes.security.commands.test.ts; the compat routes and /message:
 * routes.security.compat.test.ts (both on test/api/matrix.ts, with service and command-bound tokens as callers).
 */
import { after, before } from 'node:test';
import { type Harness, startHarness } from '../helpers.js';
import { buildFixture, type Fixture, type RouteSpec, runCommonRouteTests, unknownToken } from './support.js';

let h: Harness;
let f: Fixture;
before(async () => { h = await startHarness(); f = await buildFixture(h); });
after(async () => { await h.close(); });

const ROUTES: RouteSpec[] = [
  // tokens
  { method: 'POST', path: '/api/v1/tokens', need: 'manager', payload: { name: 'matrix' } },
  { method: 'GET', path: '/api/v1/tokens', need: 'manager' },
  { method: 'GET', path: '/api/v1/tokens/:token', need: 'manager' },
  { method: 'PATCH', path: '/api/v1/tokens/:token', need: 'manager', payload: { comment: 'changed' } },
  { method: 'DELETE', path: '/api/v1/tokens/:token', need: 'manager' },
  { method: 'POST', path: '/api/v1/tokens/:token/rotate', need: 'manager', payload: { grace_seconds: 0 } },
  { method: 'POST', path: '/api/v1/tokens/:token/rotate', need: 'manager', label: 'no body' },
  { method: 'GET', path: '/api/v1/tokens/:token/value', need: 'manager' },
  { method: 'POST', path: '/api/v1/tokens/batch', need: 'manager', okStatus: 201, payload: { tokens: [{ name: 'matrix-batch' }] } },
  { method: 'POST', path: '/api/v1/tokens/import', need: 'admin', payload: { format: 'json', rows: [] } },
  // users
  { method: 'POST', path: '/api/v1/users', need: 'admin', payload: { username: 'matrix', password: 'matrix-password' } },
  { method: 'GET', path: '/api/v1/users', need: 'admin' },
  { method: 'GET', path: '/api/v1/users/:user', need: 'admin' },
  { method: 'PATCH', path: '/api/v1/users/:user', need: 'admin', payload: { role: 'admin' } },
  { method: 'DELETE', path: '/api/v1/users/:user', need: 'admin' },
  { method: 'POST', path: '/api/v1/tokens/revoke', need: 'admin', payload: { name_prefix: 'matrix-', dry_run: true } },
  // permissions, roles, group grants (reading the catalogue: any credential; changing it: admins)
  { method: 'GET', path: '/api/v1/permissions', need: 'any' },
  { method: 'POST', path: '/api/v1/permissions', need: 'admin', payload: { name: 'matrix:run' } },
  { method: 'DELETE', path: '/api/v1/permissions/matrix:run', need: 'admin' },
  { method: 'GET', path: '/api/v1/roles', need: 'any' },
  { method: 'GET', path: '/api/v1/roles/read', need: 'any' },
  { method: 'POST', path: '/api/v1/roles', need: 'admin', payload: { name: 'matrix', permissions: [] } },
  { method: 'PATCH', path: '/api/v1/roles/matrix', need: 'admin', payload: { description: 'm' } },
  { method: 'DELETE', path: '/api/v1/roles/matrix', need: 'admin' },
  { method: 'GET', path: '/api/v1/groups', need: 'admin' },
  { method: 'PUT', path: '/api/v1/groups/ops/grants', need: 'admin', payload: { roles: [], permissions: [] } },
  // audit
  { method: 'GET', path: '/api/v1/audit', need: 'admin' },
  { method: 'GET', path: '/api/v1/audit/verify', need: 'admin' },
  { method: 'GET', path: '/api/v1/audit/export', need: 'admin' },
  // webhooks (admins; unknown ids: a refusal comes before the lookup)
  { method: 'GET', path: '/api/v1/webhooks', need: 'admin' },
  { method: 'POST', path: '/api/v1/webhooks', need: 'admin', payload: { url: 'http://127.0.0.1:9/', events: ['token.created'] } },
  { method: 'GET', path: '/api/v1/webhooks/wh_matrix', need: 'admin' },
  { method: 'PATCH', path: '/api/v1/webhooks/wh_matrix', need: 'admin', payload: { active: false } },
  { method: 'DELETE', path: '/api/v1/webhooks/wh_matrix', need: 'admin' },
  { method: 'GET', path: '/api/v1/webhooks/wh_matrix/deliveries', need: 'admin' },
  { method: 'POST', path: '/api/v1/webhooks/wh_matrix/deliveries/1/redeliver', need: 'admin' },
  // auth
  { method: 'GET', path: '/api/v1/auth/me', need: 'any' },
  { method: 'POST', path: '/api/v1/auth/logout', need: 'session' },
  { method: 'POST', path: '/api/v1/auth/jwt/keys/rotate', need: 'admin' },
  // verification (policy `any`: every valid credential may verify)
  { method: 'POST', path: '/api/v1/verify', need: 'any', payload: { token: unknownToken() } },
  { method: 'GET', path: '/api/v1/auth/forward', need: 'any', okStatus: 204 },
  { method: 'POST', path: '/api/v1/auth/forward', need: 'any', okStatus: 204 },
];

runCommonRouteTests(ROUTES, () => ({ h, f }));
