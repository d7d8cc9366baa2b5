/**
 * FileBin (seed 001): `{base}/api/v{X[.Y[.Z]]}/user/apikeys|create_apikey|delete_apikey`, fields as POST form
 * fields, replies in FileBin's envelope. Keys are Tessera tokens; access levels map basic→read, apikey→write,
 * full→full. Keys made here are recoverable, so `apikeys` lists them by value exactly as FileBin does; other keys
 * (made elsewhere, not recoverable) are listed under their token id, which `delete_apikey` accepts too.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type as T } from 'typebox';
import { type Principal, requireManager } from '../../../core/principal.js';
import type { Services } from '../../../core/services.js';
import { findOwnToken, keyOf, listAll } from '../common.js';
import { FB, sendFileBinError } from './errors.js';
import { field, registerMultipart } from '../forms.js';
import { fromAccess, isFileBinLevel, toAccess } from './levels.js';

/** FileBin's own patterns (Api.php), the version's unescaped `.` included. */
const VERSION_SYNTAX = /^v([0-9]+)(.[0-9]+){0,2}$/;
const NAME_SYNTAX = /^[a-zA-Z-_]+$/;
/** The API version FileBin 4.1 serves (`api_info::get_version()`); only major 2 exists. */
const SERVED = [2, 2, 0];

/** PHP's version_compare(SERVED, requested, '<') is false, i.e. requested ≤ 2.2.0 (a missing part sorts lower). */
const supported = (version: string): boolean => {
  const want = version.slice(1).split(/[^0-9]/).map(Number);
  if (want[0] !== SERVED[0]) return false;
  for (let i = 0; i < SERVED.length; i++) {
    const w = want[i] ?? -1;
    if (w !== SERVED[i]) return w < SERVED[i]!;
  }
  return true;
};

type Handler = (s: Services, req: FastifyRequest) => Promise<unknown>;

const apikeys: Handler = async (s, req) => {
  const keys = (await listAll(s, req.ctx, { revealVia: 'filebin', live: true })).filter((t) => t.revokedAt === null);
  const out: Record<string, { key: string; created: number; comment: string; access_level: string }> = {};
  for (const t of keys) {
    const key = keyOf(t);
    out[key] = { key, created: Math.floor(t.createdAt / 1000), comment: t.comment, access_level: fromAccess(t.access) };
  }
  return { apikeys: out };
};

const createApikey: Handler = async (s, req) => {
  const username = field(req.body, 'username');
  const password = field(req.body, 'password');
  // A password login goes through AuthService (throttled, audited); its session lives for this request only.
  let login: Principal | null = null;
  if (username !== undefined && password !== undefined) {
    const r = await s.auth.login(req.ctx, username, password, req.headers['user-agent'] ?? null);
    login = await s.auth.authenticate({ type: 'session', value: r.session });
  }
  // An apikey sent as well replaces the password login, as in FileBin ("undefined behaviour" in its docs).
  const ctx = req.ctx.principal !== null || login === null ? req.ctx : { ...req.ctx, principal: login };
  try {
    requireManager(ctx.principal);
    const level = field(req.body, 'access_level');
    if (!isFileBinLevel(level)) throw FB.accessLevelInvalid();
    const r = await s.tokens.create(ctx, { comment: field(req.body, 'comment') ?? '', access: toAccess(level), recoverable: true });
    return { new_key: r.value };
  } finally {
    if (login !== null) await s.auth.logout({ ...req.ctx, principal: login });
  }
};

const deleteApikey: Handler = async (s, req) => {
  requireManager(req.ctx.principal);
  const key = field(req.body, 'delete_key');
  const t = key === undefined ? null : await findOwnToken(s, req.ctx, key);
  if (key === undefined || t === null || t.revokedAt !== null) throw FB.deleteFailed();
  await s.tokens.revoke(req.ctx, t.id);
  return { deleted_keys: { [key]: { key } } };
};

/** Controllers and functions; PHP resolves both case-insensitively. */
const ENDPOINTS: Record<string, Record<string, Handler>> = {
  user: { apikeys, create_apikey: createApikey, delete_apikey: deleteApikey },
};

const endpoint = (req: FastifyRequest): Handler | undefined => {
  const p = req.params as { controller: string; function: string };
  const c = ENDPOINTS[p.controller.toLowerCase()];
  return c && Object.hasOwn(c, p.function.toLowerCase()) ? c[p.function.toLowerCase()] : undefined;
};

export const filebinRoutes = (s: Services): FastifyPluginAsyncTypebox => async (app) => {
  registerMultipart(app);
  app.setErrorHandler((err, req, reply) => sendFileBinError(req, reply, err));
  // URL checks come first, in FileBin's order, before the credential is even looked at (global preValidation hook).
  app.addHook('onRequest', async (req) => {
    const p = req.params as { version: string; controller: string; function: string };
    if (!VERSION_SYNTAX.test(p.version)) throw FB.invalidVersion();
    if (!NAME_SYNTAX.test(p.controller) || !NAME_SYNTAX.test(p.function)) throw FB.invalidEndpoint();
    if (!supported(p.version)) throw FB.versionNotSupported();
    if (endpoint(req) === undefined) throw FB.unknownEndpoint();
  });

  app.route({
    // FileBin's router answers whatever the method: so do these routes, in FileBin's shapes.
    method: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
    // `v1` alone is the native API's prefix; FileBin never served it (v1 was dropped in 2016).
    url: '/api/:version(^v(?!1$)\\d[^/]*$)/:controller/:function',
    // An `apikey` field is the credential even beside a session cookie: FileBin's apilogin replaces the session.
    config: { auth: 'optional', credentials: { apikeyOverSession: true } },
    schema: {
      tags: ['compat: filebin'],
      summary: 'FileBin API (seed 001): user/apikeys, user/create_apikey, user/delete_apikey',
      description: 'POST fields (multipart or urlencoded): `apikey`; create_apikey: `username`+`password` (instead of apikey), '
        + '`access_level` (basic|apikey|full = read|write|full), `comment` (≤ 255); delete_apikey: `delete_key` (a key or a tok_ id). '
        + 'Every error is 400 `{"status":"error","error_id","message"}`. See docs/compat.md.',
      consumes: ['multipart/form-data', 'application/x-www-form-urlencoded'],
      params: T.Object({ version: T.String(), controller: T.String(), function: T.String() }),
      security: [{ bearer: [] }, { session: [] }],
      response: {
        200: T.Object({ status: T.Literal('success'), data: T.Unknown() }),
        400: T.Object({ status: T.Literal('error'), error_id: T.String(), message: T.String() }),
      },
    },
    handler: async (req) => ({ status: 'success' as const, data: await endpoint(req)!(s, req) }),
  });
};
