/**
 * Who may call the seed-compatible routes and `POST /message`: each route against every kind of caller, one exact
 * answer each, in the product's own error shape (docs/compat.md): FileBin 400 `{"error_id"}`, Semaphore 401/403/404
 * with an empty body, Query an empty 401 for anything but an admin's full credential, Meshplay and `/message` the
 * native envelope. `:job` is alice's finished job (a Semaphore task), `:otherJob` the admin's.
 */
import { DEAD_EMPTY, everyone, type MatrixRoute, matrixHooks, runMatrix } from './matrix.js';

const ctx = matrixHooks();

const form = { 'content-type': 'application/x-www-form-urlencoded' };
const BOUND = '403 TOKEN_BOUND';

/** FileBin: a dead or unknown key is `user/api-login-failed`, none at all `api/not-authenticated`. */
const FB_DEAD = {
  expired: '400 user/api-login-failed', inactive: '400 user/api-login-failed', revoked: '400 user/api-login-failed',
  disabledOwner: '400 user/api-login-failed', none: '400 api/not-authenticated', garbage: '400 user/api-login-failed',
} as const;
/** FileBin manages keys with a `full` user credential only (its `apikey` level cannot). */
const fb = (ok: string) => ({
  admin: ok, full: ok, write: '400 api/insufficient-permissions', read: '400 api/insufficient-permissions', session: ok,
  service: '400 api/insufficient-permissions', bound: '400 api/token-bound', ...FB_DEAD,
}) as MatrixRoute['want'];


/** Semaphore token management: a user's full credential. */
const semManage = (ok: string): MatrixRoute['want'] => ({
  admin: ok as never, full: ok as never, write: '403 ""', read: '403 ""', session: ok as never, service: '403 ""', bound: '403 ""', ...DEAD_EMPTY,
});
/** Query: an admin user's full credential, anything else the same empty 401. */
const query = (ok: string): MatrixRoute['want'] => ({ ...everyone('401 ""'), admin: ok as never });

const ROUTES: MatrixRoute[] = [
  // Meshplay
  { method: 'GET', path: '/api/token',
    want: { admin: '200', full: '200', write: '200', read: '200', session: '200', service: '200', bound: BOUND } },
  { method: 'GET', path: '/provider', want: everyone('302') },
  // FileBin (seed 001)
  { method: 'POST', path: '/api/v2/user/apikeys', payload: '', headers: form, want: fb('200') },
  { method: 'POST', path: '/api/v2/user/create_apikey', label: 'bad access level', payload: 'access_level=root', headers: form,
    want: fb('400 user/validation/access_level/invalid') },
  { method: 'POST', path: '/api/v2/user/delete_apikey', label: 'unknown key', payload: 'delete_key=tok_nosuch', headers: form,
    want: fb('400 user/delete_apikey/failed') },
  // Semaphore (seed 002)
  { method: 'GET', path: '/api/auth/login', want: everyone('200') },
  { method: 'GET', path: '/api/user/tokens', want: semManage('200') },
  { method: 'POST', path: '/api/user/tokens', want: semManage('201') },
  { method: 'DELETE', path: '/api/user/tokens/nosuch', label: 'unknown token', want: semManage('404 ""') },
  { method: 'POST', path: '/api/project/1/tasks', payload: { template_id: 1 },
    want: { admin: '201', full: '201', write: '201', read: '403 ""', session: '201', service: '403 ""', bound: '403 ""', ...DEAD_EMPTY } },
  { method: 'GET', path: '/api/project/1/tasks/:job', label: 'alice\'s task',
    want: { admin: '200', full: '200', write: '200', read: '200', session: '200', service: '404 ""', bound: '403 ""', ...DEAD_EMPTY } },
  { method: 'GET', path: '/api/project/1/tasks/:otherJob', label: 'the admin\'s task',
    want: { admin: '200', full: '404 ""', write: '404 ""', read: '404 ""', session: '404 ""', service: '404 ""', bound: '403 ""', ...DEAD_EMPTY } },
  { method: 'GET', path: '/api/project/1/tasks/:job/output', label: 'alice\'s task',
    want: { admin: '200', full: '200', write: '200', read: '200', session: '200', service: '404 ""', bound: '403 ""', ...DEAD_EMPTY } },
  // Query (seed 003)
  { method: 'GET', path: '/_/token', want: query('200') },
  { method: 'POST', path: '/_/token', payload: { name: 'matrix-query' }, want: query('201 ""') },
  { method: 'PUT', path: '/_/token', label: 'unknown name', payload: { name: 'nosuch' }, want: query('400') },
  { method: 'DELETE', path: '/_/token', label: 'unknown name', payload: { name: 'nosuch' }, want: query('200') },
  { method: 'GET', path: '/_/token/value?name=nosuch', want: query('200') },
  // Meeseeks: POST /message takes a command-bound token and nothing else; a cookie is no token at all
  { method: 'POST', path: '/message', payload: 'message=hi', headers: form,
    want: { admin: '403 TOKEN_NOT_BOUND', full: '403 TOKEN_NOT_BOUND', write: '403 TOKEN_NOT_BOUND', read: '403 TOKEN_NOT_BOUND',
      session: '400 TOKEN_MISSING', service: '403 TOKEN_NOT_BOUND', bound: '202', none: '400 TOKEN_MISSING' } },
];

runMatrix(ROUTES, ctx);
